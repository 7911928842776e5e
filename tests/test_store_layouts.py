"""The same workbook in wide and long layout gives the same store contents."""

from __future__ import annotations

from pathlib import Path

import openpyxl

from csckpi.store import open_store
from csckpi.workbook import read


def long_copy(wide: Path, out: Path) -> Path:
    """The example with its Monthly sheet rewritten long: code, month, value, numerator, ..."""
    book = openpyxl.load_workbook(wide)
    sheet = book["Monthly"]
    header, *rows = list(sheet.iter_rows(values_only=True))
    assert header[:2] == ("code", "part")
    figures: dict[tuple[str, object], dict[str, object]] = {}
    for code, part, *values in rows:
        if code is None:
            continue
        for month, value in zip(header[2:], values, strict=True):
            if value is not None:
                figures.setdefault((code, month), {})[part or "value"] = value
    index = book.sheetnames.index("Monthly")
    book.remove(sheet)
    long = book.create_sheet("Monthly", index)
    long.append(["code", "month", "value", "numerator", "denominator"])
    for (code, month), parts in figures.items():
        long.append([code, month, *(parts.get(p) for p in ("value", "numerator", "denominator"))])
    book.save(out)
    return out


def contents(location: str) -> list[tuple]:
    columns = ["kind", "key", "code", "period", "part", "figure", "value", "source", "current"]
    return open_store(location).figures().select(columns).sort(columns[:6]).rows()


def test_wide_and_long_give_the_same_store(tmp_path, example_workbook, place):
    long = read(long_copy(example_workbook, tmp_path / "long.xlsx"))
    wide = read(example_workbook)
    assert (wide.layout, long.layout) == ("wide", "long")
    assert [p.kind for p in long.problems] == [p.kind for p in wide.problems]
    assert [p.kind for p in wide.problems] == ["period-not-pooled"]
    other = place.sibling("long")
    wide_store, long_store = open_store(place.location), open_store(other.location)
    wide_store.ingest(wide)
    long_store.ingest(long)
    assert len(contents(place.location)) == 586
    assert contents(place.location) == contents(other.location)
    assert wide_store.catalogue() == long_store.catalogue()
    assert wide_store.load().context == long_store.load().context
