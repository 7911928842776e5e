"""What the shipped example says when it is read: one warning, true of its data
(docs/workbook.md). CSC 178's 2020/21 figure, 100.0% as the report prints it, is December's
own, not a figure its months from April (80.0% among them) pool to. (Its 0-17 population,
22,455, is not printed in the report but reproduces every rate it prints for 2020/21:
examples/source/README.md.)
tests/test_bad_input_trial.py checks it; tests of other things expect it beside theirs.
"""

from __future__ import annotations

import re

EXAMPLE_WARNINGS = (
    "warning: Periods!C54: 100.0% for CSC 178 in 2020/21 is at the edge of its months (Apr-20 "
    "to Dec-20: 80.0% to 100.0%): pooled from them it comes to 100.0% only if Apr-20 (80.0%) "
    "held under 1% of the cases; it is Dec-20's own figure, not the year so far — check it",
)
#: Where they are, as ingest's JSON names them.
EXAMPLE_LOCATIONS = ("Periods!C54",)

_PROBLEM = re.compile(r"(?:error|warning): ([^!:]+)(?:!([A-Z]+)(\d+))?:")


def _order(line: str) -> tuple[str, int, int]:
    found = _PROBLEM.match(line)
    assert found, line
    sheet, letters, row = found.groups()
    column = 0
    for letter in letters or "":
        column = column * 26 + ord(letter) - ord("A") + 1
    return sheet, int(row or 0), column


def said(*lines: str) -> str:
    """What ingest writes on stderr for the example changed to say ``lines``: every problem,
    the example's among them, by sheet and cell as ingest sorts them, then the other lines."""
    problems = [line for line in (*EXAMPLE_WARNINGS, *lines) if _PROBLEM.match(line)]
    others = [line for line in lines if not _PROBLEM.match(line)]
    return "".join(f"{line}\n" for line in (*sorted(problems, key=_order), *others))


def located(*locations: str) -> list[str]:
    """The problems' locations in ingest's JSON: ``locations`` and the example's, sorted."""
    every = [f"warning: {where}:" for where in (*EXAMPLE_LOCATIONS, *locations)]
    return [line[len("warning: ") : -1] for line in sorted(every, key=_order)]


def without_example(text: str) -> str:
    """``text`` (ingest's stderr) without the example's warnings, by their cells: they
    must be in it."""
    lines = text.splitlines(keepends=True)
    theirs = tuple(f"warning: {where}: " for where in EXAMPLE_LOCATIONS)
    kept = [line for line in lines if not line.startswith(theirs)]
    assert len(lines) - len(kept) == len(EXAMPLE_LOCATIONS), text
    return "".join(kept)
