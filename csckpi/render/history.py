"""What `csckpi history` and `csckpi indicators` print: rows of plain values.

``table`` is a rich table on a terminal and a plain text table otherwise (stable for pipes
and tests); ``csv``, ``tsv``, ``json`` and ``markdown`` are for scripts and documents (the
formats are listed in :data:`csckpi.render.outputs_store.ROWS`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from csckpi import numbers
from csckpi.model import Indicator, Unit
from csckpi.store import Revision

Row = Mapping[str, Any]


def _when(iso: str) -> str:
    return iso.replace("T", " ")[:16]


def history_rows(
    revisions: Sequence[Revision], indicator: Indicator | None = None
) -> list[dict[str, Any]]:
    """One row per value a figure has had; `latest` (a boolean) marks the one the store uses
    now. A whole number that counts something (any figure of a count indicator, a numerator or
    a denominator) is an integer; a percentage stays a number with decimals."""
    is_count = indicator is not None and indicator.unit is Unit.COUNT
    rows = []
    for r in revisions:
        if r.kind == "benchmark":
            period, what = r.period, f"benchmark: {r.part}"
        elif r.kind == "target":
            period, what = r.period, r.part + (f" per {r.source}" if r.source else "")
        elif r.kind == "standing":
            period, what = r.period, f"standing: {r.part}"
        elif r.kind == "reported":
            period = r.period
            what = " ".join(w for w in ("reported", _word(r.part), _word(r.figure)) if w)
        elif r.kind == "records":
            period, what = r.period_label, f"records: {r.part}"
        else:
            period, what = r.period_label, r.part
        counted = (
            is_count
            or r.kind == "standing"
            or (r.kind != "benchmark" and r.part in ("numerator", "denominator"))
        )
        value: float | int = r.value
        if counted and float(r.value).is_integer():
            value = int(r.value)
        rows.append(
            {
                "period": period,
                "figure": what,
                "value": value,
                "ingested": _when(r.ingested_at),
                "ingest": r.ingest_id,
                "file": r.file,
                "cell": r.location,
                "latest": bool(r.current),
            }
        )
    return rows


def _word(name: str) -> str:
    return "" if name == "value" else name


def catalogue_rows(indicators: Sequence[Indicator]) -> list[dict[str, Any]]:
    return [
        {
            "code": i.code,
            "title": i.title,
            "section": i.section,
            "unit": i.unit.value,
            "polarity": i.polarity.value,
            "measure": i.measure.value,
            "target": i.target,
        }
        for i in indicators
    ]


#: A text cell longer than this is cut with an ellipsis in the plain table (not in csv/json).
WIDEST = 60


def text_table(rows: Sequence[Row], widest: int = WIDEST) -> str:
    """A plain table: left-aligned text, right-aligned numbers, no colour."""
    if not rows:
        return ""
    headers = list(rows[0].keys())
    cells = [[_clip(_cell(row[h]), widest) for h in headers] for row in rows]
    numeric = [all(_is_number(row[h]) or row[h] is None for row in rows) for h in headers]
    widths = [max(len(h), *(len(c[i]) for c in cells)) for i, h in enumerate(headers)]

    def line(values: Sequence[str]) -> str:
        out = [
            v.rjust(w) if num else v.ljust(w)
            for v, w, num in zip(values, widths, numeric, strict=True)
        ]
        return "  ".join(out).rstrip()

    rule = ["-" * w for w in widths]
    return "\n".join([line(headers), line(rule), *(line(c) for c in cells)]) + "\n"


def _clip(text: str, widest: int) -> str:
    return text if len(text) <= widest else text[: widest - 1].rstrip() + "…"


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else ""
    if isinstance(value, float):
        return numbers.exact(value)
    return str(value)


def as_text(rows: Sequence[Row]) -> list[dict[str, Any]]:
    """Rows for text formats (CSV, TSV, Markdown): a flag as `yes` or blank, as people read
    it; JSON keeps the boolean."""
    return [{k: _cell(v) if isinstance(v, bool) else v for k, v in row.items()} for row in rows]


def print_table(rows: Sequence[Row], title: str | None = None) -> None:
    """Rows on a terminal: a rich table (nothing when there are none)."""
    if not rows:
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title=title, title_justify="left", header_style="bold")
    for header in rows[0]:
        numeric = all(_is_number(r[header]) or r[header] is None for r in rows)
        table.add_column(header, justify="right" if numeric else "left")
    for row in rows:
        table.add_row(*(_cell(v) for v in row.values()))
    Console(highlight=False).print(table)
