"""`csckpi children`, and what `csckpi ingest` and `compute --by` do with an Annex A extract.

The figures an extract gives are stored like a workbook's (counts only); the rows behind them
are personal data, so they are read from the extract again each time they are listed
(`children`) or broken down by team or worker (`compute --by`), never stored.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from csckpi.cli.common import (
    DEFAULT_STORE,
    StoreOption,
    app,
    err,
    format_option,
    handles_errors,
    store_ingest,
)
from csckpi.render.outputs_store import CHILDREN

if TYPE_CHECKING:
    from csckpi.records import Definitions

#: A store (csckpi.store.Store): the command line names only open_store from csckpi.store.
Store = Any

MapOption = Annotated[
    Path | None,
    typer.Option(
        "--map",
        metavar="<file.toml>",
        help="An Annex A extract: the council's map of its codes to the measures, and its own "
        "measures (docs/records.md). Without one, every shipped measure under its own code.",
    ),
]
AsAtOption = Annotated[
    str | None,
    typer.Option(
        "--as-at",
        metavar="<dd/mm/yyyy>",
        help="An Annex A extract: the day it was produced (default: the latest date in its "
        "lists that is not after today).",
    ),
]
SinceOption = Annotated[
    str | None,
    typer.Option(
        "--since",
        metavar="<month>",
        help="An Annex A extract: the first month to derive (default: the six whole months "
        "before its date).",
    ),
]
RecordsOption = Annotated[
    Path | None,
    typer.Option(
        "--records",
        metavar="<file>",
        help="The Annex A extract to read (default: the one the figures were ingested from, "
        "if it is where it was and unchanged).",
    ),
]


def parse_date(text: str | None, option: str) -> dt.date | None:
    """`31/12/2020` or `2020-12-31`; anything else is a usage error."""
    if text is None:
        return None
    for form in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(text.strip(), form).date()
        except ValueError:
            continue
    raise typer.BadParameter(f"{text!r} is not a date: write it as 31/12/2020.", param_hint=option)


def parse_month(text: str | None, option: str) -> dt.date | None:
    """A month as --period takes it (`Apr-20`, `2020-04`): its first day."""
    if text is None:
        return None
    from csckpi.errors import PeriodError
    from csckpi.periods import PeriodKind, parse_period

    try:
        period = parse_period(text)
    except PeriodError as exc:
        raise typer.BadParameter(str(exc), param_hint=option) from None
    if period.kind is not PeriodKind.MONTH:
        raise typer.BadParameter(f"{text!r} is not a month, e.g. Apr-20.", param_hint=option)
    return period.first.date


def ingest_extract(
    path: Path,
    *,
    store: str,
    map_file: Path | None,
    as_at: str | None,
    since: str | None,
    dry_run: bool,
    strict: bool,
    verbose: bool,
    fmt: str,
) -> None:
    """`csckpi ingest` of an Annex A workbook or CSV folder: derive, then store the figures
    (counts only) in one go, or nothing."""
    from csckpi.errors import StoreError
    from csckpi.records import load_definitions, read_extract
    from csckpi.render.formats import emit
    from csckpi.render.outputs_store import INGEST, Ingested
    from csckpi.render.problems import grouped, ignored_lines, print_problems
    from csckpi.store import open_store

    chosen = INGEST[fmt]
    found = open_store(store)
    try:
        held = found.load()
        catalogue, context = held.indicators, held.context
    except StoreError:  # a new store: the definitions give every indicator
        catalogue, context = (), None
    definitions = load_definitions(map_file).with_sheet(catalogue)
    extract = read_extract(
        path,
        definitions,
        as_at=parse_date(as_at, "'--as-at'"),
        since=parse_month(since, "'--since'"),
        context=context,
        catalogue=catalogue,
    )
    if not chosen.machine:
        print_problems(extract.problems if verbose else grouped(extract.problems))
        for line in ignored_lines(extract.ignored, extract.notes[1:]) if verbose else ():
            err(line)
    summary = store_ingest(found, extract, dry_run=dry_run, strict=strict, file=extract.source)
    said = [f"Extract date {extract.as_at:%d/%m/%Y}" + _as_at_said(extract)]
    said += [f"Note: {extract.as_at_doubt}"] if extract.as_at_doubt else []
    said += [f"Not derived: {s.code}: {s.reason}" for s in extract.derived.skipped]
    said += grouped_notes(extract.derived.notes, {t.code for t in definitions.targets})
    said += left_out_lines(extract.derived.exclusions)
    emit(chosen, Ingested(extract.problems, summary, extract.ignored, extract.notes, verbose, said))
    if not summary.ok:
        raise typer.Exit(1)


def grouped_notes(notes: Any, codes: set[str]) -> list[str]:
    """The derivation's notes, a note said of several codes once: `Note: 253 referrals dated
    before April 2020 are outside the months derived (CSC 034, CSC 032)`."""
    said: dict[str, list[str]] = {}
    for note in notes:
        code, _, rest = note.partition(": ")
        if code in codes and rest:
            said.setdefault(rest, []).append(code)
        else:
            said.setdefault(note, [])
    return [f"Note: {text}" + (f" ({', '.join(c)})" if c else "") for text, c in said.items()]


def left_out_lines(exclusions: Any) -> list[str]:
    """What the measures left out, once per list and reason, with the codes it was left out
    of: `Left out: 12 assessments without a ... (CSC 036, CSC 038)`."""
    from csckpi.records.lists import BY_NUMBER

    codes: dict[tuple[int, str, int], list[str]] = {}
    for e in exclusions:
        codes.setdefault((e.list, e.reason, e.rows), []).append(e.code)
    return [
        f"Left out: {BY_NUMBER[number].rows(rows)} {reason} ({', '.join(names)})"
        for (number, reason, rows), names in codes.items()
    ]


def _month(key: str) -> str:
    """`2020-12` -> `Dec-20`."""
    return f"{dt.date.fromisoformat(key + '-01'):%b-%y}"


def _as_at_said(extract: Any) -> str:
    """How the extract date was found: given, or the latest date in the lists and its cell
    (a date typed a year ahead moves it, and every month derived, so where it is is said)."""
    if extract.as_at_given:
        return ""
    at = f", {extract.as_at_cell}" if extract.as_at_cell else ""
    return f" (the latest date in its lists{at}; --as-at gives another)"


@dataclass(frozen=True)
class Stored:
    """What the store says of a code's records figures: the measure, the extract and its date."""

    target: Any  # csckpi.records.Target
    path: Path
    as_at: dt.date | None
    months: frozenset[str] | None = None  # the months (`2020-12`) its figures are for, if any


def _stored_target(found: Store, definitions: Definitions, code: str) -> tuple[Any, Any, Any]:
    """(target, provenance, latest records figure) of ``code``: the measure from the map,
    else the one its stored figures name; the latest figure is None when it has none."""
    import polars as pl

    from csckpi.records import DefinitionError
    from csckpi.records.definitions import Target
    from csckpi.records.extract import Provenance

    indicator = found.resolve(code)
    figures = found.figures(indicator.key).filter((pl.col("kind") == "records") & pl.col("current"))
    latest = figures.sort("ingest_id").row(-1, named=True) if figures.height else None
    said = Provenance.parse(latest["source"]) if latest else None
    try:
        target = definitions.target(indicator.code)
    except DefinitionError:
        if said is None:
            raise _not_derived(found, indicator.code, mapped=False) from None
        try:
            measure = definitions.target(said.measure).definition
        except DefinitionError:  # a council's own measure: its file says what it is
            raise DefinitionError(
                f"{indicator.code}'s figures were counted by '{said.measure}', a measure of "
                "the map file the extract was ingested with, not one csckpi ships.",
                "Give that file with --map FILE.",
            ) from None
        target = Target(indicator.code, measure, said.ytd)
    return target, said, latest


def _not_derived(found: Store, code: str, *, mapped: bool, ytd: bool = False) -> Exception:
    """Why ``code`` has no records figures to list the rows of, and what to do: the extract
    was never ingested, or it was and did not derive the code (a map without it, or a year to
    date without its April)."""
    from csckpi.errors import StoreError

    extracts = [r for r in found.ingests() if r.get("layout") == "annex-a"]
    if not extracts:
        return StoreError(
            f"{code} has no figures from an Annex A extract in {found.location}.",
            "Ingest the extract first (csckpi ingest annex-a.xlsx --map MAP), "
            "or give it with --records FILE.",
        )
    last = extracts[-1]
    said = (
        f"{code} has no figures from the Annex A extract ingested into {found.location} "
        f"({Path(last['file']).name}, ingest {last['id']})"
    )
    if not mapped:
        return StoreError(
            said + ", and no map says which measure it is.",
            "Give the map that maps it with --map FILE, and ingest the extract again with it "
            "to store its figures (or list the rows with --records FILE as well).",
        )
    if ytd:
        return StoreError(
            said + ": it is a year to date, and a year to date is derived only when the "
            "months derived start in its April (the ingest's notes said so).",
            "Ingest the extract again with --since and that April (--since Apr-20 for "
            "2020/21), or list the rows anyway with --records FILE.",
        )
    return StoreError(
        said + ": that ingest did not derive it (its map did not map it, or the extract lacks "
        "a list or column it needs: the ingest said which).",
        "Ingest the extract again with this map, or list the rows anyway with --records FILE.",
    )


def stored_extract(found: Store, definitions: Definitions, code: str, given: Path | None) -> Stored:
    """The measure behind ``code`` and the extract its figures came from: ``given``, else the
    file its latest records ingest names, if it is still there and unchanged (else a
    StoreError saying so); the measure from the map, else the one the figures name."""
    from csckpi.errors import StoreError
    from csckpi.records.read import sha256_of

    target, said, latest = _stored_target(found, definitions, code)
    if latest is None:
        if given is not None:
            return Stored(target, given, None)
        raise _not_derived(found, target.code, mapped=True, ytd=target.ytd)
    ingest_id = int(latest["ingest_id"])
    row = next(r for r in found.ingests() if r["id"] == ingest_id)
    stored, sha256 = Path(row["file"]), row["sha256"]
    as_at = said.as_at if said is not None else None
    months = _months(found, target.code)
    if given is not None:
        if given.exists() and sha256_of(given) != sha256:
            err(
                f"csckpi: {given} is not the extract {target.code}'s figures came from "
                f"({stored.name}, ingest {ingest_id}): its rows may not match them."
            )
        return Stored(target, given, as_at, months)
    if not stored.exists():
        raise StoreError(
            f"{target.code}'s figures came from {stored} (ingest {ingest_id}), which is no "
            "longer there.",
            "Give the extract with --records FILE.",
        )
    if sha256_of(stored) != sha256:
        raise StoreError(
            f"{stored} has changed since {target.code}'s figures came from it (ingest "
            f"{ingest_id}): its SHA-256 is not the one ingested.",
            "Ingest it again, or give the extract the figures came from with --records FILE.",
        )
    return Stored(target, stored, as_at, months)


def _months(found: Store, code: str) -> frozenset[str]:
    """The months (`2020-12`) the store holds ``code``'s records figures for."""
    import polars as pl

    figures = found.figures(found.resolve(code).key)
    current = figures.filter((pl.col("kind") == "records") & pl.col("current"))
    return frozenset(current.get_column("period").to_list())


def dataset_by(
    store: str,
    field: str,
    *,
    codes: list[str],
    sections: list[str],
    map_file: Path | None,
    records: Path | None,
    as_at: str | None,
) -> Any:
    """`compute --by team`: the store's record-level codes (those asked for), derived again
    from their extract team by team, as a Dataset compute takes (csckpi.records.breakdown)."""
    from csckpi.compare import select
    from csckpi.errors import StoreError
    from csckpi.records import load_definitions
    from csckpi.records.breakdown import by_group
    from csckpi.records.read import read_records
    from csckpi.store import open_store

    found = open_store(store)
    held = found.load()
    definitions = load_definitions(map_file)
    with_records = set() if held.records is None else set(held.records.get_column("key").unique())
    chosen = [i for i in select(held, codes, sections) if i.key in with_records]
    if not chosen:
        raise StoreError(
            "None of the indicators asked for has figures from an Annex A extract in "
            f"{found.location}: --by breaks down record-level figures only.",
            "Ingest the extract first (csckpi ingest annex-a.xlsx --map MAP).",
        )
    first = stored_extract(found, definitions, chosen[0].code, records)
    targets = [first.target] + [_stored_target(found, definitions, i.code)[0] for i in chosen[1:]]
    needs: dict[int, set[str]] = {}
    for number, fields in definitions.needs(targets).items():
        needs[number] = set(fields) | {field}
    extract = read_records(first.path, needs)
    when = parse_date(as_at, "'--as-at'") or first.as_at
    if when is None:
        from csckpi.records.extract import latest_date

        when = latest_date(extract, dt.date.today()) or dt.date.today()
    missing = [t.code for t in targets if t.definition.annex.field(field) is None]
    if missing:
        err(f"csckpi: {', '.join(missing)}: the list has no {field}, so no breakdown.")
    targets = [t for t in targets if t.code not in missing]
    return by_group(
        extract,
        definitions,
        targets,
        field=field,
        as_at=when,
        catalogue=held.indicators,
        context=held.context,
    )


@app.command()
@handles_errors
def children(
    indicator: Annotated[str, typer.Argument(help="An indicator code from the records (CSC038).")],
    period: Annotated[
        str,
        typer.Option(
            "--period",
            "-p",
            metavar="<period>",
            help="A month (Dec-20), a quarter (Q3 2020/21), a year to date (2020/21 YTD, to the "
            "extract's month) or a year.",
        ),
    ],
    missed: Annotated[
        bool,
        typer.Option(
            "--missed",
            help="Only the rows that count against a percentage (late, when higher is better; "
            "3 or more placements, when lower is). Not for a count.",
        ),
    ] = False,
    records: RecordsOption = None,
    map_file: MapOption = None,
    as_at: AsAtOption = None,
    store: StoreOption = DEFAULT_STORE,
    fmt: Annotated[str, format_option(CHILDREN)] = CHILDREN.default.name,
) -> None:
    """The children's records behind a figure: ID, dates, working days, team, worker.

    Personal data: read from the Annex A extract each time, written to standard output only,
    never stored or put in a report."""
    from csckpi.errors import PeriodError, PeriodTypo, StoreError, UnknownIndicator, WorkbookError
    from csckpi.periods import Month, Period, parse_period
    from csckpi.records import PERSONAL_DATA_NOTICE, behind, load_definitions, needs_for_drill
    from csckpi.records.drill import can_miss, why_no_missed
    from csckpi.records.extract import latest_date
    from csckpi.records.read import read_records
    from csckpi.render.formats import emit
    from csckpi.render.outputs_store import Children
    from csckpi.store import open_store

    definitions = load_definitions(map_file)
    try:
        chosen = stored_extract(open_store(store), definitions, indicator, records)
    except (StoreError, UnknownIndicator):
        if records is None:
            raise
        chosen = Stored(definitions.target(indicator), records, None)  # no store: the map says
    target, path = chosen.target, chosen.path
    if missed and not can_miss(target):
        raise typer.BadParameter(
            f"{target.code}: {why_no_missed(target)}, so none of its rows misses a measure. "
            "List them without --missed.",
            param_hint="'--missed'",
        )
    try:  # a mistyped period is said before the extract is read
        parse_period(period)
    except PeriodTypo:
        raise
    except PeriodError:  # `YTD`, `Q3`: they need the extract's month
        pass
    extract = read_records(path, needs_for_drill(definitions, target))
    when = parse_date(as_at, "'--as-at'") or chosen.as_at or latest_date(extract, dt.date.today())
    if when is None:
        raise WorkbookError(
            f"{path} has no dates in {target.definition.annex.title}.",
            "Give the extract's date with --as-at.",
        )
    wanted = parse_period(period, Month.from_date(when))  # a year to date: to the extract's month
    months = [m.date for m in wanted.months()]
    if target.ytd:  # a year to date's figure is counted from April
        months = [m.date for m in Period.of_ytd(wanted.fy, wanted.last).months()]
    if months[-1] > when:
        raise WorkbookError(
            f"{wanted.label} is after the extract's date ({when:%d/%m/%Y}).",
            "Give a period the extract covers, or its date with --as-at.",
        )
    rows = behind(extract, target, months, as_at=when, missed=missed)
    timescale = any(c.startswith("working_days") for c in rows.columns)
    what = "behind the figure"
    if missed:
        counts = "counts" if rows.height == 1 else "count"
        what = "missed the timescale" if timescale else f"{counts} against the measure"
    label = wanted.label
    if target.ytd:
        label = f"{wanted.label} (the year to date, {months[0]:%b-%y} to {months[-1]:%b-%y})"
    held = sorted(chosen.months or ())
    unheld = chosen.months is not None and f"{months[-1]:%Y-%m}" not in chosen.months
    if unheld and not missed:
        what = "in the extract"  # no figure of the store's is behind them
    title = (
        f"{target.code} {label}: {rows.height:,} "
        f"{target.definition.annex.noun[rows.height != 1]} {what} "
        f"({target.definition.code}, {path.name}, extract date {when:%d/%m/%Y})"
    )
    if unheld:
        runs = f" (they run {_month(held[0])} to {_month(held[-1])})" if held else ""
        title += f"; the store holds no {months[-1]:%b-%y} figure from the records{runs}"
    emit(CHILDREN[fmt], Children(rows, title, PERSONAL_DATA_NOTICE))
