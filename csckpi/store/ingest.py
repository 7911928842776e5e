"""An ingest from start to finish, the same for every backend.

:class:`Request` decides from the reader's problems whether a workbook may be stored at all;
:func:`record` does the ingest inside a backend's transaction through :class:`Writer`, the few
reads and writes a backend provides (its SQL). A backend opens the transaction, takes the
write lock (calling ``on_wait`` when it has to wait), calls :func:`record`, then commits
(after :func:`pause_for_tests`) or rolls back.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from csckpi.commentary import from_workbook, utc_now
from csckpi.model import Context, Severity
from csckpi.store.figures import difference, shape
from csckpi.store.records import IngestSummary, Outcome, ReadResultLike
from csckpi.store.stale import staleness

if TYPE_CHECKING:
    import polars as pl

    from csckpi.commentary import Comment
    from csckpi.dataset import Dataset
    from csckpi.model import Indicator

#: Test-only hook: when this environment variable names a file, an ingest creates that file
#: once everything is written inside its transaction, then sleeps before committing, so a
#: test can kill the process mid-transaction (or start a second ingest that has to wait).
#: Never set it outside tests.
PAUSE_HOOK = "CSCKPI_TEST_PAUSE_IN_TRANSACTION"


class Writer(Protocol):
    """What a backend does inside an ingest's transaction."""

    def earlier(self, sha256: str) -> tuple[int, str, str] | None:
        """The first ingest of a file with this SHA-256: (id, ingested_at, the file's name as
        that ingest was given it), or None."""
        ...

    def latest(self) -> pl.DataFrame:
        """Every figure's latest value before this ingest (``figures.FRAME_SCHEMA``)."""
        ...

    def history(self) -> pl.DataFrame:
        """Every value every figure has had, with the ingest that brought it
        (``figures.INGESTED_SCHEMA``); read only when a workbook may be stale."""
        ...

    def add_ingest(
        self, *, file: str, sha256: str, layout: str, ingested_at: str, warnings: int
    ) -> int:
        """A new ingest's row; its id."""
        ...

    def add_figures(self, ingest_id: int, figures: pl.DataFrame) -> None:
        """Keep the figures this ingest added or revised as the ingest's."""
        ...

    def keep_latest(self, ingest_id: int, figures: pl.DataFrame) -> None:
        """Keep every figure's latest value as of this ingest (what :meth:`latest` and
        :meth:`Store.load` read next); not called for a dry run."""
        ...

    def add_indicators(self, ingest_id: int, indicators: tuple[Indicator, ...]) -> None:
        """Keep the catalogue as this ingest gives it (each definition as of its latest)."""
        ...

    def add_context(self, ingest_id: int, context: Context) -> None:
        """Keep the workbook's Context sheet; called only when it has one."""
        ...

    def comments(self) -> list[Comment]:
        """Every version of every comment the store keeps, oldest first."""
        ...

    def add_comments(self, comments: list[Comment]) -> list[Comment]:
        """Keep these new versions of comments (numbered after the last); them as kept."""
        ...

    def count(
        self,
        ingest_id: int,
        *,
        indicators: int,
        months: int,
        added: int,
        revised: int,
        unchanged: int,
        kept: int,
    ) -> None:
        """Record what the ingest held and did (the counts :meth:`Store.ingests` lists)."""
        ...


@dataclass(frozen=True)
class Request:
    """An ingest asked of the store at ``store``: the read workbook and what its problems
    allow (:attr:`dataset` is None when the ingest is refused)."""

    result: ReadResultLike
    store: str
    file: str
    errors: int  # counting warnings when strict
    warnings: int
    strict: bool
    dry_run: bool
    force: bool = False  # store a stale workbook anyway
    shape: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def of(
        cls,
        result: ReadResultLike,
        *,
        store: str,
        file: str | None = None,
        strict: bool = False,
        dry_run: bool = False,
        force: bool = False,
    ) -> Request:
        problems = tuple(result.problems)
        errors = sum(1 for p in problems if p.severity is Severity.ERROR)
        warnings = len(problems) - errors
        if strict:
            errors, warnings = errors + warnings, 0
        dataset = result.dataset
        source = getattr(result, "source", "") or (dataset.source if dataset is not None else "")
        name = file or Path(source).name or "?"
        return cls(result, store, name, errors, warnings, strict, dry_run, force, shape(dataset))

    @property
    def dataset(self) -> Dataset | None:
        """What to store; None when the workbook has errors (or warnings, when strict)."""
        return None if self.errors else self.result.dataset

    def summary(self, outcome: Outcome, **counts: Any) -> IngestSummary:
        return IngestSummary(
            outcome,
            file=self.file,
            store=self.store,
            sha256=self.result.sha256,
            errors=self.errors,
            warnings=self.warnings,
            strict=self.strict,
            forced=self.force and bool(counts.get("stale")),
            **self.shape,
            **counts,
        )


def record(writer: Writer, request: Request, incoming: pl.DataFrame) -> IngestSummary:
    """Do the ingest through ``writer``, inside the backend's transaction.

    A workbook that would move the store backwards (:func:`csckpi.store.stale.staleness`) is
    refused (STALE) unless the request forces it: the same file (SHA-256) as an earlier ingest
    that later ingests moved on from too. Otherwise the same file changes nothing (ALREADY)
    when it gives no figure the store lacks or holds otherwise (an Annex A extract read again
    with another map, first month or extract date gives other figures, and is written);
    otherwise the ingest, the figures it adds or revises, the latest figures, the
    catalogue, the Context sheet, the Commentary rows that are new or changed
    (:func:`csckpi.commentary.from_workbook`) and the counts are written; the backend commits
    when the outcome is WRITTEN and rolls back otherwise.
    """
    dataset = request.dataset
    assert dataset is not None, "a refused ingest is never recorded"
    earlier = writer.earlier(request.result.sha256)
    before = writer.latest()
    found = difference(incoming, before)
    stale = staleness(writer, request.shape.get("last_month"), before, found)
    if earlier is not None and stale is None and found.changed.height == 0:
        return request.summary(
            Outcome.ALREADY,
            ingest_id=earlier[0],
            ingested_at=earlier[1],
            earlier_file=earlier[2],
            unchanged=incoming.height,
        )
    if stale is not None and not request.force:
        return request.summary(
            Outcome.STALE,
            added=found.added,
            revised=found.revised,
            unchanged=found.unchanged,
            kept=found.kept,
            changes=found.changes,
            stale=stale,
        )
    now = utc_now()
    ingest_id = writer.add_ingest(
        file=request.file,
        sha256=request.result.sha256,
        layout=request.result.layout or "",
        ingested_at=now,
        warnings=request.warnings,
    )
    writer.add_figures(ingest_id, found.changed)
    if not request.dry_run:
        writer.keep_latest(ingest_id, found.after)
    writer.add_indicators(ingest_id, dataset.indicators)
    if dataset.context != Context():  # a workbook without one keeps the previous
        writer.add_context(ingest_id, dataset.context)
    comments = []
    if dataset.commentary:  # rows new or changed since an ingest last brought them
        history = writer.comments()
        comments = from_workbook(dataset.commentary, history, ingest_id=ingest_id, written=now)
        writer.add_comments(comments)
    counts = {
        "added": found.added,
        "revised": found.revised,
        "unchanged": found.unchanged,
        "kept": found.kept,
    }
    writer.count(
        ingest_id,
        indicators=request.shape["indicators"],
        months=request.shape["months"],
        **counts,
    )
    return request.summary(
        Outcome.DRY_RUN if request.dry_run else Outcome.WRITTEN,
        ingest_id=None if request.dry_run else ingest_id,
        ingested_at=None if request.dry_run else now,
        **counts,
        changes=found.changes,
        comments=len(comments),
        stale=stale,
    )


def pause_for_tests() -> None:
    """The test-only hook (see :data:`PAUSE_HOOK`): announce, then wait inside the transaction.

    It waits ``PAUSE_HOOK_SECONDS`` (default 60), or until the file named by
    ``PAUSE_HOOK_UNTIL`` exists, whichever comes first.
    """
    flag = os.environ.get(PAUSE_HOOK)
    if not flag:
        return
    Path(flag).write_text("in transaction\n", encoding="utf-8")
    deadline = time.monotonic() + float(os.environ.get(PAUSE_HOOK + "_SECONDS", "60"))
    release = os.environ.get(PAUSE_HOOK + "_UNTIL")
    while time.monotonic() < deadline and not (release and Path(release).exists()):
        time.sleep(0.02)
