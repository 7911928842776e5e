"""Financial years, quarters and months: parse what analysts write, format what they read.

The financial year runs April to March and is written ``2020/21``. Quarters are of the
financial year: Q1 Apr-Jun ... Q4 Jan-Mar, so "Q3 2020/21" is Oct-Dec 2020. A calendar
quarter is never written.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from functools import cached_property

from csckpi.errors import PeriodError, PeriodTypo

MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_MONTH_BY_NAME = {name.lower(): i + 1 for i, name in enumerate(MONTH_NAMES)} | {
    name[:3].lower(): i + 1 for i, name in enumerate(MONTH_NAMES)
}
_MONTH_BY_NAME["sept"] = 9


@dataclass(frozen=True, order=True)
class Month:
    """A calendar month."""

    year: int
    month: int

    def __post_init__(self) -> None:
        if not 1 <= self.month <= 12:
            raise ValueError(f"month {self.month} is not 1-12")

    @classmethod
    def from_index(cls, index: int) -> Month:
        year, month0 = divmod(index, 12)
        return cls(year, month0 + 1)

    @classmethod
    def from_date(cls, value: dt.date) -> Month:
        return cls(value.year, value.month)

    @property
    def index(self) -> int:
        """Months since year 0: consecutive months differ by one."""
        return self.year * 12 + self.month - 1

    @property
    def fy(self) -> int:
        """The financial year it falls in, by its starting calendar year (Dec-20 -> 2020)."""
        return self.year if self.month >= 4 else self.year - 1

    @property
    def quarter(self) -> int:
        """Quarter of the financial year: Apr-Jun 1 ... Jan-Mar 4."""
        return (self.month - 4) % 12 // 3 + 1

    @property
    def date(self) -> dt.date:
        return dt.date(self.year, self.month, 1)

    def __add__(self, months: int) -> Month:
        return Month.from_index(self.index + months)

    def __sub__(self, months: int) -> Month:
        return Month.from_index(self.index - months)

    @property
    def iso(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def short(self) -> str:
        """`Dec-20`, as workbooks head their columns."""
        return f"{MONTH_NAMES[self.month - 1][:3]}-{self.year % 100:02d}"

    @property
    def long(self) -> str:
        """`December 2020`, as sentences say it."""
        return f"{MONTH_NAMES[self.month - 1]} {self.year}"

    def __str__(self) -> str:
        return self.short


def fy_label(start: int) -> str:
    """2020 -> `2020/21`."""
    return f"{start}/{(start + 1) % 100:02d}"


def fy_months(start: int) -> list[Month]:
    first = Month(start, 4)
    return [first + i for i in range(12)]


class PeriodKind(StrEnum):
    MONTH = "month"
    QUARTER = "quarter"
    YTD = "ytd"  # April to a month of the same financial year
    YEAR = "year"  # the whole financial year


@dataclass(frozen=True)
class Period:
    """A span of whole months, named the way a report names it."""

    kind: PeriodKind
    fy: int  # financial year start
    quarter: int | None = None  # QUARTER only
    end: Month | None = None  # MONTH: the month; YTD: the last month (None until known)

    # -- construction -----------------------------------------------------------------
    @classmethod
    def of_month(cls, month: Month) -> Period:
        return cls(PeriodKind.MONTH, month.fy, None, month)

    @classmethod
    def of_quarter(cls, fy: int, quarter: int) -> Period:
        if not 1 <= quarter <= 4:
            raise PeriodTypo(f"Q{quarter} is not a quarter.", "Quarters are Q1 to Q4.")
        return cls(PeriodKind.QUARTER, fy, quarter)

    @classmethod
    def of_year(cls, fy: int) -> Period:
        return cls(PeriodKind.YEAR, fy)

    @classmethod
    def of_ytd(cls, fy: int, end: Month | None = None) -> Period:
        if end is not None and end.fy != fy:
            raise PeriodError(f"{end} is not in {fy_label(fy)}.")
        return cls(PeriodKind.YTD, fy, None, end)

    # -- the months it covers --------------------------------------------------------
    @cached_property  # worked out once: a report asks a period for its months many times
    def first(self) -> Month:
        if self.kind is PeriodKind.MONTH:
            assert self.end is not None
            return self.end
        if self.kind is PeriodKind.QUARTER:
            assert self.quarter is not None
            return Month(self.fy, 4) + 3 * (self.quarter - 1)
        return Month(self.fy, 4)

    @cached_property
    def last(self) -> Month:
        if self.kind is PeriodKind.QUARTER:
            return self.first + 2
        if self.kind is PeriodKind.YEAR:
            return Month(self.fy + 1, 3)
        if self.end is None:
            raise PeriodError(f"{self.label} has no end month yet.")
        return self.end

    def months(self) -> list[Month]:
        return [self.first + i for i in range(self.last.index - self.first.index + 1)]

    def contains(self, month: Month) -> bool:
        return self.first <= month <= self.last

    # -- relatives ---------------------------------------------------------------------
    def last_year(self) -> Period:
        """The same period a year earlier."""
        end = self.end - 12 if self.end is not None else None
        return Period(self.kind, self.fy - 1, self.quarter, end)

    def previous(self) -> Period:
        """The period before, of the same length: last month, last quarter, last year."""
        if self.kind is PeriodKind.MONTH:
            assert self.end is not None
            return Period.of_month(self.end - 1)
        if self.kind is PeriodKind.QUARTER:
            assert self.quarter is not None
            if self.quarter == 1:
                return Period.of_quarter(self.fy - 1, 4)
            return Period.of_quarter(self.fy, self.quarter - 1)
        return self.last_year()

    def ytd(self) -> Period:
        """The year to date at this period's end."""
        return Period.of_ytd(self.fy, self.last)

    # -- names ---------------------------------------------------------------------------
    @cached_property
    def label(self) -> str:
        """`Dec-20`, `Q3 2020/21`, `2020/21 YTD`, `2020/21`."""
        if self.kind is PeriodKind.MONTH:
            assert self.end is not None
            return self.end.short
        if self.kind is PeriodKind.QUARTER:
            return f"Q{self.quarter} {fy_label(self.fy)}"
        if self.kind is PeriodKind.YTD:
            return f"{fy_label(self.fy)} YTD"
        return fy_label(self.fy)

    @property
    def key(self) -> str:
        """The canonical text a period is stored under: months as `2020-12`, else the label."""
        if self.kind is PeriodKind.MONTH:
            assert self.end is not None
            return self.end.iso
        return self.label

    @property
    def long(self) -> str:
        """As a sentence names it: `December 2020`, `Q3 2020/21`, `2020/21 to date`."""
        if self.kind is PeriodKind.MONTH:
            assert self.end is not None
            return self.end.long
        if self.kind is PeriodKind.YTD:
            return f"{fy_label(self.fy)} to {self.end.long}" if self.end else self.label
        return self.label

    @property
    def heading(self) -> str:
        """As a committee report's heading names it, in months: `December 2020`, `Quarter 3
        2020/21 (October to December 2020)`, `April to December 2020` (a year to date),
        `2020/21 (April 2020 to March 2021)`."""
        first, last = self.first, self.last
        names = MONTH_NAMES[first.month - 1], last.long
        months = f"{names[0]}{'' if first.year == last.year else f' {first.year}'} to {names[1]}"
        if self.kind is PeriodKind.MONTH:
            return last.long
        if self.kind is PeriodKind.QUARTER:
            return f"Quarter {self.quarter} {fy_label(self.fy)} ({months})"
        if self.kind is PeriodKind.YTD:
            return months
        return f"{fy_label(self.fy)} ({months})"

    def __str__(self) -> str:
        return self.label


#: A financial year: `2020/21`, `2020/2021`, `2020-21`, and with two-digit years `20/21`.
_YEAR = r"(?P<y1>\d{4}|\d{2}(?=\s*[/\-]\s*\d{2}(?!\d)))\s*[/\-]\s*(?P<y2>\d{2}|\d{4})"
_RE_QUARTER_FIRST = re.compile(rf"^q(?P<q>[1-4])\s*(?:fy\s*)?{_YEAR}$")
_RE_QUARTER_LAST = re.compile(rf"^(?:fy\s*)?{_YEAR}\s*q(?P<q>[1-4])$")
_RE_YTD = re.compile(rf"^(?:fy\s*)?{_YEAR}\s*(?:ytd|year to date)$")
_RE_YEAR = re.compile(rf"^(?:fy\s*)?{_YEAR}$")
_RE_ISO_MONTH = re.compile(r"^(?P<y>\d{4})-(?P<m>\d{1,2})(?:-(?P<d>\d{1,2}))?(?:[t ].*)?$")
_RE_NAMED_MONTH = re.compile(r"^(?P<name>[a-z]+)\.?[\s\-/']*(?P<y>\d{4}|\d{2})$")
_RE_CALENDAR_QUARTER = re.compile(
    r"^(?:(?P<y1>\d{4})\s*-?\s*q(?P<q1>[1-4])|q(?P<q2>[1-4])\s*(?P<y2>\d{4}))$"
)
_RE_MONTH_YEAR_NUM = re.compile(r"^(?P<m>\d{1,2})/(?P<y>\d{4})$")
_RE_BARE_QUARTER = re.compile(r"^q(?P<q>[1-4])$")


def _fy_start(y1: str, y2: str) -> int | None:
    """The year a financial year starts: `2020`+`21`, `2020`+`2021` or `20`+`21` -> 2020."""
    if len(y1) == 2:  # the pattern admits two digits only before two digits
        y1 = f"20{y1}"
    start = int(y1)
    end = int(y2)
    ok = end == (start + 1) % 100 if len(y2) == 2 else end == start + 1
    return start if ok else None


def _years(m: re.Match[str]) -> str:
    """`2020/12`: the year of a quarter or year to date as typed, for a message."""
    return f"{m['y1']}/{m['y2']}"


def _norm(text: str) -> str:
    return " ".join(text.strip().lower().replace("\u00a0", " ").split())


def parse_month(value: object) -> Month | None:
    """A month from a cell or a header: a date, `Apr-20`, `April 2020`, `2020-04`.

    Returns None when the value is not a month (the caller says where and why).
    """
    if isinstance(value, dt.datetime | dt.date):
        return Month(value.year, value.month)
    if not isinstance(value, str):
        return None
    text = _norm(value)
    if m := _RE_ISO_MONTH.match(text):
        month = int(m["m"])
        return Month(int(m["y"]), month) if 1 <= month <= 12 else None
    if m := _RE_MONTH_YEAR_NUM.match(text):
        month = int(m["m"])
        return Month(int(m["y"]), month) if 1 <= month <= 12 else None
    if m := _RE_NAMED_MONTH.match(text):
        number = _MONTH_BY_NAME.get(m["name"])
        if number is None:
            return None
        year = int(m["y"])
        if len(m["y"]) == 2:
            year += 2000
        return Month(year, number)
    return None


def periods_held(months: Iterable[dt.date | Month]) -> list[str]:
    """What a user may type for the months a store holds, newest first and without spaces
    (shell completion): each month (`2020-12`), then each financial year (`2020/21`)."""
    held = sorted({m if isinstance(m, Month) else Month(m.year, m.month) for m in months})
    years = sorted({m.fy for m in held}, reverse=True)
    return [m.iso for m in reversed(held)] + [fy_label(y) for y in years]


_RANGE = re.compile(r"^\s*(?P<first>.+?)\s*(?:\.\.|\s+to\s+|\s*[–—]\s*)\s*(?P<last>.+?)\s*$")


def parse_month_range(value: object) -> tuple[Month, Month] | None:
    """`Apr-19..Mar-20` (also `2019-04..2020-03`, `April 2019 to March 2020`, an en dash) ->
    its first and last month; None when it is not two months (the caller says why). The
    months may be in either order: the caller checks."""
    match = _RANGE.match(str(value))
    if match is None:
        return None
    first, last = parse_month(match["first"]), parse_month(match["last"])
    return None if first is None or last is None else (first, last)


def parse_period(text: str, latest: Month | None = None) -> Period:
    """A period as a user or a workbook writes it.

    `2020-12`, `Dec-20`, `December 2020` -> a month; `Q3 2020/21`, `2020/21 Q3` -> a quarter;
    `2020/21 YTD` -> a year to date (ending at ``latest`` when it falls in that year);
    `YTD` -> the year to date of ``latest``; `2020/21` -> the financial year. Years may be
    written `2020-21`, `FY 2020/21` or with two digits (`Q3 20/21`); a bare `Q1` is that
    quarter of the year of ``latest``.
    """
    cleaned = _norm(str(text))
    if not cleaned:
        raise PeriodTypo("No period given.", _PERIOD_HINT)
    if cleaned in ("ytd", "year to date"):
        if latest is None:
            raise PeriodError("'YTD' needs a latest month, and there are no figures yet.")
        return Period.of_ytd(latest.fy, latest)
    if m := _RE_BARE_QUARTER.match(cleaned):
        if latest is None:
            raise PeriodError(
                f"'{text}' needs a year, and there are no figures to take the latest year from.",
                f"Write it with its year, e.g. 'Q{m['q']} 2020/21'.",
            )
        return Period.of_quarter(latest.fy, int(m["q"]))
    for pattern in (_RE_QUARTER_FIRST, _RE_QUARTER_LAST):
        if m := pattern.match(cleaned):
            fy = _fy_start(m["y1"], m["y2"])
            if fy is None:  # the quarter is fine; its year is not
                raise PeriodTypo(f"'{text}': {_years(m)} is not a financial year.", _FY_HINT)
            return Period.of_quarter(fy, int(m["q"]))
    if m := _RE_YTD.match(cleaned):
        fy = _fy_start(m["y1"], m["y2"])
        if fy is None:
            raise PeriodTypo(f"'{text}': {_years(m)} is not a financial year.", _FY_HINT)
        end = latest if latest is not None and latest.fy == fy else None
        return Period.of_ytd(fy, end)
    iso = _RE_ISO_MONTH.match(cleaned)
    if iso and (iso_month := parse_month(cleaned)) is not None:
        # `2011-12` is December 2011 (the key a month is stored under), not the year 2011/12;
        # a year is written 2011/12.
        return Period.of_month(iso_month)
    if m := _RE_YEAR.match(cleaned):
        fy = _fy_start(m["y1"], m["y2"])
        if fy is None and iso:  # `2020-13`: neither a month nor a year
            raise PeriodTypo(
                f"'{text}' is not a period: a month is numbered 01 to 12 (2020-12), and a "
                "financial year's two years follow each other (2020-21).",
                _PERIOD_HINT,
            )
        if fy is None:
            raise PeriodTypo(f"'{text}' is not a financial year.", f"{_FY_HINT} {_PERIOD_HINT}")
        return Period.of_year(fy)
    calendar = _RE_CALENDAR_QUARTER.match(cleaned)
    if calendar:
        year = int(calendar["y1"] or calendar["y2"])
        quarter = int(calendar["q1"] or calendar["q2"])
        # Calendar Q1 (Jan-Mar) is the last quarter of the financial year before.
        same = Period.of_quarter(year if quarter > 1 else year - 1, (quarter + 2) % 4 + 1)
        raise PeriodTypo(
            f"'{text}' looks like a calendar quarter, and csckpi's quarters are of the "
            "financial year (Q1 is April to June).",
            f"Calendar Q{quarter} {year} ({same.first.short} to {same.last.short}) is "
            f"'{same.label}'.",
        )
    month = parse_month(cleaned)
    if month is not None:
        return Period.of_month(month)
    raise PeriodTypo(f"'{text}' is not a period.", _PERIOD_HINT)


_RE_BARE_YEAR = re.compile(r"^(?:19|20)\d{2}$")
_RE_AS_AT = re.compile(r"^(?:as\s+at\s+)?31(?:st)?\s+march\s+(?P<y>\d{4})$")
_RE_AS_AT_DATE = re.compile(r"^(?:as\s+at\s+)?31\s*[/\-.]\s*0?3\s*[/\-.]\s*(?P<y>\d{4})$")


def parse_data_year(value: object) -> int | None:
    """The financial year a published figure describes, by its start year (2019 is 2019/20).

    `2019/20`, `2019-20`, `FY 2019/20` -> 2019. A bare `2020` (a number or text) is the year
    *ending* 31 March 2020, as the Department's files and the benchmarking tool head their
    columns -> 2019. A position `as at 31 March 2020`, `31/03/2020` or that date -> 2019.
    None for anything else (another date, a quarter, a word).
    """
    if isinstance(value, dt.datetime | dt.date):
        day = value.date() if isinstance(value, dt.datetime) else value
        return day.year - 1 if (day.month, day.day) == (3, 31) else None
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        if float(value).is_integer() and _RE_BARE_YEAR.match(str(int(value))):
            return int(value) - 1
        return None
    if not isinstance(value, str):
        return None
    text = _norm(value)
    if _RE_BARE_YEAR.match(text):
        return int(text) - 1
    if m := (_RE_AS_AT.match(text) or _RE_AS_AT_DATE.match(text)):
        return int(m["y"]) - 1
    if m := _RE_YEAR.match(text):
        return _fy_start(m["y1"], m["y2"])
    return None


_FY_HINT = "A financial year is written like 2020/21 (April 2020 to March 2021)."
_PERIOD_HINT = (
    "Write a month (2020-12, Dec-20, December 2020), a quarter (Q3 2020/21), "
    "a year to date (2020/21 YTD, YTD) or a financial year (2020/21, 2020-21, FY 20/21)."
)
