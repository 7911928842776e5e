"""One cell -> one figure, or a reason it is not one.

What Excel shows is what is read: a percent-formatted 0.852 shows as 85.2% and reads as 85.2.
Text that is plainly a number ("85.2%", "1,002", " 12 ") is read, with a warning so the
analyst can fix the sheet; the usual no-figure marks ("n/a", "-", "*") are quietly blank;
any other text, an Excel error or a date is a warning and the cell is left blank. A formula
with no saved result is an error: csckpi cannot know its value.

Also a cell as the messages name it (`K14`) and as text, as Excel shows it.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from csckpi.model import Severity, column_letter

#: Marks analysts put where there is no figure; read as blank without a word.
QUIET_BLANKS = frozenset({"n/a", "na", "n.a.", "n.a", "-", "–", "—", "*", "..", "…"})

EXCEL_ERRORS = frozenset(
    {"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#SPILL!", "#CALC!"}
)

FORMULA_NO_VALUE = (
    "the formula here has no saved result — open the workbook in Excel and save it "
    "so formulas get their values"
)

_TEXT_NUMBER = re.compile(r"^([+-]?)(\d{1,3}(?:,\d{3})+|\d*)(\.\d+)?\s*(%?)$")
_SPACES = str.maketrans({"\u00a0": " ", "\u202f": " ", "\u2009": " "})
# In a number format, text in quotes, escaped characters and [colour/condition] are literal.
_FORMAT_LITERALS = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]')

#: (value, severity, kind, message): value None means no figure; severity None, nothing to say
Reading = tuple[float | None, Severity | None, str, str]
_BLANK: Reading = (None, None, "", "")


def is_percent_format(number_format: str) -> bool:
    """`0.0%` yes; `0.0"%"` (a literal sign), `General` no."""
    return "%" in _FORMAT_LITERALS.sub("", number_format)


def show(value: float) -> str:
    """A figure as a message shows it: 1002, 85.2, -3."""
    if value == int(value) and abs(value) < 1e15:
        return str(int(value))
    return repr(round(value, 10))


def quoted(text: str) -> str:
    return f'"{text}"'


def read_number(value: Any, data_type: str, percent: bool) -> Reading:
    """Any cell value as a figure. The fast path (a plain number) is inlined by callers."""
    kind = type(value)
    if kind is float or kind is int:
        return (round(value * 100, 9) if percent else float(value)), None, "", ""
    if value is None:
        if data_type == "f":
            return None, Severity.ERROR, "formula-no-value", FORMULA_NO_VALUE
        return _BLANK
    if kind is bool:
        word = "TRUE" if value else "FALSE"
        return None, Severity.WARNING, "not-a-number", f"{word} is not a number — left blank"
    if isinstance(value, dt.datetime | dt.date | dt.time | dt.timedelta):
        shown = value.date().isoformat() if isinstance(value, dt.datetime) else str(value)
        return (
            None,
            Severity.WARNING,
            "date-not-number",
            f"{shown} is a date, not a number — left blank",
        )
    if data_type == "e":
        return None, Severity.WARNING, "excel-error", f"{value} is an Excel error — left blank"
    if isinstance(value, int | float):  # a subclass of a number: not from openpyxl, but safe
        return float(value), None, "", ""
    return read_text(str(value))


def read_text(text: str) -> Reading:
    cleaned = " ".join(text.translate(_SPACES).split())
    if not cleaned or cleaned.lower() in QUIET_BLANKS:
        return _BLANK
    if cleaned.upper() in EXCEL_ERRORS:
        return (
            None,
            Severity.WARNING,
            "excel-error",
            f"{cleaned} is an Excel error — left blank",
        )
    m = _TEXT_NUMBER.match(cleaned)
    if m and (m[2] or m[3]):
        number = float(m[1] + m[2].replace(",", "") + (m[3] or ""))
        return (
            number,
            Severity.WARNING,
            "text-number",
            f"{quoted(text)} is text — read as {show(number)}; enter it as a number",
        )
    return (
        None,
        Severity.WARNING,
        "not-a-number",
        f"{quoted(text)} is not a number — left blank",
    )


def is_blank(value: Any) -> bool:
    """Nothing in the cell that anyone typed."""
    return value is None or (type(value) is str and not value.strip())


_LETTERS: dict[int, str] = {}


def cell_name(row: int, column: int) -> str:
    """`K14`."""
    letters = _LETTERS.get(column)
    if letters is None:
        letters = _LETTERS[column] = column_letter(column)
    return f"{letters}{row}"


def text(value: Any) -> str:
    """A cell as text, as Excel shows it: 38.0 -> "38", a date -> "2020-12-01"."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    return str(value)
