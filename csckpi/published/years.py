"""Which year a published figure describes: `2019/20`, or "as at 31 March 2020".

The Department's files write the year in ``time_period`` with ``time_identifier`` saying
what kind it is: ``201920`` with "Financial year" or "Academic year" is 2019/20; a four-digit
``2020`` with "Reporting year" (the children's social care collections) is the year ending
31 March 2020, also 2019/20. The benchmarking tool's export heads its columns ``2020``,
``2019/20``, ``2019-20`` or ``2022 (prov)``. A bare four-digit year is read as the year
*ending* in it unless the map says ``bare_years = "starting"``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Literal

from csckpi.periods import fy_label

if TYPE_CHECKING:
    import polars as pl

BareYears = Literal["ending", "starting"]


class YearKind(StrEnum):
    FINANCIAL = "financial"  # April to March: the children's social care collections
    ACADEMIC = "academic"  # September to August: school-based figures


#: time_identifier (lower case) -> the kind of year it names. Others (calendar years,
#: terms, quarters, months, weeks) do not describe a year csckpi compares with.
IDENTIFIERS: dict[str, YearKind] = {
    "financial year": YearKind.FINANCIAL,
    "reporting year": YearKind.FINANCIAL,
    "tax year": YearKind.FINANCIAL,
    "academic year": YearKind.ACADEMIC,
}


@dataclass(frozen=True, order=True)
class DataYear:
    """The year a figure describes, by its starting calendar year: 2019 is 2019/20."""

    start: int
    kind: YearKind = YearKind.FINANCIAL
    snapshot: bool = False  # a position at the year's end (children in care at 31 March)

    @property
    def label(self) -> str:
        """`2019/20`: the key the store and the comparison use."""
        return fy_label(self.start)

    @property
    def text(self) -> str:
        """What a sentence says: `2019/20`, or `as at 31 March 2020` for a snapshot."""
        if self.snapshot and self.kind is YearKind.FINANCIAL:
            return f"as at 31 March {self.start + 1}"
        return self.label

    def __str__(self) -> str:
        return self.text


def parse_time(period: pl.Expr, identifier: pl.Expr, bare: BareYears) -> list[pl.Expr]:
    """``year`` (Int32 start year, null when none), ``year_kind`` and ``time_problem``: null,
    `bad` (not a year at all) or `other` (a kind of period csckpi does not compare with)."""
    import polars as pl

    text = period.cast(pl.String).str.strip_chars()
    ident = identifier.cast(pl.String).str.strip_chars().str.to_lowercase()
    six = text.str.contains(r"^\d{6}$")
    four = text.str.contains(r"^\d{4}$")
    first = text.str.slice(0, 4).cast(pl.Int32, strict=False)
    second = text.str.slice(4, 2).cast(pl.Int32, strict=False)
    consecutive = six & ((first + 1) % 100 == second)
    known = ident.is_in(list(IDENTIFIERS))
    kind = ident.replace_strict(
        {name: kind.value for name, kind in IDENTIFIERS.items()}, default=None
    )
    bare_start = first - 1 if bare == "ending" else first
    year = (
        pl.when(known & consecutive)
        .then(first)
        .when(known & four & (ident == "reporting year"))
        .then(bare_start)
    )
    problem = (
        pl.when(~(six | four) | (six & ~consecutive))
        .then(pl.lit("bad"))
        .when(year.is_null())
        .then(pl.lit("other"))
    )
    return [year.alias("year"), kind.alias("year_kind"), problem.alias("time_problem")]


_HEADER = re.compile(
    r"^(?P<first>(?:19|20)\d{2})(?:\s*[/-]\s*(?P<second>\d{2}|\d{4}))?"
    r"\s*(?:\((?P<flag>[a-z ]+)\))?$",
    re.IGNORECASE,
)
_PROVISIONAL = {"p", "prov", "provisional"}
_REVISED = {"r", "rev", "revised"}


@dataclass(frozen=True)
class HeaderYear:
    """A year column of the benchmarking tool's export."""

    start: int
    flag: str = ""  # `provisional` or `revised`, from `2022 (prov)`


def header_year(text: str, bare: BareYears) -> HeaderYear | None:
    """`2020` -> 2019 (ending) or 2020 (starting); `2019/20`, `2019-20`, `2019-2020` -> 2019;
    `2022 (prov)` is provisional. None for a column that is not a year."""
    match = _HEADER.match(" ".join(str(text).split()))
    if not match:
        return None
    first = int(match["first"])
    second = match["second"]
    if second is not None:
        if int(second) % 100 != (first + 1) % 100:
            return None
        start = first
    else:
        start = first - 1 if bare == "ending" else first
    flag = (match["flag"] or "").strip().lower()
    if flag in _PROVISIONAL:
        return HeaderYear(start, "provisional")
    if flag in _REVISED:
        return HeaderYear(start, "revised")
    if flag:
        return None
    return HeaderYear(start)
