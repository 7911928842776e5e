"""An indicator's row is the same in every backend: every field of the definition, in one order,
read back as it was written (csckpi/store/rows.py)."""

from __future__ import annotations

import dataclasses

from csckpi.model import Indicator
from csckpi.store.rows import FIELDS, context_of, indicator_of, indicator_row
from tests.compute_data import indicator


def _indicator() -> Indicator:
    """An indicator with every field set, no text field like another."""
    base = indicator("CSC 038", "ratio", "percent", "down", 90.0, 5.0, decimals=1, order=7)
    texts = {
        f.name: f"the {f.name}"
        for f in dataclasses.fields(Indicator)
        if f.type == "str" and f.name != "code"
    }
    return dataclasses.replace(base, **texts)


def test_a_row_holds_every_field_of_the_definition_once():
    assert sorted(FIELDS) == sorted(f.name for f in dataclasses.fields(Indicator))


def test_a_row_is_read_back_as_the_indicator_it_was_written_from():
    written = _indicator()
    assert written.label == "the label" and written.baseline == "the baseline"
    row = indicator_row(written)
    assert row[FIELDS.index("unit")] == "percent"  # enums as their values
    assert row[FIELDS.index("new_process")] == "the new_process"
    assert indicator_of(row) == written
    assert indicator_of((*row, 3, "CSC038")) == written  # the ingest and key after it: not read


def test_a_context_is_read_from_its_rows_in_order():
    context = context_of("Darlington", [("0-17", 2020, 22450)], [(2020, "22450"), (2019, 22300)])
    assert context.council == "Darlington"
    assert context.population == ((2020, 22450.0), (2019, 22300.0))
    assert context.items == (("0-17", "2020", "22450"),)
