"""`csckpi ingest`, `csckpi history`, `csckpi indicators` and `csckpi template`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from csckpi.cli.common import (
    DEFAULT_STORE,
    ForceOption,
    PeriodOption,
    StoreOption,
    WorkbookOption,
    app,
    complete_indicator,
    err,
    expand,
    format_option,
    handles_errors,
    refuse_existing,
    store_ingest,
)
from csckpi.cli.records import AsAtOption, MapOption, SinceOption
from csckpi.render.outputs_store import INGEST, ROWS

RowsFormat = Annotated[str, format_option(ROWS, f"How to write the result: {ROWS.listing()}.")]


@app.command()
@handles_errors
def ingest(
    workbook: Annotated[
        Path,
        typer.Argument(
            help="The performance workbook (.xlsx), or an Annex A extract.", callback=expand
        ),
    ],
    store: StoreOption = DEFAULT_STORE,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Validate and say what would change; write nothing.")
    ] = False,
    strict: Annotated[
        bool, typer.Option("--strict", help="Treat warnings as errors: write nothing.")
    ] = False,
    force: Annotated[
        bool,
        typer.Option(
            "--force",
            help="Load a workbook older than the store (one that would set figures back) anyway.",
        ),
    ] = False,
    verbose: Annotated[
        bool,
        typer.Option("--verbose", "-v", help="Also list what was ignored, notes, every revision."),
    ] = False,
    fmt: Annotated[str, format_option(INGEST)] = INGEST.default.name,
    map_file: MapOption = None,
    as_at: AsAtOption = None,
    since: SinceOption = None,
) -> None:
    """Check a workbook, then load all of it into the store in one go, or nothing.

    An Ofsted Annex A extract (a workbook of `List N` sheets, or a folder of one CSV file per
    list) is recognised: the monthly figures its records give are stored, counts only."""
    from csckpi.records.sniff import looks_like_annex_a, mistaken_extract

    if mistake := mistaken_extract(workbook):
        from csckpi.errors import WorkbookError

        raise WorkbookError(*mistake)
    if looks_like_annex_a(workbook):
        from csckpi.cli.records import ingest_extract

        ingest_extract(
            workbook,
            store=store,
            map_file=map_file,
            as_at=as_at,
            since=since,
            dry_run=dry_run,
            strict=strict,
            verbose=verbose,
            fmt=fmt,
        )
        return
    from csckpi.api import open_store, read_workbook
    from csckpi.render.formats import emit
    from csckpi.render.outputs_store import Ingested
    from csckpi.render.problems import ignored_lines, print_problems

    chosen = INGEST[fmt]
    result = read_workbook(workbook)
    if not chosen.machine:  # for people: problems on stderr now, before the store is opened
        print_problems(result.problems)
        for line in ignored_lines(result.ignored, result.notes) if verbose else ():
            err(line)
    found = open_store(store)
    over = _over_figures(found, result)
    summary = store_ingest(
        found, result, dry_run=dry_run, strict=strict, file=workbook.name, force=force
    )
    emit(
        chosen,
        Ingested(
            result.problems,
            summary,
            result.ignored,
            result.notes,
            verbose,
            blanks=result.blank_cells,
            over=over,
        ),
    )
    if not summary.ok:
        raise typer.Exit(1)


@app.command()
@handles_errors
def history(
    indicator: Annotated[
        str,
        typer.Option(
            "--indicator",
            "-i",
            metavar="<code>",
            help="An indicator code (any spelling).",
            autocompletion=complete_indicator,
        ),
    ],
    period: PeriodOption = None,
    store: StoreOption = DEFAULT_STORE,
    fmt: RowsFormat = ROWS.default.name,
) -> None:
    """Every value each figure of an indicator has had, with the ingest and cell it came from."""
    from csckpi.render.formats import emit
    from csckpi.render.history import history_rows
    from csckpi.render.outputs_store import Rows
    from csckpi.store import open_store

    found = open_store(store)
    wanted = found.resolve(indicator)
    revisions = found.history(wanted.key, period)
    if not revisions:
        err(f"csckpi: no figures for {wanted.code}" + (f" in {period}." if period else "."))
        return
    emit(ROWS[fmt], Rows(history_rows(revisions, wanted), f"{wanted.code}: {wanted.title}"))


@app.command()
@handles_errors
def indicators(
    store: StoreOption = DEFAULT_STORE,
    workbook: WorkbookOption = None,
    fmt: RowsFormat = ROWS.default.name,
) -> None:
    """The catalogue: every indicator's code, title, section, unit, polarity, measure, target."""
    from csckpi.render.formats import emit
    from csckpi.render.history import catalogue_rows
    from csckpi.render.outputs_store import Rows

    if workbook is not None:
        from csckpi.workbook import read_dataset

        catalogue = read_dataset(workbook).indicators
    else:
        from csckpi.store import open_store

        catalogue = open_store(store).catalogue()
    emit(ROWS[fmt], Rows(catalogue_rows(catalogue)))


@app.command()
@handles_errors
def template(
    out: Annotated[Path, typer.Argument(help="The workbook to write (.xlsx).", callback=expand)],
    force: ForceOption = False,
) -> None:
    """Write an empty workbook in the documented layout, with a sheet of instructions."""
    from csckpi.errors import OutputError
    from csckpi.workbook.template import write_template

    refuse_existing(out, force, "workbook.xlsx")
    if not out.parent.is_dir():
        raise OutputError(f"Cannot write {out}: the folder {out.parent} does not exist.")
    try:
        write_template(out)
    except OSError as exc:
        raise OutputError(f"Cannot write {out}: {exc.strerror or exc}.") from None
    err(f"Wrote {out}: fill it in, then run: csckpi ingest {out}")


def _over_figures(found: Any, result: Any) -> tuple[str, ...]:
    """The "n/a"-style cells of ``result`` standing where the store has a figure (which it
    keeps): read from the store only when the workbook has such cells."""
    from csckpi.errors import StoreError
    from csckpi.workbook import over_figures

    if not any(b.figure is not None for b in result.blank_cells) or result.errors:
        return ()
    try:
        held = found.load()
    except StoreError:  # a new store: no figure to keep
        return ()
    return over_figures(result.blank_cells, held)
