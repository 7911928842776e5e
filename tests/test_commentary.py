"""csckpi.commentary: which version is in force, what a period shows, what an ingest keeps.

Each test is a few hand-made versions and the one answer they must give.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from csckpi.commentary import (
    Comment,
    Origin,
    Shown,
    check_text,
    current,
    from_workbook,
    period_key,
    shown,
    since,
    typed,
)
from csckpi.errors import PeriodError, StoreError
from csckpi.periods import parse_period


def note(
    period: str = "Q3 2020/21",
    text: str = "Recalled to custody.",
    *,
    key: str = "CSC038",
    carry: bool = False,
    origin: Origin = Origin.WORKBOOK,
    number: int | None = None,
    removed: bool = False,
    ingest: int | None = None,
) -> Comment:
    return Comment(
        key=key,
        code=key[:3] + " " + key[3:],
        period=period_key(period),
        text="" if removed else text,
        carry=carry,
        origin=origin,
        id=number,
        removed=removed,
        ingest_id=ingest,
    )


def test_a_period_is_kept_under_its_key_however_it_is_written():
    assert period_key("Dec-20") == period_key("December 2020") == "2020-12"
    assert period_key("q3 20/21") == period_key("2020/21 Q3") == "Q3 2020/21"
    assert period_key("FY 2020-21") == "2020/21"
    assert period_key("2020/21 YTD") == "2020/21 YTD"
    with pytest.raises(PeriodError, match="'Q5 2020/21' is not a period"):
        period_key("Q5 2020/21")


def test_the_latest_version_of_each_is_in_force_and_a_removal_takes_it_away():
    first = note(number=1)
    edited = note(text="Recalled to custody (three young people).", number=2)
    other = note("Dec-20", "Four children came into care together.", key="CSC201", number=3)
    removed = note("Dec-20", key="CSC201", removed=True, number=4)
    assert current([first, edited, other]) == (edited, other)
    assert current([first, edited, other, removed]) == (edited,)
    assert current([]) == ()


def test_a_period_shows_its_own_comment():
    own = note("Q3 2020/21")
    found = shown([own], parse_period("Q3 2020/21"))
    assert found == {"CSC038": Shown(own, "Q3 2020/21")}
    assert not found["CSC038"].carried and found["CSC038"].note == ""


def test_a_comment_not_marked_to_carry_stays_in_its_period():
    assert shown([note("Q2 2020/21")], parse_period("Q3 2020/21")) == {}
    assert shown([note("Q3 2020/21")], parse_period("Q2 2020/21")) == {}  # never backwards


def test_a_carried_comment_is_offered_in_later_periods_of_its_kind_until_a_later_one():
    carried = note("Q1 2020/21", "A new recording system from April.", carry=True)
    for later in ("Q2 2020/21", "Q3 2020/21", "Q1 2021/22"):
        found = shown([carried], parse_period(later))["CSC038"]
        assert found.carried and found.note == "carried forward from Q1 2020/21"
    assert shown([carried], parse_period("Jun-20")) == {}  # a month is another kind of period
    replaced = note("Q2 2020/21", "Two social workers left.")  # not carried: it ends the first
    assert shown([carried, replaced], parse_period("Q2 2020/21"))["CSC038"].comment == replaced
    assert shown([carried, replaced], parse_period("Q3 2020/21")) == {}
    assert shown([carried, replaced], parse_period("Q1 2020/21"))["CSC038"].comment == carried


def test_months_carry_across_financial_years():
    march = note("Mar-20", "Lockdown began.", carry=True)
    assert shown([march], parse_period("May-20"))["CSC038"].comment == march


def test_a_year_to_date_comment_is_the_years_at_any_month():
    ytd = note("2020/21 YTD", "The year so far.")
    assert shown([ytd], parse_period("2020/21 YTD", latest=None))["CSC038"].comment == ytd
    assert shown([ytd], parse_period("YTD", parse_period("Dec-20").end))["CSC038"].comment == ytd


def test_an_ingest_keeps_rows_that_are_new_or_changed_since_an_ingest_last_brought_them():
    row = note()
    kept = from_workbook([row], [], ingest_id=1, written="2021-01-14T09:30:00Z")
    assert kept == [replace(row, ingest_id=1, written="2021-01-14T09:30:00Z")]
    history = [replace(kept[0], id=1)]
    assert from_workbook([row], history, ingest_id=2, written="later") == []
    # typed over: the same row in the next workbook is not a new word, so the typed one stays
    over = note(text="Typed over it.", origin=Origin.TYPED, number=2)
    assert from_workbook([row], [*history, over], ingest_id=2, written="later") == []
    # changed in the workbook: newer than the typed one, and kept
    changed = replace(row, text="Recalled to custody; now released.")
    assert [
        c.text for c in from_workbook([changed], [*history, over], ingest_id=3, written="x")
    ] == ["Recalled to custody; now released."]
    # a change of carry is a change
    assert len(from_workbook([replace(row, carry=True)], history, ingest_id=3, written="x")) == 1


def test_typing_keeps_a_version_unless_it_says_what_is_in_force():
    in_force = replace(note(), id=1)
    same = note(origin=Origin.TYPED)
    assert typed([in_force], same, ingest_id=1, written="t", where="csckpi.db") is None
    new = typed([in_force], note(text="Other words."), ingest_id=1, written="t", where="x")
    assert new is not None and new.origin is Origin.TYPED and new.ingest_id == 1


def test_removing_what_is_not_there_says_so():
    with pytest.raises(StoreError, match=r"no comment on CSC 038 for Q3 2020/21 in csckpi.db"):
        typed([], note(removed=True), ingest_id=1, written="t", where="csckpi.db")


def test_since_an_ingest_gives_what_later_ingests_brought_and_what_was_typed_after_it():
    by_first = note(number=1, ingest=1)
    typed_before_second = note(text="Typed.", origin=Origin.TYPED, number=2, ingest=1)
    by_second = note("Dec-20", number=3, ingest=2)
    typed_after_second = note("Dec-20", "Typed again.", origin=Origin.TYPED, number=4, ingest=2)
    history = [by_first, typed_before_second, by_second, typed_after_second]
    assert since(history, 1) == [typed_before_second, by_second, typed_after_second]
    assert since(history, 2) == [typed_after_second]
    assert since(history, 0) == history


def test_a_comment_must_have_words_and_not_too_many():
    assert check_text("Fine.") is None
    assert check_text("   ") == "the comment is empty"
    assert check_text("x" * 4001) == "the comment is 4,001 characters long; the most kept is 4,000"


def test_the_byline_names_who_and_when():
    typed_one = replace(note(), author="A. Analyst", written="2021-01-14T09:30:00Z")
    assert typed_one.byline == "A. Analyst, 14 January 2021"
    from_sheet = replace(note(), file="q3.xlsx", written="2021-01-04T09:30:00Z")
    assert from_sheet.byline == "Commentary sheet of q3.xlsx, 4 January 2021"
    assert note().byline == ""
