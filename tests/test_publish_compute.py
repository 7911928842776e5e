"""`csckpi compute --publish`: no count of 1 to the threshold is shown, and none can be
worked out from what is (an attacker from tests/recovery.py applies every relation a
scorecard's figures obey to the published JSON)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from publish_data import POPULATION, workbook
from recovery import Equation, Ratio, Sum, recover
from typer.testing import CliRunner

from csckpi.cli import app

runner = CliRunner()

#: Figures that are counts when the indicator's unit is a count.
COUNT_FIELDS = ("value", "reported", "flow", "last_year_flow", "ytd", "last_year", "previous")
SYMBOLS = {"c", "z", "x"}


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return workbook(tmp_path_factory.mktemp("publish") / "small.xlsx")


def published(book: Path, period: str, *extra: str) -> dict[str, Any]:
    result = runner.invoke(
        app, ["compute", "-w", str(book), "-p", period, "--format", "json", "--publish", *extra]
    )
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _shown(value: Any) -> bool:
    return value is not None and value not in SYMBOLS


def equations(row: dict[str, Any], within_year: bool) -> list[Equation]:
    """Every relation a scorecard row's figures obey (docs/publishing.md), over variables
    `code.field`; `code.earlier` and the like are figures the scorecard does not show."""
    c = row["code"]

    def v(name: str) -> str:
        return f"{c}.{name}"

    eqs: list[Equation] = [
        Sum(v("value"), (v("last_year"), v("change"))),
        Sum(v("flow"), (v("last_year_flow"), v("flow_change"))),
        Sum(v("reported"), (v("value"),)),
    ]
    base = "flow" if row["flow"] not in ("z", "x", None) else "value"
    eqs.append(Sum(v(base), (v("previous"), v("previous_change"))))
    if row["unit"] == "percent":
        eqs.append(Ratio(v("value"), v("numerator"), v("denominator"), 100.0))
        # the rest of the denominator: 9 of 10 referrals completed in a day, 1 was not
        eqs.append(Sum(v("denominator"), (v("numerator"), v("rest"))))
    if row["unit"] == "rate":
        count = v("numerator") if row["numerator"] not in ("z", "x", None) else v("count")
        for figure, n in (
            ("value", count),
            ("last_year", v("ly_count")),
            ("previous", v("p_count")),
        ):
            eqs.append(Ratio(v(figure), n, "population", 10_000.0))
    if row["measure"] in ("snapshot", "cumulative"):
        eqs.append(Sum(v("ytd"), (v("value"),)))
    if row["measure"] == "flow":
        eqs.append(Sum(v("ytd"), (v("value"), v("earlier"))))
        if within_year:
            eqs.append(Sum(v("earlier"), (v("previous"), v("before"))))
    if row["measure"] == "cumulative" and row["unit"] == "count":
        eqs.append(Sum(v("value"), (v("flow"), v("run_earlier"))))
        if within_year:
            eqs.append(Sum(v("run_earlier"), (v("previous"), v("run_before"))))
    return eqs


def attack(doc: dict[str, Any], within_year: bool) -> tuple[dict[str, float], set[str]]:
    """What a reader works out from the published JSON, and the figures written `c`."""
    known: dict[str, float] = {"population": float(POPULATION)}
    hidden: set[str] = set()
    eqs: list[Equation] = []
    for row in doc["indicators"]:
        for name, value in row.items():
            if isinstance(value, int | float) and not isinstance(value, bool):
                known[f"{row['code']}.{name}"] = float(value)
            elif value == "c":
                hidden.add(f"{row['code']}.{name}")
        eqs += equations(row, within_year)
    return recover(known, eqs), hidden


PERIODS = [
    ("2020-04", False),
    ("2020-06", True),
    ("2020-10", True),
    ("2020-11", True),
    ("2020-12", True),
    ("Q1 2020/21", False),
    ("Q2 2020/21", True),
    ("Q3 2020/21", True),
    ("2020/21 YTD", False),
    ("2019/20", False),
]


@pytest.mark.parametrize("threshold", [3, 5, 10])
@pytest.mark.parametrize(("period", "within_year"), PERIODS)
def test_no_suppressed_figure_can_be_worked_out(book, period, within_year, threshold):
    doc = published(book, period, "--suppress-below", str(threshold))
    found, hidden = attack(doc, within_year)
    if threshold >= 5:
        assert hidden, "the workbook has counts of 1 to 5 in every period tested"
    assert sorted(hidden & set(found)) == []
    # Nor a count the scorecard never shows: a quarter left out of a year to date, a rate's,
    # the rest of a percentage's denominator.
    unshown = ("earlier", "before", "run_earlier", "run_before", "count", "rest")
    for name, value in found.items():
        if name.rsplit(".", 1)[-1] in unshown:
            assert not 0.5 <= value < threshold + 0.5, (name, value)


@pytest.mark.parametrize("threshold", [3, 5, 10])
@pytest.mark.parametrize(("period", "within_year"), PERIODS)
def test_no_count_from_1_to_the_threshold_is_shown(book, period, within_year, threshold):
    doc = published(book, period, "--suppress-below", str(threshold))
    for row in doc["indicators"]:
        fields = COUNT_FIELDS if row["unit"] == "count" else ()
        for name in (*fields, "numerator", "denominator"):
            value = row[name]
            if isinstance(value, int | float):
                assert not 1 <= value <= threshold, (row["code"], name, value)


def test_a_percentage_of_a_suppressed_count_is_suppressed(book):
    doc = published(book, "2020-10")
    row = next(r for r in doc["indicators"] if r["code"] == "PUB 2")
    assert row["numerator"] == "c" and row["denominator"] == "c"  # 3 of 4
    assert row["value"] == "c"
    assert row["change"] == "c" and row["previous_change"] == "c"
    assert row["rag"] == "red"  # a judgement states no number


def test_the_rest_of_a_percentage_is_a_count_too(book):
    """10 of 11 referrals completed in a day says that 1 was not: the numerator and the
    percentage are withheld, the denominator (11 referrals) is shown."""
    plain = runner.invoke(app, ["compute", "-w", str(book), "-p", "2020-04", "--format", "json"])
    whole = next(r for r in json.loads(plain.stdout) if r["code"] == "PUB 2")
    assert (whole["numerator"], whole["denominator"]) == (10, 11)
    doc = published(book, "2020-04")
    row = next(r for r in doc["indicators"] if r["code"] == "PUB 2")
    assert (row["numerator"], row["value"], row["denominator"]) == ("c", "c", 11)


def test_a_rate_of_two_children_is_suppressed(book):
    doc = published(book, "2020-10")
    row = next(r for r in doc["indicators"] if r["code"] == "PUB 4")
    assert 0.9 * POPULATION / 10_000 < 5  # the workbook's rate stands for two children
    assert row["value"] == "c" and row["ytd"] == "c"


def test_not_applicable_and_not_available(book):
    doc = published(book, "Q3 2020/21")
    rows = {r["code"]: r for r in doc["indicators"]}
    assert rows["PUB 1"]["numerator"] == "z"  # a count has no numerator
    assert rows["PUB 1"]["flow"] == "z"  # only a running total has a flow
    assert rows["PUB 1"]["target"] == "z"  # no target is set
    assert rows["PUB 3"]["flow"] == 11
    assert rows["PUB 1"]["reported"] == "x"  # the workbook reports no Q3 figure


def test_the_note_counts_what_was_suppressed(book):
    doc = published(book, "2020-10")
    disclosure = doc["disclosure"]
    written = sum(v == "c" for row in doc["indicators"] for v in row.values())
    assert disclosure["suppressed"] == written
    assert disclosure["small"] + disclosure["secondary"] == written
    assert sum(disclosure["by_relation"].values()) == disclosure["secondary"]
    assert disclosure["threshold"] == 5
    assert f"{written} figures are written c" in disclosure["note"]
    assert set(disclosure["symbols"]) == SYMBOLS


def test_without_publish_nothing_changes(book):
    result = runner.invoke(app, ["compute", "-w", str(book), "-p", "2020-10", "--format", "json"])
    rows = json.loads(result.stdout)
    assert isinstance(rows, list)
    assert next(r for r in rows if r["code"] == "PUB 2")["numerator"] == 3


def test_suppress_below_implies_publish(book):
    doc = published(book, "2020-10")
    result = runner.invoke(
        app,
        ["compute", "-w", str(book), "-p", "2020-10", "--format", "json", "--suppress-below", "5"],
    )
    assert json.loads(result.stdout) == doc


def test_a_threshold_below_1_is_a_usage_error(book):
    result = runner.invoke(app, ["compute", "-w", str(book), "--suppress-below", "0"])
    assert result.exit_code == 2
    assert "csckpi: --suppress-below takes a count of at least 1, not 0." in result.output


@pytest.mark.parametrize("fmt", ["text", "markdown", "csv", "tsv"])
def test_every_text_format_has_the_note_and_no_small_count(book, fmt):
    result = runner.invoke(
        app, ["compute", "-w", str(book), "-p", "2020-10", "--format", fmt, "--publish"]
    )
    assert result.exit_code == 0, result.output
    assert "Disclosure control:" in result.stdout
    if fmt in ("csv", "tsv"):
        body = [line for line in result.stdout.splitlines() if not line.startswith("#")]
        rows = list(
            csv.DictReader(io.StringIO("\n".join(body)), delimiter="," if fmt == "csv" else "\t")
        )
        pub2 = next(r for r in rows if r["code"] == "PUB 2")
        assert (pub2["numerator"], pub2["denominator"], pub2["value"]) == ("c", "c", "c")


def test_the_spreadsheet_writes_symbols_and_the_note(book, tmp_path):
    out = tmp_path / "card.xlsx"
    result = runner.invoke(
        app, ["compute", "-w", str(book), "-p", "2020-10", "-o", str(out), "--publish"]
    )
    assert result.exit_code == 0, result.output
    sheet = load_workbook(out).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    header = values[0]
    pub2 = next(row for row in values if row[1] == "PUB 2")
    assert pub2[header.index("Numerator")] == "c"
    assert pub2[header.index("Value")] == "c"
    assert any(str(row[0]).startswith("Disclosure control:") for row in values if row[0])


def test_children_has_no_publish_option():
    result = runner.invoke(app, ["children", "--publish"])
    assert result.exit_code == 2
    assert "No such option" in result.output
