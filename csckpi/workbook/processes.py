"""An indicator's control-limit settings on the Indicators sheet: its `baseline` (the months
its limits come from, `Apr-19..Mar-20`) and where a `new process from` starts (`Apr-20`, or
several: `Apr-20; Oct-21`, each optionally with its own baseline: `Apr-20..Mar-21`).

Each is checked where it is written (a month or a range that is not one, a baseline shorter
than the months limits need, two processes starting in one month, a baseline that runs past
the next new process: errors at the cell) and, once the Monthly sheet is read, against the
months the workbook has: a baseline with fewer than 12 of its months there, or a new process
after the last, is a warning (the store may hold a baseline's months from an earlier
workbook; a new process's months may come later). The rules are in docs/spc.md.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from itertools import pairwise

import polars as pl

from csckpi.model import MIN_BASELINE_MONTHS
from csckpi.periods import Month, parse_month, parse_month_range
from csckpi.workbook.cells import quoted, text
from csckpi.workbook.problems import Collector

#: How several new processes are written in one cell.
_SEPARATOR = re.compile(r"[;,\n]")
_RANGE_HINT = "write its first and last month with two dots, e.g. Apr-19..Mar-20"


@dataclass(frozen=True)
class Written:
    """Where an indicator's settings are, to name the cell when the months are checked."""

    code: str
    row: int
    baseline_column: int
    process_column: int
    baseline: tuple[Month, Month] | None
    processes: tuple[tuple[Month, Month | None], ...]


def _months(value: object) -> tuple[Month, Month] | str:
    """A range of months, or why it is not one."""
    found = parse_month_range(value)
    if found is None:
        return f"{quoted(text(value))} is not a range of months — {_RANGE_HINT}"
    first, last = found
    if last < first:
        return f"{quoted(text(value))} ends ({last}) before it starts ({first}) — {_RANGE_HINT}"
    months = last.index - first.index + 1
    if months < MIN_BASELINE_MONTHS:
        return (
            f"the baseline {first}..{last} is {months} months; control limits need at least "
            f"{MIN_BASELINE_MONTHS} — give {MIN_BASELINE_MONTHS} months or more, e.g. "
            f"{first}..{first + (MIN_BASELINE_MONTHS - 1)}"
        )
    return first, last


def read(
    out: Collector,
    sheet: str,
    row: int,
    code: str,
    baseline_cell: tuple[int, object] | None,
    process_cell: tuple[int, object] | None,
) -> Written | None:
    """The two cells (column, value) of one indicator, checked; None when either is wrong
    (each problem said at its cell)."""
    ok = True
    baseline = None
    b_column = 0 if baseline_cell is None else baseline_cell[0]
    p_column = 0 if process_cell is None else process_cell[0]
    if baseline_cell is not None and text(baseline_cell[1]):
        found = _months(baseline_cell[1])
        if isinstance(found, str):
            out.error(sheet, row, b_column, "bad-baseline", found)
            ok = False
        else:
            baseline = found
    processes: list[tuple[Month, Month | None]] = []
    value = None if process_cell is None else process_cell[1]
    parts: list[object] = [value] if isinstance(value, dt.date) else _SEPARATOR.split(text(value))
    for part in parts:
        if not text(part):
            continue
        month = parse_month(part.strip() if isinstance(part, str) else part)
        if month is not None:
            processes.append((month, None))
            continue
        if parse_month_range(part) is not None:
            found = _months(part)
            if isinstance(found, str):
                out.error(sheet, row, p_column, "bad-new-process", found)
                ok = False
            else:
                processes.append(found)
            continue
        out.error(
            sheet,
            row,
            p_column,
            "bad-new-process",
            f"{quoted(text(part))} is not a month a new process starts from — write its first "
            "month, e.g. Apr-20 (several: Apr-20; Oct-21), or a month range for the new "
            "process's own baseline, e.g. Apr-20..Mar-21",
        )
        ok = False
    if not ok:
        return None
    declared: list[tuple[Month, Month | None, int, str]] = [
        (first, last, p_column, "a new process") for first, last in processes
    ]
    if baseline is not None:
        declared.append((baseline[0], baseline[1], b_column, "the baseline"))
    starts = sorted(declared, key=lambda s: s[0])
    for (first, last, column, what), (after, _, after_column, after_what) in pairwise(starts):
        if after == first:
            out.error(
                sheet,
                row,
                after_column,
                "repeated-new-process",
                f"{what} and {after_what} both start in {first} for {code} — declare each "
                "start once",
            )
            ok = False
        elif last is not None and last >= after:
            out.error(
                sheet,
                row,
                column,
                "baseline-past-new-process",
                f"{what} {first}..{last} runs past the new process from {after} — end it "
                f"by {after - 1}, or drop one of them",
            )
            ok = False
    if not ok:
        return None
    if baseline is None and not processes:
        return None
    return Written(code, row, b_column, p_column, baseline, tuple(processes))


def as_text(written: Written | None) -> tuple[str, str]:
    """The baseline and the new processes as csckpi writes them (`Apr-19..Mar-20`,
    `Apr-20; Oct-21..Sep-22`): what the store keeps and docs/spc.md reads back."""
    if written is None:
        return "", ""
    baseline = "" if written.baseline is None else _range(*written.baseline)
    processes = "; ".join(
        str(first) if last is None else _range(first, last) for first, last in written.processes
    )
    return baseline, processes


def _range(first: Month, last: Month) -> str:
    return f"{first}..{last}"


def check_months(
    out: Collector, sheet: str, written: dict[str, Written], monthly: pl.DataFrame
) -> None:
    """Warn where a baseline or a new process lies outside the months the workbook has for
    its indicator (``monthly``: the Dataset's long frame): limits need the baseline's months,
    and a new process after the last month changes nothing yet."""
    if not written:
        return
    found = (
        monthly.filter(pl.col("key").is_in(list(written)) & pl.col("value").is_not_null())
        .group_by("key")
        .agg(pl.col("month").unique())
    )
    have = {key: {Month.from_date(d) for d in days} for key, days in found.iter_rows()}
    for key, w in written.items():
        months = have.get(key, set())
        span = f"{min(months)} to {max(months)}" if months else "none"
        if w.baseline is not None:
            first, last = w.baseline
            inside = sum(1 for m in months if first <= m <= last)
            if inside < MIN_BASELINE_MONTHS:
                out.warn(
                    sheet,
                    w.row,
                    w.baseline_column,
                    "baseline-outside-data",
                    f"the baseline {first}..{last} has {inside} months with a figure for "
                    f"{w.code} in this workbook (its months: {span}); control limits need "
                    f"{MIN_BASELINE_MONTHS} of them, so {w.code} has none from this baseline "
                    "unless the store holds the rest — check the years",
                )
        for first, _ in w.processes:
            if not months or first > max(months):
                out.warn(
                    sheet,
                    w.row,
                    w.process_column,
                    "new-process-outside-data",
                    f"the new process from {first} starts after the last month with a figure "
                    f"for {w.code} in this workbook (its months: {span}), so it changes no "
                    "limits yet — check the year",
                )
