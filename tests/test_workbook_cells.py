"""One cell -> one figure: what is read, what is blank, what is said about it."""

from __future__ import annotations

import datetime as dt

import pytest

from csckpi.model import Severity
from csckpi.workbook.cells import FORMULA_NO_VALUE, is_percent_format, read_number, show

W, E = Severity.WARNING, Severity.ERROR


@pytest.mark.parametrize(
    ("value", "data_type", "percent", "expected"),
    [
        (85.2, "n", False, (85.2, None, "", "")),
        (284, "n", False, (284.0, None, "", "")),
        (0.852, "n", True, (85.2, None, "", "")),
        (1, "n", True, (100.0, None, "", "")),
        (0.0, "n", True, (0.0, None, "", "")),
        (None, "n", False, (None, None, "", "")),
        (None, "f", False, (None, E, "formula-no-value", FORMULA_NO_VALUE)),
        ("", "s", False, (None, None, "", "")),
        ("   ", "s", False, (None, None, "", "")),
        ("n/a", "s", False, (None, None, "", "")),
        ("N/A ", "s", False, (None, None, "", "")),
        ("-", "s", False, (None, None, "", "")),
        ("*", "s", False, (None, None, "", "")),
        ("TBC", "s", False, (None, W, "not-a-number", '"TBC" is not a number — left blank')),
        ("85.2%", "s", False, (85.2, W, "text-number", '"85.2%" is text — read as 85.2; enter it as a number')),  # noqa: E501
        ("1,002", "s", False, (1002.0, W, "text-number", '"1,002" is text — read as 1002; enter it as a number')),  # noqa: E501
        (" 12 ", "s", False, (12.0, W, "text-number", '" 12 " is text — read as 12; enter it as a number')),  # noqa: E501
        ("\u00a012\u00a0", "s", False, (12.0, W, "text-number", '"\u00a012\u00a0" is text — read as 12; enter it as a number')),  # noqa: E501
        ("-3", "s", False, (-3.0, W, "text-number", '"-3" is text — read as -3; enter it as a number')),  # noqa: E501
        (".5", "s", False, (0.5, W, "text-number", '".5" is text — read as 0.5; enter it as a number')),  # noqa: E501
        ("1,5", "s", False, (None, W, "not-a-number", '"1,5" is not a number — left blank')),
        ("12,00", "s", False, (None, W, "not-a-number", '"12,00" is not a number — left blank')),
        ("%", "s", False, (None, W, "not-a-number", '"%" is not a number — left blank')),
        ("#DIV/0!", "e", False, (None, W, "excel-error", "#DIV/0! is an Excel error — left blank")),
        ("#N/A", "e", False, (None, W, "excel-error", "#N/A is an Excel error — left blank")),
        ("#REF!", "s", False, (None, W, "excel-error", "#REF! is an Excel error — left blank")),
        (True, "b", False, (None, W, "not-a-number", "TRUE is not a number — left blank")),
        (dt.datetime(2020, 12, 31), "d", False, (None, W, "date-not-number", "2020-12-31 is a date, not a number — left blank")),  # noqa: E501
    ],
)  # fmt: skip
def test_read_number(value: object, data_type: str, percent: bool, expected: tuple) -> None:
    assert read_number(value, data_type, percent) == expected


def test_percent_figures_have_no_float_noise() -> None:
    assert read_number(0.852, "n", True)[0] == 85.2
    assert read_number(0.1, "n", True)[0] == 10.0
    assert read_number(0.077, "n", True)[0] == 7.7


@pytest.mark.parametrize(
    ("number_format", "percent"),
    [
        ("0%", True),
        ("0.0%", True),
        ("#,##0.00%", True),
        ("[Red]0.0%", True),
        ("General", False),
        ("0.0", False),
        ('0.0"%"', False),
        ("0.0\\%", False),
        ("mmm-yy", False),
        ("[$%-809]0.0", False),
    ],
)
def test_is_percent_format(number_format: str, percent: bool) -> None:
    assert is_percent_format(number_format) is percent


@pytest.mark.parametrize(
    ("value", "shown"), [(1002.0, "1002"), (85.2, "85.2"), (-3.0, "-3"), (0.1 + 0.2, "0.3")]
)
def test_show(value: float, shown: str) -> None:
    assert show(value) == shown
