"""Clauses of notes: where the figure comes from (the workbook's own, or worked out from a
count), a caution when a percentage rests on very few cases, and what to say when the period
has no figure."""

from __future__ import annotations

from csckpi import numbers
from csckpi.disclosure import WITHHELD
from csckpi.model import Measure, Relation, Unit
from csckpi.narrate import words as w
from csckpi.narrate.context import Context, note_period
from csckpi.narrate.records import EMPTY, Clause, Fact, Sentence
from csckpi.narrate.runs import months
from csckpi.periods import PeriodKind


def reported(ctx: Context) -> Clause:
    """Where the workbook's own figure for the period differs from the one computed from its
    months, or derived from the children's records."""
    c = ctx.c
    if c.basis != "differs" or c.reported is None or c.value is None:
        return EMPTY
    fact = Fact(
        "reported",
        c.value,
        ctx.fig(c.value),
        c.period.label,
        comparator="reported",
        other=c.reported,
        other_shown=ctx.fig(c.reported),
    )
    if c.from_records and c.value == c.reported:  # the records give none: the workbook's
        text = (
            f"{w.capitalise(RECORDS)} give no figure for {ctx.when()}; "
            f"the {ctx.fig(c.value)} here is the workbook's own"
        )
    elif ctx.unit is Unit.RATE and c.numerator is not None:
        base = f"the count of {numbers.count(c.numerator)}"
        if c.from_records:
            base += f" in {RECORDS}"
        base += " and the 0-17 population"
        if c.population is not None:
            base += f" of {numbers.count(c.population)}"
        text = (
            f"The workbook's own figure for {ctx.when()} is {ctx.fig(c.reported)}; "
            f"the {ctx.fig(c.value)} here is worked out from {base}"
        )
    elif ctx.ind.measure is Measure.FLOW and c.period.kind is not PeriodKind.MONTH:
        parts = w.capitalise(RECORDS) if c.from_records else "The months"
        text = (
            f"{parts} add up to {ctx.fig(c.value)}, but the workbook reports "
            f"{ctx.fig(c.reported)} for {c.period.label}"
        )
    elif c.from_records:
        text = (
            f"The workbook's own figure for {ctx.when()} is {ctx.fig(c.reported)}; "
            f"the {ctx.fig(c.value)} here is from {RECORDS}"
        )
    else:
        text = (
            f"The workbook's own figure for {ctx.when()} is {ctx.fig(c.reported)}, "
            f"not the {ctx.fig(c.value)} its months give"
        )
    return Clause(text, (fact,))


#: Where a figure derived from the Annex A lists comes from, as compute's note says it.
RECORDS = "the children's records (Annex A)"


def basis(ctx: Context) -> Clause:
    """Where the figure is the workbook's own, not computed from the months: say so."""
    c, s = ctx.c, ctx.subject
    if s is None or s.is_ytd or c.basis != "reported" or c.value is None:
        return EMPTY
    text = f"The {ctx.when()} figure is the workbook's own"
    if c.period.kind is not PeriodKind.MONTH:
        if ctx.ind.measure is Measure.RATIO:
            text += ": it cannot be worked out from the monthly percentages"
        elif ctx.ind.measure.value == "distinct":
            text += ": it counts each one once, however many months they appear in"
    fact = Fact("reported", c.value, ctx.fig(c.value), c.period.label, comparator="reported")
    return Clause(text, (fact,))


def parts(ctx: Context) -> Clause:
    """A rate's count and population (a percentage's parts are beside its figure)."""
    c, s = ctx.c, ctx.subject
    if s is None or s.is_ytd or c.numerator is None or ctx.unit is not Unit.RATE:
        return EMPTY
    if ctx.clause(reported):
        return EMPTY  # said there
    shown = numbers.count(c.numerator)
    text = f"The rate is worked out from a count of {shown}"
    if c.population is not None:
        text += f" and the 0-17 population of {numbers.count(c.population)}"
    return Clause(text, (Fact("parts", c.numerator, shown),))


def caution(ctx: Context) -> Clause:
    """A warning when a percentage rests on fewer cases than the settings' small limit."""
    c, s = ctx.c, ctx.subject
    limit = ctx.settings.small_denominator
    if s is None or s.is_ytd or ctx.unit is not Unit.PERCENT or c.denominator is None:
        return EMPTY
    if not 0 < c.denominator < limit:
        return EMPTY
    n = numbers.count(c.denominator)
    step = numbers.points(100 / c.denominator, Unit.PERCENT, 1, long=True)
    noun = "case" if n == "1" else "cases"
    text = (
        f"This percentage rests on only {n} {noun}, so each case moves it by {step}; "
        "read it with care"
    )
    fact = Fact("caution", c.denominator, n, c.period.label, other=limit, relation=Relation.BELOW)
    return Clause(text, (fact,))


def missing(ctx: Context) -> list[Sentence]:
    """What to say when the period has no figure, in plain words (the precise reason is
    the fact's ``reason``), and the months it does have."""
    c = ctx.c
    reason = c.reason or "no figure is reported and none can be computed"
    fact = Fact("missing", period=c.period.label, reason=reason)
    short = short_subject(ctx)
    name = short or "this indicator"
    period = c.period
    when = note_period(period)
    points = [m for m in c.months if period.contains(m.month)]
    have = [m for m in points if m.value is not None]
    gaps = [m.month for m in points if m.value is None]
    if c.reason == WITHHELD:  # --publish: a small count, or one could be worked out from it
        text = f"The {when} figure for {name} is withheld under disclosure control."
    elif period.kind is PeriodKind.MONTH or not have:
        text = f"The workbook has no {when} figure for {name}."
    elif gaps:
        last_year = points[-1].month.year
        names = w.join([w.month_name(m, m.year != last_year or m == gaps[-1]) for m in gaps])
        text = f"The workbook has no figure for {names}, so there is no {when} figure for {name}."
    else:
        text = f"The workbook gives {name} month by month only, so there is no {when} figure."
    out = [Sentence(w.capitalise(text), "missing", (fact,), analyst=True)]
    said = ctx.clause(months)
    if said:
        if short:
            text = _named(said.text, short)
        elif ctx.subject is None and ctx.phrase:  # said as the paragraph's other sentences are
            text = _in_its_words(ctx, said.text)
        else:  # after the year to date, which names the subject
            text = said.text
        out.append(Sentence(f"{text}.", "months", said.facts))
    return out


#: The longest subject said in full for a period with no figure: a longer one is the title
#: pasted in ("the percentage of cases recorded in the Safeguarding Unit workbook where ...").
SHORT_SUBJECT = 60


def short_subject(ctx: Context) -> str | None:
    """What a paragraph with no figure for the period names its indicator: the workbook's
    label (`the figure for re-referrals`), else its title as a noun when that is short (`the
    percentage of referrals that are re-referrals`); None when it is not (the title would be
    pasted in)."""
    label = " ".join(ctx.ind.label.split())
    if label:
        return f"the figure for {label}"
    name = _without_monthly(w.subject(ctx.ind.title))
    return name if len(name) <= SHORT_SUBJECT else None


def _in_its_words(ctx: Context, text: str) -> str:
    """The months sentence in the words the indicator's other sentences use: `87.5% of
    children had their conference within 15 working days in April, 100.0% in May and ...`."""
    for start, _verb in _MONTHS_STARTS:
        if text.startswith(start):
            first, _, rest = text[len(start) :].partition(" ")
            break
    else:
        return text
    phrase = ctx.phrase
    if ctx.unit is Unit.RATE and not w.has_verb(phrase):
        body = f"{ctx.c.council or 'the council'} had a rate of {first} {phrase} {rest}"
    elif w.has_verb(phrase) or ctx.unit is Unit.PERCENT:
        body = f"{first} {phrase} {rest}"
    else:
        body = f"there were {first} {phrase} {rest}"
    if text.startswith("The year to date "):
        body = f"year to date, {body}"
    return w.capitalise(body)


#: How the months sentence starts, and how it reads with the indicator's name instead.
_MONTHS_STARTS = (
    ("The monthly figures were ", "was"),
    ("The month-end figures were ", "was"),
    ("The year to date stood at ", "stood at"),
)


def _named(text: str, name: str) -> str:
    """The months sentence with its subject named, for a paragraph with no figure for the
    period to head it: `The percentage of referrals that are re-referrals was 13.1% in
    October, ...`."""
    for start, verb in _MONTHS_STARTS:
        if text.startswith(start):
            return f"{w.capitalise(name)} {verb} {text[len(start) :]}"
    return text


def _without_monthly(name: str) -> str:
    """`the monthly percentage of ... (monthly)` -> `the percentage of ...` (said beside
    "month by month")."""
    name = name.replace(" (monthly)", "").replace(" (Monthly)", "")
    for start in ("the monthly ", "the Monthly "):
        if name.startswith(start):
            name = "the " + name[len(start) :]
    return name
