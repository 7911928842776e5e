"""The example's map file: every code is one of the example's indicators, and each agrees
with the measure it is derived from (unit, polarity, and a year to date where the workbook
holds one)."""

from __future__ import annotations

import csv
from pathlib import Path

from csckpi.model import normalise_code
from csckpi.records import load_definitions

ROOT = Path(__file__).resolve().parent.parent
MAP = ROOT / "examples" / "darlington-annex-a.toml"
INDICATORS = ROOT / "examples" / "source" / "indicators.csv"


def test_every_mapped_code_is_an_example_indicator_that_agrees_with_its_measure():
    with INDICATORS.open(encoding="utf-8") as handle:
        example = {normalise_code(row["code"]): row for row in csv.DictReader(handle)}
    definitions = load_definitions(MAP)
    assert len(definitions.targets) == 18
    for target in definitions.targets:
        row = example.get(target.key)
        assert row is not None, f"{target.code} is not in the example"
        indicator = target.indicator()
        assert row["unit"] == indicator.unit.value, target.code
        assert row["polarity"] == indicator.polarity.value, target.code
        assert row["measure"] == indicator.measure.value, target.code
        assert (row["measure"] == "cumulative") == target.ytd, target.code
