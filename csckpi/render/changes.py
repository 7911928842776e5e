"""What `csckpi changes` writes: plain text (a terminal or a pipe), Markdown and JSON.

Figures as stored are written by :func:`csckpi.numbers.exact` (as `csckpi ingest` lists a
revision), scorecard figures by :func:`csckpi.numbers.figure` and targets by
:func:`csckpi.numbers.target`.
"""

from __future__ import annotations

from collections.abc import Sequence

from csckpi import numbers
from csckpi.changes import Changes, RagChange, Update
from csckpi.render.tables import to_json, to_markdown


def _count(n: int, one: str, many: str | None = None) -> str:
    return f"{n:,} {one if n == 1 else (many or one + 's')}"


def _when(iso: str) -> str:
    return iso.replace("T", " ")[:16] + " UTC"


def heading(c: Changes, store: str) -> str:
    """`Changes in csckpi.db from ingest 1 to ingest 2 (jan.xlsx, 2021-02-03 09:12 UTC)`."""
    span = c.span
    start = "an empty store" if span.since == 0 else f"ingest {span.since}"
    last = span.ingests[-1] if span.ingests else None
    end = f"ingest {span.until}"
    if last is not None:
        end += f" ({last['file']}, {_when(last['ingested_at'])})"
    return f"Changes in {store} from {start} to {end}"


def tally(c: Changes) -> str:
    """One line counting every kind of change (from an empty store, no RAG has changed: it
    says so, rather than call every red new)."""
    first = c.span.since == 0
    parts = [
        _count(len(c.revised), "figure revised", "figures revised"),
        _count(len(c.months), "month added", "months added"),
        _count(len(c.added), "other figure added", "other figures added"),
        _count(len(c.benchmarks), "benchmark updated", "benchmarks updated"),
        *(
            []
            if first
            else [
                _count(len(c.rag), "RAG change"),
                _count(len(c.crossed), "target crossed", "targets crossed"),
                _count(len(c.new_reds), "new red"),
            ]
        ),
        _count(len(c.commentary) - _removed(c), "comment added", "comments added"),
        *([_count(_removed(c), "comment removed", "comments removed")] if _removed(c) else []),
    ]
    said = ", ".join(parts) + "."
    if first:
        said += (
            " RAG changes and new reds are not counted from an empty store: there is no earlier"
            " RAG to compare with (csckpi compute shows every RAG)."
        )
    return said


def _update_line(u: Update) -> tuple[str, str, str, str]:
    old = "new" if u.old is None else numbers.exact(u.old)
    value = f"{old} → {numbers.exact(u.new)}"
    if u.source and u.kind != "monthly":
        value += f" ({u.source})"
    return u.label, value, u.location, f"ingest {u.ingest_id}"


def _removed(c: Changes) -> int:
    """The comments removed (``csckpi comment --remove``) between the two states."""
    return sum(1 for x in c.commentary if x.removed)


def _rag_text(r: RagChange, which: str) -> str:
    period, value, target, rag = (
        (r.before_period, r.before_value, r.before_target, r.before)
        if which == "before"
        else (r.after_period, r.after_value, r.after_target, r.after)
    )
    if period is None:
        return "none"
    shown = numbers.figure(value, r.unit, r.decimals) or "no value"
    goal = numbers.target(target, r.unit, r.decimals)
    tail = f" against {goal}" if goal else ""
    return f"{period} {shown}{tail}: {rag or 'not judged'}"


def _rag_line(r: RagChange) -> tuple[str, str, str, str]:
    notes = []
    if r.crossed == "met":
        notes.append("now meets its target")
    elif r.crossed == "missed":
        notes.append("now misses its target")
    if r.new_red:
        notes.append("new red")
    return r.code, _rag_text(r, "before"), _rag_text(r, "after"), ", ".join(notes)


def _sections(c: Changes) -> list[tuple[str, list[tuple[str, ...]]]]:
    comments: list[tuple[str, ...]] = [
        (x.code, x.period_label, "(removed)" if x.removed else x.text) for x in c.commentary
    ]
    return [
        ("Revised", [_update_line(u) for u in c.revised]),
        (
            "Months added",
            [
                (m.label, _count(m.indicators, "indicator"), _count(m.figures, "figure"))
                for m in c.months
            ],
        ),
        ("Other figures added", [_update_line(u) for u in c.added]),
        ("Benchmarks updated", [_update_line(u) for u in c.benchmarks]),
        ("RAG changed", [_rag_line(r) for r in c.rag]),
        ("Crossed target", [(r.code, r.title, r.crossed or "") for r in c.crossed]),
        ("New reds", [(r.code, r.title, _rag_text(r, "after")) for r in c.new_reds]),
        ("Commentary added or removed" if _removed(c) else "Commentary added", comments),
    ]


def _columns(rows: Sequence[tuple[str, ...]]) -> list[str]:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return [
        "  " + "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
        for row in rows
    ]


def as_text(c: Changes, store: str) -> str:
    """The heading, the tally, then each kind of change that happened, a line each."""
    lines = [heading(c, store), "", tally(c)]
    for title, rows in _sections(c):
        if title == "RAG changed":  # before → after, as a revision reads (no header here)
            rows = [(code, before, "→", after, note) for code, before, after, note in rows]
        if rows:
            lines += ["", f"{title} ({len(rows):,})", *_columns(rows)]
    return "\n".join(lines) + "\n"


_MD_HEADERS = {
    "Revised": ("figure", "old → new", "cell", "ingest"),
    "Months added": ("month", "indicators", "figures"),
    "Other figures added": ("figure", "value", "cell", "ingest"),
    "Benchmarks updated": ("figure", "old → new", "cell", "ingest"),
    "RAG changed": ("indicator", "before", "after", "note"),
    "Crossed target": ("indicator", "title", "now"),
    "New reds": ("indicator", "title", "now"),
    "Commentary added": ("indicator", "period", "comment"),
    "Commentary added or removed": ("indicator", "period", "comment"),
}


def as_markdown(c: Changes, store: str) -> str:
    """A heading, the tally and a table per kind of change that happened."""
    parts = [f"# {heading(c, store)}", "", tally(c)]
    for title, rows in _sections(c):
        if rows:
            table = [dict(zip(_MD_HEADERS[title], row, strict=True)) for row in rows]
            parts += ["", f"## {title}", "", to_markdown(table).rstrip("\n")]
    return "\n".join(parts) + "\n"


def as_json(c: Changes, store: str) -> str:
    return to_json({"store": store, **c.as_dict()})
