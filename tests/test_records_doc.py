"""docs/records.md lists every heading the reader accepts and every shipped measure, from the
code: the test fails while the doc is stale; ``CSCKPI_UPDATE_GOLDEN=1`` rewrites those parts
(review the change like code)."""

from __future__ import annotations

import os
import re
from pathlib import Path

from csckpi.records import load_definitions
from csckpi.records.lists import LISTS

DOC = Path(__file__).resolve().parent.parent / "docs" / "records.md"


def headings() -> str:
    lines = []
    for annex in LISTS:
        lines += [
            f"**{annex.title}: {annex.name}** (also a sheet named {_names(annex.aliases)})",
            "",
        ]
        lines += ["| field | kind | published heading | also read |", "| --- | --- | --- | --- |"]
        for field in annex.fields:
            variants = "; ".join(field.variants) or "—"
            lines.append(f"| `{field.id}` | {field.kind.value} | {field.heading} | {variants} |")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def _names(aliases: tuple[str, ...]) -> str:
    quoted = [f"'{alias}'" for alias in aliases]
    return ", ".join(quoted[:-1]) + " or " + quoted[-1] if len(quoted) > 1 else quoted[0]


def measures() -> str:
    lines = [
        "| code | measure | list | kind, unit, polarity | placed by | which rows count |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    notes = []
    for target in load_definitions().targets:
        d = target.definition
        if d.date:
            placed = f"`{d.date}`"
        elif d.at_extract:
            placed = "the extract date" + (f", open `{d.open[0]}`–`{d.open[1]}`" if d.open else "")
        else:
            assert d.open is not None
            placed = f"each month's end, open `{d.open[0]}`–`{d.open[1]}`"
        rows = (
            " ; ".join(
                part
                for part in (
                    f"where `{d.where}`" if d.where else "",
                    f"numerator `{d.numerator}`" if d.numerator else "",
                    "each child once" if d.count == "children" else "",
                )
                if part
            )
            or "all"
        )
        kind = f"{d.kind.value}, {d.unit.value}, {d.polarity.value}"
        lines.append(f"| {d.code} | {d.title} | {d.list} | {kind} | {placed} | {rows} |")
        notes.append(f"- **{d.code}** follows {d.guidance}." + (f" {d.note}" if d.note else ""))
    return "\n".join(lines) + "\n\n" + "\n".join(notes) + "\n"


SECTIONS = {"headings": headings, "measures": measures}


def test_the_doc_shows_every_heading_and_measure():
    text = DOC.read_text(encoding="utf-8")
    updated = text
    for name, make in SECTIONS.items():
        pattern = re.compile(rf"(<!-- {name}:start -->\n)(.*?)(<!-- {name}:end -->)", re.DOTALL)
        assert pattern.search(text), f"docs/records.md has no {name} section"
        updated = pattern.sub(lambda m, make=make: m.group(1) + make() + m.group(3), updated)
    if os.environ.get("CSCKPI_UPDATE_GOLDEN") == "1":
        DOC.write_text(updated, encoding="utf-8")
    assert updated == text, "docs/records.md is stale: CSCKPI_UPDATE_GOLDEN=1 pytest " + __file__


def test_the_docs_council_file_with_its_own_measure_loads(tmp_path):
    """The example of a council's own measure and codes, as docs/records.md shows it."""
    text = DOC.read_text(encoding="utf-8")
    start = text.index('    ["LA ASMT 20"]')
    end = text.index('    "LA 020" = "LA ASMT 20"\n') + len('    "LA 020" = "LA ASMT 20"\n')
    council = tmp_path / "annex-a.toml"
    council.write_text("\n".join(line[4:] for line in text[start:end].splitlines()) + "\n")
    definitions = load_definitions(council)
    own = definitions.target("LA 020")
    assert own.definition.code == "LA ASMT 20" and own.definition.list == 4
    assert definitions.target("CSC 176").ytd
