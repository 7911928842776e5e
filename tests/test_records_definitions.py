"""Definitions as data: the expression language, the shipped file, a council's file."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from csckpi.model import Measure, Polarity, Unit
from csckpi.records import DefinitionError, ExpressionError, load_definitions
from csckpi.records.expr import Scope, add_windows, code, compile_expression
from csckpi.records.lists import Kind

D = dt.date
FIELDS = {
    "child_id": Kind.ID,
    "referral_date": Kind.DATE,
    "other_date": Kind.DATE,
    "count": Kind.NUMBER,
    "answer": Kind.TEXT,
}
FRAME = pl.DataFrame(
    {
        "child_id": ["A", "A", "B", "C"],
        "referral_date": [D(2020, 1, 10), D(2021, 1, 10), D(2020, 5, 1), None],
        "other_date": [D(2020, 1, 9), D(2021, 1, 11), None, D(2020, 1, 1)],
        "count": [0.0, 1.0, None, 3.0],
        "answer": ["a) Yes", "N", "F1: Full time in higher education", None],
    }
)


def evaluate(text: str, keep_blanks: bool = False) -> list[bool | None]:
    scope = Scope(FIELDS)
    expr = compile_expression(text, scope, keep_blanks=keep_blanks)
    frame = add_windows(FRAME.with_row_index("_i"), scope).sort("_i")
    return frame.select(expr).to_series().to_list()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("count >= 1", [False, True, False, True]),
        ("count >= 1 and answer is not blank", [False, True, False, False]),
        ("not (count = 0) or referral_date is blank", [False, True, False, True]),
        ("referral_date > other_date", [True, False, False, False]),
        ("referral_date - 12 months <= D", None),  # replaced below: an unknown field
        ("code(answer) in ('YES', 'F1')", [True, False, True, False]),
        ("code(answer) not in ('YES')", [False, True, True, False]),
        ("yes(answer)", [True, False, False, False]),
        ("previous(referral_date) >= referral_date - 12 months", [False, True, False, False]),
        ("next(referral_date) is not blank", [True, False, False, False]),
        ("working_days(other_date, referral_date) <= 1", [True, False, False, False]),
        ("days(other_date, referral_date) = 1", [True, False, False, False]),
        ("referral_date + 1 year > other_date", [True, True, False, False]),
        ("answer = 'N' or answer <> 'N'", [True, True, True, False]),
        ("true and count = 3", [False, False, False, True]),
    ],
)
def test_expressions(text, expected):
    if expected is None:
        with pytest.raises(ExpressionError, match="'D' at column 30 is not a field"):
            evaluate(text)
        return
    assert evaluate(text) == expected


def test_a_blank_is_neither_true_nor_false_until_the_end():
    assert evaluate("count >= 1", keep_blanks=True) == [False, True, None, True]
    assert evaluate("count is not blank and count >= 1", keep_blanks=True) == [
        False,
        True,
        False,
        True,
    ]


def test_codes_of_coded_answers():
    values = ["a) Yes", "Yes", "Y", "F1: Full time", "G4 - NEET", "b) Unsuitable", " p1) 5D", None]
    out = pl.DataFrame({"v": values}).select(code(pl.col("v"))).to_series().to_list()
    assert out == ["YES", "YES", "Y", "F1", "G4", "UNSUITABLE", "5D", None]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "referal_date is blank",
            "'referal_date' at column 1 is not a field of this list. Did you mean 'referral_date'?",
        ),
        ("referral_date > 3", "'>' at column 15 compares a date with a number"),
        ("referral_date + 3", "cannot take a date and a number (add a duration such as 12 months"),
        ("count", "the expression gives a number, not yes or no"),
        ("count >= 1 and", "expected a field, a number, text or '(' at column 15, found the end"),
        ("count >= 1 count", "expected 'and', 'or' or the end at column 12, found 'count'"),
        ("working_days(referral_date)", "working_days() at column 1 takes 2 values"),
        ("previous(count + 1) > 1", "previous() at column 1 takes a field's name"),
        ("__import__('os')", "'__import__' at column 1 is not a function"),
        ("__import__('os').system('ls')", "'.' at column 17 is not part of the language"),
        ("count >= 1; drop", "';' at column 11 is not part of the language"),
        ("eval('1')", "'eval' at column 1 is not a function"),
        ("answer in ('a', 1)", "'in' at column 8 lists a number for a text"),
        ("count >= 1.5 months", "a duration at column 10 is a whole number"),
        ("(" * 60 + "count > 1" + ")" * 60, "the expression nests too deeply"),
        ("count > 1 or " * 200 + "count > 1", "longer than 2000 characters"),
    ],
)
def test_expression_errors_say_where(text, message):
    with pytest.raises(ExpressionError) as error:
        evaluate(text)
    assert message in str(error.value)


def test_the_shipped_definitions():
    definitions = load_definitions()
    codes = [t.code for t in definitions.targets]
    assert codes[:3] == ["AA REF", "AA REREF", "AA REREF PCT"]
    assert len(codes) == 22
    asmt = definitions.target("aa asmt 45").definition
    assert (asmt.list, asmt.kind, asmt.unit, asmt.polarity) == (
        4,
        Measure.RATIO,
        Unit.PERCENT,
        Polarity.UP,
    )
    assert asmt.date == "assessment_authorised" and "45 working days" in asmt.guidance
    assert asmt.fields() == {"child_id", "assessment_start", "assessment_authorised"}
    for target in definitions.targets:
        assert target.definition.guidance, target.code
    assert definitions.needs()[9] == {"child_id", "age", "in_touch", "suitability", "activity"}
    with pytest.raises(DefinitionError, match="Did you mean 'AA ASMT 45'"):
        definitions.target("AA ASMT 54")


def test_a_council_adds_its_own_measure_and_maps_its_codes(tmp_path):
    council = tmp_path / "annex-a.toml"
    council.write_text(
        """
["LA NFA"]
title = "Referrals that were no further action"
list = 3
kind = "ratio"
unit = "percent"
polarity = "down"
date = "referral_date"
numerator = "yes(referral_nfa)"
guidance = "Our own"

[codes]
"REF-01" = "LA NFA"
"CSC 038" = { measure = "AA ASMT 45", ytd = true }
""",
        encoding="utf-8",
    )
    definitions = load_definitions(council)
    assert [(t.code, t.definition.code, t.ytd) for t in definitions.targets] == [
        ("REF-01", "LA NFA", False),
        ("CSC 038", "AA ASMT 45", True),
    ]
    assert definitions.target("csc038").definition.code == "AA ASMT 45"
    assert definitions.needs() == {
        3: {"child_id", "referral_date", "referral_nfa"},
        4: {"child_id", "assessment_start", "assessment_authorised"},
    }
    assert definitions.sources == ("definitions.toml", "annex-a.toml")


X4 = '["X"]\ntitle = "x"\nlist = 4\n'
START = 'date = "assessment_start"\n'


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        (
            '["X"]\ntitle = "x"\nlist = 12\nkind = "flow"\nunit = "count"\ndate = "a"\n',
            'measure "X": list must be a number from 1 to 11',
        ),
        (
            X4 + 'kind = "flow"\nunit = "count"\ndate = "assesment_start"\n',
            "Did you mean 'assessment_start'?",
        ),
        (
            X4 + 'kind = "flow"\nunit = "count"\ndate = "team"\n',
            "'team' is not a date of List 4",
        ),
        (X4 + 'kind = "flows"\nunit = "count"\n', "kind must be one of"),
        (
            X4 + 'kind = "ratio"\nunit = "percent"\n' + START + 'numerator = "team > 3"\n',
            "measure \"X\", numerator: '>' at column 6 compares a text with a number",
        ),
        (
            X4 + 'kind = "snapshot"\nunit = "count"\n' + START,
            "a snapshot has open = [from, to]",
        ),
        (
            X4 + 'kind = "flow"\nunit = "percent"\n' + START,
            'a percent has a numerator = "..." saying which of its rows count',
        ),
        (
            X4 + 'kind = "flow"\nunit = "count"\n' + START + "numerator = \"team = 'A'\"\n",
            "only a percent has a numerator; this measure's unit is count",
        ),
        ('["X"]\ntitle = "x"\n[LA ASMT 20]\n', 'written in quotes: ["LA ASMT 20"]'),
        (
            X4 + 'kind = "flow"\nunit = "count"\n' + START + "colour = 1\n",
            "unknown keys colour",
        ),
        (
            '[codes]\n"CSC 182" = { measure = "AA CPP", ytd = true }\n',
            "AA CPP is a snapshot, which has no year to date",
        ),
        ('[codes]\n"CSC 182" = "AA CPQ"\n', "Did you mean 'AA CPP'?"),
        ("[codes\n", "is not valid TOML"),
    ],
)
def test_a_council_file_with_a_mistake_is_refused_with_where_it_is(tmp_path, toml, message):
    council = tmp_path / "annex-a.toml"
    council.write_text(toml, encoding="utf-8")
    with pytest.raises(DefinitionError) as error:
        load_definitions(council)
    assert message in str(error.value)
    assert "annex-a.toml" in str(error.value)


def test_the_quotes_hint_only_for_a_name_with_spaces(tmp_path):
    council = tmp_path / "annex-a.toml"
    council.write_text("[codes\n", encoding="utf-8")
    with pytest.raises(DefinitionError) as error:
        load_definitions(council)
    assert "is not valid TOML" in str(error.value) and "in quotes" not in str(error.value)
