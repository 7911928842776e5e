"""`csckpi compute`."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
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
    err,
    handles_errors,
    is_terminal,
    load_dataset,
)

#: Exit code when an indicator is at or worse than --fail-on.
EXIT_FAIL_ON = 3

_SUFFIX_FORMATS = {
    ".csv": OutputFormat.CSV,
    ".tsv": OutputFormat.TSV,
    ".json": OutputFormat.JSON,
    ".md": OutputFormat.MARKDOWN,
    ".txt": OutputFormat.TEXT,
}


#: The extensions --output knows, as a message lists them.
_EXTENSIONS = [".xlsx", *_SUFFIX_FORMATS]
_SUPPORTED = ", ".join(_EXTENSIONS[:-1]) + " or " + _EXTENSIONS[-1]


class FailOn(StrEnum):
    RED = "red"
    AMBER = "amber"


@app.command("compute")
@handles_errors
def compute_command(
    period: PeriodOption = None,
    indicator: IndicatorOption = None,
    section: SectionOption = None,
    fmt: Annotated[
        OutputFormat | None,
        typer.Option(
            "--format",
            "-f",
            help="table (a terminal's default; plain text when piped), text, csv, tsv, json "
            "or markdown.",
            show_default=False,
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="Write to this file instead: .xlsx (Excel, RAG as fills), .csv, .tsv, .json, "
            ".md or .txt.",
        ),
    ] = None,
    fail_on: Annotated[
        FailOn | None,
        typer.Option(
            "--fail-on",
            help="Exit with code 3 when any indicator shown is at or worse than this RAG.",
        ),
    ] = None,
    workbook: WorkbookOption = None,
    store: StoreOption = DEFAULT_STORE,
) -> None:
    """Every indicator for a period: value, target and RAG, last year, previous period, year to
    date and the last 12 months."""
    suffix = output.suffix.lower() if output is not None else ".xlsx"
    if fmt is None and suffix not in _EXTENSIONS:  # a command-line mistake: usage error, exit 2
        raise typer.BadParameter(
            f"cannot tell which format to write to '{output}': name the file {_SUPPORTED}, "
            "or give --format.",
            param_hint="'--output' / '-o'",
        )
    from csckpi.compare import select
    from csckpi.compute import compute, monthly_values, resolve_period
    from csckpi.errors import OutputError
    from csckpi.render import scorecard

    dataset = load_dataset(store, workbook)
    chosen = select(dataset, indicator or [], section or [])
    when = resolve_period(dataset, period)
    keys = [ind.key for ind in chosen]
    frame = compute(dataset, when, keys)
    title = scorecard.heading(when.label, dataset.context.council, dataset.source)
    window = monthly_values(
        dataset, keys, first=when.last - (scorecard.TREND_MONTHS - 1), last=when.last
    )
    trends = scorecard.trends(window, when.last)

    if output is not None:
        if output.suffix.lower() == ".xlsx":
            scorecard.write_xlsx(frame, output, title)
        else:
            chosen_fmt = fmt or _SUFFIX_FORMATS[output.suffix.lower()]
            text = scorecard.render(frame, trends, chosen_fmt.value, title=title)
            try:
                output.write_text(text or "", encoding="utf-8")
            except OSError as exc:
                raise OutputError(f"Cannot write {output}: {exc.strerror or exc}.") from None
        err(f"Wrote {frame.height} indicators for {when.label} to {output}.")
    else:
        terminal = is_terminal()
        chosen_fmt = fmt or (OutputFormat.TABLE if terminal else OutputFormat.TEXT)
        scorecard.write(frame, trends, chosen_fmt.value, title=title, terminal=terminal)

    if fail_on is not None:
        failing = {"red"} if fail_on is FailOn.RED else {"red", "amber"}
        rags = frame.get_column("rag").to_list()
        if any(rag in failing for rag in rags):
            codes = [c for c, r in zip(frame.get_column("code"), rags, strict=True) if r in failing]
            err(f"{len(codes)} indicator(s) at or worse than {fail_on.value}: {', '.join(codes)}.")
            raise typer.Exit(EXIT_FAIL_ON)
