"""The narrative as text, Markdown or JSON.

Text and Markdown keep one paragraph per line (no wrapping), so a script can cut, grep or paste
them; JSON gives every sentence with the facts behind it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from csckpi.commentary import HEADING, Shown
from csckpi.narrate import KeyMessage, Paragraph
from csckpi.render.tables import to_json


def _blocks(paragraphs: Sequence[Paragraph]) -> list[tuple[str | None, Paragraph]]:
    """Each paragraph with its section's name when it starts a new section, the paragraphs of
    a section grouped under one heading where the order asked for (`-i CSC201 -i CSC038 -i
    CSC200`) does not keep them together: sections in the order they first come, paragraphs
    within each in the order asked."""
    by_section: dict[str, list[Paragraph]] = {}
    for p in paragraphs:
        by_section.setdefault(p.section, []).append(p)
    return [
        (section if i == 0 else None, p)
        for section, group in by_section.items()
        for i, p in enumerate(group)
    ]


def _quiet_note(quiet: Sequence[str], committee: bool = False) -> str:
    """The last line of a summary: which indicators it left out (the committee's without the
    option that brings them back)."""
    n = len(quiet)
    if committee:
        others = "the other indicator" if n == 1 else f"the other {n} indicators"
        return f"Nothing notable to report for {others} ({', '.join(quiet)})."
    others = "the other indicator" if n == 1 else f"the other {n} indicators"
    return f"Nothing notable for {others}, left out ({', '.join(quiet)}); --all gives every one."


def as_text(
    paragraphs: Sequence[Paragraph],
    heading: str,
    summary: bool,
    messages: Sequence[KeyMessage] = (),
    quiet: Sequence[str] = (),
    committee: bool = False,
) -> str:
    """The summary as the reference report prints it ("Section: paragraph"), or the analysis
    with a capitalised heading per section and the indicator's code and title. A summary
    opens with its key messages and ends by saying which indicators it left out."""
    lines = [heading, ""]
    if messages:
        lines += ["Key messages", ""]
        lines += [f"{i}. {m.text}" for i, m in enumerate(messages, start=1)]
        lines.append("")
    for section, p in _blocks(paragraphs):
        said = [f"{_label(p.commentary, committee)}: {p.commentary.text}"] if p.commentary else []
        if summary:
            lines += [f"{section}: {p.text}" if section else p.text, *said, ""]
            continue
        if section is not None:
            lines += [section.upper(), ""]
        lines += [f"{p.code}: {p.title}", p.text, *said, ""]
    if quiet:
        lines += [_quiet_note(quiet, committee), ""]
    return "\n".join(lines).rstrip("\n") + "\n"


def _md(text: str) -> str:
    """Markdown-safe prose: characters that would start emphasis or HTML are escaped."""
    for char in ("\\", "*", "_", "`", "<", "[", "]"):
        text = text.replace(char, "\\" + char)
    return text


def as_markdown(
    paragraphs: Sequence[Paragraph],
    heading: str,
    summary: bool,
    messages: Sequence[KeyMessage] = (),
    quiet: Sequence[str] = (),
    committee: bool = False,
) -> str:
    lines = [f"# {_md(heading)}", ""]
    if messages:
        lines += ["## Key messages", ""]
        lines += [f"{i}. {_md(m.text)}" for i, m in enumerate(messages, start=1)]
        lines.append("")
    for section, p in _blocks(paragraphs):
        said = [] if p.commentary is None else [_quoted(p.commentary, committee), ""]
        if summary:
            lead = f"**{_md(section)}:** " if section else ""
            lines += [lead + _md(p.text), "", *said]
            continue
        if section is not None:
            lines += [f"## {_md(section)}", ""]
        lines += [f"### {_md(p.code)}: {_md(p.title)}", "", _md(p.text), "", *said]
    if quiet:
        lines += [f"*{_md(_quiet_note(quiet, committee))}*", ""]
    return "\n".join(lines).rstrip("\n") + "\n"


def _signed(said: Shown, committee: bool) -> str:
    """A comment's byline: when (and whether carried); the analyst's also who wrote it (a
    login or an officer's name is not the committee's business)."""
    return said.dated if committee else said.about


def _label(said: Shown, committee: bool) -> str:
    """How a plain text heads it: `Service commentary (14 January 2021)`."""
    signed = _signed(said, committee)
    return f"{HEADING} ({signed})" if signed else HEADING


def _quoted(said: Shown, committee: bool) -> str:
    """The service's commentary as a quoted block: `> **Service commentary** (…): text`."""
    signed = _signed(said, committee)
    about = f" ({_md(signed)})" if signed else ""
    return f"> **{HEADING}**{about}: {_md(said.text)}"


def as_json(
    paragraphs: Sequence[Paragraph],
    *,
    period: str,
    summary: bool,
    council: str | None,
    settings: Mapping[str, Any],
    messages: Sequence[KeyMessage] = (),
    quiet: Sequence[str] = (),
    disclosure: Mapping[str, Any] | None = None,
) -> str:
    """The paragraphs for scripts; ``disclosure`` (``--publish``): what was withheld, first."""
    out: dict[str, Any] = {} if disclosure is None else {"disclosure": dict(disclosure)}
    out |= {
        "period": period,
        "summary": summary,
        "council": council,
        "settings": dict(settings),
    }
    if summary:
        out["key_messages"] = [m.as_dict() for m in messages]
        out["left_out"] = list(quiet)
    return to_json(out | {"paragraphs": [p.as_dict() for p in paragraphs]})
