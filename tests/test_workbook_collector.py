"""Reading pauses Python's cyclic garbage collector and always gives it back as it was."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest
from example_says import EXAMPLE_LOCATIONS
from test_workbook_broken_xml import _cut_a_sheet

from csckpi.errors import WorkbookError
from csckpi.workbook import read
from csckpi.workbook.reader import Reader


@pytest.fixture
def collector() -> Iterator[None]:
    was = gc.isenabled()
    yield
    if was:
        gc.enable()
    else:
        gc.disable()


def test_the_collector_is_paused_while_reading_and_resumed_after(
    example_workbook, monkeypatch, collector
):
    seen: list[bool] = []
    run = Reader.run

    def watched(self: Reader):  # type: ignore[no-untyped-def]
        seen.append(gc.isenabled())
        return run(self)

    monkeypatch.setattr(Reader, "run", watched)
    gc.enable()
    assert [p.location for p in read(example_workbook).problems] == list(EXAMPLE_LOCATIONS)
    assert seen == [False]
    assert gc.isenabled()


def test_a_collector_the_caller_disabled_stays_disabled(example_workbook, collector):
    gc.disable()
    read(example_workbook)
    assert not gc.isenabled()


def test_a_failed_read_resumes_the_collector(example_workbook, tmp_path, collector):
    gc.enable()
    with pytest.raises(WorkbookError):
        read(_cut_a_sheet(example_workbook, tmp_path / "broken.xlsx"))
    assert gc.isenabled()
