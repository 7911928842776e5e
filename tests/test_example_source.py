"""The shipped example workbook is a faithful, fresh transcription of the reference report."""

from __future__ import annotations

import datetime as dt
import importlib.util
import os
import re
import sys
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import openpyxl
import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
SHIPPED = EXAMPLES / "darlington-2020-21-q3.xlsx"
REFERENCE_NAME = "darlington-csc-performance-report-2020-21-q3.txt"
SHEETS = ["Indicators", "Monthly", "Periods", "Benchmarks", "Context"]

Rows = list[dict[str, Any]]


def _load_builder() -> ModuleType:
    spec = importlib.util.spec_from_file_location("build_example", EXAMPLES / "build_example.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


builder = _load_builder()


def _reference_path() -> Path | None:
    """The published report's text, which the project does not ship: CSCKPI_REFERENCE names
    the file (the council's PDF as text, e.g. `pdftotext -layout`)."""
    named = os.environ.get("CSCKPI_REFERENCE", "").strip()
    return Path(named) if named and Path(named).is_file() else None


@pytest.fixture(scope="module")
def reference() -> str:
    path = _reference_path()
    if path is None:
        pytest.skip(
            f"the published report {REFERENCE_NAME} is not shipped: to check the example "
            "against it, set CSCKPI_REFERENCE to the report as text"
        )
    return path.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def wide(tmp_path_factory: pytest.TempPathFactory) -> openpyxl.Workbook:
    out = builder.build(tmp_path_factory.mktemp("wide") / "wide.xlsx")
    return openpyxl.load_workbook(out)


@pytest.fixture(scope="module")
def long(tmp_path_factory: pytest.TempPathFactory) -> openpyxl.Workbook:
    out = builder.build(tmp_path_factory.mktemp("long") / "long.xlsx", layout="long")
    return openpyxl.load_workbook(out)


def rows(wb: openpyxl.Workbook, sheet: str) -> Rows:
    values = list(wb[sheet].iter_rows(values_only=True))
    header = [str(h) for h in values[0]]
    return [dict(zip(header, row, strict=True)) for row in values[1:]]


def wide_monthly(wb: openpyxl.Workbook) -> dict[tuple[str, str, dt.datetime], Any]:
    """(code, part, month) -> figure, from the wide Monthly sheet."""
    values = list(wb["Monthly"].iter_rows(values_only=True))
    months = values[0][2:]
    figures = {}
    for code, part, *cells in values[1:]:
        for month, cell in zip(months, cells, strict=True):
            if cell is not None:
                figures[(code, part, month)] = cell
    return figures


def long_monthly(wb: openpyxl.Workbook) -> dict[tuple[str, str, dt.datetime], Any]:
    """(code, part, month) -> figure, from the long Monthly sheet."""
    figures = {}
    for row in rows(wb, "Monthly"):
        for part in ("value", "numerator", "denominator"):
            if row[part] is not None:
                figures[(row["code"], part, row["month"])] = row[part]
    return figures


def period(
    wb: openpyxl.Workbook, code: str, label: str, figure: str | None = None
) -> dict[str, Any]:
    found = [
        r
        for r in rows(wb, "Periods")
        if r["code"] == code and r["period"] == label and r["figure"] == figure
    ]
    assert len(found) == 1, (code, label, figure, found)
    return found[0]


MONTHLY_READERS: list[Callable[[openpyxl.Workbook], dict[tuple[str, str, dt.datetime], Any]]] = [
    wide_monthly,
    long_monthly,
]
DEC20 = dt.datetime(2020, 12, 1)
DEC19 = dt.datetime(2019, 12, 1)


@pytest.fixture(params=["wide", "long"])
def layout(
    request: pytest.FixtureRequest,
) -> Iterator[tuple[openpyxl.Workbook, Callable[..., Any]]]:
    wb = request.getfixturevalue(request.param)
    reader = wide_monthly if request.param == "wide" else long_monthly
    yield wb, reader


# --- figures, checked against the reference text --------------------------------------------


def test_csc038_december_with_numerator_and_denominator(layout: Any, reference: str) -> None:
    assert "85.2% (455 / 534)" in reference
    wb, reader = layout
    figures = reader(wb)
    assert figures[("CSC 038", "value", DEC20)] == pytest.approx(85.2)
    assert figures[("CSC 038", "numerator", DEC20)] == 455
    assert figures[("CSC 038", "denominator", DEC20)] == 534


def test_children_in_care_and_its_rate(layout: Any, reference: str) -> None:
    assert "\tDec-20\t284\t126.5" in reference
    wb, reader = layout
    figures = reader(wb)
    assert figures[("CSC 201", "value", DEC20)] == 284
    assert figures[("CSC 200", "value", DEC20)] == pytest.approx(126.5)
    # The rate carries the published count as its numerator, month by month.
    counts = {
        m: v for (c, p, m), v in figures.items() if c == "CSC 201" and m >= dt.datetime(2020, 4, 1)
    }
    numerators = {m: v for (c, p, m), v in figures.items() if c == "CSC 200" and p == "numerator"}
    assert numerators == counts


def test_last_year_month_figures(layout: Any, reference: str) -> None:
    assert "91 children who were subject to CP at the end of December 2019" in reference
    assert "number of children (280) that were in care as at December 2019" in reference
    wb, reader = layout
    figures = reader(wb)
    assert figures[("CSC 182", "value", DEC19)] == 91
    assert figures[("CSC 201", "value", DEC19)] == 280


def test_period_figures(wide: openpyxl.Workbook, reference: str) -> None:
    assert "2017/18\t1,002" in reference
    assert (
        "75.6% of referrals have been completed within 1 working day during Q3 2020/21" in reference
    )
    assert "204 assessments completed during the same period last year" in reference
    assert period(wide, "CSC 036", "2017/18")["value"] == 1002
    assert period(wide, "CSC 022", "Q3 2020/21")["value"] == pytest.approx(75.6)
    assert period(wide, "CSC 036", "Q3 2019/20", figure="flow")["value"] == 204
    icpc = period(wide, "CSC 178", "Q3 2020/21")
    assert (icpc["value"], icpc["numerator"], icpc["denominator"]) == (pytest.approx(95.5), 21, 22)


def _rates_2020_21(wide: openpyxl.Workbook) -> list[tuple[int, float]]:
    """(count, rate per 10,000) for every 2020/21 rate the report prints with its count: CSC
    200 and CSC 181 beside their numerators, and CSC 164 beside CSC 166's running total."""
    figures = wide_monthly(wide)
    first = dt.datetime(2020, 4, 1)
    pairs = [
        (figures[(code, "numerator", month)], value)
        for (code, part, month), value in figures.items()
        if code in ("CSC 200", "CSC 181") and part == "value" and month >= first
    ]
    total = 0
    for (code, part, month), value in sorted(figures.items(), key=lambda item: item[0][2]):
        if code == "CSC 166" and part == "value" and month >= first:
            total += value
            pairs.append((total, figures[("CSC 164", "value", month)]))
    return pairs


def _per_10000(count: int, population: int) -> float:
    """``count`` per 10,000 of ``population``, rounded half up to one decimal place."""
    return int(count * 100_000 / population * 10 + 5) // 10 / 10


#: The assessments' rate the report's text prints (line 23): 534 assessments (CSC 036's Dec-20
#: year to date) at 237.8 per 10,000; no indicator holds it.
ASSESSMENTS = (534, 237.8)


def test_population(wide: openpyxl.Workbook) -> None:
    """examples/source/README.md: 22,455, the middle of the whole populations (22,453 to
    22,457) that reproduce all 28 rates the report prints for 2020/21; 22,450, what 284 at
    126.5 alone gives, misses four of them."""
    context = {r["key"]: r for r in rows(wide, "Context")}
    assert context["population_0_17"]["value"] == 22455
    assert context["population_0_17"]["year"] == "2020/21"
    assert context["council"]["value"] == "Darlington"
    assert wide_monthly(wide)[("CSC 036", "value", dt.datetime(2020, 12, 1))] == ASSESSMENTS[0]
    pairs = [*_rates_2020_21(wide), ASSESSMENTS]
    assert len(pairs) == 28

    def missed(population: int) -> list[tuple[int, float]]:
        return [(n, rate) for n, rate in pairs if _per_10000(n, population) != rate]

    fitting = [p for p in range(22_400, 22_500) if not missed(p)]
    assert fitting == list(range(22_453, 22_458))
    assert context["population_0_17"]["value"] == (fitting[0] + fitting[-1]) // 2
    assert missed(22_450) == [(303, 134.9), (292, 130.0), (239, 106.4), ASSESSMENTS]


def test_the_assessments_rate_is_the_reports(reference: str) -> None:
    assert "The rate of assessments was 237.8 per 10,000 of the population" in reference
    assert "\tDec-20\t534\n" in reference  # CSC 036's table


def test_every_monthly_value_is_on_a_row_of_its_month(
    wide: openpyxl.Workbook, reference: str
) -> None:
    """A slipped digit gives a figure the report never prints for that month."""
    decimals = {r["code"]: r["decimals"] for r in rows(wide, "Indicators")}
    rows_by_month: dict[str, list[set[str]]] = {}
    for line in reference.splitlines():
        cells = [c.strip() for c in line.split("\t")]
        for label in cells:
            if re.fullmatch(r"[A-Z][a-z]{2}-\d\d", label):
                rows_by_month.setdefault(label, []).append(set(cells))
    missing = []
    for (code, part, month), figure in wide_monthly(wide).items():
        if part != "value" or month == DEC19:
            continue  # numerators and last year's figures are quoted in the text: checked below
        label = month.strftime("%b-%y")
        printed = f"{figure:.{decimals[code]}f}"
        if not any(printed in cells for cells in rows_by_month.get(label, [])):
            missing.append((code, label, printed))
    assert missing == []


def test_figures_quoted_in_the_text(wide: openpyxl.Workbook, reference: str) -> None:
    figures = wide_monthly(wide)
    quoted = {
        ("CSC 230", "numerator", DEC20): (20, "7.4% (20 children)"),
        ("CSC 228", "value", DEC19): (10.7, "below the 10.7% as at December 2019"),
        ("CSC 229", "value", DEC19): (72.7, "compared with December 2019 (72.7%)"),
        ("CSC 230", "value", DEC19): (10.3, "compared to December 2019 (10.3%)"),
        ("CSC 250b", "value", DEC19): (90.4, "above December 2019 (90.4%)"),
        ("CSC 251d", "value", DEC19): (85.8, "85.8% of CiC who were up to date"),
    }
    for key, (expected, words) in quoted.items():
        assert words in reference, words
        assert figures[key] == pytest.approx(expected), key
    dec19 = {k for k in figures if k[2] == DEC19}
    assert dec19 == {k for k in quoted if k[2] == DEC19} | {
        ("CSC 182", "value", DEC19),
        ("CSC 201", "value", DEC19),
    }


def test_every_annual_trend_figure_is_on_a_row_of_its_year(
    wide: openpyxl.Workbook, reference: str
) -> None:
    decimals = {r["code"]: r["decimals"] for r in rows(wide, "Indicators")}
    lines = reference.splitlines()
    missing = []
    for row in rows(wide, "Periods"):
        if row["period"].startswith("Q"):
            continue
        value = row["value"]
        printed = {f"{value:.{decimals[row['code']]}f}", f"{value:,.{decimals[row['code']]}f}"}
        printed |= {p + "%" for p in printed}
        year = row["period"].split()[0]
        years = {year, "2017/19"} if year == "2017/18" else {year}
        if not any(
            any(y in line for y in years) and printed & {c.strip() for c in line.split("\t")}
            for line in lines
        ):
            missing.append((row["code"], row["period"], value))
    assert missing == []


def test_benchmarks_are_quoted(wide: openpyxl.Workbook, reference: str) -> None:
    benchmarks = rows(wide, "Benchmarks")
    # "LAIT 2020" (lines 17, 238: "as recorded for 2020 in the LAIT") describes 2019/20
    assert {(b["release"], b["year"]) for b in benchmarks} == {("LAIT 2020", "2019/20")}
    assert {b["comparator"] for b in benchmarks} == {"statistical neighbours", "region", "england"}
    for b in benchmarks:
        assert f"({b['value']:g}" in reference or f"({b['value']:.1f}" in reference, b
    csc038 = {b["comparator"]: b["value"] for b in benchmarks if b["code"] == "CSC 038"}
    assert csc038 == {"statistical neighbours": 87.7, "region": 88.8, "england": 83.8}


# --- structure ---------------------------------------------------------------------------------


def test_every_report_code_is_an_indicator(wide: openpyxl.Workbook, reference: str) -> None:
    in_report = set(re.findall(r"CSC \d+[a-z]?", reference))
    assert len(in_report) > 30
    codes = {r["code"] for r in rows(wide, "Indicators")}
    # CSC 246's one table carries two series; each is an indicator of its own.
    split = {"CSC 246": {"CSC 246E", "CSC 246C"}}
    missing = {c for c in in_report if c not in codes and not (c in split and split[c] <= codes)}
    assert missing == set()


def test_no_duplicates(wide: openpyxl.Workbook, long: openpyxl.Workbook) -> None:
    def dupes(keys: list[Any]) -> list[Any]:
        return [k for k, n in Counter(keys).items() if n > 1]

    assert dupes([r["code"] for r in rows(wide, "Indicators")]) == []
    assert dupes([(r["code"], r["part"]) for r in rows(wide, "Monthly")]) == []
    assert dupes([(r["code"], r["month"]) for r in rows(long, "Monthly")]) == []
    assert dupes([(r["code"], r["period"], r["figure"]) for r in rows(wide, "Periods")]) == []
    assert dupes([(r["code"], r["comparator"]) for r in rows(wide, "Benchmarks")]) == []
    assert dupes([r["key"] for r in rows(wide, "Context")]) == []


def test_vocabularies_and_references(wide: openpyxl.Workbook) -> None:
    indicators = rows(wide, "Indicators")
    assert list(wide.sheetnames) == SHEETS
    assert {r["unit"] for r in indicators} <= {"percent", "count", "rate", "number"}
    assert {r["polarity"] for r in indicators} <= {"up", "down", "none"}
    measures = {"flow", "ratio", "snapshot", "cumulative", "distinct"}
    assert {r["measure"] for r in indicators} <= measures
    for r in indicators:
        assert r["title"] and r["section"] and r["definition"] and r["phrase"], r["code"]
        assert "<p>" not in r["definition"]
        assert r["decimals"] == (0 if r["unit"] == "count" else 1), r["code"]
        assert r["tolerance"] is None
    codes = {r["code"] for r in indicators}
    for sheet in ("Monthly", "Periods", "Benchmarks"):
        assert {r["code"] for r in rows(wide, sheet)} <= codes, sheet
    assert {r["figure"] for r in rows(wide, "Periods")} <= {None, "flow"}
    assert {r["part"] for r in rows(wide, "Monthly")} <= {"value", "numerator", "denominator"}


def test_cells_are_numbers_and_months_are_dates(
    wide: openpyxl.Workbook, long: openpyxl.Workbook
) -> None:
    ws = wide["Monthly"]
    header = next(ws.iter_rows(min_row=1, max_row=1))
    assert [c.value for c in header[:2]] == ["code", "part"]
    for cell in header[2:]:
        assert isinstance(cell.value, dt.datetime)
        assert cell.number_format == "mmm-yy"
    for figure in wide_monthly(wide).values():
        assert isinstance(figure, int | float) and not isinstance(figure, bool)
    # Percentages are written as 85.2, not as the fraction 0.852.
    assert wide_monthly(wide)[("CSC 022", "value", DEC20)] == pytest.approx(88.2)
    assert all(isinstance(r["month"], dt.datetime) for r in rows(long, "Monthly"))
    for r in rows(wide, "Periods"):
        assert isinstance(r["value"], int | float), r
        assert isinstance(r["period"], str), r


def test_wide_and_long_hold_the_same_figures(
    wide: openpyxl.Workbook, long: openpyxl.Workbook
) -> None:
    assert wide_monthly(wide) == long_monthly(long)
    for sheet in ("Indicators", "Periods", "Benchmarks", "Context"):
        assert rows(wide, sheet) == rows(long, sheet), sheet


def test_indicator_vocabulary_is_faithful(wide: openpyxl.Workbook) -> None:
    by_code = {r["code"]: r for r in rows(wide, "Indicators")}
    assert by_code["CSC 038"]["measure"] == "cumulative"
    assert by_code["CSC 038"]["target"] == 90
    assert by_code["CSC 201"]["polarity"] == "none"
    assert by_code["CSC 201"]["target"] is None  # the stray "95" is no target of a count
    assert by_code["CSC 200"]["unit"] == "rate"
    assert by_code["CSC 022"]["phrase"] == "of referrals were completed within 1 working day"
    assert by_code["CSC 022"]["section"] == "Referrals - Timeliness"


# --- the shipped workbook ----------------------------------------------------------------------


def _cells(wb: openpyxl.Workbook) -> dict[str, list[tuple[Any, ...]]]:
    return {name: list(wb[name].iter_rows(values_only=True)) for name in wb.sheetnames}


def test_shipped_workbook_is_fresh(wide: openpyxl.Workbook) -> None:
    assert SHIPPED.is_file(), "run: python examples/build_example.py"
    shipped = openpyxl.load_workbook(SHIPPED)
    assert _cells(shipped) == _cells(wide), (
        "examples/ is stale: run python examples/build_example.py"
    )


def test_build_is_deterministic(tmp_path: Path) -> None:
    first = builder.build(tmp_path / "a.xlsx").read_bytes()
    second = builder.build(tmp_path / "b.xlsx").read_bytes()
    assert first == second


def test_build_rejects_unknown_layout(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="layout"):
        builder.build(tmp_path / "x.xlsx", layout="diagonal")


def _copy_source(tmp_path: Path) -> Path:
    source = tmp_path / "source"
    source.mkdir()
    for csv_file in (EXAMPLES / "source").glob("*.csv"):
        (source / csv_file.name).write_text(csv_file.read_text(encoding="utf-8"), encoding="utf-8")
    return source


def test_build_rejects_a_duplicated_indicator(tmp_path: Path) -> None:
    source = _copy_source(tmp_path)
    lines = (source / "indicators.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    (source / "indicators.csv").write_text("".join([*lines, lines[1]]), encoding="utf-8")
    with pytest.raises(ValueError, match="CSC 022 more than once"):
        builder.build(tmp_path / "x.xlsx", source=source)


def test_build_rejects_figures_for_an_unknown_code(tmp_path: Path) -> None:
    source = _copy_source(tmp_path)
    with (source / "monthly.csv").open("a", encoding="utf-8") as handle:
        handle.write("CSC 999,2020-12,1,,\n")
    with pytest.raises(ValueError, match="CSC 999"):
        builder.build(tmp_path / "x.xlsx", source=source)
