"""`compare`, `narrate` and `report --publish`: what a reader can work out from each.

The attacker (tests/recovery.py) takes the published JSON of `compare` — the period's
figures, the year's months and the annual trend — and the report's tables, applies every
relation they obey, and must learn no figure written `c` and no count of 1 to the threshold
the output never shows (a running total's monthly count, the count behind a rate)."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import pytest
from publish_data import POPULATION, SERIES, workbook
from recovery import Equation, Ratio, Sum, recover
from typer.testing import CliRunner

from csckpi.cli import app
from csckpi.periods import Month, Period, PeriodKind, parse_period

runner = CliRunner()
SYMBOLS = {"c", "z", "x"}


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return workbook(tmp_path_factory.mktemp("publish") / "small.xlsx")


def compared(book: Path, period: str, *extra: str) -> dict[str, Any]:
    result = runner.invoke(
        app,
        [
            "compare",
            "-w",
            str(book),
            "-p",
            period,
            "-s",
            "",
            "--format",
            "json",
            "--publish",
            *extra,
        ],
    )
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def as_month(iso: str) -> Month:
    """`2020-10` as a Month."""
    return Month.from_date(dt.date.fromisoformat(f"{iso}-01"))


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def comparison_equations(item: dict[str, Any]) -> list[Equation]:
    """Every relation a comparison's JSON figures obey, over variables `code.name`."""
    c = item["code"]

    def v(name: str) -> str:
        return f"{c}.{name}"

    period = parse_period(item["period"])
    if period.kind is PeriodKind.YTD and period.end is None:  # to the latest month it has
        held = [as_month(p["month"]) for p in item["months"] if p["value"] is not None]
        period = Period.of_ytd(period.fy, max(held))
    months = [as_month(point["month"]) for point in item["months"]]
    shown = set(months)

    def m(when: Month) -> str:
        return v(f"m:{when.iso}")

    eqs: list[Equation] = [
        Sum(v("value"), (v("last_year"), v("change"))),
        Sum(v("reported"), (v("value"),)),
    ]
    ours = "flow" if item["measure"] == "cumulative" and item["flow"] is not None else "value"
    eqs.append(Sum(v(ours), (v("previous"), v("previous_change"))))
    if item["unit"] == "percent":
        eqs.append(Ratio(v("value"), v("numerator"), v("denominator"), 100.0))
        eqs.append(Sum(v("denominator"), (v("numerator"), v("rest"))))  # the rest, a count
    at_end = item["measure"] in ("snapshot", "cumulative")
    if at_end:
        eqs.append(Sum(v("ytd"), (v("value"),)))
        if period.last in shown:
            eqs.append(Sum(v("value"), (m(period.last),)))
    held = [x for x, p in zip(months, item["months"], strict=True) if p["value"] is not None]
    for year in item["annual"]:
        if year["ytd"] and held and at_end:  # the running year to its latest month
            eqs.append(Sum(v(f"a:{year['year']}"), (m(max(held)),)))
        elif year["ytd"] and held and item["measure"] == "flow":
            eqs.append(Sum(v(f"a:{year['year']}"), tuple(m(x) for x in held)))
    if item["measure"] == "flow":
        if all(x in shown for x in period.months()):
            eqs.append(Sum(v("value"), tuple(m(x) for x in period.months())))
        ytd = [
            Month(period.fy, 4) + i
            for i in range(period.last.index - Month(period.fy, 4).index + 1)
        ]
        if all(x in shown for x in ytd):
            eqs.append(Sum(v("ytd"), tuple(m(x) for x in ytd)))
        prev = period.previous()
        if all(x in shown for x in prev.months()):
            eqs.append(Sum(v("previous"), tuple(m(x) for x in prev.months())))
    if item["measure"] == "cumulative" and item["unit"] == "count":
        for month in months:
            if month.date.month == 4:
                eqs.append(Sum(m(month), (v(f"own:{month.iso}"),)))
            elif month - 1 in shown:
                eqs.append(Sum(m(month), (m(month - 1), v(f"own:{month.iso}"))))
        if all(x in shown for x in period.months()):
            eqs.append(Sum(v("flow"), tuple(v(f"own:{x.iso}") for x in period.months())))
    if item["unit"] == "rate":
        for name in ["value", "last_year", "previous", "ytd", *(f"m:{x.iso}" for x in months)]:
            eqs.append(Ratio(v(name), v(f"count:{name}"), "population", 10_000.0))
    return eqs


def attack(doc: dict[str, Any]) -> tuple[dict[str, float], set[str]]:
    known: dict[str, float] = {"population": float(POPULATION)}
    hidden: set[str] = set()
    eqs: list[Equation] = []
    for item in doc["comparisons"]:
        c = item["code"]
        for name in (
            "value",
            "numerator",
            "denominator",
            "reported",
            "ytd",
            "flow",
            "last_year",
            "last_year_flow",
            "change",
            "previous",
            "previous_change",
        ):
            if _number(item[name]):
                known[f"{c}.{name}"] = float(item[name])
            elif item[name] == "c":
                hidden.add(f"{c}.{name}")
        for point in item["months"]:
            name = f"{c}.m:{point['month']}"
            if _number(point["value"]):
                known[name] = float(point["value"])
            elif point["value"] == "c":
                hidden.add(name)
        for year in item["annual"]:
            name = f"{c}.a:{year['year']}"
            if _number(year["value"]):
                known[name] = float(year["value"])
            elif year["value"] == "c":
                hidden.add(name)
        eqs += comparison_equations(item)
    return recover(known, eqs), hidden


PERIODS = ["2020-06", "2020-10", "2020-11", "2020-12", "Q2 2020/21", "Q3 2020/21", "2020/21 YTD"]


@pytest.mark.parametrize("threshold", [3, 5, 10])
@pytest.mark.parametrize("period", PERIODS)
def test_no_withheld_figure_of_compare_can_be_worked_out(book, period, threshold):
    doc = compared(book, period, "--suppress-below", str(threshold))
    found, hidden = attack(doc)
    if threshold >= 5:
        assert hidden
    assert sorted(hidden & set(found)) == []
    for name, value in found.items():
        if ".own:" in name or ".count:" in name or name.endswith(".rest"):
            assert not 0.5 <= value < threshold + 0.5, (name, value)


@pytest.mark.parametrize("period", PERIODS)
def test_compare_shows_no_count_from_1_to_5(book, period):
    doc = compared(book, period)
    for item in doc["comparisons"]:
        if item["unit"] != "count":
            continue
        figures = [
            item[n] for n in ("value", "ytd", "flow", "last_year", "last_year_flow", "previous")
        ]
        figures += [p["value"] for p in item["months"]] + [a["value"] for a in item["annual"]]
        assert not [f for f in figures if _number(f) and 1 <= f <= 5], item["code"]


def test_a_month_percentage_of_a_small_count_is_withheld(book):
    doc = compared(book, "Q3 2020/21")
    pub2 = next(i for i in doc["comparisons"] if i["code"] == "PUB 2")
    october = next(p for p in pub2["months"] if p["month"] == "2020-10")
    assert SERIES[("PUB 2", "numerator")][18] == 3  # Oct-20: 3 of 4
    assert october["value"] == "c"
    assert pub2["spc"] is None  # its limits are worked out from the months


def test_the_compare_block_writes_c_and_the_note(book):
    result = runner.invoke(
        app, ["compare", "-w", str(book), "-p", "2020-10", "-i", "PUB 1", "--publish"]
    )
    assert result.exit_code == 0, result.output
    text = result.stdout
    assert re.search(r"Oct-20\s+c\b", text)
    assert "no figure: withheld under disclosure control" in text
    assert "Disclosure control:" in text
    assert not re.search(r"\b4 during\b|\ba decrease on\b.*\b4\b", text)


# -- narrate ---------------------------------------------------------------------------------


def narrated(book: Path, period: str, *extra: str) -> dict[str, Any]:
    result = runner.invoke(
        app, ["narrate", "-w", str(book), "-p", period, "--format", "json", "--publish", *extra]
    )
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.mark.parametrize("period", PERIODS)
def test_no_sentence_states_a_withheld_figure(book, period):
    doc = narrated(book, period)
    withheld = compared(book, period)
    for paragraph in doc["paragraphs"]:
        item = next(i for i in withheld["comparisons"] if i["code"] == paragraph["code"])
        for sentence in paragraph["sentences"]:
            for fact in sentence["facts"]:
                for key in ("value", "other"):
                    number = fact.get(key)
                    if number is None or item["unit"] != "count":
                        continue
                    assert not 1 <= number <= 5, (paragraph["code"], sentence["text"])
        if item["value"] == "c":
            assert "withheld under disclosure control" in paragraph["text"]
    assert doc["disclosure"]["note"].startswith("Disclosure control:")


# -- the report ------------------------------------------------------------------------------


def test_the_report_shows_no_small_count_and_says_what_it_withheld(book, tmp_path):
    out = tmp_path / "q3.md"
    result = runner.invoke(
        app, ["report", "-w", str(book), "-p", "Q3 2020/21", "--publish", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert "> Disclosure control:" in text
    tables = re.findall(r"^\|.*\|$", text, re.M)
    pub1 = [row for row in tables if "PUB 1" in row]
    assert pub1  # the overview row
    # the month table of the Referrals section: PUB 1 is its first column
    months = {
        cells[2]: cells[3]
        for row in tables
        if (cells := [c.strip() for c in row.split("|")])
        and re.fullmatch(r"\w{3}-\d\d", cells[2].strip("*"))
    }
    assert months["Oct-20"] == "c" and months["Dec-20"] == "c"
    assert not [v for v in months.values() if v.isdigit() and 1 <= int(v) <= 5]
    # Q3 (25) = Oct + Nov (12) + Dec: two unknowns, neither follows.
    learnt = recover(
        {
            "q3": 25.0,
            "nov": 12.0,
            "ytd": 108.0,
            **{k: float(v) for k, v in months.items() if v.isdigit()},
        },
        [
            Sum("q3", ("Oct-20", "nov", "Dec-20")),
            Sum(
                "ytd",
                tuple(
                    m
                    for m in (
                        "Apr-20",
                        "May-20",
                        "Jun-20",
                        "Jul-20",
                        "Aug-20",
                        "Sep-20",
                        "Oct-20",
                        "Nov-20",
                        "Dec-20",
                    )
                ),
            ),
        ],
    )
    assert "Oct-20" not in learnt and "Dec-20" not in learnt and "Jun-20" not in learnt


def test_a_published_report_leaves_out_the_commentary(book, tmp_path):
    out = tmp_path / "q3.html"
    args = ["report", "-w", str(book), "-p", "Q3 2020/21", "-o"]
    assert runner.invoke(app, [*args, str(tmp_path / "all.html")]).exit_code == 0
    assert "Three children went home" in (tmp_path / "all.html").read_text(encoding="utf-8")
    result = runner.invoke(app, [*args, str(out), "--publish"])
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    assert "Three children went home" not in html
    assert "commentary (1 comment) is left out" in html


def test_narrate_publish_leaves_out_the_commentary(book):
    doc = narrated(book, "Q3 2020/21")
    assert all(p["commentary"] is None for p in doc["paragraphs"])
    assert "Three children" not in json.dumps(doc)
    assert "commentary (1 comment) is left out" in doc["disclosure"]["note"]


def test_the_published_spreadsheet_report_has_the_note_and_symbols(book, tmp_path):
    from openpyxl import load_workbook

    out = tmp_path / "q3.xlsx"
    result = runner.invoke(
        app, ["report", "-w", str(book), "-p", "Q3 2020/21", "--publish", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    sheets = load_workbook(out)
    cover = [[c.value for c in row] for row in sheets.worksheets[0].iter_rows()]
    assert any(
        row[0] == "Disclosure" and str(row[1]).startswith("Disclosure control:") for row in cover
    )
    overview = {row[1]: row for row in cover if row[1] and str(row[1]).startswith("PUB")}
    assert overview["PUB 5"][3] == "c"
