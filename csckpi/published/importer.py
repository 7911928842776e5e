"""Import one published file: read it in whichever layout it is in, find the council, derive.

The layouts are a registry (:data:`LAYOUTS`): each knows its header row and reads its
table into the shared figures frame (:mod:`csckpi.published.figures`).
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from csckpi.model import Polarity, Problem, Severity, normalise_code
from csckpi.published import dfe, lait
from csckpi.published.figures import Reading
from csckpi.published.mapping import PublishedMap, read_map
from csckpi.published.neighbours import NeighbourList, read_neighbours
from csckpi.published.records import Council, ImportResult, Layout
from csckpi.published.tables import RawTable, Unreadable, read_table

if TYPE_CHECKING:
    import polars as pl


@dataclass(frozen=True)
class LayoutReader:
    name: str  # as a message names it
    header: str  # what its header row has, as a message says it
    is_header: Callable[[list[str]], bool]
    read: Callable[[RawTable, PublishedMap, str | None], Reading]


LAYOUTS: dict[Layout, LayoutReader] = {
    "dfe": LayoutReader(
        "the Department for Education's published statistics layout",
        "time_period, time_identifier and geographic_level",
        dfe.is_header,
        dfe.read,
    ),
    "lait": LayoutReader(
        "the benchmarking tool's (LAIT) export",
        "LA Number, LA and Regions and a column per year",
        lait.is_header,
        lait.read,
    ),
}


def any_header(cells: list[str]) -> bool:
    return any(layout.is_header(cells) for layout in LAYOUTS.values())


def import_published(
    path: Path,
    mapping: PublishedMap | Path,
    *,
    indicator: str | None = None,
    polarities: Mapping[str, Polarity] | None = None,
) -> ImportResult:
    """Read the published file at ``path`` as the map says; derive the council's benchmarks
    (England, region, statistical neighbours) and its rank and quartile for every indicator
    and year. ``indicator`` picks one of the map's indicators (a benchmarking-tool export
    holds one); ``polarities`` (indicator code -> polarity, e.g. from the workbook's
    catalogue) overrides the map's. Never raises for bad input: with errors the result has
    problems and no benchmarks."""
    path = Path(path)
    problems: list[Problem] = []
    if isinstance(mapping, PublishedMap):
        published: PublishedMap | None = mapping
    else:
        published, found = read_map(Path(mapping))
        problems += found
    if published is None:
        return _failed(path, problems)
    only = normalise_code(indicator) if indicator else None
    if only is not None and only not in {i.key for i in published.indicators}:
        codes = ", ".join(i.code for i in published.indicators)
        problems.append(
            Problem(
                published.source,
                0,
                0,
                Severity.ERROR,
                "unknown-indicator",
                f"the map has no indicator {indicator} (it has {codes}).",
            )
        )
        return _failed(path, problems)
    try:
        table = read_table(path, any_header)
    except Unreadable as exc:
        problems.append(Problem(path.name, 0, 0, Severity.ERROR, "unreadable", str(exc)))
        return _failed(path, problems)
    layout = next((name for name, r in LAYOUTS.items() if r.is_header(table.header)), None)
    if layout is None:
        problems.append(_unknown_layout(table))
        return _failed(path, problems, table)
    reading = LAYOUTS[layout].read(table, published, only)
    problems += reading.problems
    notes = table.notes + reading.notes
    if reading.figures is None:
        return _failed(path, problems, table, layout, notes)
    council = _council(reading.figures, published, table, layout, problems)
    listing = None
    if council is not None and published.neighbours is not None:
        listing, listed = read_neighbours(
            published.neighbours, council.old_la_code, council.new_la_code
        )
        problems += listed
        if listing is not None and not published.neighbours.version:
            notes.append(
                f"the map gives the statistical-neighbour list no version: it is called by its "
                f"file name, {listing.version!r}"
            )
        if listing is not None and not council.region_name and listing.region:
            council = _with_region(council, listing.region)
    if council is None or any(p.severity is Severity.ERROR for p in problems):
        return _failed(path, problems, table, layout, notes)
    return _derived(
        path,
        table,
        layout,
        published,
        reading.figures,
        council,
        listing,
        polarities or {},
        problems,
        notes,
    )


def _derived(
    path: Path,
    table: RawTable,
    layout: Layout,
    published: PublishedMap,
    figures: pl.DataFrame,
    council: Council,
    listing: NeighbourList | None,
    polarities: Mapping[str, Polarity],
    problems: list[Problem],
    notes: list[str],
) -> ImportResult:
    from csckpi.published.derive import Context, derive
    from csckpi.published.years import DataYear, YearKind

    given = {normalise_code(code): p for code, p in polarities.items()}
    polarity: dict[str, Polarity] = {}
    for entry in published.indicators:
        chosen = given.get(entry.key, entry.polarity)
        if chosen is None:
            notes.append(
                f"{entry.code}: no polarity in the map: councils are placed highest first, "
                "with no best, worst or quartile"
            )
            chosen = Polarity.NONE
        polarity[entry.key] = chosen
    context = Context(
        file=table.where,
        council=council,
        release=published.release,
        polarity=polarity,
        snapshot={entry.key: entry.snapshot for entry in published.indicators},
        order=tuple(entry.key for entry in published.indicators),
        match=(
            ("new_la_code", published.new_la_code)
            if published.new_la_code
            else ("old_la_code", published.old_la_code or "")
        ),
        neighbours=listing,
    )
    derived = derive(figures, context)
    problems += derived.problems
    years = figures.select("year", "year_kind").unique().sort("year").iter_rows()
    return ImportResult(
        source=path.name,
        sha256=table.sha256,
        layout=layout,
        release=published.release,
        council=council,
        benchmarks=tuple(derived.benchmarks),
        standings=tuple(derived.standings),
        problems=tuple(sorted(problems)),
        notes=tuple(notes + derived.notes),
        neighbours=listing.version if listing else "",
        years=tuple(DataYear(start, YearKind(kind)) for start, kind in years),
    )


def _failed(
    path: Path,
    problems: list[Problem],
    table: RawTable | None = None,
    layout: Layout | None = None,
    notes: list[str] | None = None,
) -> ImportResult:
    return ImportResult(
        source=path.name,
        sha256=table.sha256 if table else "",
        layout=layout,
        release=None,
        council=None,
        benchmarks=(),
        standings=(),
        problems=tuple(sorted(problems)),
        notes=tuple(notes or ()),
    )


def _unknown_layout(table: RawTable) -> Problem:
    first = ", ".join(repr(c) for c in table.header[:6] if c) or "nothing"
    more = " …" if len(table.header) > 6 else ""
    layouts = " nor ".join(f"{r.name} (a header row with {r.header})" for r in LAYOUTS.values())
    return Problem(
        table.where,
        table.header_row,
        0,
        Severity.ERROR,
        "unknown-layout",
        f"this file is in neither layout csckpi reads: it is not {layouts}. Its first row "
        f"has {first}{more}.",
    )


def _council(
    figures: pl.DataFrame,
    published: PublishedMap,
    table: RawTable,
    layout: Layout,
    problems: list[Problem],
) -> Council | None:
    import polars as pl

    la = figures.filter(pl.col("level") == "la")
    by_new = published.new_la_code is not None
    field = "new_la_code" if by_new else "old_la_code"
    code = published.new_la_code or published.old_la_code or ""
    at = table.column(field) if layout == "dfe" else _lait_code_column(table)
    if layout == "lait" and by_new:
        problems.append(
            Problem(
                published.source,
                0,
                0,
                Severity.ERROR,
                "unknown-council",
                f"the benchmarking tool's export names councils by LA Number (the three-digit "
                f"old_la_code), not {code}: name the council by old_la_code in the map.",
            )
        )
        return None
    rows = la.filter(pl.col(field) == code).sort("year", descending=True)
    if rows.is_empty():
        known = la.select(field, "name").unique().sort(field)
        names = dict(known.iter_rows())
        near = difflib.get_close_matches(code, list(names), n=1, cutoff=0.5)
        hint = f" Did you mean {near[0]} ({names[near[0]]})?" if near else ""
        problems.append(
            Problem(
                table.where,
                0,
                (at or -1) + 1,
                Severity.ERROR,
                "unknown-council",
                f"the map's council ({field} {code}) is not in this file: none of its "
                f"{len(names)} councils has that {field}.{hint}",
            )
        )
        return None
    latest = rows.row(0, named=True)
    region_name = latest["region_name"] or (published.region or "")
    region_code = latest["region_code"] or lait.region_code(region_name)
    return Council(
        name=latest["name"],
        old_la_code=latest["old_la_code"] or "",
        new_la_code=latest["new_la_code"] or "",
        region_code=region_code,
        region_name=region_name,
    )


def _with_region(council: Council, region: str) -> Council:
    return Council(
        council.name, council.old_la_code, council.new_la_code, lait.region_code(region), region
    )


def _lait_code_column(table: RawTable) -> int | None:
    from csckpi.published.tables import canon

    return next((i for i, h in enumerate(table.header) if canon(h) in lait.CODE_HEADERS), None)
