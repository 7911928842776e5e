"""`csckpi report`: the whole quarterly report as HTML, XLSX, Markdown or PDF."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from csckpi.cli.common import (
    DEFAULT_STORE,
    PeriodOption,
    StoreOption,
    WorkbookOption,
    app,
    err,
    handles_errors,
    load_dataset,
)
from csckpi.errors import OutputError


class ReportFormat(StrEnum):
    HTML = "html"
    XLSX = "xlsx"
    MD = "md"
    PDF = "pdf"


EXTENSIONS = {
    ".html": ReportFormat.HTML,
    ".htm": ReportFormat.HTML,
    ".xlsx": ReportFormat.XLSX,
    ".md": ReportFormat.MD,
    ".markdown": ReportFormat.MD,
    ".pdf": ReportFormat.PDF,
}


def report_format(output: Path, chosen: ReportFormat | None) -> ReportFormat:
    if chosen is not None:
        return chosen
    found = EXTENSIONS.get(output.suffix.lower())
    if found is None:  # a command-line mistake: a usage error, exit 2
        raise typer.BadParameter(
            f"cannot tell the report's format from '{output.name}': name the file .html, "
            ".xlsx, .md or .pdf, or give --format.",
            param_hint="'--output' / '-o'",
        )
    return found


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
            help="The file to write; its extension gives the format: .html, .xlsx, .md, .pdf.",
        ),
    ],
    period: PeriodOption = None,
    format: Annotated[
        ReportFormat | None,
        typer.Option("--format", "-f", help="Write this format whatever the file is called."),
    ] = None,
    store: StoreOption = DEFAULT_STORE,
    workbook: WorkbookOption = None,
) -> None:
    """Write the quarterly report: overview, summary and a section per indicator group,
    each with its definition, analysis, month table and chart. Without --period: the latest
    quarter whose three months all have figures."""
    kind = report_format(output, format)
    if kind is ReportFormat.PDF:
        from csckpi.render.report_pdf import find_chromium, no_chromium

        if find_chromium() is None:  # say so before any work is done
            raise no_chromium()

    from csckpi.compute import resolve_period
    from csckpi.narrate import default_period
    from csckpi.report import build

    dataset = load_dataset(store, workbook)
    # a quarterly report: without --period, the latest quarter with all three months
    chosen = resolve_period(dataset, period) if period else default_period(dataset)
    source, sha256 = provenance(store, workbook)
    content = build(dataset, chosen, generated=generated_date(), source=source, sha256=sha256)
    written = _write(kind, content, output)
    sections = len(content.sections)
    err(
        f"Wrote {written} ({content.period}: {sections} section{'s' * (sections != 1)}, "
        f"{len(content.overview)} indicators)."
    )


def _write(kind: ReportFormat, content: Any, output: Path) -> str:
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    console = Console(stderr=True)
    progress = Progress(
        TextColumn("Drawing charts"),
        BarColumn(),
        MofNCompleteColumn(),
        console=console,
        transient=True,
        disable=not console.is_terminal,
    )
    task = progress.add_task("charts", total=max(len(content.sections), 1))

    def on_chart(done: int, total: int) -> None:
        progress.update(task, completed=done, total=total)

    try:
        with progress:
            if kind is ReportFormat.HTML:
                from csckpi.render.report_html import render_html

                output.write_text(render_html(content, on_chart), encoding="utf-8")
            elif kind is ReportFormat.XLSX:
                from csckpi.render.report_xlsx import write_xlsx

                write_xlsx(content, output, on_chart)
            elif kind is ReportFormat.MD:
                from csckpi.render.report_md import charts_dir, write_markdown

                write_markdown(content, output, on_chart)
                return f"{output} and its charts in {charts_dir(output)}"
            else:
                from csckpi.render.report_pdf import write_pdf

                write_pdf(content, output, on_chart)
    except OSError as exc:
        raise OutputError(
            f"Cannot write {output}: {exc.strerror or exc}.",
            "Check the folder exists and you may write to it.",
        ) from None
    return str(output)
