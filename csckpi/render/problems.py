"""What `csckpi ingest` says: the workbook's problems and the summary of what was stored.

Problems go to stderr (a rich table on a terminal, one `severity: Sheet!Cell: message` line
each otherwise); the summary goes to stdout. ``--format json`` puts both in one JSON document
on stdout for scripts.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Sequence
from typing import Any

from csckpi.model import Problem, Severity
from csckpi.render.tables import to_json
from csckpi.store import Change, IngestSummary, Outcome
from csckpi.store.records import Staleness


def ordered(problems: Iterable[Problem]) -> list[Problem]:
    """By sheet, row and column (each line says whether it is an error or a warning)."""
    return sorted(problems)


def problem_lines(problems: Iterable[Problem]) -> list[str]:
    """`error: Monthly!K14: "n/a " is not a number — left blank`, one per problem."""
    return [f"{p.severity.value}: {p}" for p in ordered(problems)]


def print_problems(problems: Sequence[Problem], *, terminal: bool | None = None) -> None:
    """Every problem on stderr: a table on a terminal, plain lines otherwise."""
    if not problems:
        return
    if terminal is None:
        terminal = sys.stderr.isatty()
    if not terminal:
        sys.stderr.write("".join(line + "\n" for line in problem_lines(problems)))
        return
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    table = Table(box=None, show_header=True, header_style="bold", pad_edge=False)
    table.add_column("")
    table.add_column("Where", no_wrap=True)
    table.add_column("Problem")
    for p in ordered(problems):
        style = "bold red" if p.severity is Severity.ERROR else "yellow"
        table.add_row(Text(p.severity.value, style=style), p.location, p.message)
    Console(stderr=True, highlight=False).print(table)


def ignored_lines(ignored: Iterable[str], notes: Iterable[str] = ()) -> list[str]:
    """What --verbose adds: sheets and columns not read, then notes on how the rest was read."""
    return [f"ignored: {item}" for item in ignored] + [f"note: {item}" for item in notes]


def of_file(s: IngestSummary) -> str:
    """ " of darlington-2020-21-q3.xlsx" when the same bytes were ingested under another name
    (the earlier ingest's, which the store's history and `csckpi changes` show); "" when the
    name is the same."""
    if s.earlier_file is None or s.earlier_file == s.file:
        return ""
    return f" of {s.earlier_file}"


def count(n: int, word: str) -> str:
    return f"{n:,} {word}" + ("" if n == 1 else "s")


def _month(iso: str | None) -> str:
    if not iso:
        return ""
    from csckpi.periods import Month

    year, month = iso.split("-")
    return Month(int(year), int(month)).short


def _months(held: int, first: str | None, last: str | None) -> str:
    """`13 (Dec-19 to Dec-20)` when every month between holds figures; else what the count
    counts: `10 with figures, Dec-19 to Dec-20 (3 of its 13 months have none)`."""
    if not (first and last):
        return f"{held:,}"
    (y1, m1), (y2, m2) = ((int(p) for p in iso.split("-")[:2]) for iso in (first, last))
    span = (y2 - y1) * 12 + m2 - m1 + 1
    between = f"{_month(first)} to {_month(last)}"
    if held >= span:
        return f"{held:,} ({between})"
    return f"{held:,} with figures, {between} ({span - held:,} of its {span:,} months have none)"


def when(iso: str | None) -> str:
    """`2026-11-26T14:41:12Z` -> `2026-11-26 14:41 UTC`."""
    if not iso:
        return ""
    return iso.replace("T", " ")[:16] + " UTC"


#: Revised figures listed in the summary without --verbose.
SHOWN_CHANGES = 10


def summary_text(
    summary: IngestSummary, *, verbose: bool = False, blanks: int = 0, over: Sequence[str] = ()
) -> str:
    """The closing summary of an ingest, for people; revised figures listed after it."""
    s = summary
    if s.outcome is Outcome.REFUSED:
        what = count(s.errors, "error")
        why = " (warnings count as errors with --strict)" if s.strict else ""
        return (
            f"Nothing written to {s.store}: {s.file} has {what}{why}, listed above.\n"
            "Fix them in the workbook and run csckpi ingest again.\n"
        )
    if s.outcome is Outcome.ALREADY:
        return (
            f"{s.file} is already in {s.store} (ingest {s.ingest_id}{of_file(s)}, "
            f"{when(s.ingested_at)}, same SHA-256): nothing changed.\n"
        )
    if s.outcome is Outcome.STALE:
        return stale_text(s, verbose=verbose)
    if s.outcome is Outcome.DRY_RUN:
        head = f"Dry run: nothing written to {s.store}. Ingesting {s.file} would give:\n"
    else:
        head = f"Ingested {s.file} into {s.store} (ingest {s.ingest_id}, {when(s.ingested_at)}).\n"
    months = _months(s.months, s.first_month, s.last_month)
    rows = [
        ("Indicators", f"{s.indicators:,}"),
        ("Months", months),
        (
            "Figures",
            f"{s.added:,} added, {s.revised:,} revised, {s.unchanged:,} unchanged",
        ),
    ]
    if s.kept:
        rows.append(
            (
                "Kept",
                f"{count(s.kept, 'figure')} this file does not give, kept from earlier ingests",
            )
        )
    if s.comments:
        rows.append(("Comments", f"{count(s.comments, 'comment')} new or changed on Commentary"))
    rows.append(("Warnings", f"{s.warnings:,}"))
    if blanks:
        listed = "listed above" if verbose else "--verbose lists them"
        rows.append(("Blank", f'{count(blanks, "cell")} holding "n/a", "-" or similar ({listed})'))
    if over:  # said without --verbose: a blank does not remove the figure it is typed over
        shown = ", ".join(over[:3]) + (f" and {len(over) - 3:,} more" if len(over) > 3 else "")
        what = "a figure the store keeps" if len(over) == 1 else "figures the store keeps"
        cells = count(len(over), '"n/a" cell')
        rows.append(("Typed over", f"{cells} over {what}: {shown}"))
    if s.stale is not None:  # written (or a dry run) with --force
        rows.append(("Forced", _why_stale(s.stale, s.file)))
    return (
        head
        + "".join(f"  {label:<11} {value}\n" for label, value in rows)
        + changes_text(s, verbose)
    )


def _why_stale(stale: Staleness, file: str) -> str:
    """`its latest month is Nov-20; the store already holds Dec-20 (ingest 2, dec.xlsx)`."""
    parts = []
    if stale.older:
        parts.append(
            f"its latest month is {_month(stale.last_month)}; the store already holds "
            f"{_month(stale.store_last_month)} (ingest {stale.store_ingest}, {stale.store_file})"
        )
    if stale.reverts:
        parts.append(
            f"it sets {count(len(stale.reverts), 'figure')} back to "
            f"{'a value' if len(stale.reverts) == 1 else 'values'} a later ingest revised"
        )
    return f"{file} is older than the store: " + ", and ".join(parts)


def stale_text(s: IngestSummary, *, verbose: bool = False) -> str:
    """Why a stale workbook was refused, and every figure it would set back (with its cell
    and the ingest that brought the value it would replace)."""
    from csckpi.numbers import exact

    assert s.stale is not None
    stale = s.stale
    lines = [f"Nothing written to {s.store}: {_why_stale(stale, s.file)}."]
    reverted = {r.change for r in stale.reverts}
    others = [c for c in s.changes if c not in reverted]

    def listed(items: Sequence[tuple[Change, str]], head: str) -> None:
        if not items:
            return
        lines.append(head)
        shown = items if verbose else items[:SHOWN_CHANGES]
        lines.extend(
            f"  {c.label}: {exact(c.old)} → {exact(c.new)}"
            + (f" ({c.location})" if c.location else "")
            + tail
            for c, tail in shown
        )
        if len(shown) < len(items):
            lines.append(f"  … and {len(items) - len(shown):,} more (--verbose lists them all)")

    listed(
        [(r.change, f", back from ingest {r.since} ({r.since_file})") for r in stale.reverts],
        f"It would set back {count(len(stale.reverts), 'figure')} to an earlier value:",
    )
    listed(
        [(c, "") for c in others],
        f"It would {'also ' if stale.reverts else ''}revise {count(len(others), 'figure')}:",
    )
    if not s.changes:
        lines.append("It revises no figure; its months are all in the store already.")
    lines.append(
        "If this is the workbook you mean to load, run csckpi ingest again with --force; "
        "otherwise ingest the latest workbook."
    )
    return "\n".join(lines) + "\n"


def changes_text(s: IngestSummary, verbose: bool) -> str:
    if not s.changes:
        return ""
    from csckpi.numbers import exact

    verb = "would be revised" if s.outcome is Outcome.DRY_RUN else "revised"
    shown = s.changes if verbose else s.changes[:SHOWN_CHANGES]
    lines = [f"{count(len(s.changes), 'figure')} {verb}:"]
    lines += [
        f"  {c.label}: {exact(c.old)} → {exact(c.new)}"
        + (
            f", {c.old_source or 'none'} → {c.new_source or 'none'}"
            if c.old_source != c.new_source
            else ""
        )
        + (f" ({c.location})" if c.location else "")
        for c in shown
    ]
    if len(shown) < len(s.changes):
        lines.append(f"  … and {len(s.changes) - len(shown):,} more (--verbose lists them all)")
    return "\n".join(lines) + "\n"


def ingest_json(
    problems: Sequence[Problem],
    summary: IngestSummary | None,
    ignored: Sequence[str] = (),
    notes: Sequence[str] = (),
    said: Sequence[str] = (),
    *,
    blanks: Sequence[Any] = (),
    over: Sequence[str] = (),
) -> str:
    """Problems (with each "n/a"-style cell as a note), summary, and what was ignored, as one
    JSON document for scripts (with ``left_out``, what an Annex A extract's measures left
    out, when there is any, and ``over``, the n/a cells where the store keeps a figure)."""
    document: dict[str, object] = {
        "problems": [p.as_dict() for p in ordered(problems)] + [b.as_dict() for b in blanks],
        "summary": summary.as_dict() if summary is not None else None,
        "ignored": list(ignored),
        "notes": list(notes),
    }
    if said:
        document["left_out"] = list(said)
    if over:
        document["over"] = list(over)
    return to_json(document)


def grouped(problems: Iterable[Problem]) -> list[Problem]:
    """Errors one by one; warnings one per sheet and kind, at the first cell, saying how many
    more there are (an extract of 200,000 rows may have thousands: --verbose lists them)."""
    out: list[Problem] = []
    groups: dict[tuple[str, str], list[Problem]] = {}
    for p in ordered(problems):
        if p.severity is Severity.ERROR:
            out.append(p)
        else:
            groups.setdefault((p.sheet, p.kind), []).append(p)
    for same in groups.values():
        first = same[0]
        if len(same) > 1:
            more = f" (and {len(same) - 1:,} more like it in {first.sheet}: --verbose lists them)"
            first = Problem(
                first.sheet,
                first.row,
                first.column,
                first.severity,
                first.kind,
                first.message + more,
            )
        out.append(first)
    return ordered(out)
