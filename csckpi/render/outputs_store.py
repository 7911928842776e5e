"""The output families of the commands that read or write the store rather than judge
figures: ingest, benchmarks import, history and indicators, children, changes and export.

The rest of the families :mod:`csckpi.render.outputs` lists; their commands import them from
here. Like there, writers import their renderers when they run.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from csckpi.render.formats import Format, Formats

if TYPE_CHECKING:
    import polars as pl

    from csckpi.changes import Changes
    from csckpi.export import Tables
    from csckpi.model import Problem
    from csckpi.published import ImportResult
    from csckpi.store import IngestSummary

__all__ = [
    "CHANGES",
    "CHILDREN",
    "EXPORT",
    "IMPORT",
    "INGEST",
    "ROWS",
    "ChangesFile",
    "Children",
    "Imported",
    "Ingested",
    "Rows",
]


# -- what an ingest found and did: csckpi ingest ---------------------------------------------


@dataclass(frozen=True)
class Ingested:
    """A workbook's problems, what the store did with it, and what was not read."""

    problems: Sequence[Problem]
    summary: IngestSummary
    ignored: Sequence[str] = ()
    notes: Sequence[str] = ()
    verbose: bool = False
    #: Lines said after the summary (an Annex A extract's date and what each measure left out).
    said: Sequence[str] = ()
    #: cells read as blank ("n/a", "-": csckpi.workbook.problems.Blank): counted in the
    #: summary, listed by cell in JSON's problems (as notes) and by --verbose
    blanks: Sequence[Any] = ()
    #: those of them standing where the store has a figure, which it keeps (`Monthly!M2`)
    over: Sequence[str] = ()


def _ingest_summary(i: Ingested) -> str:
    from csckpi.render.problems import summary_text

    text = summary_text(i.summary, verbose=i.verbose, blanks=len(i.blanks), over=i.over)
    return text + "".join(f"{line}\n" for line in i.said)


def _ingest_json(i: Ingested) -> str:
    from csckpi.render.problems import ingest_json

    return ingest_json(
        i.problems, i.summary, i.ignored, i.notes, i.said, blanks=i.blanks, over=i.over
    )


INGEST: Formats[Ingested] = Formats(
    {
        "table": Format("problems on stderr as found, then the summary", text=_ingest_summary),
        "json": Format(
            "problems and summary as one document on stdout", text=_ingest_json, machine=True
        ),
    },
    default="table",
)


# -- published statistics in: csckpi benchmarks import ---------------------------------------


@dataclass(frozen=True)
class Imported:
    """An import of published statistics: its problems, what it found, what the store did."""

    problems: Sequence[Problem]
    result: ImportResult
    summary: IngestSummary
    verbose: bool = False


def _import_summary(i: Imported) -> str:
    from csckpi.render.published import import_summary

    return import_summary(i.result, i.summary, verbose=i.verbose)


def _import_json(i: Imported) -> str:
    from csckpi.render.published import import_json

    return import_json(i.problems, i.result, i.summary)


IMPORT: Formats[Imported] = Formats(
    {
        "table": Format("problems on stderr as found, then the summary", text=_import_summary),
        "json": Format(
            "problems, what was found and the summary as one document on stdout",
            text=_import_json,
            machine=True,
        ),
    },
    default="table",
)


# -- rows of plain values: csckpi history, csckpi indicators ---------------------------------


@dataclass(frozen=True)
class Rows:
    """Rows of plain values (one dict each, the same keys in each) and an optional title."""

    rows: Sequence[Mapping[str, Any]]
    title: str | None = None


def _rows_plain(r: Rows) -> str:
    from csckpi.render.history import text_table

    text = text_table(r.rows)
    return f"{r.title}\n\n{text}" if r.title and text else text


def _rows_table(r: Rows) -> None:
    from csckpi.render.history import print_table

    print_table(r.rows, r.title)


def _rows_delimited(delimiter: str) -> Callable[[Rows], str]:
    def write(r: Rows) -> str:
        from csckpi.render.history import as_text
        from csckpi.render.tables import to_delimited

        return to_delimited(as_text(r.rows), delimiter)

    return write


def _rows_json(r: Rows) -> str:
    from csckpi.render.tables import to_json

    return to_json(list(r.rows))


def _rows_markdown(r: Rows) -> str:
    from csckpi.render.history import as_text
    from csckpi.render.tables import to_markdown

    return to_markdown(as_text(r.rows))


ROWS: Formats[Rows] = Formats(
    {
        "table": Format(
            "a terminal's default; plain text when piped", text=_rows_plain, show=_rows_table
        ),
        "text": Format("plain columns", text=_rows_plain),
        "csv": Format("for a spreadsheet", text=_rows_delimited(","), machine=True),
        "tsv": Format("tab-separated", text=_rows_delimited("\t"), machine=True),
        "json": Format("for scripts", text=_rows_json, machine=True),
        "markdown": Format("a table for a document", text=_rows_markdown),
    },
    default="table",
)


# -- the records behind a figure: csckpi children --------------------------------------------


@dataclass(frozen=True)
class Children:
    """The rows behind a figure (personal data), what they are, and the notice every output of
    them carries first. Written to standard output only: never to a file, a report or a store."""

    rows: pl.DataFrame
    title: str
    notice: str


def _children_text(c: Children) -> str:
    from csckpi.render.children import as_text

    return as_text(c)


def _children_table(c: Children) -> None:
    from csckpi.render.children import print_table

    print_table(c)


def _children_csv(c: Children) -> str:
    from csckpi.render.children import as_csv

    return as_csv(c)


def _children_json(c: Children) -> str:
    from csckpi.render.children import as_json

    return as_json(c)


CHILDREN: Formats[Children] = Formats(
    {
        "table": Format(
            "a terminal's default; plain text when piped", text=_children_text, show=_children_table
        ),
        "csv": Format("the notice as a # line, then the rows", text=_children_csv, machine=True),
        "json": Format("the notice and the rows, for scripts", text=_children_json, machine=True),
    },
    default="table",
)


# -- what is new in the store: csckpi changes ------------------------------------------------


@dataclass(frozen=True)
class ChangesFile:
    """What changed between two states of a store (:func:`csckpi.changes.changes`), and how
    messages name the store."""

    changes: Changes
    store: str


def _changes_text(c: ChangesFile) -> str:
    from csckpi.render.changes import as_text

    return as_text(c.changes, c.store)


def _changes_markdown(c: ChangesFile) -> str:
    from csckpi.render.changes import as_markdown

    return as_markdown(c.changes, c.store)


def _changes_json(c: ChangesFile) -> str:
    from csckpi.render.changes import as_json

    return as_json(c.changes, c.store)


CHANGES: Formats[ChangesFile] = Formats(
    {
        "table": Format("a section per kind of change", (".txt",), text=_changes_text),
        "markdown": Format("a table per kind of change", (".md",), text=_changes_markdown),
        "json": Format("every change, for scripts", (".json",), text=_changes_json, machine=True),
    },
    default="table",
)


# -- a folder of tables: csckpi export --------------------------------------------------------


def _export_csv(t: Tables, folder: Path) -> str:
    from csckpi.render.export import csv

    return csv(t, folder)


def _export_parquet(t: Tables, folder: Path) -> str:
    from csckpi.render.export import parquet

    return parquet(t, folder)


EXPORT: Formats[Tables] = Formats(
    {
        "parquet": Format("typed columns, for Power BI, Python or R", save=_export_parquet),
        "csv": Format("for a spreadsheet", save=_export_csv),
    },
    default="parquet",
)
