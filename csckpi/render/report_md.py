"""The report as Markdown, with each section's chart as an SVG file beside it.

``report.md`` links its charts as ``report_files/<section>.svg``, so the folder travels with the
file (a Git host or any Markdown viewer shows them).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from csckpi.commentary import HEADING
from csckpi.render.charts import render_svg
from csckpi.report import APPENDIX, OVERVIEW_KEY, chart_caption

if TYPE_CHECKING:
    from csckpi.commentary import Shown
    from csckpi.report import Report, Section

Progress = Callable[[int, int], None]


def charts_dir(path: Path) -> Path:
    """`out/report.md` -> `out/report_files`."""
    return path.with_name(f"{path.stem}_files")


def write_markdown(report: Report, path: Path, on_chart: Progress | None = None) -> list[Path]:
    """Write the Markdown and its SVG charts; returns every file written."""
    folder = charts_dir(path)
    folder.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    total = len(report.sections)
    for done, section in enumerate(report.sections, start=1):
        svg = folder / f"{section.chart.id}.svg"
        svg.write_text(render_svg(section.chart, standalone=True), encoding="utf-8")
        written.append(svg)
        if on_chart is not None:
            on_chart(done, total)
    path.write_text(render_markdown(report, folder.name), encoding="utf-8")
    written.insert(0, path)
    return written


def render_markdown(report: Report, folder: str) -> str:
    lines: list[str] = [f"# {_inline(report.title)}", ""]
    facts = [
        ("Council", report.council or ""),
        ("Period", f"{report.period} — {report.period_long}"),
        ("Generated", report.generated.isoformat()),
        *report.cover_provenance,  # the analyst's report: on the cover
    ]
    lines += _facts(facts)
    if report.disclosure:  # published: what was withheld and why
        lines += ["", f"> {_inline(report.disclosure)}"]
    if report.messages:
        lines += ["", "## Key messages", ""]
        lines += [f"{i}. {_inline(text)}" for i, text in enumerate(report.messages, start=1)]
    lines += ["", "## Overview", ""]
    section = None
    for row in report.overview:
        if row.section != section:
            if section is not None:
                lines.append("")
            section = row.section
            lines += [
                f"### {_inline(section)}",
                "",
                f"| Code | Indicator | {_cell(report.period)} | Year to date | Target | RAG "
                "| Direction |",
                "|---|---|--:|--:|--:|---|---|",
            ]
        lines.append(
            "| "
            + " | ".join(
                _cell(text)
                for text in (
                    row.code,
                    row.title,
                    row.value,
                    row.ytd,
                    row.target,
                    row.rag.title() if row.rag else "",
                    row.direction.title() if row.direction else "",
                )
            )
            + " |"
        )
    if report.overview:
        lines += ["", f"*{_inline(OVERVIEW_KEY)}*"]
    lines += ["", f"## {_inline(report.summary_heading)}", ""]
    for heading, text in report.summary:
        lead = f"**{_inline(heading)}:** " if heading else ""
        lines += [f"{lead}{_inline(text)}", ""]
    for item in report.sections:
        lines += _section(item, folder, report.byline)
    if report.has_appendix:
        lines += ["", f"## {APPENDIX}", ""]
        if report.appendix_provenance:
            lines += [*_facts(report.appendix_provenance), ""]
        for heading, text in report.notes:
            lines += [f"**{_inline(heading.rstrip('.'))}.** {_inline(text)}", ""]
    return "\n".join(lines).rstrip("\n") + "\n"


def _facts(facts: Sequence[tuple[str, str]]) -> list[str]:
    """`- **Label:** value` for each that has a value (a SHA-256 as code)."""
    return [
        f"- **{label}:** {f'`{value}`' if label == 'SHA-256' else _inline(value)}"
        for label, value in facts
        if value
    ]


def _section(section: Section, folder: str, byline: Callable[[Shown], str]) -> list[str]:
    lines = ["", f"## {_inline(section.name)}", ""]
    if section.definition:  # no definition: nothing printed
        lines += ["**DEFINITION**", ""]
        for text in section.definition:
            lines += [_inline(text), ""]
    lines += ["**PERFORMANCE ANALYSIS**", ""]
    for text in section.analysis or ("No figures for this period.",):
        lines += [_inline(text), ""]
    if section.commentary:
        lines += [f"**{HEADING.upper()}**", ""]
        for item in section.commentary:
            about = "; ".join(w for w in (item.comment.code, byline(item)) if w)
            lines += [f"> {_inline(item.text)}", ">", f"> — {_inline(about)}", ""]
    codes = [c.code for c in section.columns]
    lines.append("| | | " + " | ".join(_cell(code) for code in codes) + " |")
    lines.append("|---|---|" + "--:|" * len(codes))
    group = None
    for row in section.rows:
        name = "ANNUAL TREND" if row.kind == "annual" else "IN MONTH PERFORMANCE"
        label = f"**{row.label}**" if row.kind == "target" else _cell(row.label)
        shown = name if name != group else ""
        group = name
        lines.append(f"| {shown} | {label} | " + " | ".join(_cell(c) for c in row.cells) + " |")
    lines.append("")
    for column in section.columns:
        lines.append(f"- **{_inline(column.code)}**: {_inline(column.title)}")
    lines += [
        "",
        f"![{_inline(chart_caption(section) or section.chart.title)}]"
        f"({folder}/{section.chart.id}.svg)",
    ]
    return lines


def _inline(text: str) -> str:
    """Text that Markdown shows as written: no accidental emphasis, links or HTML."""
    out = []
    for char in text:
        if char in "\\`*_[]<>|#":
            out.append("\\" + char)
        else:
            out.append(char)
    return "".join(out).replace("\n", " ")


def _cell(text: str) -> str:
    return _inline(text) if text else ""
