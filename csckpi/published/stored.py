"""An import of published statistics as a store keeps it, and its standings read back.

``for_store(result, catalogue, ...)`` turns an :class:`ImportResult` into what
:meth:`csckpi.store.Store.ingest` takes (a read result with a Dataset): its benchmarks as
benchmark figures (the year their figure describes, the release as their source) and its
standings as standing figures (``dataset.STANDING_PARTS``, every one for every standing, so a
later import revises each). The indicators must be in the store's catalogue: a map's code the
catalogue does not have is an error, as a code on a workbook's other sheets is.

``standings_of(frame, indicators)`` reads a Dataset's standings back as :class:`Standing`
records for the comparison.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from csckpi.model import Indicator, Polarity, Problem, Severity, normalise_code
from csckpi.periods import fy_label
from csckpi.published.records import ImportResult, Release, Standing
from csckpi.published.symbols import CODES, meaning
from csckpi.published.years import DataYear

if TYPE_CHECKING:
    import polars as pl

    from csckpi.dataset import Dataset

#: How a standing's polarity is kept (a figure is a number).
POLARITY_CODES = {Polarity.UP: 1.0, Polarity.DOWN: -1.0, Polarity.NONE: 0.0}


@dataclass(frozen=True)
class StoredImport:
    """What :meth:`Store.ingest` takes, made from an import (``ReadResultLike``)."""

    dataset: Dataset | None
    problems: tuple[Problem, ...]
    sha256: str
    layout: str
    source: str
    result: ImportResult

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity is Severity.ERROR)


def for_store(
    result: ImportResult,
    catalogue: Sequence[Indicator],
    *,
    inputs: Sequence[Path] = (),
    store: str = "the store",
) -> StoredImport:
    """``result`` as an ingest for a store whose indicators are ``catalogue``.

    ``inputs`` are the files the import read besides the published file (its map, its
    neighbour list): the ingest's SHA-256 covers them all, so the same file read with another
    map is a new ingest, and the same three files again change nothing.
    """
    problems = list(result.problems)
    known = {i.key: i for i in catalogue}
    wanted = sorted({b.key for b in result.benchmarks} | {s.key for s in result.standings})
    codes = {s.key: s.code for s in result.standings} | {b.key: b.code for b in result.benchmarks}
    for key in wanted:
        if key not in known:
            code = codes[key]
            problems.append(_unknown(result, code, catalogue, store))
    if not catalogue:
        problems.append(
            Problem(
                result.source,
                0,
                0,
                Severity.ERROR,
                "no-catalogue",
                f"{store} has no indicators yet: ingest the performance workbook first, so the "
                "imported figures have indicators to belong to.",
            )
        )
    digest = hashlib.sha256(result.sha256.encode())
    for path in inputs:
        digest.update(hashlib.sha256(Path(path).read_bytes()).hexdigest().encode())
    errors = any(p.severity is Severity.ERROR for p in problems)
    dataset = None if errors else _dataset(result, known)
    return StoredImport(
        dataset=dataset,
        problems=tuple(sorted(problems)),
        sha256=digest.hexdigest(),
        layout=result.layout or "",
        source=result.source,
        result=result,
    )


def _unknown(
    result: ImportResult, code: str, catalogue: Sequence[Indicator], store: str
) -> Problem:
    import difflib

    codes = {i.key: i.code for i in catalogue}
    near = difflib.get_close_matches(normalise_code(code), list(codes), n=1, cutoff=0.6)
    hint = f" Did you mean '{codes[near[0]]}'?" if near else ""
    return Problem(
        result.source,
        0,
        0,
        Severity.ERROR,
        "unknown-code",
        f"the map's indicator {code} is not in {store}'s catalogue: name it as the workbook "
        f"does.{hint}",
    )


def _dataset(result: ImportResult, known: dict[str, Indicator]) -> Dataset:
    import polars as pl

    from csckpi.dataset import (
        Dataset,
        benchmark_schema,
        monthly_schema,
        reported_schema,
        standing_schema,
    )

    codes = pl.col("key").replace_strict(
        {k: i.code for k, i in known.items()}, default=pl.col("code"), return_dtype=pl.String
    )
    benchmarks = result.frame().select(list(benchmark_schema())).with_columns(code=codes)
    standings = pl.DataFrame(
        [row for s in result.standings for row in _standing_rows(s, known[s.key].code, result)],
        schema=standing_schema(),
        orient="row",
    )
    return Dataset(
        indicators=(),
        monthly=pl.DataFrame(schema=monthly_schema()),
        reported=pl.DataFrame(schema=reported_schema()),
        benchmarks=benchmarks,
        source=result.source,
        standings=standings,
    )


def _standing_rows(s: Standing, code: str, result: ImportResult) -> list[tuple[object, ...]]:
    """One row per part (``dataset.STANDING_PARTS``), every part always."""
    symbol = 0.0
    if s.rank is None and s.symbol in CODES:
        symbol = float(CODES.index(s.symbol) + 1)
    parts = {
        "rank": float(s.rank or 0),
        "of": float(s.of),
        "tied": float(s.tied),
        "quartile": float(s.quartile or 0),
        "withheld": float(s.withheld),
        "polarity": POLARITY_CODES[s.polarity],
        "symbol": symbol,
    }
    cell = s.where.rsplit("!", 1)[1] if "!" in s.where else ""
    return [
        (s.key, code, s.year.label, part, value, str(s.release), result.source, cell)
        for part, value in parts.items()
    ]


def standings_of(frame: pl.DataFrame) -> dict[tuple[str, str], Standing]:
    """A Dataset's standings (long, one row per part) as records, by (key, data year label).

    ``value`` (the council's own published figure) is not kept in a store: it is None; an
    unranked standing's ``symbol`` and ``reason`` say why it has no rank.
    """
    import polars as pl

    from csckpi.dataset import STANDING_PARTS

    if frame.height == 0:
        return {}
    wide = frame.pivot(
        on="part",
        index=["key", "code", "year", "source", "sheet", "cell"],
        values="value",
        aggregate_function="first",
    )
    for part in STANDING_PARTS:
        if part not in wide.columns:
            wide = wide.with_columns(pl.lit(None, dtype=pl.Float64).alias(part))
    by_code = {code: p for p, code in POLARITY_CODES.items()}
    out: dict[tuple[str, str], Standing] = {}
    for row in wide.iter_rows(named=True):  # one per indicator and year, not per figure
        start = int(str(row["year"])[:4])
        year = DataYear(start)
        rank = int(row["rank"] or 0)
        symbol_at = int(row["symbol"] or 0)
        symbol = CODES[symbol_at - 1] if 0 < symbol_at <= len(CODES) else None
        reason = None
        if not rank:
            said = meaning(symbol) if symbol else "withheld"
            reason = f"its published figure for {fy_label(start)} is {said}: it is not ranked"
        where = f"{row['sheet']}!{row['cell']}" if row["cell"] else str(row["sheet"] or "")
        out[(str(row["key"]), year.label)] = Standing(
            key=str(row["key"]),
            code=str(row["code"]),
            year=year,
            release=Release(str(row["source"] or "")),
            polarity=by_code.get(float(row["polarity"] or 0.0), Polarity.NONE),
            value=None,
            symbol=symbol,
            rank=rank or None,
            of=int(row["of"] or 0),
            tied=int(row["tied"] or 0),
            quartile=int(row["quartile"] or 0) or None,
            withheld=int(row["withheld"] or 0),
            reason=reason,
            where=where,
        )
    return out
