"""`csckpi narrate`."""

from __future__ import annotations

from pathlib import Path
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
    err,
    format_option,
    handles_errors,
    load_dataset,
    publish_note,
    publish_threshold,
    spc_options,
)
from csckpi.render.outputs import NARRATIVE


@app.command()
@handles_errors
def narrate(
    period: PeriodOption = None,
    indicator: IndicatorOption = None,
    section: SectionOption = None,
    summary: Annotated[
        bool,
        typer.Option(
            "--summary",
            help="The key messages, then a paragraph per notable indicator headed by its "
            "section (the report's Performance Summary has one for every indicator, as --all "
            "gives); without it, the fuller analysis of each indicator.",
        ),
    ] = False,
    everything: Annotated[
        bool,
        typer.Option(
            "--all",
            help="With --summary: a paragraph for every indicator, not only those with "
            "something notable (indicators chosen with -i or -s are always given).",
        ),
    ] = False,
    fmt: Annotated[str, format_option(NARRATIVE)] = NARRATIVE.default.name,
    comparable: Annotated[
        str | None,
        typer.Option(
            "--comparable",
            metavar="N[/P]",
            help="A change up to N% of the earlier figure (a percentage's: and up to P "
            "percentage points) is 'comparable'. One number sets both. Default 1/0.5.",
        ),
    ] = None,
    slight: Annotated[
        str | None,
        typer.Option(
            "--slight",
            metavar="N[/P]",
            help="A change up to N% (counts, rates) or P points (percentages) is 'slight'. "
            "Default 5/1.",
        ),
    ] = None,
    by_points: Annotated[
        bool,
        typer.Option(
            "--by-points",
            help="Judge a percentage's change by its points alone (--comparable P, --slight "
            "P), not also in proportion to the earlier figure.",
        ),
    ] = False,
    small: Annotated[
        int,
        typer.Option(
            "--small",
            min=0,
            metavar="<cases>",
            help="Add a word of caution when a percentage rests on fewer cases than this.",
        ),
    ] = 10,
    patterns: Annotated[
        Path | None,
        typer.Option(
            "--patterns",
            help="A TOML file of sentence patterns (see docs/narrative.md).",
            dir_okay=False,
        ),
    ] = None,
    audience: Annotated[
        str,
        typer.Option(
            "--audience",
            metavar="committee|analyst",
            help="Who reads it: 'analyst' (the default here) adds where the figures come from "
            "and why a period has none; 'committee' (the report's) leaves those notes out.",
        ),
    ] = "analyst",
    plain: Annotated[
        bool,
        typer.Option(
            "--plain",
            help="The same words for the same kind of sentence in every paragraph and every "
            "month, for a diff month to month (default: deterministic varied phrasing, so "
            "paragraphs do not all share one shape).",
        ),
    ] = False,
    check: Annotated[
        bool,
        typer.Option(
            "--check",
            help="Only check: write every sentence (summary and analysis) and re-derive each "
            "number, relation, period and run length from the data; exit 1 naming any that "
            "disagree.",
        ),
    ] = False,
    spc_rules: SpcRulesOption = None,
    spc_baseline: SpcBaselineOption = None,
    spc_shift: SpcShiftOption = None,
    spc_trend: SpcTrendOption = None,
    workbook: WorkbookOption = None,
    store: StoreOption = DEFAULT_STORE,
    publish: PublishOption = False,
    suppress_below: SuppressBelowOption = None,
) -> None:
    """The performance-analysis sentences, written from the data: with a sentence where the
    period's last month is a signal (SPC). Default period: the latest quarter whose three
    months all have figures."""
    from csckpi.commentary import shown
    from csckpi.narrate import (
        Audience,
        KeyMessage,
        PatternSet,
        Settings,
        Thresholds,
        load_patterns,
        title,
    )
    from csckpi.render.formats import emit
    from csckpi.render.outputs import Narrative

    try:
        limits = Thresholds().with_text(comparable, slight)
        if by_points:
            limits = limits.by_points()
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--comparable / --slight") from None
    spc = spc_options(spc_rules, spc_baseline, spc_shift, spc_trend)
    try:
        reader = Audience(audience.strip().lower())
    except ValueError:
        raise typer.BadParameter(
            f"'{audience}' is not an audience; use committee or analyst.", param_hint="--audience"
        ) from None
    settings = Settings(
        audience=reader,
        thresholds=limits,
        small_denominator=small,
        patterns=load_patterns(patterns) if patterns is not None else PatternSet(),
        vary=not plain,
    )
    kpi = load_dataset(store, workbook)
    when = kpi.quarter(period)
    dataset = kpi.dataset
    chosen = (indicator or (), section or ())
    if check:
        checked = kpi.check(when, *chosen, settings=settings, spc=spc)
        typer.echo(
            f"Checked {checked.sentences} sentences and {checked.messages} key messages "
            f"({checked.facts} facts) of {checked.indicators} indicators for {when.label} "
            "against the data: no disagreements."
        )
        return
    messages: tuple[KeyMessage, ...] = ()
    quiet: tuple[str, ...] = ()
    threshold = publish_threshold(publish, suppress_below)
    publisher = kpi.publisher(threshold) if threshold is not None else None
    if summary:
        # indicators or sections chosen by name are each said, notable or not
        said = kpi.summarise(
            when, *chosen, settings=settings, everything=everything, spc=spc, publish=publisher
        )
        paragraphs, messages, quiet = list(said.paragraphs), said.messages, said.quiet
    else:
        paragraphs = kpi.narrate(
            when, *chosen, summary=False, settings=settings, spc=spc, publish=publisher
        )
    published = None
    if publisher is not None and publisher.publication is not None:
        # the comments these paragraphs would have shown: a published narrative leaves them out
        offered = shown(dataset.commentary, when).keys()
        left_out = len({p.key for p in paragraphs} & offered)
        published = publisher.publication.without_commentary(left_out)
    settings_used = limits.as_dict() | {
        "small_denominator": small,
        "audience": reader.value,
        "phrasing": "plain" if plain else "varied",
    }
    emit(
        NARRATIVE[fmt],
        Narrative(
            paragraphs,
            when.label,
            title(when, summary, dataset.context.council),
            summary,
            dataset.context.council,
            settings_used,
            messages=messages,
            quiet=quiet,
            publish=published,
        ),
    )
    if published is not None:
        withheld = published.suppression.count()
        err(
            f"Published {len(paragraphs)} paragraphs for {when.label}: "
            + publish_note(withheld, left_out, written="withheld (no sentence states them)")
            + "."
        )
