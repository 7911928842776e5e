"""A workbook with small counts, for the tests of ``--publish`` (disclosure control).

Twenty-one months (Apr-19 to Dec-20) of six indicators, one of each kind a published output
must protect: a flow count with months of 1 to 5, a ratio whose numerator is small in a month,
a running total whose flow in a month is small, a rate per 10,000 that stands for a count of
two or three children, a snapshot count that falls to 3, and a snapshot percentage with its
counts; and a comment that states a small count in its own words. Nothing here knows what
will be suppressed: the tests work that out from the data.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from workbook_factory import write

MONTHS = [dt.datetime(2019 + (m + 3) // 12, (m + 3) % 12 + 1, 1) for m in range(21)]
POPULATION = 22450

INDICATORS = [
    ["code", "title", "section", "unit", "polarity", "measure", "target"],
    ["PUB 1", "Referrals received", "Referrals", "count", "none", "flow", None],
    ["PUB 2", "Referrals completed in a day", "Referrals", "percent", "up", "ratio", 90],
    [
        "PUB 3",
        "Assessments completed (year to date)",
        "Assessments",
        "count",
        "none",
        "cumulative",
        None,
    ],
    ["PUB 4", "Children in care per 10,000", "Children in care", "rate", "none", "snapshot", None],
    ["PUB 5", "Children placed at home", "Children in care", "count", "none", "snapshot", None],
    ["PUB 6", "Children in care allocated", "Children in care", "percent", "up", "snapshot", 100],
]

#: code, part -> the 21 months' figures (None: a blank cell).
SERIES: dict[tuple[str, str], list[float | None]] = {
    ("PUB 1", "value"): [
        20,
        18,
        22,
        25,
        19,
        21,
        23,
        2,
        24,
        20,
        18,
        22,
        15,
        17,
        3,
        16,
        14,
        18,
        4,
        12,
        9,
    ],
    ("PUB 2", "numerator"): [
        9,
        8,
        10,
        11,
        9,
        10,
        3,
        9,
        10,
        11,
        9,
        8,
        10,
        12,
        9,
        11,
        10,
        12,
        3,
        10,
        20,
    ],
    ("PUB 2", "denominator"): [
        10,
        9,
        11,
        12,
        10,
        11,
        4,
        10,
        11,
        12,
        10,
        9,
        11,
        13,
        10,
        12,
        11,
        13,
        4,
        12,
        21,
    ],
    ("PUB 3", "value"): [
        12,
        25,
        33,
        45,
        52,
        66,
        70,
        81,
        90,
        99,
        110,
        121,
        10,
        22,
        30,
        41,
        50,
        62,
        64,
        70,
        73,
    ],
    ("PUB 4", "value"): [
        4.5,
        4.0,
        3.6,
        3.1,
        2.7,
        2.2,
        1.8,
        1.3,
        1.3,
        0.9,
        1.3,
        1.8,
        2.2,
        2.7,
        3.1,
        2.2,
        1.8,
        1.3,
        0.9,
        1.3,
        1.8,
    ],
    ("PUB 5", "value"): [12, 11, 10, 9, 9, 8, 8, 7, 7, 6, 6, 6, 7, 8, 9, 8, 7, 6, 5, 4, 3],
    ("PUB 6", "numerator"): [
        40,
        41,
        39,
        42,
        40,
        41,
        43,
        42,
        40,
        41,
        42,
        43,
        44,
        43,
        42,
        41,
        40,
        42,
        41,
        43,
        42,
    ],
    ("PUB 6", "denominator"): [
        42,
        42,
        40,
        43,
        41,
        42,
        44,
        43,
        41,
        42,
        43,
        44,
        45,
        44,
        43,
        42,
        41,
        43,
        42,
        44,
        43,
    ],
}


def _percent(code: str) -> list[float | None]:
    nums, dens = SERIES[(code, "numerator")], SERIES[(code, "denominator")]
    return [
        None if n is None or d is None else round(100 * n / d, 1)
        for n, d in zip(nums, dens, strict=True)
    ]


def sheets() -> dict[str, list[list[object]]]:
    monthly: list[list[object]] = [["code", "part", *MONTHS]]
    for code in ("PUB 2", "PUB 6"):
        monthly.append([code, "value", *_percent(code)])
    for (code, part), values in SERIES.items():
        monthly.append([code, part, *values])
    return {
        "Indicators": [list(row) for row in INDICATORS],
        "Monthly": monthly,
        "Commentary": [
            ["code", "period", "text"],
            ["PUB 5", "Q3 2020/21", "Three children went home in December."],
        ],
        "Context": [
            ["key", "value", "year"],
            ["council", "Smalltown", None],
            ["population_0_17", POPULATION, "2019/20"],
            ["population_0_17", POPULATION, "2020/21"],
        ],
    }


def workbook(path: Path) -> Path:
    """The workbook, written to ``path``."""
    return write(path, sheets())
