"""`csckpi compare`."""

from __future__ import annotations

from typing import Annotated

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
    format_option,
    handles_errors,
    load_dataset,
    publish_threshold,
    spc_options,
)
from csckpi.render.outputs import COMPARISON


@app.command()
@handles_errors
def compare(
    indicator: IndicatorOption = None,
    section: SectionOption = None,
    period: PeriodOption = None,
    workbook: WorkbookOption = None,
    store: StoreOption = DEFAULT_STORE,
    fmt: Annotated[str | None, format_option(COMPARISON, show_default=False)] = None,
    spc_rules: SpcRulesOption = None,
    spc_baseline: SpcBaselineOption = None,
    spc_shift: SpcShiftOption = None,
    spc_trend: SpcTrendOption = None,
    publish: PublishOption = False,
    suppress_below: SuppressBelowOption = None,
) -> None:
    """One indicator against everything it is judged by: target and RAG, statistical
    neighbours, region, England, the same period last year, the annual trend, the months and
    its control chart (SPC)."""
    from csckpi.narrate import verdict
    from csckpi.render.formats import emit
    from csckpi.render.outputs import Comparisons

    if not indicator and not section:
        raise typer.BadParameter(
            "give an indicator (--indicator CSC038) or a section (--section 'Child Protection').",
            param_hint="--indicator / --section",
        )
    spc = spc_options(spc_rules, spc_baseline, spc_shift, spc_trend)
    kpi = load_dataset(store, workbook)
    comparisons = kpi.compare(period, indicator or (), section or (), spc=spc)
    threshold = publish_threshold(publish, suppress_below)
    published = None
    if threshold is not None:
        comparisons, published = kpi.publish_comparisons(comparisons, threshold)
    verdicts = [verdict(c) for c in comparisons]
    emit(choose_format(COMPARISON, fmt), Comparisons(comparisons, verdicts, published))
