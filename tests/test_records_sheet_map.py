"""The council's own codes from the Indicators sheet's `records_measure` column: through
`csckpi ingest` of the workbook, then of an Annex A extract, with and without a map file."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from annex_a_factory import Extract, generate
from openpyxl import load_workbook
from typer.testing import CliRunner

from csckpi.cli import app
from csckpi.model import Indicator, Measure, Polarity, Unit
from csckpi.numbers import shown
from csckpi.records import DefinitionError, load_definitions

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "darlington-2020-21-q3.xlsx"
DEC = dt.date(2020, 12, 1)
runner = CliRunner()

#: What an analyst types into the example's Indicators sheet (its own measures: CSC 176 is
#: cumulative, so its figures are the year to date).
SHEET = {"CSC 178": "AA ICPC 15", "CSC 176": "aa icpc 15", "CSC 182": "AA CPP"}


def _run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def _with_column(folder: Path, measures: dict[str, str], heading: str = "Records measure") -> Path:
    """The example workbook with a records measure column on its Indicators sheet; the cell
    of each code's measure is returned in ``cells``."""
    wb = load_workbook(EXAMPLE)
    ws = wb["Indicators"]
    column = ws.max_column + 1
    ws.cell(1, column, heading)
    for row in range(2, ws.max_row + 1):
        code = ws.cell(row, 1).value
        if code in measures:
            ws.cell(row, column, measures[code])
            CELLS[code] = ws.cell(row, column).coordinate
    path = folder / "workbook.xlsx"
    wb.save(path)
    return path


CELLS: dict[str, str] = {}


@pytest.fixture(scope="module")
def extract() -> Extract:
    return generate(seed=8, rows=3_000, as_at=dt.date(2020, 12, 31), since=dt.date(2020, 4, 1))


def _stores(folder: Path, extract: Extract, measures: dict[str, str]) -> tuple[Path, Path]:
    store = folder / "csckpi.db"
    code, _out, err = _run("ingest", str(_with_column(folder, measures)), "--store", str(store))
    assert code == 0, err
    return store, extract.write_xlsx(folder / "annex-a.xlsx")


def _ingest(path: Path, store: Path, *options: str) -> tuple[int, str, str]:
    dates = ("--as-at", "31/12/2020", "--since", "Apr-20")
    return _run("ingest", str(path), "--store", str(store), *dates, *options)


def _compute(store: Path) -> dict[str, dict]:
    code, out, err = _run("compute", "--store", str(store), "--period", "Dec-20", "-f", "json")
    assert code == 0, err
    return {row["code"]: row for row in json.loads(out)}


def test_the_sheets_codes_are_derived_without_a_map(extract, tmp_path):
    store, path = _stores(tmp_path, extract, SHEET)
    code, _out, err = _ingest(path, store)
    assert code == 0, err
    rows = _compute(store)
    icpc = rows["CSC 178"]
    truth = extract.truth["AA ICPC 15"][DEC]
    assert icpc["value"] == shown(truth["value"], icpc["decimals"])
    assert (icpc["numerator"], icpc["denominator"]) == (truth["numerator"], truth["denominator"])
    assert icpc["basis"] in ("records", "differs")
    # CSC 176 is cumulative on the sheet: the year to date, numerators summed from April
    months = [m for m in extract.truth["AA ICPC 15"] if dt.date(2020, 4, 1) <= m <= DEC]
    truth = extract.truth["AA ICPC 15"]
    ytd = [sum(truth[m][p] for m in months) for p in ("numerator", "denominator")]
    assert [rows["CSC 176"]["numerator"], rows["CSC 176"]["denominator"]] == ytd
    plans = rows["CSC 182"]
    assert plans["value"] == extract.truth["AA CPP"][DEC]["value"]
    # only the sheet's codes: not the unmapped example codes, not the measures' own codes
    assert rows["CSC 038"]["basis"] not in ("records", "differs")
    assert "AA ICPC 15" not in rows and "AA CPP" not in rows


def test_a_map_file_and_the_sheet_together(extract, tmp_path):
    """Both maps are used; a code both map alike is fine."""
    store, path = _stores(tmp_path, extract, SHEET)
    map_file = tmp_path / "map.toml"
    map_file.write_text('[codes]\n"CSC 178" = "AA ICPC 15"\n"CSC 201" = "AA CLA"\n')
    code, _out, err = _ingest(path, store, "--map", str(map_file))
    assert code == 0, err
    rows = _compute(store)
    assert rows["CSC 201"]["value"] == extract.truth["AA CLA"][DEC]["value"]  # the file's
    assert rows["CSC 182"]["value"] == extract.truth["AA CPP"][DEC]["value"]  # the sheet's
    assert rows["CSC 178"]["basis"] in ("records", "differs")


@pytest.mark.parametrize(
    ("line", "said"),
    [
        ('"CSC 178" = "AA CPP"', "'AA CPP'"),
        ('"CSC 176" = "AA ICPC 15"', "'AA ICPC 15'"),  # the sheet's is the year to date
    ],
)
def test_a_map_file_that_disagrees_with_the_sheet_is_refused(extract, tmp_path, line, said):
    store, path = _stores(tmp_path, extract, SHEET)
    map_file = tmp_path / "map.toml"
    map_file.write_text(f"# the council's map\n\n[codes]\n{line}\n")
    before = store.read_bytes()
    code, out, err = _ingest(path, store, "--map", str(map_file))
    assert code == 1
    code_ = line.split('"')[1]
    message = " ".join(err.split())
    assert f"{code_} is mapped twice, differently" in message
    assert f"Indicators!{CELLS[code_]}" in message and "map.toml line 4 says " + said in message
    assert "Traceback" not in out + err
    assert store.read_bytes() == before


def test_a_measure_the_sheet_names_that_is_not_one_names_its_cell(extract, tmp_path):
    store, path = _stores(tmp_path, extract, {"CSC 178": "AA ICPC 16"})
    before = store.read_bytes()
    code, _out, err = _ingest(path, store)
    assert code == 1
    message = " ".join(err.split())
    assert f"Indicators!{CELLS['CSC 178']} (CSC 178's records_measure)" in message
    assert "'AA ICPC 16' is not a measure" in message and "Did you mean 'AA ICPC 15'?" in message
    assert store.read_bytes() == before


def test_a_cumulative_indicator_on_a_snapshot_measure_names_its_cell(extract, tmp_path):
    """CSC 036 is cumulative on the example's sheet; a position has no year to date."""
    store, path = _stores(tmp_path, extract, {"CSC 036": "AA CLA"})
    code, _out, err = _ingest(path, store)
    assert code == 1
    message = " ".join(err.split())
    assert f"Indicators!{CELLS['CSC 036']} (CSC 036's records_measure): AA CLA is a snapshot" in (
        message
    )


def _indicator(code: str, measure: str, cumulative: bool = False) -> Indicator:
    return Indicator(
        code=code,
        title=code,
        section="",
        unit=Unit.PERCENT,
        polarity=Polarity.UP,
        measure=Measure.CUMULATIVE if cumulative else Measure.RATIO,
        records_measure=measure,
        records_cell="Indicators!L14",
    )


def test_with_sheet_adds_to_the_maps_codes_and_keeps_the_file_alone_without_one(tmp_path):
    shipped = load_definitions()
    assert shipped.with_sheet([]) is shipped
    assert shipped.with_sheet([_indicator("X 1", "")]) is shipped
    sheet = shipped.with_sheet([_indicator("X 1", "AA ASMT 45", cumulative=True)])
    [target] = sheet.targets
    assert (target.code, target.definition.code, target.ytd) == ("X 1", "AA ASMT 45", True)
    assert target.origin == "Indicators!L14"
    map_file = tmp_path / "annex-a.toml"
    map_file.write_text('[codes]\n\n"X 2" = "AA CLA"\n')
    both = load_definitions(map_file).with_sheet([_indicator("X 1", "AA ASMT 45")])
    assert [(t.code, t.origin) for t in both.targets] == [
        ("X 2", "annex-a.toml line 3"),
        ("X 1", "Indicators!L14"),
    ]
    with pytest.raises(DefinitionError, match=r"annex-a.toml line 3 says 'AA CLA'"):
        load_definitions(map_file).with_sheet([_indicator("X 2", "AA ASMT 45")])
