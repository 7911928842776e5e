"""The analyst's own words: commentary kept beside the generated sentences (docs/commentary.md).

A :class:`Comment` is what the service says about one indicator in one period, written in the
workbook's Commentary sheet or with ``csckpi comment``. A store keeps every version of it, each
with who wrote it and when; the version in force for an indicator and period is the latest one
written, unless that is a removal. Which comment a period shows is decided here, once:

    * a comment belongs to its period (a month, a quarter, a year to date or a year);
    * a period with no comment of its own shows the latest earlier comment of the same kind of
      period when that one is marked to carry forward (``carry``), labelled as carried; a
      later comment for the indicator, carried or not, ends it.

A Commentary row counts as written when an ingest first brings it, or brings it changed: a
re-ingest of a workbook whose row is as it was does not undo a comment typed since, and a row
changed in the workbook is newer than the typed one and wins. Every version stays in the
history. No I/O and no polars here: the store's backends and every renderer use these records.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, replace
from enum import StrEnum

from csckpi.errors import PeriodError, StoreError
from csckpi.periods import Period, PeriodKind, parse_period

#: What every output calls the service's own words, so they are never read as csckpi's.
HEADING = "Service commentary"

#: The longest comment kept (a spreadsheet cell holds 32,767 characters; a paragraph in a
#: committee's report far fewer).
MAX_LENGTH = 4000


class Origin(StrEnum):
    """Where a version of a comment was written."""

    WORKBOOK = "workbook"  # a row of the workbook's Commentary sheet
    TYPED = "typed"  # csckpi comment


@dataclass(frozen=True)
class Comment:
    """One version of the commentary on indicator ``key`` for ``period`` (a period key:
    `2020-12`, `Q3 2020/21`, `2020/21 YTD`, `2020/21`)."""

    key: str
    code: str
    period: str
    text: str  # "" for a removal
    carry: bool = False  # offered again in the periods after, until a later comment
    author: str = ""  # as written (the sheet's author column, --author or the OS user)
    written: str | None = None  # ISO time, UTC; None for a workbook read without a store
    origin: Origin = Origin.WORKBOOK
    file: str | None = None  # the workbook, for a Commentary row
    sheet: str | None = None
    cell: str | None = None  # the text's cell
    ingest_id: int | None = None  # the ingest that brought it; for a typed one, the latest
    removed: bool = False
    id: int | None = None  # the store's number for this version (None until stored)

    @property
    def slot(self) -> tuple[str, str]:
        """What a comment is the comment *on*: (indicator key, period key)."""
        return self.key, self.period

    @property
    def period_label(self) -> str:
        """`Dec-20`, `Q3 2020/21`: the period as a table writes it."""
        return period_of(self.period).label

    @property
    def location(self) -> str:
        """`Commentary!C4`, or "" for a typed comment."""
        return f"{self.sheet}!{self.cell}" if self.sheet and self.cell else self.sheet or ""

    @property
    def date(self) -> str:
        """The day it was written, as a report writes it: `14 January 2021` ("" unknown)."""
        if not self.written:
            return ""
        day = dt.date.fromisoformat(self.written[:10])
        return f"{day.day} {day:%B %Y}"

    @property
    def byline(self) -> str:
        """Who wrote it and when: `A. Analyst, 14 January 2021`; a workbook row with no author
        is from its Commentary sheet."""
        who = self.author or (f"Commentary sheet of {self.file}" if self.file else "")
        return ", ".join(w for w in (who, self.date) if w)

    def same_words(self, other: Comment) -> bool:
        """Whether ``other`` says the same (text, carry and author): nothing to keep."""
        return (self.text, self.carry, self.author, self.removed) == (
            other.text,
            other.carry,
            other.author,
            other.removed,
        )

    def as_dict(self) -> dict[str, object]:
        return {
            "code": self.code,
            "period": self.period_label,
            "text": self.text,
            "carry": self.carry,
            "author": self.author,
            "written": self.written,
            "origin": self.origin.value,
            "file": self.file,
            "location": self.location,
            "removed": self.removed,
        }


@dataclass(frozen=True)
class Shown:
    """The comment a period shows for one indicator: its own, or one carried forward."""

    comment: Comment
    period: str  # the period key it is shown for

    @property
    def carried(self) -> bool:
        return self.comment.period != self.period

    @property
    def note(self) -> str:
        """`carried forward from Q2 2020/21`, or "" for the period's own comment."""
        return f"carried forward from {self.comment.period_label}" if self.carried else ""

    @property
    def text(self) -> str:
        return self.comment.text

    @property
    def byline(self) -> str:
        return self.comment.byline

    @property
    def dated(self) -> str:
        """When, and whether carried, without who: `14 January 2021; carried forward from Q2
        2020/21` (what a committee reads: the author is a person's or a login name)."""
        return "; ".join(w for w in (self.comment.date, self.note) if w)

    @property
    def about(self) -> str:
        """Who, when, and whether carried: `A. Analyst, 14 January 2021; carried forward from
        Q2 2020/21` ("" when none is known)."""
        return "; ".join(w for w in (self.byline, self.note) if w)

    def as_dict(self) -> dict[str, object]:
        return {**self.comment.as_dict(), "carried_from": self.comment.period_label * self.carried}


def period_of(key: str) -> Period:
    """The period a comment's period key names."""
    return parse_period(key)


def period_key(text: str) -> str:
    """The key a comment for the period a user or a sheet wrote is kept under (PeriodError
    when it is no period)."""
    return parse_period(text).key  # a year to date's key has no month: `2020/21 YTD`


def _order(period: Period) -> int:
    """Periods of one kind in time order."""
    if period.kind is PeriodKind.MONTH:
        assert period.end is not None
        return period.end.index
    if period.kind is PeriodKind.QUARTER:
        assert period.quarter is not None
        return period.fy * 4 + period.quarter
    return period.fy


def current(history: Iterable[Comment]) -> tuple[Comment, ...]:
    """The comment in force for each indicator and period: the last version of each in
    ``history`` (oldest first), unless it is a removal; in first-written order."""
    latest: dict[tuple[str, str], Comment] = {}
    for version in history:
        latest.pop(version.slot, None)  # re-inserted: a slot's order is its latest version's
        latest[version.slot] = version
    return tuple(c for c in latest.values() if not c.removed)


def shown(comments: Iterable[Comment], period: Period) -> dict[str, Shown]:
    """Indicator key -> the comment ``period`` shows (its own, else a carried one): from the
    comments in force (:func:`current`)."""
    here = _order(period)
    best: dict[str, tuple[int, Comment]] = {}
    for comment in comments:
        try:
            their = period_of(comment.period)
        except PeriodError:  # a period key this csckpi cannot read: never shown
            continue
        if their.kind is not period.kind:
            continue
        order = _order(their)
        if order <= here and (comment.key not in best or order > best[comment.key][0]):
            best[comment.key] = (order, comment)
    return {
        key: Shown(comment, period.key)
        for key, (order, comment) in best.items()
        if order == here or comment.carry
    }


def from_workbook(
    incoming: Iterable[Comment], history: Iterable[Comment], *, ingest_id: int, written: str
) -> list[Comment]:
    """The versions an ingest keeps: each Commentary row that is new, or changed since the
    last version an ingest brought for its indicator and period (a typed version in between
    does not count: the row is not written again just because it is still there)."""
    from_sheet: dict[tuple[str, str], Comment] = {}
    for version in history:
        if version.origin is Origin.WORKBOOK:
            from_sheet[version.slot] = version
    kept = []
    for row in incoming:
        before = from_sheet.get(row.slot)
        if before is None or not before.same_words(row):
            kept.append(replace(row, written=written, ingest_id=ingest_id))
    return kept


def typed(
    history: Iterable[Comment], entry: Comment, *, ingest_id: int, written: str, where: str
) -> Comment | None:
    """The version ``csckpi comment`` keeps for ``entry`` (a comment or a removal), or None
    when it says what is in force already. Removing a comment that is not there is an error
    (a :class:`StoreError` naming the indicator and period, and where comments are listed)."""
    in_force = {c.slot: c for c in current(history)}.get(entry.slot)
    if entry.removed and in_force is None:
        raise StoreError(
            f"There is no comment on {entry.code} for {entry.period_label} in {where} to remove.",
            "List the comments with: csckpi comment --list",
        )
    if in_force is not None and in_force.same_words(entry):
        return None
    return replace(entry, origin=Origin.TYPED, written=written, ingest_id=ingest_id)


def check_text(text: str) -> str | None:
    """Why ``text`` cannot be a comment (None when it can)."""
    if not text.strip():
        return "the comment is empty"
    if len(text) > MAX_LENGTH:
        return f"the comment is {len(text):,} characters long; the most kept is {MAX_LENGTH:,}"
    return None


def utc_now() -> str:
    """Now as the store writes a time: `2021-01-14T09:30:00Z`."""
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def since(history: Iterable[Comment], ingest_id: int) -> list[Comment]:
    """The versions written after ingest ``ingest_id``: those later ingests brought and those
    typed since it (a typed version carries the latest ingest when it was written)."""
    return [
        c
        for c in history
        if c.ingest_id is not None
        and (c.ingest_id > ingest_id or (c.origin is Origin.TYPED and c.ingest_id == ingest_id))
    ]
