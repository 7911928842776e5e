"""The Department for Education's published statistics layout (explore-education-statistics).

One row per geography and year, the geography and time in named columns, then filters
(``category``, ``characteristic`` ...) and one column per measure:

    time_period,time_identifier,geographic_level,country_code,country_name,region_code,
    region_name,old_la_code,new_la_code,la_name,category,referral_count,rereferral_percent
    2025,Reporting year,National,E92000001,England,,,,,,Referrals and Re-referrals,632830,22.6
    2025,Reporting year,Local authority,E92000001,England,E12000001,North East,841,E06000005,
    Darlington,Referrals and Re-referrals,1117,13

(the header of ``c1_children_in_need_referrals_and_rereferrals`` in "Characteristics of
children in need"). Columns come in any order: they are found by name. Rows at the National,
Regional and Local authority levels are read; others (districts, constituencies, schools)
are counted and left out.
"""

from __future__ import annotations

import difflib
from typing import TYPE_CHECKING

from csckpi.published.figures import (
    MAX_LISTED,
    Reading,
    check_duplicates,
    check_values,
    rows_are,
    schema,
)
from csckpi.published.symbols import parse
from csckpi.published.tables import canon, canon_column
from csckpi.published.years import BareYears, parse_time

if TYPE_CHECKING:
    import polars as pl

    from csckpi.published.mapping import IndicatorMap, PublishedMap
    from csckpi.published.tables import RawTable

#: The geography and time columns, in the order the open data standards list them.
GEOGRAPHY = (
    "time_period",
    "time_identifier",
    "geographic_level",
    "country_code",
    "country_name",
    "region_code",
    "region_name",
    "old_la_code",
    "new_la_code",
    "la_name",
)
REQUIRED = tuple(c for c in GEOGRAPHY if c != "country_name")
#: geographic_level (canonical) -> our level
LEVEL_NAMES = {"national": "national", "regional": "regional", "local authority": "la"}


def is_header(cells: list[str]) -> bool:
    names = {canon(c) for c in cells}
    return {"time period", "time identifier", "geographic level"} <= names


def read(table: RawTable, published: PublishedMap, only: str | None = None) -> Reading:
    """The figures of every indicator the map names (or only the one called ``only``)."""
    import polars as pl

    reading = Reading()
    positions = {name: table.column(name) for name in GEOGRAPHY}
    missing = [name for name in REQUIRED if positions[name] is None]
    if missing:
        reading.error(
            table,
            "missing-column",
            f"the header (row {table.header_row}) has no {' or '.join(missing)} column: a "
            f"published statistics file has {', '.join(GEOGRAPHY)}, then its measures.",
            table.header_row,
        )
        return reading
    indicators = [i for i in published.indicators if only is None or i.key == only]
    geo = _geography(table, positions, published.bare_years)
    frames = []
    for indicator in indicators:
        frame = _indicator(reading, table, published, indicator, geo)
        if frame is not None:
            frames.append(frame)
    _time_problems(reading, table, geo, positions)
    if reading.failed:
        return reading
    figures = pl.concat(frames) if frames else pl.DataFrame(schema=schema())
    others = [h for h in table.header if canon(h) not in {canon(g) for g in GEOGRAPHY}]
    check_duplicates(reading, table, figures, others)
    if not reading.failed:
        reading.figures = figures
    return reading


def _geography(table: RawTable, positions: dict[str, int | None], bare: BareYears) -> pl.DataFrame:
    """The rows at the three levels, with their year parsed and their geography named."""
    import polars as pl

    def col(name: str) -> pl.Expr:
        index = positions[name]
        if index is None:
            return pl.lit("", dtype=pl.String)
        return pl.col(f"c{index}").fill_null("").str.strip_chars()

    frame = table.frame.with_columns(col(name).alias(name) for name in GEOGRAPHY)
    # A file has a handful of levels and periods in thousands of rows: each distinct one is
    # parsed once, and joined back.
    levels = frame.select("geographic_level").unique()
    levels = levels.with_columns(
        canon_column(pl.col("geographic_level"))
        .replace_strict(LEVEL_NAMES, default=None)
        .alias("level")
    )
    times = frame.select("time_period", "time_identifier").unique()
    times = times.with_columns(parse_time(pl.col("time_period"), pl.col("time_identifier"), bare))
    return (
        frame.join(levels, on="geographic_level", how="left")
        .join(times, on=["time_period", "time_identifier"], how="left")
        .sort("row")
    )


def _indicator(
    reading: Reading,
    table: RawTable,
    published: PublishedMap,
    indicator: IndicatorMap,
    geo: pl.DataFrame,
) -> pl.DataFrame | None:
    import polars as pl

    if indicator.column is None:
        reading.error(
            table,
            "missing-column",
            f"the map gives indicator {indicator.code} no column: say which column holds "
            f'its figures, e.g. column = "{_measures(table)[0] if _measures(table) else "x"}".',
            table.header_row,
        )
        return None
    index = table.column(indicator.column)
    if index is None:
        reading.error(
            table,
            "missing-column",
            f"the map reads indicator {indicator.code} from column {indicator.column!r}, which "
            f"the file does not have.{_near(indicator.column, _measures(table))}",
            table.header_row,
        )
        return None
    rows = geo
    for name, wanted in indicator.where:
        where = table.column(name)
        if where is None:
            reading.error(
                table,
                "missing-column",
                f"the map picks indicator {indicator.code}'s rows by {name} = {wanted!r}, but "
                f"the file has no {name} column.{_near(name, _measures(table))}",
                table.header_row,
            )
            return None
        texts = canon_column(pl.col(f"c{where}").fill_null(""))
        picked = rows.filter(texts == canon(wanted))
        if picked.is_empty():
            values = rows.get_column(f"c{where}").unique(maintain_order=True).to_list()
            shown = ", ".join(repr(v) for v in values[:MAX_LISTED])
            reading.error(
                table,
                "missing-value",
                f"no row has {table.header[where]} = {wanted!r} (indicator {indicator.code}); "
                f"the file has {shown}{' …' if len(values) > MAX_LISTED else ''}.",
                table.header_row,
                where + 1,
            )
            return None
        rows = picked
    header = table.header[index]
    parsed = rows.filter(pl.col("level").is_not_null() & pl.col("year").is_not_null()).select(
        pl.col("row"),
        pl.col(f"c{index}").alias("text"),
        *parse(pl.col(f"c{index}")),
        pl.all().exclude("row", "^c\\d+$"),
    )
    check_values(
        reading,
        table,
        parsed.with_columns(pl.lit(index + 1).alias("column"), pl.lit(header).alias("header")),
    )
    left_out = rows.filter(pl.col("level").is_null())
    if left_out.height:
        levels = left_out.get_column("geographic_level").unique(maintain_order=True).to_list()
        reading.notes.append(
            f"{indicator.code}: {rows_are(left_out.height)} at other geographic levels "
            f"({', '.join(repr(v) for v in levels[:5])}), and not read"
        )
    la = pl.col("level") == "la"
    area = (
        pl.when(pl.col("level") == "national")
        .then(pl.col("country_code"))
        .when(pl.col("level") == "regional")
        .then(pl.col("region_code"))
        .when(pl.col("new_la_code") != "")
        .then(pl.col("new_la_code"))
        .otherwise(pl.col("old_la_code"))
    )
    named = (
        pl.when(pl.col("level") == "national")
        .then(pl.col("country_name").replace("", "England"))
        .when(pl.col("level") == "regional")
        .then(pl.col("region_name"))
        .otherwise(pl.col("la_name"))
    )
    return parsed.select(
        pl.lit(indicator.key).alias("key"),
        pl.lit(indicator.code).alias("code"),
        pl.col("year").cast(pl.Int32),
        pl.col("year_kind"),
        pl.lit("").alias("flag"),
        pl.col("level"),
        area.alias("area"),
        pl.when(la).then("old_la_code").otherwise(pl.lit("")).alias("old_la_code"),
        pl.when(la).then("new_la_code").otherwise(pl.lit("")).alias("new_la_code"),
        pl.col("region_code"),
        pl.col("region_name"),
        named.alias("name"),
        (pl.col("value") * indicator.scale).alias("value"),
        pl.col("symbol"),
        pl.col("row"),
        pl.lit(index + 1, dtype=pl.Int64).alias("column"),
    )


def _time_problems(
    reading: Reading, table: RawTable, geo: pl.DataFrame, positions: dict[str, int | None]
) -> None:
    import polars as pl

    at_level = geo.filter(pl.col("level").is_not_null())
    bad = at_level.filter(pl.col("time_problem") == "bad")
    column = (positions["time_period"] or 0) + 1
    for row, text in bad.head(MAX_LISTED).select("row", "time_period").iter_rows():
        reading.error(
            table,
            "bad-time-period",
            f"time_period {text!r} is not a year: write 2020 (with time_identifier "
            '"Reporting year") or 201920 ("Financial year", "Academic year").',
            row,
            column,
        )
    if bad.height > MAX_LISTED:
        reading.error(
            table,
            "bad-time-period",
            f"{bad.height - MAX_LISTED} more time_period cells are not years.",
            0,
            column,
        )
    other = at_level.filter(pl.col("time_problem") == "other")
    if other.height:
        kinds = other.get_column("time_identifier").unique(maintain_order=True).to_list()
        reading.notes.append(
            f"{rows_are(other.height)} for periods that are not financial, reporting or academic "
            f"years ({', '.join(repr(k) for k in kinds[:5])}), and not read"
        )


def _measures(table: RawTable) -> list[str]:
    """The file's columns other than geography and time: what a map can name."""
    geography = {canon(g) for g in GEOGRAPHY}
    return [h for h in table.header if h and canon(h) not in geography]


def _near(name: str, choices: list[str]) -> str:
    near = difflib.get_close_matches(name, choices, n=1, cutoff=0.6)
    if near:
        return f" Did you mean {near[0]!r}?"
    if choices:
        shown = ", ".join(repr(c) for c in choices[:8])
        return f" Its columns after the geography are {shown}{' …' if len(choices) > 8 else ''}."
    return ""
