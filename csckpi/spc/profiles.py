"""The named rule sets (``--spc-rules``), the settings a user may change, and baselines.

Every profile names its source; docs/spc.md compares them. A profile lists its rules in order
of precedence (the first decides a month's colour when it is in several patterns).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import replace

from csckpi.model import Indicator
from csckpi.periods import Month, parse_month, parse_month_range
from csckpi.spc.model import Change, Profile, Rule, RuleKind, SpcError, SpcOptions, SpcSettings

_OUTSIDE = Rule(RuleKind.OUTSIDE)

MDC = Profile(
    name="mdc",
    title="NHS England, Making Data Count",
    source=(
        "NHS England and NHS Improvement, 'Making data count' (2018) and 'Making data count: "
        "strengthening your decisions', with the rules of the MDC team's 'SPC charts SQL "
        "query' v2.4: a point outside the process limits; a trend of 7 points rising or "
        "falling; two of three points beyond the same 2-sigma line, all three on that side of "
        "the mean; a shift of 7 points on one side of the mean"
    ),
    rules=(
        _OUTSIDE,
        Rule(RuleKind.TREND, length=7),
        Rule(RuleKind.TWO_OF_THREE, length=3, count=2, sigmas=2, same_side=True),
        Rule(RuleKind.SHIFT, length=7),
    ),
)

MDC_TOOLS = Profile(
    name="mdc-tools",
    title="Making Data Count, as its SQL query and NHSRplotthedots count two of three",
    source=(
        "NHS England Making Data Count 'SPC charts SQL query' v2.4 (step 4i) and the NHS-R "
        "Community's NHSRplotthedots 0.2 (ptd_spc_standard): as mdc, except that two of three "
        "counts only points between the 2-sigma line and the process limit"
    ),
    rules=tuple(
        replace(r, inside_limits=True) if r.kind is RuleKind.TWO_OF_THREE else r for r in MDC.rules
    ),
)

WESTERN_ELECTRIC = Profile(
    name="western-electric",
    title="Western Electric",
    source=(
        "Western Electric Company, 'Statistical Quality Control Handbook' (1956), the four "
        "zone tests: a point beyond 3 sigma; two of three beyond 2 sigma on one side; four of "
        "five beyond 1 sigma on one side; eight in a row on one side. No trend test."
    ),
    rules=(
        _OUTSIDE,
        Rule(RuleKind.TWO_OF_THREE, length=3, count=2, sigmas=2, same_side=False),
        Rule(RuleKind.FOUR_OF_FIVE, length=5, count=4, sigmas=1, same_side=False),
        Rule(RuleKind.SHIFT, length=8),
    ),
)

PROFILES: dict[str, Profile] = {p.name: p for p in (MDC, MDC_TOOLS, WESTERN_ELECTRIC)}
DEFAULT_PROFILE = MDC.name

RUN_LENGTHS = range(6, 9)  # Making Data Count's range for a shift or a trend
OFF = "none"  # --spc-rules none: no SPC at all


def settings(
    rules: str = DEFAULT_PROFILE, *, shift: int | None = None, trend: int | None = None
) -> SpcSettings:
    """The settings for a named profile, with its shift and trend lengths changed if asked.

    Raises SpcError, saying what is allowed, for an unknown profile, a length outside 6-8
    or a length for a rule the profile does not have.
    """
    name = rules.strip().lower()
    profile = PROFILES.get(name)
    if profile is None:
        names = list(PROFILES)
        close = difflib.get_close_matches(name, names, n=1)
        hint = f"Did you mean '{close[0]}'? " if close else ""
        raise SpcError(
            f"There is no SPC rule set '{rules}'.",
            f"{hint}The rule sets are {_listing(names)} ('{OFF}': no SPC); docs/spc.md "
            "describes each.",
        )
    changed = profile
    for kind, length in ((RuleKind.SHIFT, shift), (RuleKind.TREND, trend)):
        if length is None:
            continue
        current = changed.rule(kind)
        if current is None:
            raise SpcError(
                f"The {profile.name} rules have no {kind} test, so its length cannot be set.",
                f"Use a rule set with a {kind} test, such as '{DEFAULT_PROFILE}'.",
            )
        if length not in RUN_LENGTHS:
            raise SpcError(
                f"A {kind} of {length} points is outside the range Making Data Count allows.",
                f"A {kind} is 6, 7 or 8 points in a row; {profile.name} uses {current.length}.",
            )
        rules_ = tuple(Rule(r.kind, length=length) if r.kind is kind else r for r in changed.rules)
        changed = Profile(changed.name, changed.title, changed.source, rules_)
    return SpcSettings(profile=changed)


def options(
    rules: str | None = None,
    *,
    baseline: str | None = None,
    shift: int | None = None,
    trend: int | None = None,
) -> SpcOptions:
    """The SPC a command was asked for (``--spc-rules``, ``--spc-baseline``, ``--spc-shift``,
    ``--spc-trend``), checked once for every command. ``rules`` None: the default rule set,
    not asked for; ``none``: no SPC, and then no baseline or length may be given. Raises
    SpcError saying what is allowed."""
    asked = any(v is not None for v in (rules, baseline, shift, trend))
    rules = DEFAULT_PROFILE if rules is None else rules
    if rules.strip().lower() == OFF:
        given = [
            name
            for name, value in (("a baseline", baseline), ("a shift", shift), ("a trend", trend))
            if value is not None
        ]
        if given:
            raise SpcError(
                f"SPC is off (rule set '{OFF}'), so {_listing(given)} cannot be used.",
                f"Leave out --spc-rules {OFF}, or the other SPC options.",
            )
        return SpcOptions(settings=None)
    chosen = settings(rules, shift=shift, trend=trend)
    return SpcOptions(
        settings=chosen,
        baseline=None
        if baseline is None
        else parse_baseline(baseline, min_points=chosen.min_baseline),
        asked=asked,
    )


def _listing(names: list[str]) -> str:
    return ", ".join(names[:-1]) + " and " + names[-1] if len(names) > 1 else names[0]


_RANGE_HINT = "Write the first and last month of the baseline with two dots: Apr-19..Mar-20."


def parse_months(text: str) -> tuple[Month, Month]:
    """`Apr-19..Mar-20` (also `2019-04..2020-03`, `April 2019 to March 2020`) -> the two
    months. Raises SpcError when it is not a range of months, or ends before it starts."""
    found = parse_month_range(text)
    if found is None:
        raise SpcError(f"'{text}' is not a range of months.", _RANGE_HINT)
    first, last = found
    if last < first:
        raise SpcError(f"The range '{text}' ends ({last}) before it starts ({first}).", _RANGE_HINT)
    return first, last


def parse_baseline(
    text: str, key: str | None = None, *, min_points: int = SpcSettings.min_baseline
) -> Change:
    """A baseline as a user writes it (`Apr-19..Mar-20`): limits from those months, applied
    to every later month. Refuses a range too short to hold ``min_points`` months."""
    first, last = parse_months(text)
    months = last.index - first.index + 1
    if months < min_points:
        raise SpcError(
            f"The baseline {first}..{last} is {months} months; control limits need at least "
            f"{min_points}.",
            f"Give a baseline of {min_points} months or more, e.g. "
            f"{first}..{first + (min_points - 1)}.",
        )
    return Change(start=first, baseline_end=last, key=key)


def parse_change(text: str, key: str | None = None) -> Change:
    """A declared change of process (`Apr-20`): limits worked out again from that month."""
    month = parse_month(str(text).strip())
    if month is None:
        raise SpcError(
            f"'{text}' is not a month to recalculate the limits from.",
            "Write the first month of the new process, e.g. Apr-20 or 2020-04.",
        )
    return Change(start=month, key=key)


def declared(indicators: Iterable[Indicator], baseline: Change | None = None) -> tuple[Change, ...]:
    """Every change of process the indicators declare — each one's `baseline` and `new
    process from`, as the workbook reader writes them (``Apr-19..Mar-20``, ``Apr-20;
    Oct-21..Sep-22``) — for ``spc.analyse``. ``baseline`` (``--spc-baseline``: every indicator)
    stands in place of each indicator's own baseline; their new processes still hold."""
    changes: list[Change] = [] if baseline is None else [baseline]
    for ind in indicators:
        own = [] if baseline is not None or not ind.baseline else [ind.baseline]
        written = [p.strip() for p in ind.new_process.split(";") if p.strip()]
        for text in [*own, *written]:
            if ".." in text:
                first, last = parse_months(text)
                changes.append(Change(start=first, baseline_end=last, key=ind.key))
            else:
                changes.append(parse_change(text, ind.key))
    return tuple(changes)
