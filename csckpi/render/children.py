"""The rows behind a figure (`csckpi children`): personal data, so every output of them starts
with the one-line notice, and they go to standard output only (never a file or a report).

Dates are written as a person reads them (18/12/2020); the ``counted`` column of a percentage
(headed "in numerator") as yes / no; an empty cell is blank.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from csckpi.render.tables import to_delimited, to_json

if TYPE_CHECKING:
    from csckpi.render.outputs_store import Children

#: Column headings as a person reads them (the rest are their field names).
HEADINGS = {
    "row": "row",
    "month": "month",
    "counted": "in numerator",  # a good row when higher is better, a bad one when lower is
    "working_days": "working days",
    "team": "team",
    "worker": "worker",
}


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dt.date):
        return f"{value:%d/%m/%Y}"
    if isinstance(value, float) and value.is_integer():  # a count read as a number: 4, not 4.0
        return str(int(value))
    return str(value)


def _text_rows(c: Children) -> list[dict[str, str]]:
    months = "month" in c.rows.columns
    rows = []
    for row in c.rows.iter_rows(named=True):
        shown = {HEADINGS.get(k, k): _cell(v) for k, v in row.items()}
        if months and isinstance(row["month"], dt.date):
            shown["month"] = f"{row['month']:%b-%y}"
        rows.append(shown)
    return rows


def as_text(c: Children) -> str:
    """The notice, the title, then plain columns."""
    from csckpi.render.history import text_table

    rows = _text_rows(c)
    body = text_table(rows) if rows else "No rows.\n"
    return f"{c.notice}\n{c.title}\n\n{body}"


def print_table(c: Children) -> None:
    """The notice, then a rich table, for a terminal."""
    from rich.console import Console
    from rich.table import Table

    console = Console(highlight=False)
    console.print(c.notice, style="bold yellow")
    rows = _text_rows(c)
    if not rows:
        console.print(f"{c.title}\n\nNo rows.")
        return
    table = Table(title=c.title, title_justify="left", header_style="bold")
    for name in rows[0]:
        table.add_column(name, no_wrap=True)
    for row in rows:
        table.add_row(*row.values())
    console.print(table)


def as_csv(c: Children) -> str:
    """The notice as a `#` line, then the rows with a header (dates as ISO, for a program)."""
    rows = [
        {
            k: "" if v is None else (v.isoformat() if isinstance(v, dt.date) else v)
            for k, v in r.items()
        }
        for r in c.rows.iter_rows(named=True)
    ]
    header = ",".join(c.rows.columns) + "\n"
    body = to_delimited(rows, ",") if rows else header
    return f"# {c.notice}\n{body}"


def as_json(c: Children) -> str:
    """{"notice": ..., "title": ..., "rows": [...]} (dates as ISO)."""
    rows = [
        {k: v.isoformat() if isinstance(v, dt.date) else v for k, v in r.items()}
        for r in c.rows.iter_rows(named=True)
    ]
    return to_json({"notice": c.notice, "title": c.title, "rows": rows})
