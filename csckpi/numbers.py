"""How csckpi writes a number: the one rounding, and every way a figure is written.

A figure is shown rounded half away from zero (as Excel and analysts round) to its indicator's
decimals, with thousands separated: `85.2%`, `1,002`, `39.2`. Every judgement is made on the
figures as shown (:func:`shown`), so a sentence never says "below the 90% target" beside a
figure printed as "90.0%". The scorecard, the sentences, the comparison block, the report and
the spreadsheets all write their figures with these functions, so one figure reads the same in
each of them (tests/test_numbers.py walks the example through all of them).

No figure (None) is written as "" here; a table that wants a dash puts its own.
"""

from __future__ import annotations

import functools
import math
from enum import StrEnum
from typing import TYPE_CHECKING, overload

from csckpi.model import Unit

if TYPE_CHECKING:
    import polars as pl

_EPS = 1e-9  # 2.675 is stored as 2.67499999...: it is still shown as 2.68


@overload
def round_half_up(value: float, places: int) -> float: ...
@overload
def round_half_up(value: None, places: int) -> None: ...
def round_half_up(value: float | None, places: int) -> float | None:
    """Round half away from zero, as Excel and analysts do: 0.25 -> 0.3 at one place, -1.25 ->
    -1.3. Never -0.0. None stays None."""
    if value is None:
        return None
    factor = 10**places
    rounded = math.floor(abs(value) * factor + 0.5 + _EPS) / factor
    return math.copysign(rounded, value) if rounded else 0.0


def shown(value: float | None, places: int) -> float | int | None:
    """A figure as shown and judged: rounded half up to ``places``; a whole number (int) at 0
    places, as JSON and CSV write it."""
    if value is None:
        return None
    rounded = round_half_up(value, places)
    return int(rounded) if places == 0 else rounded


def json_number(value: float | None, *, whole: bool) -> float | int | None:
    """A figure as JSON writes it, one type per field in every command's output: an integer
    for a whole figure (a count, a numerator or denominator, a figure shown with no
    decimals), a float for every other (130.0, never 130)."""
    if value is None:
        return None
    if whole and float(value).is_integer():
        return int(value)
    return float(value)


def shown_column(expr: pl.Expr, places: pl.Expr | int) -> pl.Expr:
    """:func:`shown` over a frame: ``expr`` rounded half away from zero to ``places``
    decimals (a column, per row, or one number of places)."""
    import polars as pl

    places_expr = places if isinstance(places, pl.Expr) else pl.lit(places)
    factor = pl.lit(10.0).pow(places_expr.cast(pl.Float64))
    return expr.sign() * (expr.abs() * factor + 0.5 + _EPS).floor() / factor


def within_rounding(places: pl.Expr) -> pl.Expr:
    """Half a unit in the last decimal place shown: two figures closer than this read alike."""
    import polars as pl

    return 0.5 * pl.lit(10.0).pow(-places.cast(pl.Float64)) + _EPS


def shown_difference(ours: float | None, theirs: float | None, places: int) -> float | int | None:
    """The difference a reader sees: between the two figures as shown (85.3 against 87.7 is
    2.4 lower, whatever digits lie behind 85.3)."""
    a, b = shown(ours, places), shown(theirs, places)
    if a is None or b is None:
        return None
    return shown(a - b, places)


def _is_percent(unit: Unit | str | None) -> bool:
    return unit == Unit.PERCENT


# -- figures -----------------------------------------------------------------------------------


def number(value: float | None, places: int) -> str:
    """`1,002`, `85.2`, `0.0`: rounded half up, thousands separated, no unit."""
    if value is None:
        return ""
    return _number(value, places)


@functools.lru_cache(maxsize=4096)  # a report writes its few hundred figures many times over
def _number(value: float, places: int) -> str:
    return f"{round_half_up(value, places):,.{places}f}"


def figure(value: float | None, unit: Unit | str | None, places: int) -> str:
    """A figure in its unit: `85.2%`, `284`, `39.2` (a rate's unit is said in words)."""
    text = number(value, places)
    return f"{text}%" if text and _is_percent(unit) else text


def count(value: float | None) -> str:
    """A count of things: `534`, `1,002`."""
    return number(value, 0)


def trimmed(value: float, places: int = 2) -> str:
    """A number without needless zeros: 90 -> `90`, 95.5 -> `95.5`, 2.25 -> `2.25`."""
    text = number(value, places)
    return text.rstrip("0").rstrip(".") if "." in text else text


def target(value: float | None, unit: Unit | str | None, places: int) -> str:
    """A target as analysts write it: at the indicator's decimals (the figure it is judged
    on), without needless zeros: `90%`, `95.5%`, `1,000`."""
    if value is None:
        return ""
    text = trimmed(value, places)
    return f"{text}%" if _is_percent(unit) else text


def target_places(value: float, places: int) -> int:
    """How many decimals :func:`target` writes for ``value`` (for a spreadsheet's format)."""
    text = trimmed(value, places)
    return len(text.partition(".")[2])


def parts(numerator: float, denominator: float) -> str:
    """A percentage's parts: `455 / 534`."""
    return f"{count(numerator)} / {count(denominator)}"


def with_parts(
    value: float, unit: Unit | str | None, places: int, numerator: float, denominator: float
) -> str:
    """A figure with the counts it is worked out from: `85.2% (455 / 534)`."""
    return f"{figure(value, unit, places)} ({parts(numerator, denominator)})"


# -- figures not shown -------------------------------------------------------------------------


class Symbol(StrEnum):
    """What a published output writes in place of a figure, as the Department for Education's
    statistics do (the Government Statistical Service's symbols; docs/publishing.md)."""

    #: Confidential: a count of 1 to the threshold, or a figure it could be worked out from.
    SUPPRESSED = "c"
    #: Not applicable: the indicator has no such figure (a count has no numerator).
    NOT_APPLICABLE = "z"
    #: Not available: the indicator could have the figure, but the data do not give it.
    NOT_AVAILABLE = "x"


#: What each symbol means, as the note under a published output says it.
SYMBOL_MEANINGS: dict[Symbol, str] = {
    Symbol.SUPPRESSED: "suppressed to protect confidentiality",
    Symbol.NOT_APPLICABLE: "not applicable",
    Symbol.NOT_AVAILABLE: "not available",
}


def symbol(mark: Symbol | str) -> str:
    """How a figure not shown is written: `c`, `z` or `x`."""
    return Symbol(mark).value


# -- changes and differences -------------------------------------------------------------------


def signed(value: float | None, places: int) -> str:
    """A change with its sign: `+4.8`, `-3.0`; no change is `0.0`, unsigned."""
    if value is None:
        return ""
    rounded = round_half_up(value, places)
    return f"{rounded:+,.{places}f}" if rounded else f"{0:.{places}f}"


def points(value: float, unit: Unit | str | None, places: int, *, long: bool = False) -> str:
    """The size of a difference: a percentage's in points (`4.8 points`, `1 point`; ``long``:
    `4.2 percentage points`), anything else as the plain number (`12`)."""
    text = number(abs(value), places)
    if not _is_percent(unit):
        return text
    noun = "percentage point" if long else "point"
    return f"{text} {noun}" + ("" if text == "1" else "s")


# -- stored values -----------------------------------------------------------------------------


def exact(value: float | None) -> str:
    """A value as stored, not as shown: as many places as it has, thousands separated
    (`85.2`, `1,002`, `0.5`); "" for none."""
    if value is None:
        return ""
    return format(value, ",.10g")


# -- spreadsheets ------------------------------------------------------------------------------


def excel_format(places: int, unit: Unit | str | None = None, *, signed: bool = False) -> str:
    """The Excel number format that shows a figure as :func:`figure` writes it:
    `#,##0.0"%"`, `#,##0`; ``signed``, as :func:`signed` and a percentage's change in points
    (`+#,##0.0" pts"`: 85.2% on 80.4% is 4.8 points, not 4.8%). Without ``unit``: the number
    alone (a table whose heading gives the unit)."""
    digits = "#,##0" + ("." + "0" * places if places > 0 else "")
    if signed:
        suffix = '" pts"' if _is_percent(unit) else ""
        return f"+{digits}{suffix};-{digits}{suffix};{digits}{suffix}"
    return digits + ('"%"' if _is_percent(unit) else "")


def excel_target_format(value: float, unit: Unit | str | None, places: int) -> str:
    """The Excel number format that shows a target as :func:`target` writes it (`#,##0"%"`)."""
    return excel_format(target_places(value, places), unit)
