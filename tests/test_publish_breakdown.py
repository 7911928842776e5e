"""`csckpi compute --by team --publish`: the teams add up to the whole, which the ordinary
`compute --publish` scorecard shows, so a reader with both must not be able to work out a
team's suppressed figure (27 children in care, less teams of 8, 6 and 10, is 3).

The attacker (tests/recovery.py) takes every figure both published outputs show, every
relation a scorecard row obeys (tests/test_publish_compute.py) and, for each figure that adds
up across the teams, the whole = the sum of its teams — where it does, in the figures before
suppression — and solves what it can."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from recovery import Equation, Sum, recover
from test_publish_compute import equations
from typer.testing import CliRunner

from csckpi.cli import app
from csckpi.store import open_store

SEPARATOR = " · "
#: Figures that add up across a code's teams, by unit (docs/publishing.md).
ADDITIVE = {
    "count": ("value", "previous", "ytd", "last_year", "flow", "last_year_flow", "change"),
    "rate": ("value", "previous", "ytd", "last_year", "change", "numerator"),
    "percent": ("numerator", "denominator"),
}
runner = CliRunner()


def _json(*args: str) -> list[dict[str, Any]]:
    result = runner.invoke(app, ["compute", "-f", "json", *args])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    return doc["indicators"] if isinstance(doc, dict) else doc


@pytest.fixture(scope="module")
def store(example_with_extract: Path) -> Path:
    """The example workbook, then the sample extract from April 2020 (docs/records.md)."""
    return example_with_extract


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _equations(row: dict[str, Any]) -> list[Equation]:
    """A row's relations; the workbook's reported figure is the row's value only where the
    row says so (a records figure that `differs` is not the workbook's)."""
    eqs = equations(row, within_year=True)
    if row["basis"] in ("reported", "computed", "month"):
        return eqs
    return [eq for eq in eqs if not (isinstance(eq, Sum) and eq.total.endswith(".reported"))]


def _team_equations(
    teams: list[dict[str, Any]], wholes: list[dict[str, Any]]
) -> tuple[list[Equation], set[str]]:
    """whole.field = the sum of its teams' field, for each field where the figures before
    suppression say so (a figure the workbook gives for the whole is not the teams' sum)."""
    by_code: dict[str, list[dict[str, Any]]] = {}
    for row in teams:
        by_code.setdefault(row["code"].split(SEPARATOR)[0], []).append(row)
    eqs: list[Equation] = []
    tied: set[str] = set()
    for whole in wholes:
        parts = by_code.get(whole["code"], [])
        fields = list(ADDITIVE[whole["unit"]])
        for name in fields:
            numbers = [p for p in parts if _number(p[name])]
            if not numbers or not _number(whole[name]):
                continue
            slack = 0.5 * 10 ** -whole["decimals"] * (len(numbers) + 1)
            if abs(whole[name] - sum(p[name] for p in numbers)) <= slack:
                eqs.append(
                    Sum(f"{whole['code']}.{name}", tuple(f"{p['code']}.{name}" for p in numbers))
                )
                tied.add(f"{whole['code']}.{name}")
        if whole["unit"] == "percent" and {f"{whole['code']}.{n}" for n in fields} <= tied:
            eqs.append(Sum(f"{whole['code']}.rest", tuple(f"{p['code']}.rest" for p in parts)))
    return eqs, tied


@pytest.mark.parametrize("period", ["Dec-20", "Nov-20", "Q3 2020/21"])
def test_no_suppressed_team_can_be_worked_out_from_the_whole(store, period):
    s = ["--store", str(store), "-p", period]
    truth_teams, truth_wholes = _json(*s, "--by", "team"), _json(*s)
    teams, wholes = _json(*s, "--by", "team", "--publish"), _json(*s, "--publish")
    population = open_store(str(store)).load().context.population_for(2020)
    assert population
    known: dict[str, float] = {"population": float(population)}
    hidden: set[str] = set()
    eqs: list[Equation] = []
    for row in [*teams, *wholes]:
        for name, value in row.items():
            if _number(value):
                known[f"{row['code']}.{name}"] = float(value)
            elif value == "c":
                hidden.add(f"{row['code']}.{name}")
        eqs += _equations(row)
    ties, tied = _team_equations(truth_teams, truth_wholes)
    eqs += ties
    # The teams' counts add up to the whole (in Dec-20, 27 children in care: the trial's).
    assert "CSC 201.value" in tied
    assert "CSC 201 · Assessment Team 1.value" in hidden
    if period == "Dec-20":
        assert known["CSC 201.value"] == 27
    found = recover(known, eqs)
    teams_hidden = {name for name in hidden if SEPARATOR in name}
    assert teams_hidden
    assert sorted(teams_hidden & set(found)) == []
    # Nor the rest of a team's percentage, a count no output shows.
    for name, value in found.items():
        if SEPARATOR in name and name.endswith(".rest"):
            assert not 0.5 <= value < 5.5, (name, value)


def test_the_whole_is_published_as_the_scorecard_publishes_it(store):
    """The breakdown gives up the next smallest team, never the whole: the ordinary
    scorecard is the same with or without a breakdown run beside it."""
    s = ["--store", str(store), "-p", "Dec-20"]
    wholes = {r["code"]: r for r in _json(*s, "--publish")}
    teams = {r["code"]: r for r in _json(*s, "--by", "team", "--publish")}
    assert wholes["CSC 201"]["value"] == 27
    shown = sorted(
        code for code, row in teams.items() if code.startswith("CSC 201 ·") and row["value"] != "c"
    )
    suppressed = sorted(
        code for code, row in teams.items() if code.startswith("CSC 201 ·") and row["value"] == "c"
    )
    # Assessment Team 1's 3 children, and the next smallest team (Children in Care: 6).
    assert suppressed == ["CSC 201 · Assessment Team 1", "CSC 201 · Children in Care"]
    assert shown == ["CSC 201 · Assessment Team 2", "CSC 201 · Safeguarding North"]
