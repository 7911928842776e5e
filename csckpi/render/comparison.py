"""One indicator against everything it is judged by, as a block of text, rich, JSON, CSV or
Markdown.

The block is built once as lines of styled spans: joined plainly it is the text written to a
pipe (and the golden files); with its styles it is what a terminal shows. Nothing relies on
colour: every judgement is written in words, and the month chart is bars of block characters
with the value beside each and the target marked with ``│``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from csckpi import numbers
from csckpi.facts import Comparison
from csckpi.model import Indicator, Judged, Measure, Polarity, Unit
from csckpi.periods import PeriodKind, fy_label
from csckpi.render.tables import to_delimited, to_json, to_markdown

if TYPE_CHECKING:
    from csckpi.publish import Publication

Span = tuple[str, str]  # (text, rich style)
Line = list[Span]

CHART_WIDTH = 30
TARGET_MARK = "│"
_EIGHTHS = " ▏▎▍▌▋▊▉"
_POLARITY_WORDS = {
    Polarity.UP: "higher is better",
    Polarity.DOWN: "lower is better",
    Polarity.NONE: "no polarity: a movement, not a judgement",
}
_UNIT_WORDS = {
    Unit.PERCENT: "percent",
    Unit.COUNT: "count",
    Unit.RATE: "rate per 10,000 children aged 0-17",
    Unit.NUMBER: "number",
}
_RELATION_WORDS = {"above": "higher", "below": "lower", "in line": "in line"}
#: How the indicator's months make a period's figure, for a reader who has not read the
#: workbook's `measure` column (docs/workbook.md).
_MEASURE_WORDS = {
    Measure.FLOW: "each month's count; a longer period adds them up",
    Measure.RATIO: "each month's own; a longer period pools them",
    Measure.SNAPSHOT: "as at each month's end",
    Measure.CUMULATIVE: "year to date: each month holds the year so far",
    Measure.DISTINCT: "people counted once in the period",
}
#: Abbreviations a benchmark's source may use, written out under the figures where one is.
_SOURCES = {
    "LAIT": "the Local Authority Interactive Tool, the Department for Education's figures "
    "for every council",
}


# -- numbers -----------------------------------------------------------------------------------


def number(indicator: Indicator, value: float | None, *, unit: bool = True) -> str:
    """A figure as the report writes it: `85.2%`, `39.2`, `1,002`; `–` when there is none."""
    if value is None:
        return "–"
    if unit:
        return numbers.figure(value, indicator.unit, indicator.places)
    return numbers.number(value, indicator.places)


def gap(indicator: Indicator, difference: float) -> str:
    """The size of a difference: `4.8 points` for percentages, else the number."""
    return numbers.points(difference, indicator.unit, indicator.places)


def judgement(better: bool | None) -> Span | None:
    if better is None:
        return None
    return ("better", "bold green") if better else ("worse", "bold red")


def _against(indicator: Indicator, difference: float, relation: str | None) -> str:
    """`4.8 points lower`, `in line`."""
    if relation is None:
        return ""
    if relation == "in line":
        return "in line"
    return f"{gap(indicator, difference)} {_RELATION_WORDS[relation]}"


# -- published figures (--publish) --------------------------------------------------------------

#: A comparison's figures written as a symbol (figure name -> `c`); None: not published.
Marks = Mapping[str, str] | None


def _marks(publish: Publication | None, c: Comparison) -> Marks:
    return None if publish is None else publish.marks.get(c.indicator.key, {})


def shown(
    indicator: Indicator, value: float | None, marks: Marks, name: str, *, unit: bool = True
) -> str:
    """A figure, or under ``--publish`` its symbol: `c` withheld, `x` not available."""
    if marks is not None:
        if name in marks:
            return numbers.symbol(marks[name])
        if value is None:
            return numbers.symbol(numbers.Symbol.NOT_AVAILABLE)
    return number(indicator, value, unit=unit)


def _withheld_note(marks: Marks, name: str) -> list[Span] | None:
    if marks is not None and name in marks:
        return [("withheld under disclosure control", "italic")]
    return None


# -- the block ---------------------------------------------------------------------------------


def _facts(c: Comparison, marks: Marks = None) -> list[tuple[str, str, list[Span]]]:
    """The rows of the figures table: (label, figure, what it says); ``marks``: the figures
    withheld under ``--publish``."""
    ind = c.indicator
    rows: list[tuple[str, str, list[Span]]] = []
    period = c.period.label
    if c.period.kind is PeriodKind.YTD and c.period.end is not None:
        period = f"{c.period.label} to {c.period.end.short}"
    note: list[Span] = []
    if c.numerator is not None and c.denominator is not None:
        note.append((numbers.parts(c.numerator, c.denominator), ""))
    if ind.unit is Unit.RATE and c.value is not None:
        note.append(("per 10,000 children aged 0-17", "dim"))
    if c.flow is not None and c.period.kind is not PeriodKind.YTD:
        note.append((f"{numbers.count(c.flow)} in the period", "dim"))
    if c.value is None:
        note = [(f"no figure: {c.reason}" if c.reason else "no figure", "italic")]
    rows.append((period, shown(ind, c.value, marks, "value"), _join(note)))
    if c.ytd_period is not None and c.period.kind not in (PeriodKind.YTD, PeriodKind.YEAR):
        rows.append((c.ytd_period.label, shown(ind, c.ytd, marks, "ytd"), []))
    facts = c.facts
    if c.target is not None:
        note = _judged(ind, facts.value.target, c.target)
        if c.rag is not None:
            note += [(" · RAG ", ""), (c.rag.value, _RAG_STYLE[c.rag.value])]
        if c.target_as_set is not None and c.target_scale not in (None, 1.0):
            note += [(f" · {_as_set(c)}", "dim")]
        rows.append(("Target", number(ind, c.target), note))
    elif c.target_as_set is not None and c.value is not None:
        said = f"not compared: the target is {_as_set(c)}, not for {_what(c)}"
        rows.append(("Target", "–", [(said, "italic")]))
    for bench in facts.value.benchmarks:
        note = _judged(ind, bench.judged, bench.value)
        where = _source(bench.source, bench.year)
        if where:
            note += [(f" · {where}", "dim")]
        if bench.stale:
            note += [(" · out of date", "bold yellow")]
        rows.append((bench.name.capitalize(), number(ind, bench.value), note))
    if facts.value.withheld is not None:
        rows.append(("Benchmarks", "–", [(_withheld(c), "italic")]))
    if c.ranking is not None:
        from csckpi.narrate.words import ranking

        rows.append(("Among councils", "", [(ranking(c.ranking), "")]))
    if c.last_year_period is not None:
        note = _withheld_note(marks, "last_year") or _judged(ind, facts.last_year, c.last_year)
        if c.last_year_flow is not None and c.period.kind is not PeriodKind.YTD:
            flow: list[Span] = [(f"{numbers.count(c.last_year_flow)} in the period", "dim")]
            # a running total: the period's own count against last year's, as the period
            # before's ("203 is 1 lower")
            if c.flow is not None and facts.last_year_flow is not None:
                moved = _judged(ind, facts.last_year_flow, c.last_year_flow)
                flow += [(" · ", "dim"), (f"{number(ind, c.flow)} is ", ""), *moved]
            note = flow if c.last_year is None else [*note, (" · ", ""), *flow]
        rows.append(
            (
                f"Same period last year ({c.last_year_period.label})",
                shown(ind, c.last_year, marks, "last_year"),
                note,
            )
        )
    if c.previous_period is not None and c.previous_period != c.last_year_period:
        ours = c.against_previous
        judged = _withheld_note(marks, "previous") or _judged(ind, facts.previous, c.previous)
        if ours is not c.value and ours is not None:  # a running total: own counts compared
            judged = [("in the period · ", "dim"), (f"{number(ind, ours)} is ", ""), *judged]
        rows.append(
            (
                f"Period before ({c.previous_period.label})",
                shown(ind, c.previous, marks, "previous"),
                judged,
            )
        )
    return rows


def _differs(c: Comparison, marks: Marks = None) -> str | None:
    """compute's note where the figure is not the workbook's own (`72.7% from the children's
    records (Annex A); the workbook reports 85.2% for Dec-20.`); none for a withheld one."""
    if c.basis != "differs" or c.value is None or c.reported is None:
        return None
    if marks is not None and ("value" in marks or "reported" in marks):
        return None
    from csckpi.render.scorecard import differs

    ind = c.indicator
    if c.value == c.reported:  # the records give none (compute's reason says so)
        return f"{c.reason[:1].upper()}{c.reason[1:]}." if c.reason else None
    said = differs(
        number(ind, c.value),
        number(ind, c.reported),
        c.period.label,
        from_records=c.from_records,
    )
    return f"{said[:1].upper()}{said[1:]}."


def _as_set(c: Comparison) -> str:
    """`12 a month` (the target as set, where it is made a target for the period)."""
    per = c.target_per or "snapshot"
    amount = number(c.indicator, c.target_as_set)
    if per == "ytd":
        return f"{amount} for the year to date"
    return amount if per == "snapshot" else f"{amount} a {per}"


def _what(c: Comparison) -> str:
    return {"month": "a month", "quarter": "a quarter"}.get(c.period.kind.value, "this period")


def _withheld(c: Comparison) -> str:
    from csckpi.facts import Withheld

    if c.facts.value.withheld is Withheld.ONLY_LATER:
        return (
            f"none for {fy_label(c.period.fy)} or earlier (the earliest is for "
            f"{c.later_benchmarks})"
        )
    years = ", ".join(sorted({b.year for b in c.benchmarks}))
    months = c.span if c.span is not None else len(c.period.months())
    return f"not compared: the benchmarks ({years}) count a whole year, this figure {months} months"


_RAG_STYLE = {"green": "bold green", "amber": "bold yellow", "red": "bold red"}


def _judged(ind: Indicator, judged: Judged | None, theirs: float | None) -> list[Span]:
    """What a judgement says: `4.8 points lower, worse`, `in line`; `no figure` for theirs."""
    if theirs is None:
        return [("no figure", "dim")]
    if judged is None:
        return []
    spans: list[Span] = [(_against(ind, judged.difference, judged.relation), "")]
    verdict = judgement(judged.better)
    if verdict is not None:
        spans += [(", ", ""), verdict]
    return spans


def _source(source: str | None, year: str | None) -> str:
    """`LAIT 2020, for 2019/20`; the year is added only when the source does not already say
    it."""
    source, year = source or "", year or ""
    if year and year not in source:
        return f"{source}, for {year}" if source else year
    return source


def _abbreviations(c: Comparison) -> list[Line]:
    """A line for each abbreviation the benchmarks' sources use: `LAIT: the Local ...`."""
    words = {w for b in c.facts.value.benchmarks for w in (b.source or "").split()}
    return [[(f"  {short}: {long}", "dim")] for short, long in _SOURCES.items() if short in words]


def _join(spans: list[Span], sep: str = "  ") -> list[Span]:
    out: list[Span] = []
    for span in spans:
        if out:
            out.append((sep, ""))
        out.append(span)
    return out


def bar(value: float | None, scale: float, width: int = CHART_WIDTH) -> str:
    """A horizontal bar of ``width`` cells for ``value`` out of ``scale``, in eighths."""
    if value is None or scale <= 0 or value <= 0:
        return " " * width
    eighths = round(min(value, scale) / scale * width * 8)
    full, part = divmod(eighths, 8)
    return ("█" * full + (_EIGHTHS[part] if part else "")).ljust(width)


def chart(c: Comparison, width: int = CHART_WIDTH, marks: Marks = None) -> list[Line]:
    """The months of the financial year as bars, the value beside each, the target marked;
    under ``--publish`` a withheld month has no bar and `c` beside it."""
    ind = c.indicator
    values = [m.value for m in c.months if m.value is not None]
    if not values:
        return []
    # a little headroom, so the longest bar or the target never sits on the edge
    scale = max([*values, c.target or 0.0]) * (width + 2) / width
    mark = None
    if c.target is not None and scale > 0 and c.target > 0:
        mark = min(width - 1, round(c.target / scale * width))
    from csckpi.publish.comparisons import month_name

    figures = [shown(ind, m.value, marks, month_name(m.month), unit=False) for m in c.months]
    wide = max(len(f) for f in figures)
    lines: list[Line] = []
    for point, figure in zip(c.months, figures, strict=True):
        cells = bar(point.value, scale, width)
        spans: list[Span] = [(f"    {point.month.short}  ", "")]
        if mark is None:
            spans.append((cells, "cyan"))
        else:
            spans += [(cells[:mark], "cyan"), (TARGET_MARK, "bold"), (cells[mark + 1 :], "cyan")]
        spans.append((f"  {figure.rjust(wide)}", ""))
        if point.workbook is not None:  # a rate recomputed from its count
            spans.append((f"  (workbook {number(ind, point.workbook, unit=False)})", "dim"))
        lines.append(spans)
    return lines


def block(c: Comparison, verdict: str | None = None, marks: Marks = None) -> list[Line]:
    """Every line of one indicator's block, as styled spans (``marks``: under ``--publish``)."""
    ind = c.indicator
    lines: list[Line] = [
        [(ind.code, "bold"), ("  ", ""), (ind.title, "bold")],
        [
            (
                " · ".join(
                    part
                    for part in (
                        ind.section,
                        c.council or "",
                        _UNIT_WORDS[ind.unit],
                        _POLARITY_WORDS[ind.polarity],
                        _MEASURE_WORDS[ind.measure],
                    )
                    if part
                ),
                "dim",
            )
        ],
        [],
    ]
    rows = _facts(c, marks)
    label_width = max(len(r[0]) for r in rows)
    figure_width = max(len(r[1]) for r in rows)
    for label, figure, note in rows:
        line: Line = [(f"  {label.ljust(label_width)}  {figure.rjust(figure_width)}", "")]
        if note:
            line += [("  ", ""), *note]
        lines.append(line)
    said = _differs(c, marks)
    if said:
        lines.append([(f"  {said}", "dim")])
    lines += _abbreviations(c)
    if c.annual:
        lines += [[], [("  Annual trend", "bold")]]
        labels = [a.label for a in c.annual]
        from csckpi.publish.comparisons import annual_name

        figures = [shown(ind, a.value, marks, annual_name(a.fy)) for a in c.annual]
        lw, fw = max(map(len, labels)), max(map(len, figures))
        for label, figure in zip(labels, figures, strict=True):
            lines.append([(f"    {label.ljust(lw)}  {figure.rjust(fw)}", "")])
    months = chart(c, marks=marks)
    if months:
        title = f"  Months of {fy_label(c.months[0].month.fy)}"
        if c.target is not None:
            title += f" ({TARGET_MARK} marks the target, {number(ind, c.target)})"
        lines += [[], [(title, "bold")], *months]
    from csckpi.render import control_chart

    lines += control_chart.lines(c)
    if verdict:
        lines += [[], [("  ", ""), (verdict, "italic")]]
    return lines


def plain_text(
    comparisons: Sequence[Comparison],
    verdicts: Sequence[str | None],
    publish: Publication | None = None,
) -> str:
    """The blocks as plain text, a blank line between them (and the note, published)."""
    blocks = []
    for c, verdict in zip(comparisons, verdicts, strict=True):
        lines = block(c, verdict, _marks(publish, c))
        blocks.append("\n".join("".join(text for text, _ in line).rstrip() for line in lines))
    if publish is not None:
        blocks.append(publish.note)
    return "\n\n".join(blocks) + "\n" if blocks else ""


def _hanging(line: Line) -> Any:
    """A line for a terminal: one of several spans whose tail wraps in a narrow terminal wraps
    under itself, beside its first span (a label and its figure, or the verdict's indent),
    rather than back at the panel's edge."""
    from rich.table import Table
    from rich.text import Text

    head = 1
    while head < len(line) and not line[head][0].strip():  # the gap after it
        head += 1
    if head >= len(line):
        return Text.assemble(*line)
    grid = Table.grid(padding=0)
    grid.add_column(no_wrap=True)
    grid.add_column()
    grid.add_row(Text.assemble(*line[:head]), Text.assemble(*line[head:]))
    return grid


def rich_blocks(
    comparisons: Sequence[Comparison],
    verdicts: Sequence[str | None],
    publish: Publication | None = None,
) -> Any:
    """The blocks for a terminal: the same lines, styled, each indicator in a panel."""
    from rich.console import Group
    from rich.panel import Panel
    from rich.text import Text

    panels: list[Any] = []
    for c, verdict in zip(comparisons, verdicts, strict=True):
        lines = block(c, verdict, _marks(publish, c))
        body = [_hanging(line) for line in lines[1:]]
        panels.append(
            Panel(Group(*body), title=Text.assemble(*lines[0]), title_align="left", expand=False)
        )
    if publish is not None:
        panels.append(Text(publish.note, style="dim"))
    return Group(*panels)


# -- machine-readable --------------------------------------------------------------------------


def published_dict(c: Comparison, marks: Marks) -> dict[str, Any]:
    """``c.as_dict()`` with each withheld figure written `c` (months and years too)."""
    from csckpi.publish.comparisons import annual_name, month_name

    out = c.as_dict()
    if marks is None:
        return out
    for name, mark in marks.items():
        if name in out:
            out[name] = numbers.symbol(mark)
    for item, point in zip(out["months"], c.months, strict=True):
        if month_name(point.month) in marks:
            item["value"] = numbers.symbol(marks[month_name(point.month)])
    for item, year in zip(out["annual"], c.annual, strict=True):
        if annual_name(year.fy) in marks:
            item["value"] = numbers.symbol(marks[annual_name(year.fy)])
    return out


def as_json(
    comparisons: Sequence[Comparison],
    verdicts: Sequence[str | None],
    publish: Publication | None = None,
) -> str:
    found = [
        published_dict(c, _marks(publish, c)) | {"verdict": v}
        for c, v in zip(comparisons, verdicts, strict=True)
    ]
    if publish is None:
        return to_json(found)
    return to_json({"disclosure": publish.as_dict(), "comparisons": found})


def rows(
    comparisons: Sequence[Comparison], publish: Publication | None = None
) -> list[dict[str, Any]]:
    """One row per indicator and thing it is compared with (one row when there is nothing)."""
    out: list[dict[str, Any]] = []
    for c in comparisons:
        facts = published_dict(c, _marks(publish, c))  # figures as shown, as in JSON
        base = {"code": c.indicator.code, "period": c.period.label, "value": facts["value"]}
        against = facts["comparisons"] or [dict.fromkeys(("comparator", "value"))]
        for item in against:
            out.append(
                base
                | {
                    "against": item["comparator"],
                    "against_value": item["value"],
                    "source": item.get("source"),
                    "year": item.get("year"),
                    "difference": item.get("difference"),
                    "relation": item.get("relation"),
                    "better": item.get("better"),
                }
            )
    return out


def as_delimited(
    comparisons: Sequence[Comparison], delimiter: str = ",", publish: Publication | None = None
) -> str:
    text = to_delimited(rows(comparisons, publish), delimiter)
    if publish is not None:  # the note, as a comment line after the rows
        text += f"# {publish.note}\n"
    return text


def _yes_no(better: bool | None) -> str:
    return "" if better is None else ("better" if better else "worse")


def as_markdown(
    comparisons: Sequence[Comparison],
    verdicts: Sequence[str | None],
    publish: Publication | None = None,
) -> str:
    """A section per indicator: the figure, a table of what it is compared with, the annual
    trend and the months, and the verdict (and the note, published)."""
    from csckpi.publish.comparisons import annual_name, month_name

    parts = []
    for c, verdict in zip(comparisons, verdicts, strict=True):
        ind = c.indicator
        marks = _marks(publish, c)
        text = [f"## {ind.code} {ind.title}", ""]
        figure = f"**{c.period.label}: {shown(ind, c.value, marks, 'value')}**"
        if c.numerator is not None and c.denominator is not None:
            figure += f" ({numbers.parts(c.numerator, c.denominator)})"
        if c.value is None and c.reason:
            figure += f" ({c.reason})"
        if c.ytd_period is not None and c.period.kind not in (PeriodKind.YTD, PeriodKind.YEAR):
            figure += f"; {c.ytd_period.label}: {shown(ind, c.ytd, marks, 'ytd')}"
        if c.rag is not None:
            figure += f"; RAG {c.rag.value}"
        text += [figure, ""]
        said = _differs(c, marks)
        if said:
            text += [said, ""]
        table = [
            {
                "against": item["name"],
                "figure": number(ind, item["value"]),
                "source": _source(item["source"], item["year"]),
                "difference": _against(ind, item["difference"], item["relation"]),
                "judgement": _yes_no(item["better"]),
            }
            for item in c.as_dict()["comparisons"]
        ]
        if table:
            text.append(to_markdown(table).rstrip("\n"))
            text.append("")
        if c.annual:
            trend = [
                {"year": a.label, "value": shown(ind, a.value, marks, annual_name(a.fy))}
                for a in c.annual
            ]
            text += [to_markdown(trend).rstrip("\n"), ""]
        if any(m.value is not None or month_name(m.month) in (marks or {}) for m in c.months):
            months = [
                {"month": m.month.short, "value": shown(ind, m.value, marks, month_name(m.month))}
                for m in c.months
            ]
            if any(m.workbook is not None for m in c.months):
                for row, m in zip(months, c.months, strict=True):
                    row["workbook"] = "" if m.workbook is None else number(ind, m.workbook)
            text += [to_markdown(months).rstrip("\n"), ""]
        if verdict:
            text += [verdict, ""]
        parts.append("\n".join(text))
    if publish is not None:
        parts.append(publish.note + "\n")
    return "\n".join(parts)


def print_blocks(
    comparisons: Sequence[Comparison],
    verdicts: Sequence[str | None],
    publish: Publication | None = None,
) -> None:
    """The blocks on stdout through rich: a panel per indicator. (Every format, this one
    included, is listed in :data:`csckpi.render.outputs.COMPARISON`.)"""
    from rich.console import Console

    Console().print(rich_blocks(comparisons, verdicts, publish))
