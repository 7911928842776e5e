"""Excel -> Dataset + problems. The only module that reads workbooks with openpyxl.

    result = read(Path("workbook.xlsx"))     # never raises for a bad cell or sheet
    result.errors, result.warnings           # every problem, each with its Sheet!Cell
    dataset = read_dataset(path)             # the Dataset, or InvalidWorkbook with problems

A file that is not a workbook at all (empty, CSV, .xls, password-protected, damaged, a zip
bomb ...) raises :class:`~csckpi.errors.WorkbookError` with a one-line message.
The layout is documented in docs/workbook.md; bad input and its messages in docs/bad-input.md.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from csckpi.dataset import Dataset
from csckpi.errors import InvalidWorkbook
from csckpi.model import Problem, Severity

if TYPE_CHECKING:
    from csckpi.workbook.problems import Blank

__all__ = ["ReadResult", "over_figures", "read", "read_dataset"]


@dataclass(frozen=True)
class ReadResult:
    """What reading a workbook found: its Dataset (None when there are errors) and problems."""

    dataset: Dataset | None
    problems: tuple[Problem, ...]  # sorted by sheet, row, column
    ignored: tuple[str, ...]  # sheets and columns csckpi does not read (for --verbose)
    sha256: str
    layout: Literal["wide", "long"]
    notes: tuple[str, ...] = ()  # hidden rows read, title rows skipped ... (for --verbose)
    source: str = ""  # the file name
    #: cells holding "n/a", "-", "*" or similar, read as blank (the notes list them too)
    blank_cells: tuple[Blank, ...] = ()

    @property
    def blanks(self) -> int:
        """How many cells were read as blank for their "n/a"-style mark."""
        return len(self.blank_cells)

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity is Severity.ERROR)

    @property
    def warnings(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity is Severity.WARNING)


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while a workbook is read.

    Reading allocates a few objects per cell and frees almost none until the frames are built,
    so the collector's full passes (whose cost grows with the live objects) find nothing while
    costing ~10% of a large read. Reference counting still frees everything as usual; the
    collector resumes, as it was, when the read ends or fails.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def read(path: Path, *, today: dt.date | None = None) -> ReadResult:
    """Read a workbook in the documented layout; every problem in it is in ``problems``.
    ``today`` (default: the real one) is when it is read: a month after it has no figures."""
    from csckpi.workbook.files import open_workbook, read_bytes
    from csckpi.workbook.reader import Reader
    from csckpi.workbook.sheets import Book

    path = Path(path)
    data = read_bytes(path)
    digest = hashlib.sha256(data).hexdigest()
    opened = open_workbook(path, data)
    try:
        reader = Reader(Book(opened, path), path.name, today)
        with _collector_paused():
            outcome = reader.run()
    finally:
        opened.close()
    out = reader.out
    return ReadResult(
        dataset=outcome.dataset,
        problems=tuple(sorted(out.problems)),
        ignored=tuple(out.ignored),
        sha256=digest,
        layout=outcome.layout,
        notes=tuple(out.notes),
        source=path.name,
        blank_cells=tuple(b for cells in out.quiet_blanks.values() for b in cells),
    )


def read_dataset(path: Path) -> Dataset:
    """The workbook's Dataset; :class:`InvalidWorkbook` (with every problem) if it has errors."""
    result = read(Path(path))
    if result.dataset is None:
        errors = result.errors
        first = f"the first is {errors[0]}" if errors else "see its problems"
        raise InvalidWorkbook(
            f"{result.source} has {len(errors)} error{'s' if len(errors) != 1 else ''}; {first}. "
            f"List them all with: csckpi ingest {path} --dry-run",
            list(result.problems),
        )
    return result.dataset


def over_figures(blanks: tuple[Blank, ...], held: Dataset | None) -> tuple[str, ...]:
    """The cells (``Monthly!M2``) of ``blanks`` that stand where ``held`` — the store's
    figures before an ingest — has a monthly figure. A blank is no figure, so the store keeps
    its value: an "n/a" typed over a figure does not remove it, and the ingest says so."""
    wanted = sorted((b for b in blanks if b.figure is not None), key=lambda b: (b.row, b.column))
    if held is None or not wanted:
        return ()
    import polars as pl

    cells = pl.DataFrame(
        {
            "key": [b.figure[0] for b in wanted if b.figure],
            "part": [b.figure[1] for b in wanted if b.figure],
            "month": [b.figure[2] for b in wanted if b.figure],
            "location": [b.location for b in wanted],
        },
        schema={"key": pl.String, "part": pl.String, "month": pl.Int32, "location": pl.String},
    ).with_columns(pl.col("month").cast(pl.Date), pl.int_range(pl.len()).alias("order"))
    stored = held.monthly.select("key", "part", "month").unique()
    found = cells.join(stored, on=["key", "part", "month"]).sort("order")
    return tuple(found.get_column("location"))
