"""The block `compare` writes: plain text (golden), rich, JSON, CSV and Markdown."""

from __future__ import annotations

import csv
import io
import json

import pytest
from test_compare import example_figures

from csckpi.compare import compare, compare_many
from csckpi.compute import resolve_period
from csckpi.numbers import round_half_up
from csckpi.render.comparison import (
    TARGET_MARK,
    _source,
    as_delimited,
    as_json,
    as_markdown,
    bar,
    chart,
    number,
    plain_text,
    rich_blocks,
)


@pytest.fixture(scope="module")
def example():
    return example_figures()


@pytest.fixture(scope="module")
def csc038(example):
    return compare(example, resolve_period(example, "2020/21 YTD"), "CSC038")


@pytest.fixture(scope="module")
def csc181(example):
    return compare(example, resolve_period(example, "Dec-20"), "CSC181")


def test_csc038_lines_say_the_judgements(csc038):
    lines = plain_text([csc038], [None]).splitlines()
    assert lines[0] == (
        "CSC 038  % C&F Assessments completed within 45 working days (Year to date)"
    )
    said = {line.split("  ")[1].strip(): line for line in lines if line.startswith("  ")}
    assert "90.0%  4.8 points lower, worse · RAG red" in said["Target"]
    assert "87.7%  2.5 points lower, worse · LAIT 2020" in said["Statistical neighbours"]
    assert "88.8%  3.6 points lower, worse" in said["Regional average"]
    assert "83.8%  1.4 points higher, better" in said["National average"]


def test_polarity_none_says_lower_never_better(csc181):
    text = plain_text([csc181], [None])
    assert "70.0  30.8 lower · LAIT 2020" in text
    assert "53.9  14.7 lower" in text and "42.8  3.6 lower" in text
    assert "better" not in text and "worse" not in text
    assert "39.2  per 10,000 children aged 0-17" in text


@pytest.mark.parametrize(
    ("code", "measure"),
    [
        ("CSC038", "year to date: each month holds the year so far"),
        ("CSC201", "as at each month's end"),
        ("CSC034", "each month's count; a longer period adds them up"),
        ("CSC022", "each month's own; a longer period pools them"),
        ("CSC246C", "people counted once in the period"),
    ],
)
def test_the_measure_is_said_in_words_not_the_workbook_s_name(example, code, measure):
    c = compare(example, resolve_period(example, "Dec-20"), code)
    second = plain_text([c], [None]).splitlines()[1]
    assert second.endswith(f" · {measure}")
    assert c.indicator.measure.value not in second.rsplit(" · ", 1)[1].split()


def test_lait_is_written_out_once_where_a_source_says_it(example, csc038):
    text = plain_text([csc038], [None])
    said = "LAIT: the Local Authority Interactive Tool"
    assert text.count(said) == 1 and text.count("LAIT 2020, for 2019/20") == 3
    # the figures' table ends with it, before the annual trend
    assert text.index(said) < text.index("Annual trend")
    no_benchmarks = compare(example, resolve_period(example, "Dec-20"), "CSC201")
    assert not no_benchmarks.facts.value.benchmarks
    assert "LAIT" not in plain_text([no_benchmarks], [None])


def test_the_verdict_ends_the_block(csc038):
    text = plain_text([csc038], ["Below target and most comparators."])
    assert text.endswith("\n\n  Below target and most comparators.\n")


def test_blocks_are_separated_by_a_blank_line(csc038, csc181):
    both = plain_text([csc038, csc181], [None, None])
    assert both == plain_text([csc038], [None]) + "\n" + plain_text([csc181], [None])


@pytest.mark.parametrize(
    ("source", "year", "shown"),
    [("LAIT 2020", "2020", "LAIT 2020"), ("LAIT", "2020", "LAIT, for 2020"), ("", "2019", "2019")],
)
def test_a_source_says_its_year_once(source, year, shown):
    assert _source(source, year) == shown


@pytest.mark.parametrize(
    ("value", "scale", "expected"),
    [
        (None, 10.0, " " * 10),
        (0.0, 10.0, " " * 10),
        (-3.0, 10.0, " " * 10),
        (10.0, 10.0, "█" * 10),
        (25.0, 10.0, "█" * 10),  # never past the edge
        (5.0, 10.0, "█" * 5 + " " * 5),
        (5.5, 10.0, "█" * 5 + "▌" + " " * 4),
        (0.125, 10.0, "▏" + " " * 9),
    ],
)
def test_bar_is_eighths_of_cells(value, scale, expected):
    assert bar(value, scale, 10) == expected


def test_chart_marks_the_target_in_one_column_and_writes_each_value(csc038):
    lines = ["".join(t for t, _ in line) for line in chart(csc038)]
    assert len(lines) == 12
    columns = {line.index(TARGET_MARK) for line in lines}
    assert len(columns) == 1
    assert lines[0].startswith("    Apr-20  █") and lines[0].endswith("71.7")
    assert lines[8].endswith("85.2") and lines[11].endswith("–")
    # longer bar for a larger value
    assert lines[8].count("█") > lines[1].count("█")


def test_chart_without_target_has_no_mark(csc181):
    lines = ["".join(t for t, _ in line) for line in chart(csc181)]
    assert lines and not any(TARGET_MARK in line for line in lines)


def test_json_lists_each_comparison(csc038, csc181):
    data = json.loads(as_json([csc038, csc181], ["v1", "v2"]))
    assert [d["code"] for d in data] == ["CSC 038", "CSC 181"]
    assert [d["verdict"] for d in data] == ["v1", "v2"]
    first = data[0]["comparisons"]
    assert [(c["comparator"], c["value"], c["source"], c["better"]) for c in first] == [
        ("target", 90.0, None, False),
        ("statistical neighbours", 87.7, "LAIT 2020", False),
        ("region", 88.8, "LAIT 2020", False),
        ("england", 83.8, "LAIT 2020", True),
    ]
    assert first[1]["difference"] == pytest.approx(-2.5)
    assert all(c["better"] is None for c in data[1]["comparisons"])
    assert data[0] == json.loads(json.dumps(csc038.as_dict() | {"verdict": "v1"}))


def test_csv_has_a_row_per_comparison(csc038):
    rows = list(csv.DictReader(io.StringIO(as_delimited([csc038]))))
    assert [r["against"] for r in rows] == [
        "target",
        "statistical neighbours",
        "region",
        "england",
    ]
    assert rows[3] | {"difference": ""} == {
        "code": "CSC 038",
        "period": "2020/21 YTD",
        "value": "85.2",
        "against": "england",
        "against_value": "83.8",
        "source": "LAIT 2020",
        "year": "2019/20",
        "difference": "",
        "relation": "above",
        "better": "True",
    }
    assert float(rows[3]["difference"]) == pytest.approx(1.4)


def test_markdown_has_a_section_and_tables(example):
    period = resolve_period(example, "Dec-20")
    c = compare_many(example, period, ["CSC228"])
    text = as_markdown(c, ["Verdict."])
    assert text.startswith("## CSC 228 % Children in Care with 3 or more placements")
    table = {
        cells[0]: cells[1:]
        for line in text.splitlines()
        if line.startswith("| ")
        for cells in [[c.strip() for c in line.strip("|").split("|")]]
    }
    assert table["same period last year"] == ["10.7%", "Dec-19", "4.0 points lower", "better"]
    assert table["statistical neighbours"] == [
        "9.9%",
        "LAIT 2020, for 2019/20",
        "3.2 points lower",
        "better",
    ]
    assert text.rstrip().endswith("Verdict.")


def test_rich_shows_the_same_lines(csc038):
    from rich.console import Console

    console = Console(record=True, width=120, color_system=None, force_terminal=False)
    console.print(rich_blocks([csc038], ["A verdict."]))
    shown = console.export_text()
    assert "CSC 038" in shown.splitlines()[0]
    for line in plain_text([csc038], ["A verdict."]).splitlines()[1:]:
        if line.strip():
            assert line.strip() in shown


@pytest.mark.parametrize("period", ["Dec-20", "Q3 2020/21", "2020/21 YTD", "2019/20", "Q1 2020/21"])
def test_every_stated_relation_agrees_with_the_numbers(example, period):
    """Across the whole example: each line's words match its figures and the polarity."""
    comparisons = compare_many(
        example, resolve_period(example, period), [i.key for i in example.indicators]
    )
    checked = 0
    for c in comparisons:
        ind = c.indicator
        text = plain_text([c], [None])
        if ind.polarity.value == "none":
            assert "better" not in text and "worse" not in text, ind.code
        for item in c.against():
            ours = round_half_up(c.value, ind.places)
            theirs = round_half_up(item["value"], ind.places)
            expected = "in line" if ours == theirs else ("above" if ours > theirs else "below")
            assert item["relation"] == expected, (ind.code, item)
            if ind.polarity.value == "none" or expected == "in line":
                assert item["better"] is None
            else:
                assert item["better"] == ((expected == "above") == (ind.polarity.value == "up"))
            word = {"above": "higher", "below": "lower", "in line": "in line"}[expected]
            assert f"{number(ind, item['value'])}  " in text
            assert word in text
            checked += 1
    assert checked > 10


def test_in_a_narrow_terminal_a_note_wraps_beside_its_figure_not_at_the_edge(csc038):
    """At 80 columns `· RAG red` and the verdict's tail wrap under their own start, so the
    figures' column stays clear."""
    from rich.console import Console

    console = Console(record=True, width=80, color_system=None, force_terminal=False)
    console.print(rich_blocks([csc038], ["A verdict long enough to wrap " * 4 + "end."]))
    shown = console.export_text().splitlines()
    target = next(n for n, line in enumerate(shown) if line.startswith("│   Target "))
    note_at = shown[target].index("4.8 points")
    tail = shown[target + 1]
    assert tail[:note_at].strip("│ ") == "", tail  # nothing but the border left of the note
    assert tail[note_at:].strip("│ ") in ("RAG red", "red")
    last = [line for line in shown if line.strip("│ ")][-2]  # above the panel's bottom edge
    assert last.startswith("│   ") and last.rstrip("│ ").endswith("end.")


def test_a_running_counts_own_count_is_compared_with_last_years_too(example):
    """CSC 036 Q3 2020/21: the period before said "203 is 14 higher", the same period last
    year only "204 in the period", with no difference."""
    c = compare(example, resolve_period(example, "Q3 2020/21"), "CSC036")
    lines = plain_text([c], [None]).splitlines()
    said = {line.split("  ")[1].strip(): line for line in lines[3:7]}
    last_year = said["Same period last year (Q3 2019/20)"]
    assert last_year.endswith("–  204 in the period · 203 is 1 lower")
    assert said["Period before (Q2 2020/21)"].endswith("189  in the period · 203 is 14 higher")
    assert "better" not in last_year and "worse" not in last_year  # polarity none
