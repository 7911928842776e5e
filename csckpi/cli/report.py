"""`csckpi report`: the whole quarterly report as HTML, XLSX, Markdown or PDF."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from pathlib import Path
from typing import Annotated

import typer

from csckpi.cli.common import (
    DEFAULT_STORE,
    PeriodOption,
    StoreOption,
    WorkbookOption,
    app,
    choose_format,
    err,
    format_option,
    handles_errors,
    load_dataset,
)
from csckpi.render.outputs import REPORT


def generated_date() -> dt.date:
    """Today, or the date of $SOURCE_DATE_EPOCH, so a report can be rebuilt byte for byte."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC).date()
    return dt.date.today()


def provenance(store: str, workbook: Path | None) -> tuple[str, str | None]:
    """What the figures came from, and its SHA-256: the workbook, or the store's latest ingest."""
    if workbook is not None:
        digest = hashlib.sha256()
        with workbook.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
        return workbook.name, digest.hexdigest()
    from csckpi.store import open_store

    found = open_store(store)
    ingests = found.ingests()
    if not ingests:
        return found.location, None
    latest = ingests[-1]
    return f"{latest['file']} (latest ingest into {found.location})", str(latest["sha256"])


@app.command()
@handles_errors
def report(
    output: Annotated[
        Path,
        typer.Option(
            "--output",
            "-o",
            help=f"The file to write; its extension gives the format: {REPORT.suffix_listing()}.",
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
    store: StoreOption = DEFAULT_STORE,
    workbook: WorkbookOption = None,
) -> None:
    """Write the quarterly report: overview, summary and a section per indicator group,
    each with its definition, analysis, month table and chart. Without --period: the latest
    quarter whose three months all have figures."""
    kind = choose_format(
        REPORT, format, output, unknown_file=f"cannot tell the report's format from '{output.name}'"
    )
    if kind.check is not None:  # say so before any work is done (PDF: no Chromium)
        kind.check()

    from csckpi.compute import resolve_period
    from csckpi.narrate import default_period
    from csckpi.render.formats import emit
    from csckpi.render.outputs import ReportFile
    from csckpi.render.terminal import progress
    from csckpi.report import build

    dataset = load_dataset(store, workbook)
    # a quarterly report: without --period, the latest quarter with all three months
    chosen = resolve_period(dataset, period) if period else default_period(dataset)
    source, sha256 = provenance(store, workbook)
    content = build(dataset, chosen, generated=generated_date(), source=source, sha256=sha256)
    with progress("Drawing charts", len(content.sections)) as on_chart:
        written = emit(
            kind,
            ReportFile(content, on_chart),
            output,
            hint="Check the folder exists and you may write to it.",
        )
    sections = len(content.sections)
    err(
        f"Wrote {written} ({content.period}: {sections} section{'s' * (sections != 1)}, "
        f"{len(content.overview)} indicators)."
    )
