"""The narrative as text, Markdown or JSON.

Text and Markdown keep one paragraph per line (no wrapping), so a script can cut, grep or paste
them; JSON gives every sentence with the facts behind it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from csckpi.commentary import HEADING, Shown
from csckpi.narrate import Paragraph
from csckpi.render.tables import to_json


def title(period: str, summary: bool, council: str | None = None) -> str:
    """`Darlington: Q3 2020/21 Performance Summary`."""
    kind = "Performance Summary" if summary else "Performance Analysis"
    head = f"{period} {kind}"
    return f"{council}: {head}" if council else head


def _blocks(paragraphs: Sequence[Paragraph]) -> list[tuple[str | None, Paragraph]]:
    """Each paragraph with its section's name when it starts a new section."""
    out: list[tuple[str | None, Paragraph]] = []
    previous: str | None = None
    for p in paragraphs:
        out.append((p.section if p.section != previous else None, p))
        previous = p.section
    return out


def as_text(paragraphs: Sequence[Paragraph], heading: str, summary: bool) -> str:
    """The summary as the reference report prints it ("Section: paragraph"), or the analysis
    with a capitalised heading per section and the indicator's code and title."""
    lines = [heading, ""]
    for section, p in _blocks(paragraphs):
        said = [f"{p.commentary.label}: {p.commentary.text}"] if p.commentary else []
        if summary:
            lines += [f"{section}: {p.text}" if section else p.text, *said, ""]
            continue
        if section is not None:
            lines += [section.upper(), ""]
        lines += [f"{p.code}: {p.title}", p.text, *said, ""]
    return "\n".join(lines).rstrip("\n") + "\n"


def _md(text: str) -> str:
    """Markdown-safe prose: characters that would start emphasis or HTML are escaped."""
    for char in ("\\", "*", "_", "`", "<", "[", "]"):
        text = text.replace(char, "\\" + char)
    return text


def as_markdown(paragraphs: Sequence[Paragraph], heading: str, summary: bool) -> str:
    lines = [f"# {_md(heading)}", ""]
    for section, p in _blocks(paragraphs):
        said = [] if p.commentary is None else [_quoted(p.commentary), ""]
        if summary:
            lead = f"**{_md(section)}:** " if section else ""
            lines += [lead + _md(p.text), "", *said]
            continue
        if section is not None:
            lines += [f"## {_md(section)}", ""]
        lines += [f"### {_md(p.code)}: {_md(p.title)}", "", _md(p.text), "", *said]
    return "\n".join(lines).rstrip("\n") + "\n"


def _quoted(said: Shown) -> str:
    """The service's commentary as a quoted block: `> **Service commentary** (…): text`."""
    about = f" ({_md(said.about)})" if said.about else ""
    return f"> **{HEADING}**{about}: {_md(said.text)}"


def as_json(
    paragraphs: Sequence[Paragraph],
    *,
    period: str,
    summary: bool,
    council: str | None,
    settings: Mapping[str, Any],
) -> str:
    return to_json(
        {
            "period": period,
            "summary": summary,
            "council": council,
            "settings": dict(settings),
            "paragraphs": [p.as_dict() for p in paragraphs],
        }
    )
