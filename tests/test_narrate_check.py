"""Every sentence checked (issue 16 item 9): the checker finds no disagreement over the example,
a generated 24-month workbook and generated comparisons, and refuses a sentence that states
a wrong number, relation, period or run length."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from csckpi.cli import app
from csckpi.compare import compare_many
from csckpi.compute import resolve_period
from csckpi.narrate import Settings, check_all, key_messages, paragraph, paragraphs
from csckpi.narrate.check import SentenceRefused, disagreements, refuse
from csckpi.narrate.records import Paragraph
from csckpi.workbook import read_dataset
from tests.test_narrate_properties import comparisons, phrased

runner = CliRunner()


def _checked(dataset, periods: list[str]) -> tuple[int, int]:
    """(sentences, disagreements) over every indicator's summary and analysis, and the key
    messages, for each period."""
    sentences = found = 0
    for label in periods:
        period = resolve_period(dataset, label)
        cs = compare_many(dataset, period, [i.key for i in dataset.indicators])
        for summary in (True, False):
            for made, c in zip(paragraph_all(cs, summary), cs, strict=True):
                sentences += len(made.sentences)
                found += len(disagreements(made, c))
        key_messages(cs, Settings())  # refuses a message that disagrees
    return sentences, found


def paragraph_all(cs, summary: bool) -> list[Paragraph]:
    return [paragraph(c, summary=summary) for c in cs]


def test_the_example_has_no_disagreement():
    from conftest import EXAMPLE

    dataset = read_dataset(EXAMPLE)
    periods = ["Dec-20", "Nov-20", "Oct-20", "Sep-20", "Q3 2020/21", "Q2 2020/21"]
    sentences, found = _checked(dataset, [*periods, "2020/21 YTD", "Q1 2020/21", "Jun-20"])
    assert found == 0
    assert sentences > 1000


@pytest.fixture(scope="module")
def generated(generated_council: Path) -> Path:
    """A generated council: 40 indicators of every kind over 24 months (two financial years)."""
    return generated_council


def test_a_generated_24_month_workbook_has_no_disagreement(generated):
    dataset = read_dataset(generated)
    import polars as pl

    first = dataset.monthly.get_column("month").min()
    last = dataset.monthly.get_column("month").max()
    assert (last.year - first.year) * 12 + last.month - first.month == 23  # 24 months
    fy = last.year if last.month >= 4 else last.year - 1
    labels = [last.strftime("%b-%y"), f"Q{((last.month - 4) % 12) // 3 + 1} {fy}/{fy % 100 + 1}"]
    middle = dataset.monthly.filter(pl.col("month") < last).get_column("month").max()
    labels.append(middle.strftime("%b-%y"))
    sentences, found = _checked(dataset, labels)
    assert found == 0
    assert sentences > 200
    # runs, trends and records across the two years are among what was checked
    period = resolve_period(dataset, labels[0])
    cs = compare_many(dataset, period, [i.key for i in dataset.indicators])
    kinds = {f.kind for p in paragraph_all(cs, False) for s in p.sentences for f in s.facts}
    assert {"trend", "target run"} <= kinds


@settings(max_examples=300, deadline=None)
@given(comparisons(), st.integers(0, 5))
def test_generated_comparisons_have_no_disagreement(drawn, taken):
    c, options = drawn
    for summary in (True, False):
        with phrased(taken):  # every phrasing, not only those the hash draws
            made = paragraph(c, summary=summary, settings=options)
        assert disagreements(made, c) == [], made.text


# -- the checker refuses what the data do not say ------------------------------------------


@pytest.fixture(scope="module")
def december():
    from conftest import EXAMPLE

    dataset = read_dataset(EXAMPLE)
    period = resolve_period(dataset, "Dec-20")
    cs = compare_many(dataset, period, [i.key for i in dataset.indicators])
    return {c.indicator.code: c for c in cs}


def _tampered(made: Paragraph, kind: str, **change) -> Paragraph:
    """``made`` with the first fact of ``kind`` changed."""
    sentences = list(made.sentences)
    for i, s in enumerate(sentences):
        for j, f in enumerate(s.facts):
            if f.kind == kind:
                facts = list(s.facts)
                facts[j] = replace(f, **change)
                sentences[i] = replace(s, facts=tuple(facts))
                return replace(made, sentences=tuple(sentences))
    raise AssertionError(f"no {kind} fact in {made.text}")


@pytest.mark.parametrize(
    ("code", "kind", "change", "problem"),
    [
        ("CSC 038", "figure", {"value": 85.3, "shown": "85.3%"}, "none of the period's figures"),
        ("CSC 038", "target", {"relation": "above"}, "above, but"),
        ("CSC 038", "target", {"better": True}, "judged True"),
        ("CSC 038", "benchmark", {"other": 80.0}, "not the data's benchmark"),
        ("CSC 201", "last year", {"other_period": "Dec-18"}, "is not Dec-19"),
        ("CSC 201", "previous", {"relation": "increase"}, "increase, but"),
        ("CSC 022", "target run", {"count": 5}, "5 months said"),
        ("CSC 201", "trend", {"count": 5}, "5 months said"),
        ("CSC 201", "count change", {"count": 5}, "5 said, 4 worked out"),
        ("CSC 201", "count change", {"relation": "decrease"}, "said decrease"),
        ("CSC 201", "count change", {"other": 279.0}, "neither last year's"),
    ],
)
def test_a_wrong_statement_is_refused_naming_its_sentence(december, code, kind, change, problem):
    c = december[code]
    made = paragraph(c, summary=False)
    assert disagreements(made, c) == []
    found = disagreements(_tampered(made, kind, **change), c)
    assert found and problem in str(found[0]), found
    with pytest.raises(SentenceRefused) as refused:
        refuse(found)
    assert found[0].sentence in refused.value.message and code in refused.value.message


def test_a_wrong_month_is_refused():
    from conftest import EXAMPLE

    dataset = read_dataset(EXAMPLE)
    c = compare_many(dataset, resolve_period(dataset, "Q3 2020/21"), ["CSC 201"])[0]
    made = paragraph(c, summary=False)
    assert disagreements(made, c) == []
    found = disagreements(_tampered(made, "months", value=270.0, shown="270"), c)
    assert any("not the figure for 2020-" in str(d) for d in found), found


def test_a_sentence_whose_words_lack_its_number_is_refused(december):
    c = december["CSC 038"]
    made = paragraph(c, summary=False)
    first = made.sentences[0]
    wrong = replace(made, sentences=(replace(first, text=first.text.replace("85.2%", "85.3%")),))
    found = disagreements(wrong, c)
    assert any("85.2% is not in the sentence" in str(d) for d in found)


def test_paragraphs_refuse_before_anything_is_returned(december, monkeypatch):
    """A clause that states a wrong figure stops the whole narration with the sentence."""
    from csckpi.narrate import headline
    from csckpi.narrate.records import Clause, Fact
    from csckpi.narrate.registry import CLAUSES, Placeholder

    def lying(ctx):
        return Clause("99.9%", (Fact("figure", 99.9, "99.9%", ctx.c.period.label),))

    monkeypatch.setitem(CLAUSES, "value", Placeholder(lying, "a wrong figure"))
    monkeypatch.setattr(headline, "value", lying)
    with pytest.raises(SentenceRefused, match="CSC 038"):
        paragraphs([december["CSC 038"]], summary=True)


def test_the_cli_check(example_workbook):
    result = runner.invoke(app, ["narrate", "-w", str(example_workbook), "--check"])
    assert result.exit_code == 0, result.output
    assert "no disagreements" in result.stdout
    dataset = read_dataset(example_workbook)
    checked = check_all(dataset, resolve_period(dataset, "Q3 2020/21"))
    assert f"Checked {checked.sentences} sentences" in result.stdout
    assert checked.sentences > 200 and checked.facts > checked.sentences


# -- the clauses of SPC and rank are checked too ----------------------------------------------


@pytest.fixture(scope="module")
def step(tmp_path_factory):
    from spc_workbook import step_workbook

    from csckpi.spc import options

    dataset = read_dataset(step_workbook(tmp_path_factory.mktemp("spc") / "step.xlsx"))
    return dataset, options()


def _spc_paragraphs(step, label: str):
    dataset, spc = step
    period = resolve_period(dataset, label)
    cs = compare_many(dataset, period, [i.key for i in dataset.indicators], spc)
    return [(paragraph(c, summary=False), c) for c in cs]


@pytest.mark.parametrize("label", ["Oct-20", "Dec-20", "Mar-21", "Q4 2020/21"])
def test_the_spc_sentences_agree_with_the_chart(step, label):
    made = _spc_paragraphs(step, label)
    said = [f for p, _ in made for s in p.sentences for f in s.facts if f.kind == "spc"]
    assert {f.relation for f in said} == {"shift", "common cause"}  # CSC 191, CSC 201
    assert [d for p, c in made for d in disagreements(p, c)] == []


@pytest.mark.parametrize(
    ("code", "change", "problem"),
    [
        ("CSC 191", {"count": 13}, "13 months said"),
        ("CSC 191", {"value": 61.0}, "is not the chart's"),
        ("CSC 191", {"relation": "trend"}, "no trend signal"),
        ("CSC 191", {"better": False}, "judged False"),
        ("CSC 201", {"relation": "no limits"}, "there are limits"),
    ],
)
def test_a_wrong_spc_statement_is_refused(step, code, change, problem):
    made = dict((c.indicator.code, (p, c)) for p, c in _spc_paragraphs(step, "Mar-21"))
    p, c = made[code]
    found = disagreements(_tampered(p, "spc", **change), c)
    assert any(problem in str(d) for d in found), found


def test_a_trend_counts_the_months_each_higher_than_the_month_before(tmp_path):
    """Eight months rising (Aug-20 to Mar-21) are seven moves up: Mar-21 is the seventh month in
    a row higher than the month before (not the eighth), and the checker counts them again."""
    import datetime as dt

    from workbook_factory import write

    from csckpi.spc import options

    months = [dt.datetime(2019 + (3 + i) // 12, (3 + i) % 12 + 1, 1) for i in range(24)]
    values = [50.0, 52.0] * 8 + [49.0, 49.5, 50.5, 51.0, 51.5, 52.5, 53.0, 53.5]
    indicators = [["code", "title", "section", "unit", "polarity", "measure", "target"]]
    indicators.append(["CSC 191", "Care plans up to date", "Care", "percent", "up", "snapshot", 90])
    write(
        tmp_path / "trend.xlsx",
        {
            "Indicators": indicators,
            "Monthly": [["code", "part", *months], ["CSC 191", "value", *values]],
        },
    )
    dataset = read_dataset(tmp_path / "trend.xlsx")
    (c,) = compare_many(dataset, resolve_period(dataset, "Mar-21"), ["CSC 191"], options())
    made = paragraph(c, summary=False)
    (spc,) = [s for s in made.sentences if s.kind == "spc"]
    assert spc.facts[0].relation == "trend", spc.text
    assert "is the seventh month in a row higher than the month before" in spc.text
    assert spc.facts[0].count == 7
    assert disagreements(made, c) == []
    found = disagreements(_tampered(made, "spc", count=8), c)
    assert any("8 months said, 7 counted" in str(d) for d in found), found


def test_a_significant_signal_is_a_key_message(step):
    """Key messages rank a signal at the period's last month (SPC) after a crossing of the
    target and before the distance from it; the message's facts are checked like a sentence."""
    from csckpi.narrate.messages import SIGNAL

    dataset, spc = step
    period = resolve_period(dataset, "Mar-21")
    cs = compare_many(dataset, period, [i.key for i in dataset.indicators], spc)
    messages = key_messages(cs, Settings())
    (care_plans,) = [m for m in messages if m.code == "CSC 191"]
    assert care_plans.tier == SIGNAL
    assert care_plans.text.endswith(
        "March 2021 is the twelfth month in a row above the average of 60.0% — a significant "
        "improvement."
    )
    assert [f.kind for f in care_plans.facts] == ["spc"]
    without = compare_many(dataset, period, [i.key for i in dataset.indicators])
    (plain,) = [m for m in key_messages(without, Settings()) if m.code == "CSC 191"]
    assert plain.tier != SIGNAL and "rated red" in plain.text  # SPC off: the target's miss


def test_a_key_message_s_rag_is_the_period_s(december):
    from csckpi.narrate.check import message_disagreements
    from csckpi.narrate.messages import candidate

    c = december["CSC 251"]
    message = candidate(c, Settings())
    assert message is not None and message.text.endswith(", rated red.")
    (rag,) = [f for f in message.facts if f.kind == "rag"]
    assert message_disagreements(message, c) == []
    wrong = replace(
        message, facts=tuple(replace(f, relation="green") if f is rag else f for f in message.facts)
    )
    assert any("is not the period's RAG" in str(d) for d in message_disagreements(wrong, c))
