"""A generated 24-month workbook with a step change, for SPC through the command line.

CSC 191 (a percentage as at each month's end, higher is better, target 90%) steps up by 3.5
points in Apr-20: its months alternate 59.5% and 57.0% for the twelve months Apr-19 to
Mar-20, then 60.5% and 63.0% to Mar-21. The mean of the 24 is 60.0%; the moving ranges (2.5,
and 3.5 at the step) put the process limits at 60.0% ± 6.8 and the 2-sigma lines at ± 4.5, so
no month is beyond either, nor do seven rise in a row: the one signal of the second year is
Making Data Count's shift (7 or more in a row on one side of the mean), from Apr-20 (and the
first year's twelve below the mean, a shift low).
CSC 201 (a count, polarity none) has no step: its months alternate, so it has limits and no
signal.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from workbook_factory import write

FIRST_YEAR = [59.5, 57.0] * 6
SECOND_YEAR = [60.5, 63.0] * 6
STEP = FIRST_YEAR + SECOND_YEAR
STEADY = [280 + (4 if i % 2 else 0) for i in range(24)]
MONTHS = [dt.datetime(2019 + (3 + i) // 12, (3 + i) % 12 + 1, 1) for i in range(24)]


def step_workbook(path: Path, **sheets: list[list[Any]]) -> Path:
    """Write the workbook to ``path`` (with ``sheets`` added, or in place of its own) and
    return it."""
    write(
        path,
        {
            "Indicators": [
                ["code", "title", "section", "unit", "polarity", "measure", "target"],
                [
                    "CSC 191",
                    "Children in care with an up-to-date care plan",
                    "Care plans",
                    "percent",
                    "up",
                    "snapshot",
                    90,
                ],
                [
                    "CSC 201",
                    "Children in care",
                    "Children in care",
                    "count",
                    "none",
                    "snapshot",
                    None,
                ],
            ],
            "Monthly": [
                ["code", "part", *MONTHS],
                ["CSC 191", "value", *STEP],
                ["CSC 201", "value", *STEADY],
            ],
        }
        | sheets,
    )
    return path


# -- a declared new process ----------------------------------------------------------------------

#: 36 months, Apr-18 to Mar-21.
LONG_MONTHS = [dt.datetime(2018 + (3 + i) // 12, (3 + i) % 12 + 1, 1) for i in range(36)]
#: CSC 191 steps from 59/61 alternating (mean 60) to 69/71 (mean 70) in Oct-19, the new process
#: declared there: each stretch of 18 months has its own limits, mean ± 2.66 x 2 = ± 5.32,
#: and no signal (its months alternate about its mean). Judged as one process, its second half
#: is a shift above the mean of 65.
OLD, NEW = [59.0, 61.0] * 9, [69.0, 71.0] * 9
#: CSC 192 is the same until Sep-20 and steps in Oct-20, declared there: its first 30 months
#: have limits 60 ± 5.32; the six months since the change are too few for limits of their own.
LATE = [59.0, 61.0] * 15 + [69.0, 71.0] * 3


def change_workbook(
    path: Path, process: str = "Oct-19", baseline: str = "", **sheets: list[list[Any]]
) -> Path:
    """Write the workbook with CSC 191's new process from ``process`` (blank: none declared)
    and its ``baseline``, and CSC 192's new process from Oct-20, to ``path``; return it."""
    header = ["code", "title", "section", "unit", "polarity", "measure", "target"]
    header += ["baseline", "new process from"]
    write(
        path,
        {
            "Indicators": [
                header,
                [
                    "CSC 191",
                    "Children in care with an up-to-date care plan",
                    "Care plans",
                    "percent",
                    "up",
                    "snapshot",
                    90,
                    baseline or None,
                    process or None,
                ],
                [
                    "CSC 192",
                    "Children in care with an up-to-date health plan",
                    "Care plans",
                    "percent",
                    "up",
                    "snapshot",
                    None,
                    None,
                    "Oct-20",
                ],
            ],
            "Monthly": [
                ["code", "part", *LONG_MONTHS],
                ["CSC 191", "value", *OLD, *NEW],
                ["CSC 192", "value", *LATE],
            ],
        }
        | sheets,
    )
    return path
