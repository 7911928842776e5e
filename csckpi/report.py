"""The quarterly report's content as plain data: what the committee reads, before any format.

:func:`build` turns a Dataset and a Period into a :class:`Report`: a title block, an overview of
every indicator, the performance summary, and one :class:`Section` per workbook section with
its definition, performance analysis, month table and chart. Renderers in ``csckpi.render``
(HTML, XLSX, Markdown, PDF) only lay it out; nothing here formats for a file.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from csckpi import numbers
from csckpi.model import Indicator, Measure, Unit

if TYPE_CHECKING:
    from csckpi.commentary import Shown
    from csckpi.dataset import Dataset
    from csckpi.facts import Comparison
    from csckpi.periods import Month, Period
    from csckpi.report_spc import PanelSpc
    from csckpi.spc import SpcOptions

DEFAULT_REPORT_NAME = "Children's Social Care Performance Report"

#: What the overview's RAG and Direction columns mean, printed under the table: a committee
#: reader otherwise sees "Up" beside "Improved" and blank cells with no reason.
OVERVIEW_KEY = (
    "RAG: the figure against its target (Green met, Amber within its tolerance, Red missed). "
    "Direction: the figure against the same period last year, Improved or Worsened where a "
    "higher or a lower figure is better, Up or Down where neither is. A blank RAG or Direction: "
    "no target, no figure for the period, or none for last year."
)

#: The last part's heading: the source, each indicator's notes, for the analyst.
APPENDIX = "Appendix: notes for the analyst"

RowKind = Literal["target", "month", "annual", "spc"]
#: Who reads the report: the committee (the default) or the analyst who made it.
ReportAudience = Literal["committee", "analyst"]
ChartKind = Literal["line", "bar"]


@dataclass(frozen=True)
class Panel:
    """One indicator's chart: the year's months against its target and last year."""

    code: str
    title: str
    unit: Unit
    kind: ChartKind  # line for percentages, rates and numbers; bars for counts
    months: tuple[str, ...]  # axis labels, "Apr" .. "Mar"
    this_year: tuple[float | None, ...]  # one per month; None where there is no figure (yet)
    last_year: tuple[float | None, ...]
    this_label: str  # "2020/21"
    last_label: str  # "2019/20"
    target: float | None
    decimals: int
    y_label: str  # "%", "Number", "Rate per 10,000 aged 0–17"
    spc: PanelSpc | None = None  # statistical process control, when there is something to show

    @property
    def heading(self) -> str:
        return f"{self.code}: {self.title}"


@dataclass(frozen=True)
class Chart:
    """One section's chart: a panel per indicator, drawn as one figure."""

    id: str  # unique in the document (used for SVG ids and file names)
    title: str
    panels: tuple[Panel, ...]


@dataclass(frozen=True)
class Column:
    """An indicator as a column of the month table."""

    code: str
    title: str
    unit: Unit
    decimals: int


@dataclass(frozen=True)
class TableRow:
    kind: RowKind
    label: str  # "Target", "Apr-20", "2019/20", "2020/21 YTD"
    cells: tuple[str, ...]  # formatted for reading, "" where there is no figure
    values: tuple[float | None, ...]  # the same figures unformatted (for spreadsheets)
    future: bool = False  # a month after the report's period: blank, still to come


@dataclass(frozen=True)
class Section:
    name: str
    id: str  # a slug, unique in the report
    definition: tuple[str, ...]  # paragraphs
    analysis: tuple[str, ...]  # paragraphs of performance analysis
    columns: tuple[Column, ...]
    rows: tuple[TableRow, ...]  # target row, the year's twelve months, annual trend rows
    chart: Chart
    #: the service's own words on its indicators for the period (csckpi.commentary), shown
    #: after the analysis and apart from it
    commentary: tuple[Shown, ...] = ()


@dataclass(frozen=True)
class OverviewRow:
    section: str
    code: str
    title: str
    value: str  # formatted, "" when the period has no figure (a cumulative count: its flow)
    ytd: str  # the year to date at the period's end, formatted
    target: str
    rag: str | None  # "green" | "amber" | "red" | None
    direction: str | None  # "improved", "worsened", "unchanged", "up", "down" or None
    raw_value: float | None
    raw_ytd: float | None
    raw_target: float | None
    unit: Unit
    decimals: int


@dataclass(frozen=True)
class Report:
    title: str  # the report's name
    council: str | None
    period: str  # "Q3 2020/21"
    period_long: str  # "Quarter 3 (October – December 2020)", as the cover names it
    #: the summary's heading, as ``narrate --summary`` writes it without the council's name
    #: (the cover gives it): "Performance Summary: Quarter 3 2020/21 (October to December 2020)"
    summary_heading: str
    generated: dt.date
    source: str  # workbook file name or store path
    sha256: str | None
    overview: tuple[OverviewRow, ...]
    summary: tuple[tuple[str, str], ...]  # (heading, paragraph text)
    sections: tuple[Section, ...]
    #: the appendix for the analyst: (indicator heading, its notes) — where figures come from,
    #: reconciliations with the workbook, why a period has no figure; never in the committee text
    notes: tuple[tuple[str, str], ...] = ()
    #: under ``--publish``: what was withheld and why (docs/publishing.md); None: all shown
    disclosure: str | None = None
    #: under ``--publish``: how many figures the report writes `c`, and how many of the
    #: service's comments it would have shown are left out (said on the command line too)
    withheld: int = 0
    comments_left_out: int = 0
    messages: tuple[str, ...] = ()  # the key messages, ranked (csckpi.narrate.messages)
    #: the committee's report keeps where the figures come from to its appendix and names no
    #: comment's author; the analyst's has both on the cover and beside each comment
    audience: ReportAudience = "committee"

    @property
    def charts(self) -> tuple[Chart, ...]:
        return tuple(section.chart for section in self.sections)

    @property
    def provenance(self) -> tuple[tuple[str, str], ...]:
        """Where the figures come from, (label, text): the workbook or the store's latest
        ingest, and its SHA-256 — for the analyst, not the committee."""
        rows = [("Source", self.source)] if self.source else []
        if self.sha256:
            rows.append(("SHA-256", self.sha256))
        return tuple(rows)

    @property
    def cover_provenance(self) -> tuple[tuple[str, str], ...]:
        """The provenance the title block shows: the analyst's report only."""
        return self.provenance if self.audience == "analyst" else ()

    @property
    def appendix_provenance(self) -> tuple[tuple[str, str], ...]:
        """The provenance the appendix shows: the committee's report keeps it there."""
        return () if self.audience == "analyst" else self.provenance

    @property
    def has_appendix(self) -> bool:
        """Whether the report ends with its appendix for the analyst."""
        return bool(self.notes or self.appendix_provenance)

    def byline(self, said: Shown) -> str:
        """What a comment is signed with: when it was written (and where it is carried
        forward from); who wrote it only in the analyst's report, since the author is a
        login name or an officer's, not the service's."""
        return said.about if self.audience == "analyst" else said.dated

    @property
    def has_commentary(self) -> bool:
        return any(section.commentary for section in self.sections)


def chart_caption(section: Section) -> str:
    """Says what a section's chart draws, and only that: no last year or target where there
    is none ("Children in Care: each month of 2020/21 against 2019/20.")."""
    panels = section.chart.panels
    if not panels:
        return ""
    text = f"{section.name}: each month of {panels[0].this_label}"
    if any(v is not None for p in panels for v in p.last_year):
        text += f" against {panels[0].last_label}"
    if any(p.target is not None for p in panels):
        text += ", with the target" if " against " in text else " against the target"
    return text + "."


# -- shared by every renderer ---------------------------------------------------------------


def y_label(unit: Unit) -> str:
    return {
        Unit.PERCENT: "%",
        Unit.COUNT: "Number",
        Unit.RATE: "Rate per 10,000 aged 0–17",
        Unit.NUMBER: "Value",
    }[unit]


def chart_kind(unit: Unit) -> ChartKind:
    return "bar" if unit is Unit.COUNT else "line"


def slug(text: str, taken: set[str] | None = None) -> str:
    """`Referrals - Re-Referrals` -> `referrals-re-referrals`, unique within ``taken``."""
    base = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "section"
    if taken is None:
        return base
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    taken.add(candidate)
    return candidate


def period_long(period: Period) -> str:
    """How the title block names the period: `Quarter 3 (October – December 2020)`."""
    from csckpi.periods import MONTH_NAMES, PeriodKind

    first, last = period.first, period.last

    def name(month: Month, year: bool) -> str:
        text = MONTH_NAMES[month.month - 1]
        return f"{text} {month.year}" if year else text

    same_year = first.year == last.year
    span = f"{name(first, not same_year)} – {name(last, True)}"
    if period.kind is PeriodKind.QUARTER:
        return f"Quarter {period.quarter} ({span})"
    if period.kind is PeriodKind.MONTH:
        return name(last, True)
    if period.kind is PeriodKind.YTD:
        return f"Year to date ({span})"
    return f"Financial year {period.label} ({span})"


# -- assembling the report -----------------------------------------------------------------


def build(
    dataset: Dataset,
    period: Period,
    *,
    generated: dt.date | None = None,
    source: str | None = None,
    sha256: str | None = None,
    spc: SpcOptions | None = None,
    publish: int | None = None,
    audience: ReportAudience = "committee",
) -> Report:
    """The report on ``period``: every indicator of ``dataset``, section by section, for
    ``audience`` (the analyst's also names the source on its cover and each comment's author).
    ``spc``: statistical process control as asked: limits and icons on each chart.
    ``publish``: for publication — counts from 1 to this, and every figure one could be worked
    out from, withheld (`c` in the tables, gaps in the charts, never in a sentence), the
    service's commentary left out, and the note in ``Report.disclosure``.

    Each indicator is compared once (``compare_many``: its figures computed once for all, its
    facts made once); the overview, the tables, the summary and the analysis all read those
    comparisons."""
    from csckpi.commentary import shown
    from csckpi.compare import compare_many
    from csckpi.compute import latest_month
    from csckpi.facts import direction_of
    from csckpi.narrate import Audience, Settings, key_messages, summary_and_analysis, title
    from csckpi.periods import PeriodKind, fy_label, fy_months
    from csckpi.report_spc import panel_spc

    indicators = sorted(dataset.indicators, key=lambda i: i.order)
    keys = [ind.key for ind in indicators]
    comparisons = compare_many(dataset, period, keys, spc)
    mark: Callable[[str, str], str | None] = _no_marks
    note = None
    written_c = left_out = 0
    if publish is not None:
        # the comments the report would have shown: the ones a published report leaves out
        left_out = len(shown(dataset.commentary, period).keys() & set(keys))
        comparisons, mark, note, written_c = _published(dataset, comparisons, publish, left_out)
    compared = {c.key: c for c in comparisons}

    # each indicator's months of this year (to the period's end) and last year
    fy = period.fy
    this_months, last_months = fy_months(fy), fy_months(fy - 1)
    end = period.last
    by_month: dict[str, dict[dt.date, float | None]] = {
        c.key: {
            point.month.date: point.value
            for point in (*c.months, *c.last_year_months)
            if point.month <= end
        }
        for c in comparisons
    }

    # the annual trend: finished years before this one, then this year to the period's end,
    # one row per year: where an indicator has no year to date, the workbook's own figure for
    # the year still running (compute's `2020/21`, at the latest month) in its column of the
    # year's row, labelled as every other section's (the reference report's one 2020/21 row)
    years: dict[str, dict[str, float | None]] = {}
    labels: dict[str, int] = {}
    ytd_label = fy_label(fy) if period.last.month == 3 else f"{fy_label(fy)} YTD"
    at_latest = latest_month(dataset) == period.last
    running: dict[str, float | None] = {}  # by key: the workbook's own figure for the year running
    for c in comparisons:
        for point in c.annual:
            if point.fy < fy:
                years.setdefault(c.key, {})[point.label] = point.value
                labels[point.label] = point.fy
            elif point.fy == fy and point.label != ytd_label and at_latest:
                running[c.key] = point.value
    labels[ytd_label] = fy
    this_year: dict[str, str] = {}  # by key: the figure name of its cell in the year's row
    for c in comparisons:
        # the year to date where there is one (or it is withheld under --publish), else the
        # workbook's figure for the year (or `c` where that is withheld)
        bare = running.get(c.key) is not None or (at_latest and mark(c.key, f"a:{fy}") is not None)
        own = c.ytd is not None or mark(c.key, "ytd") is not None or not bare
        this_year[c.key] = "ytd" if own else f"a:{fy}"
        years.setdefault(c.key, {})[ytd_label] = c.ytd if own else running.get(c.key)
    year_order = sorted(labels, key=lambda label: (labels[label], label))

    grouped: dict[str, list[Indicator]] = {}
    for ind in indicators:
        grouped.setdefault(ind.section or "Indicators", []).append(ind)

    # A cumulative count's figure is its running total (534 to date in Q3 2020/21): the
    # period's column shows the period's own count (203), the year-to-date column the total.
    by_flow = {
        ind.key
        for ind in indicators
        if ind.measure is Measure.CUMULATIVE
        and ind.unit is Unit.COUNT
        and period.kind in (PeriodKind.MONTH, PeriodKind.QUARTER)
    }

    def overview_row(ind: Indicator) -> OverviewRow:
        c = compared[ind.key]
        flow = ind.key in by_flow
        value = c.flow if flow else c.value
        direction = direction_of(c.facts.last_year_flow if flow else c.facts.last_year)
        return OverviewRow(
            section=ind.section or "Indicators",
            code=ind.code,
            title=ind.title,
            value=mark(ind.key, "flow" if flow else "value")
            or numbers.figure(value, ind.unit, ind.places),
            ytd=mark(ind.key, "ytd") or numbers.figure(c.ytd, ind.unit, ind.places),
            target=numbers.target(c.target, ind.unit, ind.places),
            rag=c.rag.value if c.rag else None,
            direction=direction.value if direction else None,
            raw_value=value,
            raw_ytd=c.ytd,
            raw_target=c.target,
            unit=ind.unit,
            decimals=ind.places,
        )

    overview = tuple(overview_row(ind) for members in grouped.values() for ind in members)

    # the committee reads the paragraphs; the analyst's notes go to the appendix
    committee = Settings(audience=Audience.COMMITTEE)
    summary: list[tuple[str, str]] = []
    previous = None
    summary_paragraphs, analysis_paragraphs = summary_and_analysis(comparisons)
    for paragraph in summary_paragraphs:
        said = paragraph.for_audience(Audience.COMMITTEE)
        if said.text.strip():  # a heading per section, as the reference report has
            summary.append((said.section if said.section != previous else "", said.text))
            previous = said.section
    analysis_of: dict[str, list[str]] = {}
    notes: list[tuple[str, str]] = []
    for paragraph in analysis_paragraphs:
        said = paragraph.for_audience(Audience.COMMITTEE)
        if said.text.strip():
            analysis_of.setdefault(said.key, []).append(said.text)
        if paragraph.analyst_notes:
            text = " ".join(s.text for s in paragraph.analyst_notes)
            notes.append((f"{paragraph.code}: {paragraph.title.rstrip('.')}", text))

    # the service's own words are not checked for small counts: a published report leaves
    # them out (the note counts them)
    offered = shown(dataset.commentary, period) if publish is None else {}
    taken: set[str] = set()
    sections = []
    for name, members in grouped.items():
        section_id = slug(name, taken)
        # the month table and the chart name an indicator by its label when it has one
        columns = tuple(Column(i.code, i.label or i.title, i.unit, i.places) for i in members)
        # the year's target as the workbook sets it (the Targets sheet's row, else Indicators')
        targets = [(compared[i.key].target_as_set, i) for i in members]
        rows: list[TableRow] = [
            TableRow(
                "target",
                "Target",
                tuple(numbers.target(t, i.unit, i.places) for t, i in targets),
                tuple(t for t, _ in targets),
            )
        ]
        controls = {i.key: panel_spc(compared[i.key], this_months) for i in members}
        if any(controls.values()):
            words = tuple(control.words if control else "" for control in controls.values())
            rows.append(TableRow("spc", "SPC", words, tuple(None for _ in members)))
        for month in this_months:
            values = tuple(by_month.get(i.key, {}).get(month.date) for i in members)
            row = _row("month", month.short, values, members, month > period.last)
            marks = [mark(i.key, f"m:{month.iso}") for i in members]
            rows.append(_marked(row, marks, publish is not None and not row.future))
        annual_rows = [
            (label, tuple(years.get(i.key, {}).get(label) for i in members)) for label in year_order
        ]
        for label, values in annual_rows:
            withheld = [
                mark(i.key, f"a:{labels[label]}" if label != ytd_label else this_year[i.key])
                for i in members
            ]
            # the year's own row is shown even when empty
            if any(v is not None for v in values) or any(withheld) or label == ytd_label:
                row = _row("annual", label, values, members)
                rows.append(_marked(row, withheld, publish is not None))
        panels = tuple(
            Panel(
                code=i.code,
                title=i.label or i.title,
                unit=i.unit,
                kind=chart_kind(i.unit),
                months=tuple(m.short[:3] for m in this_months),
                this_year=tuple(by_month.get(i.key, {}).get(m.date) for m in this_months),
                last_year=tuple(by_month.get(i.key, {}).get(m.date) for m in last_months),
                this_label=fy_label(fy),
                last_label=fy_label(fy - 1),
                target=_month_target(compared[i.key]),
                decimals=i.places,
                y_label=y_label(i.unit),
                spc=controls[i.key],
            )
            for i in members
        )
        definitions = tuple(dict.fromkeys(i.definition.strip() for i in members if i.definition))
        analysis = tuple(text for i in members for text in analysis_of.get(i.key, []))
        sections.append(
            Section(
                name=name,
                id=section_id,
                definition=definitions,
                analysis=analysis,
                columns=columns,
                rows=tuple(rows),
                chart=Chart(section_id, name, panels),
                commentary=tuple(offered[i.key] for i in members if i.key in offered),
            )
        )

    return Report(
        title=dataset.context.get("report_name") or DEFAULT_REPORT_NAME,
        council=dataset.context.council,
        period=period.label,
        period_long=period_long(period),
        summary_heading=title(period, summary=True),
        generated=generated or dt.date.today(),
        source=source if source is not None else dataset.source,
        sha256=sha256,
        overview=overview,
        summary=tuple(summary),
        sections=tuple(sections),
        notes=tuple(notes) if publish is None else (),
        disclosure=note,
        withheld=written_c,
        comments_left_out=left_out,
        # the key messages read the same comparisons, checked as the paragraphs are
        messages=tuple(m.text for m in key_messages(comparisons, committee)),
        audience=audience,
    )


def _no_marks(key: str, name: str) -> str | None:
    return None


def _published(
    dataset: Dataset, comparisons: list[Comparison], threshold: int, comments: int
) -> tuple[list[Comparison], Callable[[str, str], str | None], str, int]:
    """The comparisons with every figure withheld taken out, what a figure is written as
    when withheld (key, figure name -> `c`, or None), the note (saying ``comments`` of the
    service's are left out) and how many figures are written `c`."""
    from csckpi.compute import monthly_values
    from csckpi.publish.comparisons import comparisons as withheld

    keys = [c.key for c in comparisons]
    shown, found = withheld(comparisons, threshold, monthly_values(dataset, keys))

    def mark(key: str, name: str) -> str | None:
        symbol = found.mark(key, name)
        return None if symbol is None else numbers.symbol(symbol)

    note = found.without_commentary(comments).note + (
        " The analyst's notes (where figures come from, reconciliations with the workbook) are "
        "left out."
    )
    return shown, mark, note, found.suppression.count()


def _marked(row: TableRow, marks: list[str | None], published: bool) -> TableRow:
    """``row`` with each withheld cell written `c`, and (published) each empty one `x`."""
    if not published:
        return row
    cells = tuple(
        found or (cell if cell else numbers.symbol(numbers.Symbol.NOT_AVAILABLE))
        for cell, found in zip(row.cells, marks, strict=True)
    )
    return dataclasses.replace(row, cells=cells)


def _month_target(c: Comparison) -> float | None:
    """The target a month's figure is set against on the chart: the year's, unless it is for
    a quarter or a year of a figure that grows with its period (then no line is drawn)."""
    if c.span is not None and c.target_per in ("quarter", "year"):
        return None
    return c.target_as_set


def _row(
    kind: RowKind,
    label: str,
    values: tuple[float | None, ...],
    members: list[Indicator],
    future: bool = False,
) -> TableRow:
    cells = tuple(numbers.number(v, i.places) for v, i in zip(values, members, strict=True))
    return TableRow(kind, label, cells, values, future)
