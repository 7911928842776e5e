"""What `csckpi comment --list` and `--history` print: the comments as rows of plain values
(written in any of :data:`csckpi.render.outputs_store.ROWS`' formats)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from csckpi.commentary import Comment, Origin, Shown


def _when(comment: Comment) -> str:
    return (comment.written or "").replace("T", " ")[:16]


def _where(comment: Comment) -> str:
    """`typed`, or the workbook and cell a Commentary row came from."""
    if comment.origin is Origin.TYPED:
        return "typed"
    return " ".join(w for w in (comment.file, comment.location) if w)


def comment_rows(comments: Sequence[Comment | Shown]) -> list[dict[str, Any]]:
    """One row per comment in force (or shown for a period, with the period it is carried
    from)."""
    rows = []
    for item in comments:
        comment = item.comment if isinstance(item, Shown) else item
        row: dict[str, Any] = {"code": comment.code, "period": comment.period_label}
        if isinstance(item, Shown):
            row["carried from"] = comment.period_label if item.carried else ""
            row["period"] = _label(item.period)
        row |= {
            "comment": comment.text,
            "carry": comment.carry,
            "author": comment.author,
            "written": _when(comment),
            "from": _where(comment),
        }
        rows.append(row)
    return rows


def history_rows(versions: Sequence[Comment]) -> list[dict[str, Any]]:
    """Every version, oldest first: a removal says so; `latest` marks each one in force."""
    latest: dict[tuple[str, str], int | None] = {c.slot: c.id for c in versions}
    return [
        {
            "version": c.id,
            "code": c.code,
            "period": c.period_label,
            "comment": "(removed)" if c.removed else c.text,
            "carry": c.carry,
            "author": c.author,
            "written": _when(c),
            "from": _where(c),
            "latest": latest[c.slot] == c.id and not c.removed,
        }
        for c in versions
    ]


def _label(period_key: str) -> str:
    from csckpi.commentary import period_of

    return period_of(period_key).label
