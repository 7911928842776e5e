"""The commentary a store keeps, the same for every backend (no SQL): every version of every
comment as one row of the ``comments`` table, and the rows as :class:`Comment` records.

A version is never changed or deleted: an edit is a new version, a removal a version with
``removed`` set (its text empty). Which version is in force, and what an ingest or
``csckpi comment`` adds, is decided in :mod:`csckpi.commentary`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from csckpi.commentary import Comment, Origin, current, typed, utc_now
from csckpi.commentary import since as written_since
from csckpi.errors import StoreError

#: The columns of a comment version, in the order every backend reads and writes them (the
#: server names ``key`` ``indicator``, ``ingest_id`` ``ingest`` and ``file`` ``workbook``).
COLUMNS = (
    "id",
    "key",
    "code",
    "period",
    "body",
    "carry",
    "author",
    "written_at",
    "origin",
    "ingest_id",
    "file",
    "sheet",
    "cell",
    "removed",
)


def row_of(comment: Comment, number: int) -> tuple[Any, ...]:
    """A version as the row stored under id ``number``."""
    return (
        number,
        comment.key,
        comment.code,
        comment.period,
        comment.text,
        int(comment.carry),
        comment.author,
        comment.written,
        comment.origin.value,
        comment.ingest_id,
        comment.file,
        comment.sheet,
        comment.cell,
        int(comment.removed),
    )


def comment_of(row: Sequence[Any]) -> Comment:
    """A stored row (``COLUMNS``) as the version it is."""
    (number, key, code, period, body, carry, author, written, origin, ingest, file, sheet, cell) = (
        row[:13]
    )
    return Comment(
        key=key,
        code=code,
        period=period,
        text=body,
        carry=bool(carry),
        author=author,
        written=written,
        origin=Origin(origin),
        file=file,
        sheet=sheet,
        cell=cell,
        ingest_id=None if ingest is None else int(ingest),
        removed=bool(row[13]),
        id=int(number),
    )


def wanted(
    history: list[Comment], key: str | None, *, versions: bool, since: int | None
) -> list[Comment]:
    """What :meth:`Store.comments` answers from the whole history (oldest first)."""
    if since is not None:
        found = written_since(history, since)
    elif versions:
        found = history
    else:
        found = list(current(history))
    return [c for c in found if key is None or c.key == key]


class Keeper(Protocol):
    """What :func:`keep_typed` needs of a backend's writer inside its transaction."""

    def comments(self) -> list[Comment]: ...
    def add_comments(self, comments: list[Comment]) -> list[Comment]: ...


def keep_typed(
    writer: Keeper, entry: Comment, *, latest_ingest: int | None, where: str
) -> Comment | None:
    """``csckpi comment`` inside a backend's writing transaction: the version kept, or None
    when ``entry`` says what is in force already (the backend then rolls back)."""
    if latest_ingest is None:
        raise StoreError(
            f"The store {where} holds nothing yet: a comment is on an indicator it knows.",
            "Load a workbook first: csckpi ingest WORKBOOK.",
        )
    version = typed(
        writer.comments(), entry, ingest_id=latest_ingest, written=utc_now(), where=where
    )
    return None if version is None else writer.add_comments([version])[0]
