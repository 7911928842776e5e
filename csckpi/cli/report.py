"""`csckpi report`: the whole quarterly report as HTML, XLSX, Markdown or PDF."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from csckpi.cli.common import (
    DEFAULT_STORE,
    ForceOption,
    PeriodOption,
    PublishOption,
    SpcBaselineOption,
    SpcRulesOption,
    SpcShiftOption,
    SpcTrendOption,
    StoreOption,
    SuppressBelowOption,
    WorkbookOption,
    app,
    choose_format,
    err,
    expand,
    format_option,
    handles_errors,
    load_dataset,
    publish_note,
    publish_threshold,
    refuse_existing,
    spc_options,
    to_stdout,
)
from csckpi.render.outputs import REPORT


@app.command()
@handles_errors
def report(
    output: Annotated[
        Path,
        typer.Option(
            "--output",
            "-o",
            callback=expand,
            help="The file to write (- for standard output: HTML); its extension gives the "
            f"format: {REPORT.suffix_listing()}.",
        ),
    ],
    period: PeriodOption = None,
    format: Annotated[
        str | None,
        format_option(
            REPORT,
            f"Write this format whatever the file is called: {REPORT.listing()}.",
            show_default=False,
        ),
    ] = None,
    force: ForceOption = False,
    browser: Annotated[
        str | None,
        typer.Option(
            "--browser",
            metavar="<path>",
            callback=expand,
            help="PDF: the Chrome, Edge or Chromium to print with (default: $CSCKPI_BROWSER, "
            "else one found on PATH or where it installs).",
        ),
    ] = None,
    store: StoreOption = DEFAULT_STORE,
    workbook: WorkbookOption = None,
    spc_rules: SpcRulesOption = None,
    spc_baseline: SpcBaselineOption = None,
    spc_shift: SpcShiftOption = None,
    spc_trend: SpcTrendOption = None,
    publish: PublishOption = False,
    suppress_below: SuppressBelowOption = None,
    audience: Annotated[
        str,
        typer.Option(
            "--audience",
            metavar="committee|analyst",
            help="Who reads it: 'committee' (the default) keeps the source and its SHA-256 to "
            "the appendix and signs the service's commentary with its date; 'analyst' puts "
            "them on the cover and names each comment's author.",
        ),
    ] = "committee",
) -> None:
    """Write the quarterly report: overview, summary and a section per indicator group,
    each with its definition, analysis, month table and chart (with its control limits and
    SPC icons where an indicator has them). Without --period: the latest quarter whose three
    months all have figures."""
    kind = choose_format(
        REPORT, format, output, unknown_file=f"cannot tell the report's format from '{output.name}'"
    )
    if not to_stdout(output):
        refuse_existing(output, force, "q3.html")
    if kind.check is not None:  # say so before any work is done (PDF: no browser)
        kind.check(browser)
    spc = spc_options(spc_rules, spc_baseline, spc_shift, spc_trend)
    reader = audience.strip().lower()
    if reader not in ("committee", "analyst"):
        raise typer.BadParameter(
            f"'{audience}' is not an audience; use committee or analyst.", param_hint="--audience"
        )

    from csckpi.api import write_report
    from csckpi.render.terminal import progress

    kpi = load_dataset(store, workbook)
    content = kpi.build_report(
        period,
        spc=spc,
        publish=publish_threshold(publish, suppress_below),
        audience="analyst" if reader == "analyst" else "committee",
    )
    with progress("Drawing charts", len(content.sections)) as on_chart:
        written = write_report(kind, content, output, on_chart, browser)
    sections = len(content.sections)
    where = f"the report to {written}" if to_stdout(output) else written
    left_out = ""
    if content.disclosure is not None:
        left_out = "; " + publish_note(content.withheld, content.comments_left_out)
    err(
        f"Wrote {where} ({content.period}: {sections} section{'s' * (sections != 1)}, "
        f"{len(content.overview)} indicators{left_out})."
    )
