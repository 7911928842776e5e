"""How a figure is written (csckpi.numbers), and the same figure read in every output: the
scorecard (table, CSV, Excel), the sentences, the report (HTML, Markdown, Excel) and the
comparison block."""

from __future__ import annotations

import csv
import html
import io
import re
from pathlib import Path

import pytest

from csckpi import numbers
from csckpi.model import Unit
from csckpi.periods import Period

# -- rounding ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "places", "rounded"),
    [
        (0.25, 1, 0.3),  # half away from zero, as Excel
        (-0.25, 1, -0.3),
        (2.675, 2, 2.68),  # not 2.67 from the binary 2.67499...
        (85.25, 1, 85.3),
        (126.503, 1, 126.5),
        (1002.4, 0, 1002.0),
        (-0.04, 1, 0.0),
    ],
)
def test_round_half_up(value, places, rounded):
    assert numbers.round_half_up(value, places) == rounded


def test_rounding_never_gives_a_negative_zero():
    assert str(numbers.round_half_up(-0.04, 1)) == "0.0"
    assert numbers.number(-0.04, 1) == "0.0"
    assert numbers.signed(-0.04, 1) == "0.0"


def test_shown_is_whole_at_no_places_and_none_stays_none():
    assert numbers.shown(203.4, 0) == 203 and isinstance(numbers.shown(203.4, 0), int)
    assert numbers.shown(85.25, 1) == 85.3
    assert numbers.shown(None, 1) is None


def test_a_difference_is_between_the_figures_as_shown():
    assert numbers.shown_difference(85.26, 87.74, 1) == -2.4  # 85.3 - 87.7
    assert numbers.shown_difference(85.2, None, 1) is None


# -- figures, targets, changes -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "unit", "places", "text"),
    [
        (85.2, Unit.PERCENT, 1, "85.2%"),
        (1002.0, Unit.COUNT, 0, "1,002"),
        (126.503, Unit.RATE, 1, "126.5"),
        (-1.5, Unit.NUMBER, 1, "-1.5"),
        (None, Unit.PERCENT, 1, ""),
    ],
)
def test_figures(value, unit, places, text):
    assert numbers.figure(value, unit, places) == text


@pytest.mark.parametrize(
    ("value", "unit", "places", "text"),
    [
        (90.0, Unit.PERCENT, 1, "90%"),
        (12.5, Unit.PERCENT, 1, "12.5%"),
        (95.0, Unit.RATE, 1, "95"),
        (1000.0, Unit.COUNT, 0, "1,000"),
        (95.25, Unit.PERCENT, 1, "95.3%"),  # judged at the indicator's decimals, so shown so
        (7.5, Unit.PERCENT, 2, "7.5%"),
        (None, Unit.PERCENT, 1, ""),
    ],
)
def test_targets_as_the_reference_report_writes_them(value, unit, places, text):
    assert numbers.target(value, unit, places) == text


def test_changes_and_differences():
    assert [numbers.signed(v, 1) for v in (4.8, -3.0, 0.0, None)] == ["+4.8", "-3.0", "0.0", ""]
    assert numbers.signed(1234.0, 0) == "+1,234"
    assert numbers.points(-4.8, Unit.PERCENT, 1) == "4.8 points"
    assert numbers.points(1.0, Unit.PERCENT, 0) == "1 point"
    assert numbers.points(12.5, Unit.PERCENT, 1, long=True) == "12.5 percentage points"
    assert numbers.points(-12.0, Unit.COUNT, 0) == "12"


def test_a_count_with_its_parts():
    assert numbers.with_parts(85.207, Unit.PERCENT, 1, 455, 534) == "85.2% (455 / 534)"
    assert numbers.parts(1455, 22450) == "1,455 / 22,450"


def test_stored_values_keep_their_own_places():
    assert [numbers.exact(v) for v in (85.2, 1002.0, 0.5, None)] == ["85.2", "1,002", "0.5", ""]


def test_excel_formats():
    assert numbers.excel_format(1, Unit.PERCENT) == '#,##0.0"%"'
    assert numbers.excel_format(0, Unit.COUNT) == "#,##0"
    assert numbers.excel_format(1) == "#,##0.0"
    assert numbers.excel_format(1, Unit.PERCENT, signed=True) == (
        '+#,##0.0" pts";-#,##0.0" pts";#,##0.0" pts"'
    )
    assert numbers.excel_target_format(90.0, Unit.PERCENT, 1) == '#,##0"%"'
    assert numbers.excel_target_format(12.5, Unit.PERCENT, 1) == '#,##0.0"%"'


# -- one figure, every output ------------------------------------------------------------------

Q3 = Period.of_quarter(2020, 3)


def _excel_text(value: float, number_format: str) -> str:
    """What Excel shows for ``value`` in one of the formats csckpi writes (`#,##0.0"%"`)."""
    positive = number_format.split(";")[0]
    digits = re.match(r"\+?#,##0(?:\.(0+))?", positive)
    assert digits, number_format
    places = len(digits.group(1) or "")
    suffix = "".join(re.findall(r'"([^"]*)"', positive))
    return f"{value:,.{places}f}{suffix}"


def _says(text: str, figure: str) -> bool:
    """Whether ``figure`` is written in ``text`` as a whole (`5.2%` is not in `85.2%`)."""
    return re.search(rf"(?<![\d.,]){re.escape(figure)}(?![\d%]|\.\d)", text) is not None


@pytest.fixture(scope="module")
def outputs(tmp_path_factory):
    """Every output of the example for Q3 2020/21, each written by its family's registered
    format (csckpi.render.outputs), as the commands write them."""
    from openpyxl import load_workbook

    from csckpi.compare import compare_many
    from csckpi.compute import compute, monthly_values
    from csckpi.narrate import narrate, verdict
    from csckpi.render.outputs import (
        COMPARISON,
        REPORT,
        SCORECARD,
        Comparisons,
        ReportFile,
        Scorecard,
    )
    from csckpi.render.scorecard import trends
    from csckpi.report import build
    from csckpi.workbook import read_dataset
    from tests.conftest import EXAMPLE

    tmp = tmp_path_factory.mktemp("numbers")
    dataset = read_dataset(EXAMPLE)
    keys = [i.key for i in dataset.indicators]
    frame = compute(dataset, Q3, keys)
    card = Scorecard(frame, trends(monthly_values(dataset, keys), Q3.last), "Scorecard")
    SCORECARD["xlsx"].save(card, tmp / "scorecard.xlsx")
    comparisons = compare_many(dataset, Q3, keys)
    verdicts = [verdict(c) for c in comparisons]
    report = ReportFile(build(dataset, Q3))
    REPORT["md"].save(report, tmp / "report.md")
    REPORT["xlsx"].save(report, tmp / "report.xlsx")

    def text(family, name, data):
        writer = family[name].text
        assert writer is not None
        return writer(data)

    return {
        "dataset": dataset,
        "frame": frame,
        "scorecard text": text(SCORECARD, "text", card),
        "scorecard csv": list(csv.DictReader(io.StringIO(text(SCORECARD, "csv", card)))),
        "scorecard xlsx": load_workbook(tmp / "scorecard.xlsx")["Scorecard"],
        "analysis": {p.code: p.text for p in narrate(dataset, Q3)},
        "summary": {p.code: p.text for p in narrate(dataset, Q3, summary=True)},
        "report html": text(REPORT, "html", report),
        "report md": (tmp / "report.md").read_text(encoding="utf-8"),
        "report xlsx": load_workbook(tmp / "report.xlsx")["Overview"],
        "comparison": {
            c.indicator.code: text(COMPARISON, "text", Comparisons([c], [v]))
            for c, v in zip(comparisons, verdicts, strict=True)
        },
        "comparison md": text(COMPARISON, "markdown", Comparisons(comparisons, verdicts)),
    }


def _line(text: str, start: str) -> str:
    return next(line for line in text.splitlines() if line.startswith(start))


def _xlsx_row(sheet, code: str, column: int):
    return next(row for row in sheet.iter_rows() if row[column].value == code)


def test_the_same_figure_reads_the_same_everywhere(outputs):
    checked = 0
    for row in outputs["frame"].iter_rows(named=True):
        code, unit, places = row["code"], row["unit"], row["decimals"]
        ind = next(i for i in outputs["dataset"].indicators if i.code == code)
        block = outputs["comparison"][code]
        comparison_md = outputs["comparison md"].split(f"## {code} ", 1)[1].split("\n## ", 1)[0]
        table = _line(outputs["scorecard text"], f"{code} ")
        data = next(r for r in outputs["scorecard csv"] if r["code"] == code)
        cells = {c.value: c for c in next(outputs["scorecard xlsx"].iter_rows(max_row=1))}
        excel = _xlsx_row(outputs["scorecard xlsx"], code, 1)
        columns = list(cells)
        html_row = re.search(
            rf'<tr><td class="code">{re.escape(html.escape(code))}</td>.*?</tr>',
            outputs["report html"],
        )
        assert html_row, code
        page = re.findall(r'<td class="num">(.*?)</td>', html_row.group(0))
        md = [c.strip() for c in _line(outputs["report md"], f"| {code} |").split("|")[1:-1]]
        overview = _xlsx_row(outputs["report xlsx"], code, 1)
        by_flow = ind.measure.value == "cumulative" and unit == "count"

        value = row["value"]
        if value is not None:
            shown = numbers.figure(value, unit, places)
            assert _says(table, shown), (code, shown, table)
            assert float(data["value"]) == numbers.shown(value, places), code
            cell = excel[columns.index("Value")]
            assert _excel_text(cell.value, cell.number_format) == shown, code
            assert _says(outputs["analysis"][code], shown), (code, shown)
            assert _says(block.splitlines()[3], shown), (code, shown)
            assert f": {shown}**" in comparison_md, code
            if not by_flow:
                assert page[0] == shown and md[2] == shown, code
                cell = overview[3]
                assert _excel_text(cell.value, cell.number_format) == shown, code
            checked += 1
        if row["ytd"] is not None:
            shown = numbers.figure(row["ytd"], unit, places)
            assert _says(table, shown), (code, shown)
            assert page[1] == shown and md[3] == shown, code
            cell = overview[4]
            assert _excel_text(cell.value, cell.number_format) == shown, code
            assert f"; 2020/21 YTD: {shown}" in comparison_md, code
            checked += 1
        if row["target"] is not None:
            shown = numbers.target(row["target"], unit, places)
            assert _says(table, shown), (code, shown)
            cell = excel[columns.index("Target")]
            assert _excel_text(cell.value, cell.number_format) == shown, code
            # The comparison block lines the target up with the figures it judges, at their
            # decimals (`90.0%` over `85.2%`): the one place a target is written as a figure.
            as_figure = numbers.figure(row["target"], unit, places)
            assert _says(_line(block, "  Target "), as_figure), (code, block)
            if value is not None:  # what the value is compared with
                assert re.search(rf"\| target +\| {re.escape(as_figure)} +\|", comparison_md)
            assert page[2] == shown and md[4] == shown, code
            cell = overview[5]
            assert _excel_text(cell.value, cell.number_format) == shown, code
            said = outputs["analysis"][code] + outputs["summary"][code]
            if "target" in said:
                assert f"target of {shown}" in said, (code, said)
            checked += 1
        if row["numerator"] is not None and row["denominator"] is not None and unit == "percent":
            parts = numbers.parts(row["numerator"], row["denominator"])
            assert f"{numbers.figure(value, unit, places)} ({parts})" in outputs["analysis"][code]
            assert parts in block.splitlines()[3] and f"** ({parts})" in comparison_md, code
            checked += 1
    assert checked > 80  # every indicator of the example has a figure for Q3


def test_a_chart_names_its_target_as_the_table_does(outputs):
    page = outputs["report html"]
    assert "Target (90%)" in page and "Target (90.0%)" not in page


def test_every_number_format_is_one_the_walk_can_read(outputs):
    for sheet in (outputs["scorecard xlsx"], outputs["report xlsx"]):
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, float | int) and cell.number_format != "General":
                    _excel_text(float(cell.value), cell.number_format)


#: The modules that write an indicator's figures (the charts' axis ticks and coordinates are
#: not figures; the CLI writes none of its own).
WRITERS = (
    "compare.py",
    "report.py",
    "narrate/engine.py",
    "narrate/words.py",
    "render/comparison.py",
    "render/scorecard.py",
    "render/history.py",
    "render/narrative.py",
    "render/report_html.py",
    "render/report_md.py",
    "render/report_xlsx.py",
)


@pytest.mark.parametrize("name", WRITERS)
def test_the_numbers_module_is_the_only_place_a_figure_is_written(name):
    """No module that writes figures rounds or formats one of its own: a rounding function,
    a `:,.1f` format or an Excel number format of its own would be a second way."""
    text = (Path(numbers.__file__).parent / name).read_text(encoding="utf-8")
    assert "def round_half_up" not in text
    assert not re.search(r"\{[^{}]*:[+,]*\.\{?\w*\}?f\}", text), name
    assert "#,##0" not in text, name
