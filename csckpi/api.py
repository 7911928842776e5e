"""The command line's verbs as library calls, for analysts who work in notebooks.

Each ``csckpi`` command is built on exactly these calls::

    import csckpi

    csckpi.ingest("performance.xlsx")                  # csckpi ingest (into ./csckpi.db)
    kpi = csckpi.load()                                # the store; or load(workbook=...)
    scorecard = kpi.compute("Dec-20")                  # csckpi compute -> a polars frame
    [comparison] = kpi.compare("Dec-20", ["CSC038"])   # csckpi compare -> facts
    for paragraph in kpi.narrate("Q3 2020/21"):        # csckpi narrate -> sentences
        print(paragraph.text)
    kpi.report("q3.html", "Q3 2020/21")                # csckpi report

Nothing here prints; problems are raised as :class:`csckpi.errors.CsckpiError` (whose message
says what, where and how to fix). Heavy libraries load on first use, so ``import csckpi``
stays fast.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import polars as pl

    from csckpi.changes import Changes
    from csckpi.dataset import Dataset
    from csckpi.facts import Comparison
    from csckpi.model import Indicator
    from csckpi.narrate import Checked, Paragraph, Settings, Summary
    from csckpi.periods import Period
    from csckpi.publish import Publication
    from csckpi.publish.comparisons import Publisher
    from csckpi.render.formats import Format
    from csckpi.render.outputs import ReportFile
    from csckpi.report import Report, ReportAudience
    from csckpi.spc import SpcOptions
    from csckpi.store import Store
    from csckpi.store.records import IngestSummary
    from csckpi.workbook import ReadResult

#: The local store every command uses unless told otherwise (an SQLite file).
DEFAULT_STORE = "csckpi.db"


def open_store(location: str | Path = DEFAULT_STORE) -> Store:
    """The store at ``location``: a file path (SQLite) or a ``postgresql://`` URL."""
    from csckpi.store import open_store as opener

    return opener(str(location))


def read_workbook(path: str | Path) -> ReadResult:
    """Read and check a workbook without storing it: its Dataset (None with errors) and
    every problem with its Sheet!Cell."""
    from csckpi.workbook import read

    return read(Path(path))


def ingest(
    workbook: str | Path,
    store: str | Path = DEFAULT_STORE,
    *,
    dry_run: bool = False,
    strict: bool = False,
    on_wait: Callable[[], None] | None = None,
    force: bool = False,
) -> IngestSummary:
    """Check ``workbook``, then load all of it into ``store`` in one go, or nothing
    (``csckpi ingest``). The summary's ``ok`` says whether it was written; its problems and
    changes say what was found. A workbook older than the store is refused (outcome
    ``stale``, ``summary.stale`` says what it would set back) unless ``force``."""
    path = Path(workbook)
    return open_store(store).ingest(
        read_workbook(path),
        dry_run=dry_run,
        strict=strict,
        file=path.name,
        on_wait=on_wait,
        force=force,
    )


def changes(
    store: str | Path = DEFAULT_STORE, *, since: str | None = None, between: Sequence[str] = ()
) -> Changes:
    """What is new in ``store`` (``csckpi changes``; ``csckpi.api.changes``, as
    ``csckpi.changes`` is the module that works it out): by default what its latest ingest
    changed; ``since`` an ingest number or a date (`2021-01-31`), or ``between`` two."""
    from csckpi import changes as found

    opened = open_store(store)
    when = found.span(opened.ingests(), since=since, between=between)
    commentary = found.commentary_between(opened, when)
    return found.changes(opened.figures(), opened.load(), when, commentary=commentary)


def load(store: str | Path = DEFAULT_STORE, *, workbook: str | Path | None = None) -> Performance:
    """The figures to work on: straight from ``workbook`` when given (nothing is stored), else
    the latest figures in ``store``."""
    if workbook is not None:
        from csckpi.workbook import read_dataset

        path = Path(workbook)
        return Performance(read_dataset(path), str(store), path)
    return Performance(open_store(store).load(), str(store), None)


@dataclass(frozen=True)
class Performance:
    """A council's performance figures, loaded once, and every question the commands ask of
    them. ``indicators`` and ``sections`` pick indicators as ``--indicator`` and ``--section``
    do (any spelling of a code; part of a section's name); neither: all of them."""

    dataset: Dataset
    store: str = DEFAULT_STORE
    workbook: Path | None = None

    # -- choosing ---------------------------------------------------------------------------

    def indicators(
        self, indicators: Sequence[str] = (), sections: Sequence[str] = ()
    ) -> list[Indicator]:
        """The indicators named, in the order given (unknown codes raise with the nearest)."""
        from csckpi.catalogue import select  # not compare's: compute needs no facts

        return select(self.dataset.indicators, indicators, sections, self.dataset.where)

    def period(self, period: str | Period | None = None) -> Period:
        """``period`` as a Period; None: the latest month with figures."""
        from csckpi.compute import resolve_period
        from csckpi.periods import Period

        if isinstance(period, Period):
            return period
        return resolve_period(self.dataset, period)

    def quarter(self, period: str | Period | None = None) -> Period:
        """``period`` as a Period; None: the latest quarter whose three months have figures
        (what ``narrate`` and ``report`` use)."""
        from csckpi.narrate import default_period

        return self.period(period) if period is not None else default_period(self.dataset)

    # -- the verbs --------------------------------------------------------------------------

    def compute(
        self,
        period: str | Period | None = None,
        indicators: Sequence[str] = (),
        sections: Sequence[str] = (),
        *,
        spc: SpcOptions | None = None,
    ) -> pl.DataFrame:
        """Every indicator for ``period`` (``csckpi compute``): one row each with its value,
        target and RAG, last year, the period before and the year to date (columns in
        docs/architecture.md; the JSON output is these rows); with ``spc``
        (``csckpi.spc.options()``), its SPC icons."""
        from csckpi.compute import compute

        keys = [ind.key for ind in self.indicators(indicators, sections)]
        return compute(self.dataset, self.period(period), keys, spc)

    def scorecard(
        self,
        period: str | Period | None = None,
        indicators: Sequence[str] = (),
        sections: Sequence[str] = (),
        *,
        spc: SpcOptions | None = None,
        months: int = 12,
    ) -> tuple[pl.DataFrame, pl.DataFrame]:
        """:meth:`compute` and :meth:`trend` of the same indicators, made together
        (``csckpi compute``): with ``spc``, the trend is read from the months SPC made."""
        from csckpi.compute.table import compute_with_trend

        keys = [ind.key for ind in self.indicators(indicators, sections)]
        return compute_with_trend(self.dataset, self.period(period), keys, spc, months)

    def publish_scorecard(
        self,
        frame: pl.DataFrame,
        period: str | Period | None = None,
        threshold: int = 5,
        *,
        months: pl.DataFrame | None = None,
        whole: pl.DataFrame | None = None,
    ) -> Publication:
        """What ``compute --publish`` writes in place of ``frame``'s figures (`c`, `z`, `x`)
        and the note (docs/publishing.md): counts from 1 to ``threshold`` suppressed, and
        every figure one could be worked out from; ``months`` (from :meth:`trend`): their
        small counts left out of the trend lines. For a breakdown (``compute --by team``),
        ``whole`` is the scorecard of its codes (``compute``): no team's figure withheld
        can be worked out from the whole, as the published scorecard shows it, less the
        other teams."""
        from csckpi import publish

        when = self.period(period)
        if whole is not None:
            from csckpi.publish.breakdown import breakdown

            return breakdown(frame, whole, self.dataset.context, when, threshold, months)
        return publish.scorecard(frame, self.dataset.context, when, threshold, months=months)

    def publish_comparisons(
        self, comparisons: Sequence[Comparison], threshold: int = 5
    ) -> tuple[list[Comparison], Publication]:
        """What ``compare``, ``narrate`` and ``report --publish`` show of ``comparisons``: each
        figure withheld taken out (None, so no judgement is made on it and no sentence states
        it), and what was withheld and why (docs/publishing.md)."""
        from csckpi.compute import monthly_values
        from csckpi.publish.comparisons import comparisons as published

        keys = [c.indicator.key for c in comparisons]
        return published(comparisons, threshold, monthly_values(self.dataset, keys))

    def trend(
        self, period: str | Period | None = None, indicators: Sequence[str] = (), months: int = 12
    ) -> pl.DataFrame:
        """Each indicator's value in the ``months`` months to ``period``'s end (the
        scorecard's trend column): key, month, value, numerator, denominator."""
        from csckpi.compute import monthly_values

        when = self.period(period)
        keys = [ind.key for ind in self.indicators(indicators)]
        return monthly_values(self.dataset, keys, first=when.last - (months - 1), last=when.last)

    def compare(
        self,
        period: str | Period | None = None,
        indicators: Sequence[str] = (),
        sections: Sequence[str] = (),
        *,
        spc: SpcOptions | None = None,
    ) -> list[Comparison]:
        """Each indicator against everything it is judged by (``csckpi compare``): its
        figures and, in ``.facts``, every judgement made on them (with ``spc``, its control
        chart and signals too)."""
        from csckpi.compare import compare_many

        keys = [ind.key for ind in self.indicators(indicators, sections)]
        return compare_many(self.dataset, self.period(period), keys, spc)

    def narrate(
        self,
        period: str | Period | None = None,
        indicators: Sequence[str] = (),
        sections: Sequence[str] = (),
        *,
        summary: bool = False,
        settings: Settings | None = None,
        spc: SpcOptions | None = None,
        publish: Publisher | None = None,
    ) -> list[Paragraph]:
        """The performance-analysis sentences (``csckpi narrate``), a paragraph per indicator;
        None for ``period``: the latest complete quarter. ``spc``: a sentence on signals.
        ``publish`` (:meth:`publisher`): for publication, no sentence states a figure it
        withholds, and the commentary is left out."""
        from csckpi.narrate import narrate

        keys = [ind.key for ind in self.indicators(indicators, sections)]
        return narrate(
            self.dataset,
            self.quarter(period),
            keys,
            summary=summary,
            settings=settings,
            spc=spc,
            prepare=publish,
        )

    def publisher(self, threshold: int = 5) -> Publisher:
        """What ``narrate --publish`` hands :meth:`narrate` and :meth:`summarise`: it takes the
        figures withheld out of their comparisons and, once they are made, says what it
        withheld (``.publication``: docs/publishing.md)."""
        from csckpi.compute import monthly_values
        from csckpi.publish.comparisons import Publisher

        return Publisher(threshold, monthly_values(self.dataset))

    def summarise(
        self,
        period: str | Period | None = None,
        indicators: Sequence[str] = (),
        sections: Sequence[str] = (),
        *,
        settings: Settings | None = None,
        everything: bool = False,
        spc: SpcOptions | None = None,
        publish: Publisher | None = None,
    ) -> Summary:
        """The Performance Summary (``csckpi narrate --summary``): key messages, then a
        paragraph per notable indicator (every one with ``everything``, or when indicators or
        sections are named). ``spc``: a sentence on signals."""
        from csckpi.narrate import summarise

        keys = [ind.key for ind in self.indicators(indicators, sections)]
        named = bool(indicators or sections)
        return summarise(
            self.dataset,
            self.quarter(period),
            keys,
            settings=settings,
            everything=everything or named,
            spc=spc,
            prepare=publish,
        )

    def check(
        self,
        period: str | Period | None = None,
        indicators: Sequence[str] = (),
        sections: Sequence[str] = (),
        *,
        settings: Settings | None = None,
        spc: SpcOptions | None = None,
    ) -> Checked:
        """Every sentence and key message checked against the data (``csckpi narrate
        --check``); raises ``SentenceRefused`` naming any that disagree."""
        from csckpi.narrate import check_all

        keys = [ind.key for ind in self.indicators(indicators, sections)]
        return check_all(self.dataset, self.quarter(period), keys, settings=settings, spc=spc)

    def build_report(
        self,
        period: str | Period | None = None,
        *,
        generated: dt.date | None = None,
        spc: SpcOptions | None = None,
        publish: int | None = None,
        audience: ReportAudience = "committee",
    ) -> Report:
        """The quarterly report's content, in no format (sections, tables, sentences); with
        ``spc``, each chart's control limits and icons; with ``publish`` (a threshold), for
        publication: small counts and what they could be worked out from withheld
        (docs/publishing.md). ``audience``: the committee's keeps the source to its appendix
        and names no comment's author; the analyst's has both."""
        from csckpi.report import build

        source, sha256 = self.provenance()
        return build(
            self.dataset,
            self.quarter(period),
            generated=generated or generated_date(),
            source=source,
            sha256=sha256,
            spc=spc,
            publish=publish,
            audience=audience,
        )

    def report(
        self,
        output: str | Path,
        period: str | Period | None = None,
        *,
        format: str | None = None,
        generated: dt.date | None = None,
        on_chart: Callable[[int, int], None] | None = None,
        spc: SpcOptions | None = None,
        publish: int | None = None,
        browser: str | None = None,
        audience: ReportAudience = "committee",
    ) -> Path:
        """Write the quarterly report (``csckpi report``): HTML, PDF, XLSX or Markdown, by
        ``format`` or the file's suffix (a PDF printed by ``browser``, else the Chrome, Edge
        or Chromium found). Returns the file written."""
        from csckpi.errors import OutputError
        from csckpi.render.outputs import REPORT

        out = Path(output)
        if format is not None and format not in REPORT:
            raise OutputError(f"the report's format {REPORT.unknown(format)}")
        kind: Format[ReportFile] | None = REPORT[format] if format else REPORT.for_file(out)
        if kind is None:
            raise OutputError(
                f"cannot tell the report's format from '{out.name}'",
                f"Name the file {REPORT.suffix_listing()}, or give a format.",
            )
        if kind.check is not None:  # before any work is done (PDF: no browser)
            kind.check(browser)
        content = self.build_report(
            period, generated=generated, spc=spc, publish=publish, audience=audience
        )
        write_report(kind, content, out, on_chart, browser)
        return out

    def provenance(self) -> tuple[str, str | None]:
        """What the figures came from, as the report's front page names it, and its SHA-256."""
        if self.workbook is not None:
            digest = hashlib.sha256()
            with self.workbook.open("rb") as handle:
                for block in iter(lambda: handle.read(1 << 20), b""):
                    digest.update(block)
            return self.workbook.name, digest.hexdigest()
        found = open_store(self.store)
        ingests = found.ingests()
        if not ingests:
            return found.location, None
        latest = ingests[-1]
        return f"{latest['file']} (latest ingest into {found.location})", str(latest["sha256"])


def write_report(
    kind: Format[ReportFile],
    content: Report,
    output: Path,
    on_chart: Callable[[int, int], None] | None = None,
    browser: str | None = None,
) -> str:
    """Write ``content`` to ``output`` in ``kind``'s format; says what was written. ``browser``:
    the program that prints a PDF (Chrome, Edge or Chromium; default: found)."""
    from csckpi.render.formats import emit
    from csckpi.render.outputs import ReportFile

    return emit(
        kind,
        ReportFile(content, on_chart, browser),
        output,
        hint="Check the folder exists and you may write to it.",
    )


def generated_date() -> dt.date:
    """The report's date: today, or SOURCE_DATE_EPOCH's day for reproducible builds."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC).date()
    return dt.date.today()
