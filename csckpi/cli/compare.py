"""`csckpi compare`."""

from __future__ import annotations

from typing import Annotated

import typer

from csckpi.cli.common import (
    DEFAULT_STORE,
    IndicatorOption,
    OutputFormat,
    PeriodOption,
    SectionOption,
    StoreOption,
    WorkbookOption,
    app,
    handles_errors,
    is_terminal,
    load_dataset,
)


@app.command()
@handles_errors
def compare(
    indicator: IndicatorOption = None,
    section: SectionOption = None,
    period: PeriodOption = None,
    workbook: WorkbookOption = None,
    store: StoreOption = DEFAULT_STORE,
    fmt: Annotated[
        OutputFormat | None,
        typer.Option(
            "--format",
            "-f",
            help="table (a terminal's default), text (when piped), json, csv, tsv or markdown.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """One indicator against everything it is judged by: target and RAG, statistical
    neighbours, region, England, the same period last year, the annual trend and the months."""
    from csckpi.compare import compare_many, select
    from csckpi.compute import resolve_period
    from csckpi.narrate import verdict
    from csckpi.render.comparison import write

    if not indicator and not section:
        raise typer.BadParameter(
            "give an indicator (--indicator CSC038) or a section (--section 'Child Protection').",
            param_hint="--indicator / --section",
        )
    dataset = load_dataset(store, workbook)
    chosen = select(dataset, indicator or [], section or [])
    when = resolve_period(dataset, period)
    comparisons = compare_many(dataset, when, [ind.key for ind in chosen])
    verdicts = [verdict(c) for c in comparisons]
    if fmt is None:
        fmt = OutputFormat.TABLE if is_terminal() else OutputFormat.TEXT
    write(comparisons, verdicts, fmt.value)
