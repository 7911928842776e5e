"""From all councils' figures to the council's benchmarks and standing, in polars.

For every indicator and data year in the file, over the whole frame at once:

- **England** is the National row; **the region** is the Regional row of the council's region.
  Neither is computed: the published figure is the figure (a rate is not the mean of rates).
- **Statistical neighbours** is the unweighted mean of the neighbours' published figures,
  as the benchmarking tool computes it (``mean(values, na.rm = TRUE)``): a neighbour whose
  cell holds a code (``c``, ``x`` ...) or who has no row that year is left out of the mean,
  and the record says how many of the listed neighbours went in and which were left out.
  With none, there is no average.
- **Rank** is among the councils (Local authority rows) with a figure that year, the best
  first (polarity up: highest; down: lowest), ties sharing the lowest rank of their group
  (standard competition ranking, 1, 2, 2, 4, as the tool's ``rank(ties.method = "min")``).
  With polarity none the rank is the position from the highest and nothing is best.
- **Quartile** is the tool's banding: the quartiles of those councils' figures (linear
  interpolation, R's default), and a figure up to and including the lower quartile is in
  the bottom band: 1 (the best) for polarity down, 4 for up; then up to the median, up to
  the upper quartile, and above it. Polarity none has no quartile.
- A council whose own cell holds a code is not ranked; the reason says which code.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from csckpi.model import Comparator, Polarity, Problem, Severity, column_letter
from csckpi.periods import fy_label
from csckpi.published.records import (
    Council,
    ImportResult,
    NeighbourBasis,
    PublishedBenchmark,
    Release,
    Standing,
)
from csckpi.published.symbols import meaning
from csckpi.published.years import DataYear, YearKind

if TYPE_CHECKING:
    import polars as pl

    from csckpi.published.neighbours import NeighbourList

PAIR = ["key", "year"]


@dataclass
class Derived:
    benchmarks: list[PublishedBenchmark] = field(default_factory=list)
    standings: list[Standing] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    gaps: dict[tuple[str, str], list[str]] = field(default_factory=dict)  # (code, why): years


@dataclass(frozen=True)
class Context:
    """What the derivations need besides the figures."""

    file: str  # the published file's name, for every `where`
    council: Council
    release: Release
    polarity: dict[str, Polarity]  # key -> polarity
    snapshot: dict[str, bool]  # key -> a position at 31 March
    order: tuple[str, ...]  # keys in the map's order
    match: tuple[str, str]  # (column, code) the map names the council by: its rows, every year
    neighbours: NeighbourList | None = None


def derive(figures: pl.DataFrame, context: Context) -> Derived:
    import polars as pl

    out = Derived()
    pairs = (
        figures.group_by(["key", "code", "year", "year_kind"])
        .agg(pl.col("flag").max())
        .with_columns(pl.col("key").replace_strict(_positions(context), default=999).alias("at"))
        .sort("at", "year")
    )
    england = _england(figures, pairs)
    region = _region(figures, pairs, context)
    neighbours = _neighbours(figures, pairs, context, out)
    standings = _standings(figures, pairs, context)
    for frame, comparator in (
        (neighbours, Comparator.STATISTICAL_NEIGHBOURS),
        (region, Comparator.REGION),
        (england, Comparator.ENGLAND),
    ):
        if frame is not None:
            for row in frame.iter_rows(named=True):
                out.benchmarks.append(_benchmark(row, comparator, context, out))
    for row in standings.iter_rows(named=True):
        out.standings.append(_standing(row, context, out))
    absent = pairs.join(standings.select(PAIR), on=PAIR, how="anti").sort("at", "year")
    for code, start in absent.select("code", "year").iter_rows():
        out.notes.append(
            f"{code}: the file has no row for {context.council.name} in {fy_label(start)}: "
            "no rank that year"
        )
    for (code, why), years in out.gaps.items():
        shown = ", ".join(years[:-1]) + f" or {years[-1]}" if len(years) > 1 else years[0]
        out.problems.append(
            Problem(context.file, 0, 0, Severity.WARNING, "no-row", f"{why} {shown} ({code}).")
        )
    return out


def _positions(context: Context) -> dict[str, int]:
    return {key: i for i, key in enumerate(context.order)}


def _england(figures: pl.DataFrame, pairs: pl.DataFrame) -> pl.DataFrame:
    import polars as pl

    national = figures.filter(pl.col("level") == "national")
    return (
        pairs.join(
            national.select(*PAIR, "name", "value", "symbol", "row", "column"), on=PAIR, how="left"
        )
        .sort("at", "year")
        .with_columns(
            pl.col("name").fill_null("England"),
            pl.lit("the file has no National row (England) for").alias("absent"),
        )
    )


def _region(figures: pl.DataFrame, pairs: pl.DataFrame, context: Context) -> pl.DataFrame:
    import polars as pl

    council = context.council
    name = council.region_name or council.region_code
    if not council.region_code:
        why = (
            f"{council.name}'s region is not known: the export does not say it; add "
            f'region = "North East" (its region) to [council] in the map. No region figure for'
            if not council.region_name
            else f"{council.region_name!r} is not one of England's regions; no figure for"
        )
        return pairs.with_columns(
            pl.lit(name or "region").alias("name"),
            *(pl.lit(None, dtype=t).alias(c) for c, t in _cell_types().items()),
            pl.lit(why).alias("absent"),
        )
    regional = figures.filter(
        (pl.col("level") == "regional") & (pl.col("region_code") == council.region_code)
    )
    return (
        pairs.join(
            regional.select(*PAIR, "name", "value", "symbol", "row", "column"), on=PAIR, how="left"
        )
        .sort("at", "year")
        .with_columns(
            pl.col("name").fill_null(name),
            pl.lit(f"the file has no Regional row for {name} ({council.region_code}) for").alias(
                "absent"
            ),
        )
    )


def _cell_types() -> dict[str, pl.DataType]:
    import polars as pl

    return {"value": pl.Float64(), "symbol": pl.String(), "row": pl.Int64(), "column": pl.Int64()}


def _neighbours(
    figures: pl.DataFrame, pairs: pl.DataFrame, context: Context, out: Derived
) -> pl.DataFrame | None:
    import polars as pl

    listing = context.neighbours
    if listing is None:
        out.notes.append(
            "no statistical-neighbour list in the map: no statistical-neighbour average"
        )
        return None
    code = "new_la_code" if listing.uses_new_codes else "old_la_code"
    wanted = pl.DataFrame({code: list(listing.codes)}, schema={code: pl.String})
    la = figures.filter(pl.col("level") == "la")
    absent = wanted.join(la.select(code).unique(), on=code, how="anti").get_column(code)
    for neighbour in absent.to_list():
        out.problems.append(
            Problem(
                listing.source,
                0,
                0,
                Severity.WARNING,
                "neighbour-not-in-file",
                f"neighbour {neighbour} of {context.council.name} in the list is not in "
                f"{context.file}: it is left out of every average.",
            )
        )
    found = la.join(wanted, on=code, how="inner").sort("row")
    averages = found.group_by(PAIR).agg(
        pl.col("value").mean().alias("value"),
        pl.col("value").count().alias("with_figure"),
        pl.struct("name", "symbol").filter(pl.col("value").is_null()).alias("withheld"),
        pl.col(code).alias("present"),
    )
    return (
        pairs.join(averages, on=PAIR, how="left")
        .sort("at", "year")
        .with_columns(
            pl.lit("statistical neighbours").alias("name"),
            pl.lit(None, dtype=pl.String).alias("symbol"),
            pl.col("with_figure").fill_null(0),
        )
    )


def _standings(figures: pl.DataFrame, pairs: pl.DataFrame, context: Context) -> pl.DataFrame:
    import polars as pl

    polarity = pl.DataFrame(
        {
            "key": list(context.polarity),
            "polarity": [p.value for p in context.polarity.values()],
        },
        schema={"key": pl.String, "polarity": pl.String},
    )
    la = figures.filter(pl.col("level") == "la").join(polarity, on="key", how="left")
    value = pl.col("value")
    down = pl.col("polarity") == Polarity.DOWN.value
    score = pl.when(down).then(value).otherwise(-value)
    q = [value.quantile(p, interpolation="linear").over(PAIR) for p in (0.25, 0.5, 0.75)]
    band = (
        pl.when(value <= q[0])
        .then(1)
        .when(value <= q[1])
        .then(2)
        .when(value <= q[2])
        .then(3)
        .otherwise(4)
    )
    quartile = (
        pl.when(value.is_null() | (pl.col("polarity") == Polarity.NONE.value))
        .then(None)
        .when(down)
        .then(band)
        .otherwise(5 - band)
    )
    ranked = la.with_columns(
        score.rank("min").over(PAIR).cast(pl.Int64).alias("rank"),
        value.count().over(PAIR).alias("of"),
        value.is_null().sum().over(PAIR).alias("withheld"),
        quartile.cast(pl.Int64).alias("quartile"),
    ).with_columns(pl.len().over(*PAIR, "rank").alias("tied"))
    field, code = context.match
    mine = pl.col(field) == code
    return pairs.join(
        ranked.filter(mine).select(
            *PAIR,
            "polarity",
            "value",
            "symbol",
            "rank",
            "of",
            "withheld",
            "quartile",
            "tied",
            "row",
            "column",
        ),
        on=PAIR,
        how="inner",
    ).sort("at", "year")


def _year(row: dict[str, Any], context: Context) -> DataYear:
    key = str(row["key"])
    return DataYear(int(row["year"]), YearKind(str(row["year_kind"])), context.snapshot[key])


def _release(row: dict[str, Any], context: Context) -> Release:
    flag = str(row.get("flag") or "")
    version = ", ".join(v for v in (context.release.version, flag) if v)
    return Release(context.release.name, version)


def _where(context: Context, row: dict[str, Any]) -> str:
    if row.get("row") is None:
        return context.file
    return f"{context.file}!{column_letter(int(row['column']))}{row['row']}"


def _benchmark(
    row: dict[str, Any], comparator: Comparator, context: Context, out: Derived
) -> PublishedBenchmark:
    year = _year(row, context)
    value = row["value"]
    symbol = row.get("symbol")
    basis = None
    reason = None
    if comparator is Comparator.STATISTICAL_NEIGHBOURS:
        basis = _basis(row, context)
        if value is None:
            reason = f"none of the {basis.listed} statistical neighbours has a figure for {year}"
    elif value is None and row.get("row") is None:
        reason = f"{row['absent']} {year}"
        out.gaps.setdefault((str(row["code"]), str(row["absent"])), []).append(str(year))
    elif value is None:
        reason = f"the published figure for {year} is {meaning(str(symbol))}"
        _withheld(
            out,
            context,
            row,
            f"{row['name']}'s {row['code']} for {year} is {meaning(str(symbol))}: "
            f"there is no {comparator.value} figure for {year}.",
        )
    return PublishedBenchmark(
        key=str(row["key"]),
        code=str(row["code"]),
        comparator=comparator,
        name=str(row["name"]),
        year=year,
        release=_release(row, context),
        value=float(value) if value is not None else None,
        symbol=str(symbol) if value is None and symbol is not None else None,
        reason=reason,
        where=_where(context, row)
        if comparator is not Comparator.STATISTICAL_NEIGHBOURS
        else context.file,
        basis=basis,
    )


def _withheld(out: Derived, context: Context, row: dict[str, Any], message: str) -> None:
    """A warning at the cell of a figure that holds a code."""
    out.problems.append(
        Problem(
            context.file, int(row["row"]), int(row["column"]), Severity.WARNING, "withheld", message
        )
    )


def _basis(row: dict[str, Any], context: Context) -> NeighbourBasis:
    listing = context.neighbours
    assert listing is not None
    present = set(row.get("present") or ())
    withheld = tuple((str(item["name"]), str(item["symbol"])) for item in row.get("withheld") or ())
    return NeighbourBasis(
        version=listing.version,
        listed=len(listing.codes),
        with_figure=int(row["with_figure"]),
        withheld=withheld,
        missing=tuple(code for code in listing.codes if code not in present),
    )


def _standing(row: dict[str, Any], context: Context, out: Derived) -> Standing:
    year = _year(row, context)
    council = context.council
    value = row["value"]
    reason = None
    if value is None:
        symbol = str(row["symbol"])
        reason = (
            f"{council.name}'s published figure for {year} is {meaning(symbol)}: it is not ranked"
        )
        _withheld(out, context, row, f"{reason} ({row['code']}).")
    return Standing(
        key=str(row["key"]),
        code=str(row["code"]),
        year=year,
        release=_release(row, context),
        polarity=Polarity(str(row["polarity"])),
        value=float(value) if value is not None else None,
        symbol=str(row["symbol"]) if value is None else None,
        rank=int(row["rank"]) if row["rank"] is not None else None,
        of=int(row["of"]),
        tied=int(row["tied"]) if row["rank"] is not None else 0,
        quartile=int(row["quartile"]) if row["quartile"] is not None else None,
        withheld=int(row["withheld"]),
        reason=reason,
        where=_where(context, row),
    )


def benchmark_frame(result: ImportResult) -> pl.DataFrame:
    """The benchmarks with a value, in the workbook Benchmarks schema and after it the
    release, its version, the snapshot date, the kind of year and the neighbours averaged."""
    import polars as pl

    from csckpi.dataset import benchmark_schema

    schema = benchmark_schema() | {
        "release": pl.String(),
        "version": pl.String(),
        "as_at": pl.String(),
        "kind": pl.String(),
        "neighbours": pl.Int64(),
        "listed": pl.Int64(),
    }
    rows = [
        {
            "key": b.key,
            "code": b.code,
            "comparator": b.comparator.value,
            "value": b.value,
            "source": b.source,
            "year": b.year.label,
            "sheet": result.source,
            "cell": b.where.rsplit("!", 1)[1] if "!" in b.where else "",
            "release": b.release.name,
            "version": b.release.version,
            "as_at": b.year.text if b.year.text != b.year.label else "",
            "kind": b.year.kind.value,
            "neighbours": b.basis.with_figure if b.basis else None,
            "listed": b.basis.listed if b.basis else None,
        }
        for b in result.benchmarks
        if b.value is not None
    ]
    return pl.DataFrame(rows, schema=schema)
