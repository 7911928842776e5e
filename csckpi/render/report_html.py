"""The report as one self-contained HTML file: inline CSS and SVG, no script, no URL.

Laid out like the reference report and printed on A4: a title block, the overview, the
performance summary, then a page per section with its DEFINITION, PERFORMANCE ANALYSIS, the
IN MONTH PERFORMANCE table (target row, months) with its ANNUAL TREND rows, and its chart.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from typing import TYPE_CHECKING

from csckpi import __version__
from csckpi.commentary import HEADING
from csckpi.render.charts import render_svg
from csckpi.report import APPENDIX, OVERVIEW_KEY, chart_caption

if TYPE_CHECKING:
    from csckpi.commentary import Shown
    from csckpi.report import OverviewRow, Report, Section

Progress = Callable[[int, int], None]  # (charts done, charts in all)

CSS = """
@page {
  size: A4;
  margin: 14mm 13mm 16mm 13mm;
  @bottom-right { content: "Page " counter(page) " of " counter(pages); }
}
@page {
  @bottom-left { font: 8pt 'Liberation Sans', Arial, Helvetica, sans-serif; color: #555; }
  @bottom-right { font: 8pt 'Liberation Sans', Arial, Helvetica, sans-serif; color: #555; }
}
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body {
  font-family: 'Liberation Sans', Arial, Helvetica, sans-serif;
  font-size: 10pt;
  line-height: 1.4;
  color: #1a1a1a;
  margin: 0 auto;
  max-width: 190mm;
  padding: 8mm 0;
  background: #fff;
}
@media print { body { padding: 0; max-width: none; } }
h1, h2, h3 { line-height: 1.2; }
h2 {
  font-size: 13pt;
  text-transform: uppercase;
  letter-spacing: 0.02em;
  border-bottom: 2px solid #1f3f66;
  padding-bottom: 2pt;
  margin: 0 0 8pt;
  color: #1f3f66;
}
.title-block {
  border: 2px solid #1f3f66;
  padding: 14mm 10mm 10mm;
  margin-bottom: 10mm;
}
.title-block .council { font-size: 14pt; margin: 0 0 4pt; color: #1f3f66; }
.title-block h1 { font-size: 22pt; margin: 0 0 8pt; color: #1f3f66; }
.title-block .period { font-size: 14pt; margin: 0 0 12pt; }
.provenance { display: grid; grid-template-columns: max-content 1fr; gap: 2pt 10pt;
  font-size: 8.5pt; color: #333; margin: 0; }
.provenance dt { font-weight: bold; }
.provenance dd { margin: 0; overflow-wrap: anywhere; }
.provenance code { font-family: 'DejaVu Sans Mono', 'Liberation Mono', monospace;
  font-size: 7.5pt; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 0.75pt solid #8c8c8c; padding: 2pt 4pt; vertical-align: top; }
thead th { background: #1f3f66; color: #fff; text-align: left; }
.overview table { font-size: 8.5pt; }
.overview .group th { background: #dde4ee; color: #1a1a1a; text-align: left;
  text-transform: uppercase; font-size: 8pt; }
.overview tr { break-inside: avoid; }
.overview .key { font-size: 8pt; color: #333; margin: 4pt 0 0; }
.overview td.num, .months td { font-variant-numeric: tabular-nums; }
.overview td.num { text-align: right; }
.overview td.code, .months .code { white-space: nowrap; }
td.rag { text-align: center; font-weight: bold; white-space: nowrap; }
.rag-green { background: #c6e8c9; }
.rag-amber { background: #fde3a7; }
.rag-red { background: #f4c0bd; }
.summary p { margin: 0 0 4pt; text-align: justify; font-size: 9.5pt; }
.summary .lead { font-weight: bold; }
.contents ol { margin: 0; padding-left: 6mm; font-size: 9.5pt; }
.contents li { margin: 0 0 1.5pt; }
.contents a { color: #1f3f66; text-decoration: none; }
.contents .codes { font-size: 8pt; color: #555; }
.overview, .messages { break-before: page; }
.messages { margin-top: 8mm; }
.messages + .overview { break-before: auto; margin-top: 8mm; }
.messages ol { margin: 0; padding-left: 6mm; font-size: 10pt; }
.messages li { margin: 0 0 4pt; }
.report-section { break-inside: avoid; margin-top: 7mm; }
.report-section h2, .def { break-after: avoid; }
.summary { margin-top: 8mm; }
.summary h2 { break-after: avoid; }
.notes { margin-top: 7mm; break-inside: avoid; }
.notes p { margin: 0 0 6pt; }
.notes .lead { font-weight: bold; }
.notes .provenance { margin: 0 0 8pt; }
.def { margin-bottom: 8pt; }
.def th { width: 30mm; background: #1f3f66; color: #fff; text-align: left;
  font-size: 8.5pt; vertical-align: middle; }
.def td { font-size: 8.5pt; line-height: 1.3; }
.def td p { margin: 0 0 3pt; }
.def td p:last-child { margin-bottom: 0; }
.months { font-size: 8pt; margin-bottom: 8pt; break-inside: avoid; width: auto;
  min-width: 50%; max-width: 100%; }
.months thead th + th { width: 42mm; }
.months thead th { vertical-align: bottom; font-weight: normal; }
.months thead th .code { font-weight: bold; display: block; }
.months thead th .ind-title { font-size: 7pt; display: block; }
.months td { text-align: center; }
.months th, .months td { padding: 1pt 4pt; }
.months tr.group th { background: #dde4ee; text-align: left; font-size: 7pt;
  letter-spacing: 0.04em; padding: 1pt 4pt; }
.months tbody th.row { text-align: left; font-weight: normal; white-space: nowrap; width: 24mm; }
.months tr.target th.row, .months tr.target td { font-weight: bold; background: #eef2f7; }
.months tr.future td, .months tr.future th.row { color: #888; }
figure.chart { margin: 0; break-inside: avoid; }
.side { display: flex; gap: 5mm; align-items: flex-start; break-inside: avoid; }
.side .months { flex: none; min-width: 0; margin-bottom: 0; }
.side figure.chart { flex: 1; min-width: 0; }
figure.chart svg { width: 100%; height: auto; display: block; }
figure.chart figcaption { font-size: 8pt; color: #444; margin-top: 2pt; }
.empty { color: #555; font-style: italic; }
"""

#: The service's own words, set apart from csckpi's sentences (added only when a report has
#: some, so a report without commentary is as before).
COMMENTARY_CSS = """
.def tr.service th { background: #7a4b00; }
.def tr.service td { background: #fff8ec; border-left: 3pt solid #c98a1b; }
.service-commentary { margin: 0 0 4pt; }
.service-commentary:last-child { margin-bottom: 0; }
.service-commentary p { margin: 0; }
.service-commentary footer { font-size: 8pt; color: #5c4a2a; margin-top: 1pt; }
"""


def render_html(report: Report, on_chart: Progress | None = None) -> str:
    """The whole report; ``on_chart(done, total)`` is called as each chart is drawn."""
    footer = " · ".join(part for part in (report.council, report.title, report.period) if part)
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en-GB">',
        "<head>",
        '<meta charset="utf-8">',
        f'<meta name="generator" content="csckpi {escape(__version__)}">',
        f"<title>{escape(_document_title(report))}</title>",
        f"<style>{CSS}{COMMENTARY_CSS if report.has_commentary else ''}"
        f"@page {{ @bottom-left {{ content: {css_string(footer)}; }} }}\n</style>",
        "</head>",
        "<body>",
        _title_block(report),
        _contents(report),
        _messages(report),
        _overview(report.overview, report.period),
        _summary(report),
    ]
    total = len(report.sections)
    for done, section in enumerate(report.sections, start=1):
        parts.append(_section(section, report.byline))
        if on_chart is not None:
            on_chart(done, total)
    if report.has_appendix:
        parts.append(_notes(report))
    parts += ["</body>", "</html>"]
    return "\n".join(parts) + "\n"


def css_string(text: str) -> str:
    """A CSS string literal that cannot end the string or the <style> element early."""
    out = []
    for char in text:
        if char in '"\\<>&' or ord(char) < 32:
            out.append(f"\\{ord(char):x} ")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def _document_title(report: Report) -> str:
    head = f"{report.council}: {report.title}" if report.council else report.title
    return f"{head} — {report.period}"


def _title_block(report: Report) -> str:
    rows = [
        ("Period", report.period),
        ("Generated", f"{report.generated.day} {report.generated:%B %Y}"),
    ]
    lines = ['<header class="title-block" id="title">']
    if report.council:
        lines.append(f'<p class="council">{escape(report.council)}</p>')
    lines.append(f"<h1>{escape(report.title)}</h1>")
    lines.append(f'<p class="period">{escape(report.period_long)}</p>')
    lines.append('<dl class="provenance">')
    for label, value in rows:
        lines.append(f"<dt>{label}</dt><dd>{escape(value)}</dd>")
    lines += _provenance(report.cover_provenance)  # the analyst's report: on the cover
    lines.append("</dl>")
    if report.disclosure:  # published: what was withheld and why
        lines.append(f'<p class="disclosure">{escape(report.disclosure)}</p>')
    lines.append("</header>")
    return "\n".join(lines)


def _contents(report: Report) -> str:
    """The contents: a link to each part, and to each section with its indicators' codes (the
    PDF's bookmarks come from the same headings)."""
    entries = [
        *([("messages", "Key messages", "")] if report.messages else []),
        ("overview", "Overview", ""),
        ("summary", report.summary_heading, ""),
    ]
    for section in report.sections:
        codes = ", ".join(c.code for c in section.columns)
        entries.append((f"section-{section.id}", section.name, codes))
    if report.has_appendix:
        entries.append(("notes", APPENDIX, ""))
    items = "".join(
        f'<li><a href="#{escape(target)}">{escape(name)}</a>'
        + (f' <span class="codes">{escape(codes)}</span>' if codes else "")
        + "</li>"
        for target, name, codes in entries
    )
    return f'<nav class="contents" id="contents"><h2>Contents</h2><ol>{items}</ol></nav>'


def _messages(report: Report) -> str:
    """The key messages, ranked, first of all (none: no part at all)."""
    if not report.messages:
        return ""
    items = "".join(f"<li>{escape(text)}</li>" for text in report.messages)
    head = '<section class="messages" id="messages"><h2>Key messages</h2>'
    return f"{head}<ol>{items}</ol></section>"


def _overview(rows: tuple[OverviewRow, ...], period: str) -> str:
    lines = [
        '<section class="overview" id="overview">',
        "<h2>Overview</h2>",
        "<table>",
        f"<thead><tr><th>Code</th><th>Indicator</th><th>{escape(period)}</th>"
        "<th>Year to date</th><th>Target</th><th>RAG</th><th>Direction</th></tr></thead>",
        "<tbody>",
    ]
    section = None
    for row in rows:
        if row.section != section:
            section = row.section
            lines.append(f'<tr class="group"><th colspan="7">{escape(section)}</th></tr>')
        rag = (
            f'<td class="rag rag-{escape(row.rag)}">{escape(row.rag.title())}</td>'
            if row.rag
            else '<td class="rag"></td>'
        )
        direction = escape(row.direction.title()) if row.direction else ""
        lines.append(
            f'<tr><td class="code">{escape(row.code)}</td><td>{escape(row.title)}</td>'
            f'<td class="num">{escape(row.value)}</td><td class="num">{escape(row.ytd)}</td>'
            f'<td class="num">{escape(row.target)}</td>'
            f"{rag}<td>{direction}</td></tr>"
        )
    if not rows:
        lines.append('<tr><td colspan="7" class="empty">No indicators.</td></tr>')
    lines += ["</tbody>", "</table>", f'<p class="key">{escape(OVERVIEW_KEY)}</p>', "</section>"]
    return "\n".join(lines)


def _summary(report: Report) -> str:
    lines = [
        '<section class="summary" id="summary">',
        f"<h2>{escape(report.summary_heading)}</h2>",
    ]
    for heading, text in report.summary:
        lead = f'<span class="lead">{escape(heading)}:</span> ' if heading else ""
        lines.append(f"<p>{lead}{escape(text)}</p>")
    if not report.summary:
        lines.append('<p class="empty">No figures for this period.</p>')
    lines.append("</section>")
    return "\n".join(lines)


def _paragraphs(texts: tuple[str, ...], empty: str) -> str:
    if not texts:
        return f'<p class="empty">{escape(empty)}</p>'
    return "".join(f"<p>{escape(text)}</p>" for text in texts)


def _definition(section: Section) -> str:
    """The DEFINITION row; none at all when the workbook gives no definition."""
    if not section.definition:
        return ""
    return f"<tr><th>DEFINITION</th><td>{_paragraphs(section.definition, '')}</td></tr>"


def _provenance(rows: tuple[tuple[str, str], ...]) -> list[str]:
    """The source and its SHA-256 as rows of a definition list."""

    def shown(label: str, value: str) -> str:
        return f"<code>{escape(value)}</code>" if label == "SHA-256" else escape(value)

    return [f"<dt>{label}</dt><dd>{shown(label, value)}</dd>" for label, value in rows]


def _notes(report: Report) -> str:
    """The appendix for the analyst: where the figures come from (the committee's report),
    where each indicator's figures come from, why a period has none."""
    if not report.has_appendix:
        return ""
    lines = ['<section class="notes" id="notes">', f"<h2>{APPENDIX}</h2>"]
    if report.appendix_provenance:
        lines += ['<dl class="provenance">', *_provenance(report.appendix_provenance), "</dl>"]
    for heading, text in report.notes:
        lead = escape(heading.rstrip("."))
        lines.append(f'<p><span class="lead">{lead}.</span> {escape(text)}</p>')
    lines.append("</section>")
    return "\n".join(lines)


#: A section with at most this many indicators prints its chart beside its month table.
SIDE_BY_SIDE = 2


def _section(section: Section, byline: Callable[[Shown], str]) -> str:
    narrow = 0 < len(section.chart.panels) <= SIDE_BY_SIDE
    lines = [
        f'<section class="report-section" id="section-{escape(section.id)}">',
        f"<h2>{escape(section.name)}</h2>",
        '<table class="def">',
        _definition(section),
        "<tr><th>PERFORMANCE ANALYSIS</th>"
        f"<td>{_paragraphs(section.analysis, 'No figures for this period.')}</td></tr>",
        *_commentary(section, byline),
        "</table>",
        f'<div class="{"side" if narrow else "stacked"}">',
        _month_table(section),
        '<figure class="chart">',
        render_svg(section.chart, narrow=narrow, compact=True).rstrip("\n"),
        f"<figcaption>{escape(chart_caption(section))}</figcaption>",
        "</figure>",
        "</div>",
        "</section>",
    ]
    return "\n".join(lines)


def _commentary(section: Section, byline: Callable[[Shown], str]) -> list[str]:
    """The service's own words on the section's indicators: a row of its own, labelled, each
    comment with its indicator and ``byline`` (its date; the analyst's report, its author too;
    none when there is no commentary)."""
    if not section.commentary:
        return []
    said = "".join(
        '<blockquote class="service-commentary">'
        f"<p>{escape(item.text)}</p>"
        f"<footer>{escape(' · '.join(w for w in (item.comment.code, byline(item)) if w))}"
        "</footer></blockquote>"
        for item in section.commentary
    )
    return [f'<tr class="service"><th>{HEADING.upper()}</th><td>{said}</td></tr>']


def _month_table(section: Section) -> str:
    columns = section.columns
    head = "".join(
        f'<th><span class="code">{escape(c.code)}</span>'
        f'<span class="ind-title">{escape(c.title)}</span></th>'
        for c in columns
    )
    lines = [
        '<table class="months">',
        f"<thead><tr><th></th>{head}</tr></thead>",
    ]
    in_month = [row for row in section.rows if row.kind != "annual"]
    annual = [row for row in section.rows if row.kind == "annual"]
    for cls, title, rows in (
        ("in-month", "IN MONTH PERFORMANCE", in_month),
        ("annual", "ANNUAL TREND", annual),
    ):
        if not rows:
            continue
        lines.append(f'<tbody class="{cls}">')
        lines.append(f'<tr class="group"><th colspan="{len(columns) + 1}">{title}</th></tr>')
        for row in rows:
            row_cls = f"{row.kind} future" if row.future else str(row.kind)
            cells = "".join(f"<td>{escape(cell)}</td>" for cell in row.cells)
            lines.append(
                f'<tr class="{row_cls}"><th class="row">{escape(row.label)}</th>{cells}</tr>'
            )
        lines.append("</tbody>")
    lines.append("</table>")
    return "\n".join(lines)
