"""`csckpi compute`."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from csckpi.cli.common import (
    DEFAULT_STORE,
    IndicatorOption,
    PeriodOption,
    PublishOption,
    SectionOption,
    SpcBaselineOption,
    SpcRulesOption,
    SpcShiftOption,
    SpcTrendOption,
    StoreOption,
    SuppressBelowOption,
    WorkbookOption,
    app,
    choose_format,
    err,
    format_option,
    handles_errors,
    load_dataset,
    output_option,
    publish_note,
    publish_threshold,
    replacing,
    spc_options,
    to_stdout,
)
from csckpi.cli.records import MapOption, RecordsOption
from csckpi.render.outputs import SCORECARD
from csckpi.render.problems import count

if TYPE_CHECKING:
    import polars as pl

    from csckpi.periods import Period

#: Exit code when an indicator is at or worse than --fail-on.
EXIT_FAIL_ON = 3


class By(StrEnum):
    TEAM = "team"
    WORKER = "worker"


class FailOn(StrEnum):
    RED = "red"
    AMBER = "amber"


@app.command("compute")
@handles_errors
def compute_command(
    period: PeriodOption = None,
    indicator: IndicatorOption = None,
    section: SectionOption = None,
    fmt: Annotated[str | None, format_option(SCORECARD, show_default=False)] = None,
    output: Annotated[Path | None, output_option(SCORECARD)] = None,
    fail_on: Annotated[
        FailOn | None,
        typer.Option(
            "--fail-on",
            help="Exit with code 3 when any indicator shown is at or worse than this RAG.",
        ),
    ] = None,
    spc_rules: SpcRulesOption = None,
    spc_baseline: SpcBaselineOption = None,
    spc_shift: SpcShiftOption = None,
    spc_trend: SpcTrendOption = None,
    legend: Annotated[
        bool, typer.Option("--legend", help="Say what the columns mean, under the table.")
    ] = False,
    workbook: WorkbookOption = None,
    store: StoreOption = DEFAULT_STORE,
    by: Annotated[
        By | None,
        typer.Option(
            "--by",
            help="Figures from an Annex A extract, team by team or worker by worker (read from "
            "the extract again: docs/records.md).",
        ),
    ] = None,
    map_file: MapOption = None,
    records: RecordsOption = None,
    publish: PublishOption = False,
    suppress_below: SuppressBelowOption = None,
) -> None:
    """Every indicator for a period: value, target and RAG, last year, previous period, year to
    date, the last 12 months, and whether its latest month is a signal or noise (SPC)."""
    kind = choose_format(SCORECARD, fmt, output)
    spc = spc_options(spc_rules, spc_baseline, spc_shift, spc_trend)
    from csckpi.render import scorecard
    from csckpi.render.formats import emit
    from csckpi.render.outputs import Scorecard

    if by is not None:
        from csckpi.api import Performance
        from csckpi.cli.records import dataset_by

        by_team = dataset_by(
            store,
            by.value,
            codes=indicator or [],
            sections=section or [],
            map_file=map_file,
            records=records,
            as_at=None,
        )
        kpi, indicator, section = Performance(by_team, store), None, None
    else:
        kpi = load_dataset(store, workbook)
    when = kpi.period(period)
    frame, window = kpi.scorecard(
        when, indicator or (), section or (), spc=spc, months=scorecard.TREND_MONTHS
    )
    title = scorecard.heading(when.label, kpi.dataset.context.council, kpi.dataset.source)
    from_records = kpi.dataset.records_keys(when.first.date, when.last.date)
    threshold = publish_threshold(publish, suppress_below)
    published = None
    if threshold is not None:
        whole = None
        if by is not None:
            # The teams add up to the whole, which the published scorecard shows.
            whole = _whole(frame, store, workbook, when)
        published = kpi.publish_scorecard(frame, when, threshold, months=window, whole=whole)
        window = published.trend(window)
    trends = scorecard.trends(window, when.last)
    replaced = "" if to_stdout(output) else replacing(output)
    emit(kind, Scorecard(frame, trends, title, legend, from_records, published), output)
    left_out = "" if published is None else publish_note(published.suppression.count())
    if not to_stdout(output):
        err(
            f"Wrote {frame.height} indicators for {when.label} to {output}{replaced}"
            + (f"; {left_out}." if left_out else ".")
        )
    elif left_out:
        err(f"Published {frame.height} indicators for {when.label}: {left_out}.")

    if fail_on is not None:
        failing = {"red"} if fail_on is FailOn.RED else {"red", "amber"}
        rags = frame.get_column("rag").to_list()
        if any(rag in failing for rag in rags):
            codes = [c for c, r in zip(frame.get_column("code"), rags, strict=True) if r in failing]
            what = count(len(codes), "indicator")
            err(f"{what} at or worse than {fail_on.value}: {', '.join(codes)}.")
            raise typer.Exit(EXIT_FAIL_ON)


def _whole(frame: pl.DataFrame, store: str, workbook: Path | None, when: Period) -> pl.DataFrame:
    """The figures of a breakdown's codes, as `compute --publish` shows them."""
    from csckpi.publish.breakdown import SEPARATOR

    codes = sorted({code.split(SEPARATOR)[0] for code in frame.get_column("code").to_list()})
    whole: pl.DataFrame = load_dataset(store, workbook).compute(when, codes)
    return whole
