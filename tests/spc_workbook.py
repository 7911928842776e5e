"""A generated 24-month workbook with a step change, for SPC through the command line.

CSC 022 (a percentage, higher is better, target 90%) runs around 60% for the twelve months
Apr-19 to Mar-20 and around 75% from Apr-20 to Mar-21: every month from Apr-20 is above the
mean of the 24, so Making Data Count's shift (7 in a row on one side) starts in Apr-20.
CSC 201 (a count, polarity none) has no step: its months alternate, so it has limits and no
signal.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from workbook_factory import write

FIRST_YEAR = [60.2, 61.0, 59.1, 60.4, 62.0, 58.7, 60.9, 59.6, 61.3, 60.1, 58.9, 60.6]
SECOND_YEAR = [75.4, 74.1, 76.0, 75.2, 73.8, 75.9, 74.6, 76.3, 75.0, 74.4, 75.7, 75.1]
STEP = FIRST_YEAR + SECOND_YEAR
STEADY = [280 + (4 if i % 2 else 0) for i in range(24)]
MONTHS = [dt.datetime(2019 + (3 + i) // 12, (3 + i) % 12 + 1, 1) for i in range(24)]


def step_workbook(path: Path) -> Path:
    """Write the workbook to ``path`` and return it."""
    write(
        path,
        {
            "Indicators": [
                ["code", "title", "section", "unit", "polarity", "measure", "target"],
                [
                    "CSC 022",
                    "Referrals within 1 working day",
                    "Referrals",
                    "percent",
                    "up",
                    "ratio",
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
                ["CSC 022", "value", *STEP],
                ["CSC 201", "value", *STEADY],
            ],
        },
    )
    return path
