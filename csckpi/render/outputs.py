"""Every output family and its formats: the one list of what each command can write.

Each family is a :class:`~csckpi.render.formats.Formats` from format name to its
:class:`~csckpi.render.formats.Format` (file suffixes, description, writer); the command line
takes ``--format`` choices, file-name detection, ``--help`` and messages from it, and writes
with :func:`~csckpi.render.formats.emit`. A writer takes the family's record (below) and calls
its renderer, imported when it runs: the command line reads this module at start-up.

    SCORECARD   csckpi compute           Scorecard
    COMPARISON  csckpi compare           Comparisons
    NARRATIVE   csckpi narrate           Narrative
    REPORT      csckpi report            ReportFile
    INGEST      csckpi ingest            Ingested
    IMPORT      csckpi benchmarks import Imported
    ROWS        csckpi history, indicators  Rows
    CHILDREN    csckpi children          Children (personal data: never to a file or a report)
    CHANGES     csckpi changes           ChangesFile
    EXPORT      csckpi export            csckpi.export.Tables (a folder of files)

The families from INGEST on are the store's, in :mod:`csckpi.render.outputs_store`, imported
from there. To add a format: write its renderer in the family's module, then one entry in its
family here or there.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from csckpi.render.formats import Format, Formats

if TYPE_CHECKING:
    import polars as pl

    from csckpi.compare import Comparison
    from csckpi.narrate import KeyMessage, Paragraph
    from csckpi.publish import Publication
    from csckpi.report import Report

__all__ = [
    "COMPARISON",
    "NARRATIVE",
    "REPORT",
    "SCORECARD",
    "SCORECARD_LEGEND",
    "Comparisons",
    "Narrative",
    "ReportFile",
    "Scorecard",
    "legend_text",
]


# -- the scorecard: csckpi compute -----------------------------------------------------------


#: What the scorecard's columns mean: `csckpi compute --help`, and under the table with
#: ``--legend`` (docs/computation.md has the rules).
SCORECARD_LEGEND = (
    ("Value", "the period's figure: a sum, a pooled rate or the last month's (see Basis)"),
    ("In period", "a year-to-date count's own events in the period (this YTD minus the"),
    ("", "last); where a row has one, Last year and Previous are of the In period"),
    ("Target", "the period's target; RAG (red, amber, green): green meets it, amber"),
    ("", "misses it within its tolerance, red misses it by more; blank: no target"),
    ("Last year", "the same period a year before (Dec-19 for Dec-20)"),
    ("Previous", "the period before (Nov-20 for Dec-20, Q2 for Q3)"),
    ("vs ...", "the change from last year or the period before, in percentage points"),
    ("", "for a percentage: improved or worsened for the indicator's polarity (up"),
    ("", "or down where neither is better)"),
    ("YTD", "the year to date: from April to the period's last month"),
    ("Last 12 months", "the 12 months to the period's end, from the row's lowest ▁ to its"),
    ("", "highest █ (▅ when all are alike); · a month with no figure"),
    ("Basis", "computed (from the months), month (one month's figure), reported (the"),
    ("", "workbook's period figure), differs (computed; the workbook's differs), none"),
)
_NAME_WIDTH = max(len(name) for name, _ in SCORECARD_LEGEND)


def legend_text() -> str:
    """:data:`SCORECARD_LEGEND` as lines under a heading."""
    rows = "".join(f"  {name:<{_NAME_WIDTH}}  {text}\n" for name, text in SCORECARD_LEGEND)
    return f"Columns:\n{rows}"


@dataclass(frozen=True)
class Scorecard:
    """Every indicator for one period (:func:`csckpi.compute.compute`), its last 12 months
    (key -> values) and the heading; ``legend``: what the columns mean, under the table."""

    frame: pl.DataFrame
    trends: Mapping[str, Sequence[float | None]]
    title: str
    legend: bool = False
    from_records: frozenset[str] = frozenset()  # keys whose figures the records give
    #: Under ``--publish``: the figures written `c`, `z` or `x`, and the note (None: all).
    publish: Publication | None = None


def _scorecard_plain(s: Scorecard) -> str:
    from csckpi.render.scorecard import plain

    text = plain(s.frame, s.trends, s.title, s.from_records, publish=s.publish)
    return f"{text}\n{legend_text()}" if s.legend else text


def _scorecard_table(s: Scorecard) -> None:
    from csckpi.render.scorecard import print_table

    print_table(s.frame, s.trends, s.title, s.from_records, publish=s.publish)
    if s.legend:
        sys.stdout.write("\n" + legend_text())


def _scorecard_xlsx(s: Scorecard, path: Path) -> str:
    from csckpi.render.scorecard_xlsx import write_xlsx

    write_xlsx(s.frame, path, s.title, s.publish)
    return str(path)


def _scorecard_delimited(delimiter: str) -> Callable[[Scorecard], str]:
    def write(s: Scorecard) -> str:
        from csckpi.render.scorecard import as_delimited

        return as_delimited(s.frame, delimiter, s.publish)

    return write


def _scorecard_json(s: Scorecard) -> str:
    from csckpi.render.scorecard import as_json

    return as_json(s.frame, s.publish)


def _scorecard_markdown(s: Scorecard) -> str:
    from csckpi.render.scorecard import markdown

    text = markdown(s.frame, s.trends, s.from_records, publish=s.publish)
    if not s.legend:
        return text
    rows = "".join(f"- **{name}**: {words}\n" for name, words in _legend_entries())
    return f"{text}\n{rows}"


def _legend_entries() -> list[tuple[str, str]]:
    """The legend's entries joined across its wrapped lines."""
    entries: list[tuple[str, str]] = []
    for name, text in SCORECARD_LEGEND:
        if name:
            entries.append((name, text))
        else:
            entries[-1] = (entries[-1][0], f"{entries[-1][1]} {text}")
    return entries


SCORECARD: Formats[Scorecard] = Formats(
    {
        "table": Format(
            "a terminal's default; plain text when piped",
            text=_scorecard_plain,
            show=_scorecard_table,
        ),
        "xlsx": Format("Excel, RAG as fills", (".xlsx",), save=_scorecard_xlsx),
        "csv": Format(
            "a row per indicator", (".csv",), text=_scorecard_delimited(","), machine=True
        ),
        "tsv": Format("tab-separated", (".tsv",), text=_scorecard_delimited("\t"), machine=True),
        "json": Format("an object per indicator", (".json",), text=_scorecard_json, machine=True),
        "markdown": Format("a table for a document", (".md",), text=_scorecard_markdown),
        "text": Format("plain columns", (".txt",), text=_scorecard_plain),
    },
    default="table",
    piped="text",
)


# -- one indicator against everything: csckpi compare ----------------------------------------


@dataclass(frozen=True)
class Comparisons:
    """Each chosen indicator's :class:`~csckpi.compare.Comparison` and its verdict line."""

    comparisons: Sequence[Comparison]
    verdicts: Sequence[str | None]
    #: Under ``--publish``: the figures withheld (already taken out of the comparisons).
    publish: Publication | None = None


def _comparison_table(c: Comparisons) -> None:
    from csckpi.render.comparison import print_blocks

    print_blocks(c.comparisons, c.verdicts, c.publish)


def _comparison_text(c: Comparisons) -> str:
    from csckpi.render.comparison import plain_text

    return plain_text(c.comparisons, c.verdicts, c.publish)


def _comparison_delimited(delimiter: str) -> Callable[[Comparisons], str]:
    def write(c: Comparisons) -> str:
        from csckpi.render.comparison import as_delimited

        return as_delimited(c.comparisons, delimiter, c.publish)

    return write


def _comparison_json(c: Comparisons) -> str:
    from csckpi.render.comparison import as_json

    return as_json(c.comparisons, c.verdicts, c.publish)


def _comparison_markdown(c: Comparisons) -> str:
    from csckpi.render.comparison import as_markdown

    return as_markdown(c.comparisons, c.verdicts, c.publish)


COMPARISON: Formats[Comparisons] = Formats(
    {
        "table": Format("a terminal's default: a panel per indicator", show=_comparison_table),
        "text": Format("the same in plain text; the default when piped", text=_comparison_text),
        "csv": Format("a row per comparison", text=_comparison_delimited(","), machine=True),
        "tsv": Format("tab-separated", text=_comparison_delimited("\t"), machine=True),
        "json": Format("every fact, for scripts", text=_comparison_json, machine=True),
        "markdown": Format("a section per indicator", text=_comparison_markdown),
    },
    default="table",
    piped="text",
)


# -- the sentences: csckpi narrate -----------------------------------------------------------


@dataclass(frozen=True)
class Narrative:
    """The paragraphs :func:`csckpi.narrate.narrate` wrote, and what they are about."""

    paragraphs: Sequence[Paragraph]
    period: str  # `Q3 2020/21`
    heading: str  # `Darlington Performance Summary: Quarter 3 2020/21 (October to ...)`
    summary: bool
    council: str | None
    settings: Mapping[str, Any]  # the thresholds used, for JSON
    messages: Sequence[KeyMessage] = ()  # a summary's key messages, ranked
    quiet: Sequence[str] = ()  # a summary's indicators with nothing notable, left out (codes)
    #: Under ``--publish``: what was withheld and why (the sentences never state it).
    publish: Publication | None = None


def _with_note(text: str, publish: Publication | None) -> str:
    return text if publish is None else f"{text.rstrip()}\n\n{publish.note}\n"


def _narrative_text(n: Narrative) -> str:
    from csckpi.render.narrative import as_text

    committee = n.settings.get("audience") == "committee"
    text = as_text(n.paragraphs, n.heading, n.summary, n.messages, n.quiet, committee)
    return _with_note(text, n.publish)


def _narrative_markdown(n: Narrative) -> str:
    from csckpi.render.narrative import as_markdown

    committee = n.settings.get("audience") == "committee"
    text = as_markdown(n.paragraphs, n.heading, n.summary, n.messages, n.quiet, committee)
    return _with_note(text, n.publish)


def _narrative_json(n: Narrative) -> str:
    from csckpi.render.narrative import as_json

    return as_json(
        n.paragraphs,
        period=n.period,
        summary=n.summary,
        council=n.council,
        settings=n.settings,
        messages=n.messages,
        quiet=n.quiet,
        disclosure=None if n.publish is None else n.publish.as_dict(),
    )


NARRATIVE: Formats[Narrative] = Formats(
    {
        "text": Format("a paragraph per line", text=_narrative_text),
        "markdown": Format("headed paragraphs for a document", text=_narrative_markdown),
        "json": Format("sentences with facts", text=_narrative_json, machine=True),
    },
    default="text",
)


# -- the quarterly report: csckpi report -----------------------------------------------------


@dataclass(frozen=True)
class ReportFile:
    """The :class:`~csckpi.report.Report`, and what to call as each chart is drawn."""

    report: Report
    on_chart: Callable[[int, int], None] | None = None
    browser: str | None = None  # PDF: the browser to print with (--browser), else found


def _report_html(r: ReportFile) -> str:
    from csckpi.render.report_html import render_html

    return render_html(r.report, r.on_chart)


def _report_xlsx(r: ReportFile, path: Path) -> str:
    from csckpi.render.report_xlsx import write_xlsx

    write_xlsx(r.report, path, r.on_chart)
    return str(path)


def _report_markdown(r: ReportFile, path: Path) -> str:
    from csckpi.render.report_md import charts_dir, write_markdown

    write_markdown(r.report, path, r.on_chart)
    return f"{path} and its charts in {charts_dir(path)}"


def _report_pdf(r: ReportFile, path: Path) -> str:
    from csckpi.render.report_pdf import write_pdf

    write_pdf(r.report, path, r.on_chart, r.browser)
    return str(path)


def _pdf_printer_found(browser: str | None = None) -> None:
    from csckpi.render.report_pdf import find_chromium, no_chromium

    if find_chromium(browser) is None:
        raise no_chromium(browser)


REPORT: Formats[ReportFile] = Formats(
    {
        "html": Format("a web page, charts inline", (".html", ".htm"), text=_report_html),
        "xlsx": Format("Excel, a sheet per section", (".xlsx",), save=_report_xlsx),
        "md": Format(
            "Markdown, its charts as SVG files beside it",
            (".md", ".markdown"),
            save=_report_markdown,
        ),
        "pdf": Format(
            "printed by Chrome, Edge or Chromium, with bookmarks",
            (".pdf",),
            save=_report_pdf,
            check=_pdf_printer_found,
        ),
    },
    default="html",
)
