"""What a store gives back: frozen records every backend returns and every caller reads.

Nothing here touches a database; the records are the same whichever backend made them.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Protocol, TypedDict

from csckpi.periods import Month

if TYPE_CHECKING:
    from csckpi.dataset import Dataset
    from csckpi.model import Problem


class Outcome(StrEnum):
    WRITTEN = "written"  # the ingest was stored
    DRY_RUN = "dry-run"  # validated and compared; nothing written
    ALREADY = "already"  # the same file (SHA-256) was ingested before; nothing changed
    REFUSED = "refused"  # the workbook has errors (or warnings under --strict); nothing written
    STALE = "stale"  # older than the store: it would move the store backwards; nothing written


def benchmark_label(code: str, part: str | None, kind: str, period: str | None) -> str:
    """`CSC 038 England benchmark 2019/20`: a benchmark or standing as a summary names it
    (the store's part `england` written as the country's name)."""
    shown = "England" if part == "england" else part
    return " ".join(w for w in (code, shown, kind, period) if w)


class ReadResultLike(Protocol):
    """What :meth:`Store.ingest` needs from ``csckpi.workbook.read``'s result."""

    @property
    def dataset(self) -> Dataset | None: ...
    @property
    def problems(self) -> tuple[Problem, ...]: ...
    @property
    def sha256(self) -> str: ...
    @property
    def layout(self) -> str: ...


class NamedFigure(Protocol):
    """What says which figure a record is about: every record of one figure's value (a
    :class:`Change`, a :class:`Revision`, ``csckpi.changes.Update``) has it."""

    @property
    def kind(self) -> str: ...
    @property
    def code(self) -> str: ...
    @property
    def period(self) -> str: ...
    @property
    def part(self) -> str: ...
    @property
    def figure(self) -> str: ...


def figure_names(record: NamedFigure) -> dict[str, object]:
    """The fields that name a record's figure, as every JSON output writes them first."""
    return {
        "kind": record.kind,
        "code": record.code,
        "period": record.period,
        "part": record.part,
        "figure": record.figure,
    }


def cell_location(sheet: str | None, cell: str | None) -> str:
    """Where a figure was read: `Monthly!D2`, the sheet alone without a cell, or ''."""
    return f"{sheet}!{cell}" if sheet and cell else sheet or ""


@dataclass(frozen=True)
class Change:
    """A figure whose value this ingest revises: what the store held and what it holds now."""

    kind: str
    code: str
    period: str
    part: str
    figure: str
    old: float
    new: float
    sheet: str | None
    cell: str | None
    #: where the value is from, before and now: a benchmark's release, a target's `per`
    old_source: str | None = None
    new_source: str | None = None

    @property
    def location(self) -> str:
        return cell_location(self.sheet, self.cell)

    @property
    def label(self) -> str:
        """`CSC 038 Oct-20 value`, `CSC 036 2017/18 reported`, `CSC 038 England benchmark 2019/20`
        (how the summary names a revised figure)."""
        if self.kind in ("monthly", "records"):
            year, month = self.period.split("-")
            label = f"{self.code} {Month(int(year), int(month)).short} {self.part}"
            return label + (" from the records" if self.kind == "records" else "")
        if self.kind in ("benchmark", "standing"):
            return benchmark_label(self.code, self.part, self.kind, self.period)
        if self.kind == "target":
            return " ".join(w for w in (self.code, self.period, self.part) if w)
        extra = (w for w in (self.part, self.figure) if w != "value")
        return " ".join((self.code, self.period, "reported", *extra))

    def as_dict(self) -> dict[str, object]:
        return figure_names(self) | {
            "old": self.old,
            "new": self.new,
            "location": self.location,
            "old_source": self.old_source,
            "new_source": self.new_source,
        }


@dataclass(frozen=True)
class Revert:
    """A figure a workbook would set back to a value an earlier ingest had already replaced:
    ``change.old`` is the store's value (brought by ingest ``since``, from ``since_file``),
    ``change.new`` the workbook's, which the figure held before."""

    change: Change
    since: int
    since_file: str

    def as_dict(self) -> dict[str, object]:
        return self.change.as_dict() | {"since_ingest": self.since, "since_file": self.since_file}


@dataclass(frozen=True)
class Staleness:
    """Why a workbook would move the store backwards: its latest month is older than the
    store's, or it sets figures back to values a later ingest revised (``reverts``)."""

    last_month: str | None  # the workbook's latest month, `2020-11`
    store_last_month: str | None  # the store's
    store_ingest: int  # the store's latest ingest
    store_file: str
    reverts: tuple[Revert, ...] = ()

    @property
    def older(self) -> bool:
        """Whether the workbook's latest month is before the store's."""
        return (
            self.last_month is not None
            and self.store_last_month is not None
            and self.last_month < self.store_last_month
        )

    def as_dict(self) -> dict[str, object]:
        return {
            "last_month": self.last_month,
            "store_last_month": self.store_last_month,
            "store_ingest": self.store_ingest,
            "store_file": self.store_file,
            "older": self.older,
            "reverts": [r.as_dict() for r in self.reverts],
        }


@dataclass(frozen=True)
class IngestSummary:
    """What an ingest did (or, for a dry run or a refusal, would have done)."""

    outcome: Outcome
    file: str
    store: str
    sha256: str
    ingest_id: int | None = None  # the new ingest, or the earlier one for ALREADY
    ingested_at: str | None = None  # ISO time, UTC; the earlier one for ALREADY
    #: ALREADY: the file the earlier ingest was given (the same bytes, maybe under another name)
    earlier_file: str | None = None
    indicators: int = 0
    months: int = 0
    first_month: str | None = None  # `2017-04`
    last_month: str | None = None
    added: int = 0
    revised: int = 0
    unchanged: int = 0
    kept: int = 0  # figures in the store that this file does not give: kept, not deleted
    errors: int = 0  # counting warnings when strict
    warnings: int = 0
    strict: bool = False
    changes: tuple[Change, ...] = ()  # every revised figure, old and new value
    comments: int = 0  # Commentary rows kept: new, or changed since an ingest brought them
    #: Set when the workbook is older than the store: why (STALE, or WRITTEN with --force).
    stale: Staleness | None = None
    forced: bool = False  # --force: a stale workbook is ingested anyway

    @property
    def written(self) -> bool:
        return self.outcome is Outcome.WRITTEN

    @property
    def ok(self) -> bool:
        return self.outcome not in (Outcome.REFUSED, Outcome.STALE)

    def as_dict(self) -> dict[str, object]:
        return {
            "outcome": self.outcome.value,
            "file": self.file,
            "store": self.store,
            "sha256": self.sha256,
            "ingest_id": self.ingest_id,
            "ingested_at": self.ingested_at,
            "earlier_file": self.earlier_file,
            "indicators": self.indicators,
            "months": self.months,
            "first_month": self.first_month,
            "last_month": self.last_month,
            "added": self.added,
            "revised": self.revised,
            "unchanged": self.unchanged,
            "kept": self.kept,
            "errors": self.errors,
            "warnings": self.warnings,
            "changes": [c.as_dict() for c in self.changes],
            "comments": self.comments,
            "stale": self.stale.as_dict() if self.stale is not None else None,
            "forced": self.forced,
        }


@dataclass(frozen=True)
class Revision:
    """One value a figure has had, and the ingest that brought it."""

    kind: str  # monthly | reported | target | benchmark | standing | records
    key: str
    code: str
    period: str  # `2020-10`, `2019/20`, `Q3 2020/21`; a benchmark's or a target's year
    part: str  # value | numerator | denominator; a benchmark's comparator; target | tolerance
    figure: str  # value | flow
    value: float
    source: str | None
    sheet: str | None
    cell: str | None
    ingest_id: int
    file: str
    ingested_at: str
    current: bool

    @property
    def location(self) -> str:
        if self.kind == "records":  # what it was counted from: `412 rows of List 4 (AA ASMT 45)`
            return self.source or self.sheet or ""
        return cell_location(self.sheet, self.cell)

    @property
    def period_label(self) -> str:
        """`Oct-20` for a month, else the period as stored."""
        if self.kind in ("monthly", "records"):
            year, month = self.period.split("-")
            return Month(int(year), int(month)).short
        return self.period

    def as_dict(self) -> dict[str, object]:
        return figure_names(self) | {
            "value": self.value,
            "source": self.source,
            "location": self.location,
            "ingest_id": self.ingest_id,
            "file": self.file,
            "ingested_at": self.ingested_at,
            "current": self.current,
        }


class IngestRow(TypedDict):
    """One ingest as :meth:`Store.ingests` lists it (oldest first)."""

    id: int
    file: str
    sha256: str
    layout: str
    ingested_at: str  # ISO time, UTC: `2021-01-14T09:30:00Z`
    indicators: int
    months: int
    added: int
    revised: int
    unchanged: int
    kept: int
    warnings: int
