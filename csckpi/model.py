"""The vocabulary of csckpi: frozen records and closed choices, no behaviour beyond parsing.

Nothing here imports polars or openpyxl, so every module (and the CLI's start-up) can use it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property
from typing import TypeVar


class Unit(StrEnum):
    PERCENT = "percent"
    COUNT = "count"
    RATE = "rate"  # per 10,000 children aged 0-17
    NUMBER = "number"


class Polarity(StrEnum):
    UP = "up"  # higher is better
    DOWN = "down"  # lower is better
    NONE = "none"  # neither: a volume, not a judgement


class Measure(StrEnum):
    """How an indicator's months combine into a quarter, a year to date or a year."""

    FLOW = "flow"  # events in the month: sum
    RATIO = "ratio"  # % of events in the month: sum(numerator) / sum(denominator)
    SNAPSHOT = "snapshot"  # position at month end: last month
    CUMULATIVE = "cumulative"  # the workbook already holds the year to date: last month
    DISTINCT = "distinct"  # people counted once in the period: never summed; reported figure


class Comparator(StrEnum):
    STATISTICAL_NEIGHBOURS = "statistical neighbours"
    REGION = "region"
    ENGLAND = "england"


class TargetPer(StrEnum):
    """What length of period a target is a target *for* (the Targets sheet's ``per``)."""

    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"
    YTD = "ytd"  # the year to date, at any month
    SNAPSHOT = "snapshot"  # a level, for a period of any length (a position, a percentage)


class Rag(StrEnum):
    GREEN = "green"
    AMBER = "amber"
    RED = "red"


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


class Direction(StrEnum):
    """A movement judged through polarity."""

    IMPROVED = "improved"
    WORSENED = "worsened"
    UNCHANGED = "unchanged"
    UP = "up"  # polarity none: a movement, not a judgement
    DOWN = "down"


class Relation(StrEnum):
    """Where one figure stands against another, on the figures as shown."""

    ABOVE = "above"
    BELOW = "below"
    IN_LINE = "in line"


@dataclass(frozen=True)
class Judged:
    """One figure set against another: where it stands, decided on the figures as shown
    (rounded half up to the indicator's decimals), and whether that is better or worse through
    the indicator's polarity. Made only by ``csckpi.facts.judge``; everyone else reads it."""

    ours: float  # unrounded, as computed
    theirs: float
    relation: Relation
    better: bool | None  # None: the polarity makes no judgement, or the two are in line
    difference: float  # ours - theirs between the figures as shown (85.3 on 87.7: -2.4)


E = TypeVar("E", bound=StrEnum)

_ALIASES: dict[type[StrEnum], dict[str, str]] = {
    Unit: {
        "%": "percent",
        "percentage": "percent",
        "pct": "percent",
        "number of": "count",
        "rate per 10,000": "rate",
        "rate per 10000": "rate",
        "per 10,000": "rate",
    },
    Polarity: {
        "higher is better": "up",
        "high is good": "up",
        "higher": "up",
        "high": "up",
        "lower is better": "down",
        "low is good": "down",
        "lower": "down",
        "low": "down",
        "neither": "none",
        "n/a": "none",
        "": "none",
    },
    Measure: {
        "sum": "flow",
        "count": "flow",
        "ytd": "cumulative",
        "position": "snapshot",
        "distinct count": "distinct",
        "unique": "distinct",
    },
    TargetPer: {
        "monthly": "month",
        "a month": "month",
        "per month": "month",
        "in month": "month",
        "quarterly": "quarter",
        "a quarter": "quarter",
        "per quarter": "quarter",
        "annual": "year",
        "yearly": "year",
        "a year": "year",
        "per year": "year",
        "financial year": "year",
        "year to date": "ytd",
        "position": "snapshot",
        "level": "snapshot",
        "any": "snapshot",
    },
    Comparator: {
        "statistical neighbour": "statistical neighbours",
        "stat neighbours": "statistical neighbours",
        "stat neighbour": "statistical neighbours",
        "sn": "statistical neighbours",
        "statistical neighbours average": "statistical neighbours",
        "regional": "region",
        "regional average": "region",
        "north east": "region",
        "national": "england",
        "national average": "england",
        "england average": "england",
    },
}


def parse_choice(enum: type[E], text: str) -> E | None:
    """Read a closed choice as analysts write it ("Higher is better" -> Polarity.UP)."""
    cleaned = " ".join(str(text).strip().lower().replace("_", " ").split())
    cleaned = _ALIASES.get(enum, {}).get(cleaned, cleaned)
    try:
        return enum(cleaned)
    except ValueError:
        return None


def allowed(enum: type[StrEnum]) -> str:
    """The values a user may write, for error messages: "up, down or none"."""
    values = [e.value for e in enum]
    return ", ".join(values[:-1]) + " or " + values[-1]


_CODE_NOISE = re.compile(r"[\s_\-.]+")


def normalise_code(code: str) -> str:
    """The key an indicator code is matched on: `CSC 038` = `CSC038` = `csc038`."""
    return _CODE_NOISE.sub("", str(code)).upper()


#: The months a declared baseline of control limits needs at least (Making Data Count's
#: ``@SettingMinimumPointsPartition``; docs/spc.md).
MIN_BASELINE_MONTHS = 12


@dataclass(frozen=True)
class Indicator:
    """One row of the workbook's Indicators sheet."""

    code: str  # as the workbook writes it
    title: str
    section: str
    unit: Unit
    polarity: Polarity
    measure: Measure
    target: float | None = None
    tolerance: float | None = None
    definition: str = ""
    phrase: str = ""
    decimals: int | None = None
    order: int = 0  # position in the workbook, so output keeps the analyst's order
    pattern: str = ""  # optional: the narrative's sentence pattern (docs/narrative.md)
    label: str = ""  # optional: a short name for key messages ("re-referrals")
    #: optional: the Annex A measure its figures are derived from (docs/records.md), and the
    #: cell that says so (`Indicators!N12`), for messages
    records_measure: str = ""
    records_cell: str = ""
    # optional, for statistical process control (docs/spc.md), as the reader writes them:
    baseline: str = ""  # the months its limits come from: `Apr-19..Mar-20`
    new_process: str = ""  # where a new process starts: `Apr-20`, `Apr-20; Oct-21..Sep-22`

    @cached_property
    def key(self) -> str:
        """The code as it is matched on (:func:`normalise_code`), worked out once."""
        return normalise_code(self.code)

    @property
    def places(self) -> int:
        """Decimal places to show: the workbook's, else 1 for percent and rate, 0 for counts."""
        if self.decimals is not None:
            return self.decimals
        return 1 if self.unit in (Unit.PERCENT, Unit.RATE) else 0


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the input, with where it is. Collected, never raised one by one."""

    sheet: str
    row: int  # 0 for problems about a whole sheet
    column: int  # 0 for problems about a whole row or sheet
    severity: Severity = field(compare=False)
    kind: str = field(compare=False)  # a stable id: "not-a-number", "missing-column", ...
    message: str = field(compare=False)  # what was found and what was expected

    @property
    def cell(self) -> str:
        """`K14`, `14` (a whole row) or `` (the whole sheet)."""
        if self.row and self.column:
            return f"{column_letter(self.column)}{self.row}"
        if self.row:
            return str(self.row)
        if self.column:
            return column_letter(self.column)
        return ""

    @property
    def location(self) -> str:
        """`Monthly!K14`, or the file or sheet name when there is no cell."""
        return f"{self.sheet}!{self.cell}" if self.cell else self.sheet

    def __str__(self) -> str:
        return f"{self.location}: {self.message}"

    def as_dict(self) -> dict[str, object]:
        return {
            "severity": self.severity.value,
            "kind": self.kind,
            "sheet": self.sheet,
            "cell": self.cell,
            "location": self.location,
            "message": self.message,
        }


def column_letter(column: int) -> str:
    """1 -> A, 27 -> AA (openpyxl-free, so model stays light)."""
    letters = ""
    while column > 0:
        column, rest = divmod(column - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


@dataclass(frozen=True)
class Context:
    """The Context sheet: who the council is and its 0-17 population by financial year."""

    council: str | None = None
    population: tuple[tuple[int, float], ...] = ()  # (financial year start, population 0-17)
    items: tuple[tuple[str, str, str], ...] = ()  # every (key, year, value) as written

    def population_for(self, fy_start: int) -> float | None:
        """The population of that financial year, else the nearest earlier year's, else None."""
        earlier = [(y, p) for y, p in self.population if y <= fy_start]
        if earlier:
            return max(earlier)[1]
        return None

    def get(self, key: str) -> str | None:
        for k, _year, value in self.items:
            if k == key:
                return value
        return None
