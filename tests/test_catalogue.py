"""Finding an indicator from what a user types."""

from __future__ import annotations

import pytest

from csckpi.catalogue import find_indicator, select
from csckpi.errors import UnknownIndicator
from csckpi.model import Indicator, Measure, Polarity, Unit


def _ind(code: str, section: str = "S", order: int = 0) -> Indicator:
    return Indicator(
        code, f"title {code}", section, Unit.COUNT, Polarity.NONE, Measure.FLOW, order=order
    )


CATALOGUE = (_ind("CSC 038", "Assessments", 0), _ind("CSC 201", "Care", 1), _ind("NI 59", "X", 2))


@pytest.mark.parametrize("typed", ["CSC 038", "csc038", "CSC-038", "csc_038", " CSC 038 "])
def test_any_spelling_of_a_code_finds_it(typed):
    assert find_indicator(CATALOGUE, typed, "the store x.db").code == "CSC 038"


@pytest.mark.parametrize("typed", ["CSC 38", "csc38", "CSC 0038"])
def test_a_code_missing_or_adding_zeros_is_suggested_not_guessed(typed):
    with pytest.raises(UnknownIndicator) as caught:
        find_indicator(CATALOGUE, typed, "the store x.db")
    assert str(caught.value) == (
        f"Indicator '{typed}' is not in the store x.db. Did you mean 'CSC 038'?"
    )


def test_an_unknown_code_names_where_it_looked_and_the_nearest():
    with pytest.raises(UnknownIndicator) as caught:
        find_indicator(CATALOGUE, "CSC 202", "the store csckpi.db")
    assert str(caught.value) == (
        "Indicator 'CSC 202' is not in the store csckpi.db. Did you mean 'CSC 201' or 'CSC 038'?"
    )


def test_nothing_near_lists_what_there_is():
    with pytest.raises(UnknownIndicator) as caught:
        find_indicator(CATALOGUE, "LAC01", "the workbook w.xlsx")
    assert str(caught.value).endswith("It has CSC 038, CSC 201, NI 59.")


def test_an_empty_store_says_to_ingest_first():
    with pytest.raises(UnknownIndicator) as caught:
        find_indicator((), "CSC 038", "the store csckpi.db")
    assert "csckpi ingest" in str(caught.value)


def test_select_by_section_keeps_workbook_order_and_each_once():
    chosen = select(CATALOGUE, ["CSC 201"], ["care", "assess"], "w")
    assert [i.code for i in chosen] == ["CSC 201", "CSC 038"]
    assert [i.code for i in select(CATALOGUE)] == ["CSC 038", "CSC 201", "NI 59"]
