"""The small words of a performance sentence: movements, lists, periods, an indicator's words.

Everything here is a pure function of numbers and records; nothing knows an indicator code.
No relation is decided here: ``csckpi.facts`` judges every figure (on the figures as shown),
and these functions only word its judgements.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from csckpi import numbers
from csckpi.model import Comparator, Indicator, Judged, Measure, Polarity, Relation, Unit
from csckpi.periods import MONTH_NAMES, Month, Period, PeriodKind

if TYPE_CHECKING:
    from csckpi.published.records import Standing as Ranking

INCREASE = "increase"
DECREASE = "decrease"
SAME = "same"

#: How a sentence names each benchmark.
COMPARATOR_LABEL: dict[Comparator, str] = {
    Comparator.STATISTICAL_NEIGHBOURS: "statistical neighbours",
    Comparator.REGION: "the regional average",
    Comparator.ENGLAND: "the national average",
}


# -- movements -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Thresholds:
    """When a change is "comparable" and when it is "slight".

    A change in a count, a rate or a number is measured relative to the earlier figure, in per
    cent. A change in a percentage is measured in percentage points *and* (``proportionate``,
    the default) relative to the earlier figure: it is comparable only when it is both within
    ``comparable_points`` and within ``comparable_relative`` per cent of the earlier figure
    (likewise slight), so a small percentage that rises by a sixth (2.9% to 3.4%: half a point,
    17 %) is an increase, not "little changed". ``proportionate=False`` keeps the points alone.
    """

    comparable_relative: float = 1.0  # % of the earlier figure
    comparable_points: float = 0.5  # percentage points
    slight_relative: float = 5.0
    slight_points: float = 1.0
    proportionate: bool = True  # percentages: points and proportion; False: points alone

    def comparable(self, unit: Unit) -> float:
        return self.comparable_points if unit is Unit.PERCENT else self.comparable_relative

    def slight(self, unit: Unit) -> float:
        return self.slight_points if unit is Unit.PERCENT else self.slight_relative

    def with_text(self, comparable: str | None = None, slight: str | None = None) -> Thresholds:
        """These thresholds changed as a user writes them: `2` (both scales) or `2/0.5`
        (per cent for counts and rates / points for percentages). Raises ValueError saying
        what is wrong."""
        cr, cp = _pair(comparable, self.comparable_relative, self.comparable_points)
        sr, sp = _pair(slight, self.slight_relative, self.slight_points)
        if cr > sr or cp > sp:
            t = numbers.trimmed
            raise ValueError(
                f"'comparable' ({t(cr)}/{t(cp)}) must not be larger than "
                f"'slight' ({t(sr)}/{t(sp)}); give both, e.g. "
                f"--comparable {t(cr)}/{t(cp)} "
                f"--slight {t(max(cr, sr))}/{t(max(cp, sp))}"
            )
        return Thresholds(cr, cp, sr, sp, self.proportionate)

    def by_points(self) -> Thresholds:
        """These thresholds judging a percentage's change by its points alone."""
        return replace(self, proportionate=False)

    def as_dict(self) -> dict[str, float | bool]:
        return {
            "comparable_relative_percent": self.comparable_relative,
            "comparable_points": self.comparable_points,
            "slight_relative_percent": self.slight_relative,
            "slight_points": self.slight_points,
            "proportionate": self.proportionate,
        }


def _pair(text: str | None, relative: float, points: float) -> tuple[float, float]:
    if text is None:
        return relative, points
    parts = [p.strip().rstrip("%") for p in text.split("/")]
    if len(parts) > 2 or not all(parts):
        raise ValueError(f"'{text}' is not a threshold; write e.g. 2 or 2/0.5")
    try:
        numbers = [float(p) for p in parts]
    except ValueError:
        raise ValueError(f"'{text}' is not a threshold; write e.g. 2 or 2/0.5") from None
    if any(not math.isfinite(n) or n < 0 for n in numbers):
        raise ValueError(f"'{text}' must be zero or more")
    return (numbers[0], numbers[-1])


@dataclass(frozen=True)
class Movement:
    """How a figure moved from an earlier one, as a sentence will say it."""

    relation: str  # increase / decrease / same
    size: float  # points for percentages, % of the earlier figure otherwise (inf from 0)
    change: float  # now - then, on the figures as shown
    comparable: bool
    slight: bool

    @property
    def degree(self) -> str:
        """`same`, `comparable`, `slight` or `clear`."""
        if self.relation == SAME:
            return SAME
        if self.comparable:
            return "comparable"
        return "slight" if self.slight else "clear"


def movement(judged: Judged, unit: Unit, places: int, limits: Thresholds) -> Movement:
    """A movement as a sentence will say it, from its judgement (``csckpi.facts.judge``): the
    relation as a movement, and how big it is for the thresholds."""
    if judged.relation is Relation.IN_LINE:
        return Movement(SAME, 0.0, 0.0, True, True)
    rel = INCREASE if judged.relation is Relation.ABOVE else DECREASE
    change = judged.difference
    then = numbers.shown(judged.theirs, places)
    assert then is not None
    relative = math.inf if then == 0 else abs(change) / abs(then) * 100
    relative = numbers.round_half_up(relative, 6) if math.isfinite(relative) else relative
    if unit is Unit.PERCENT:
        size = numbers.round_half_up(abs(change), 6)
        comparable = size <= limits.comparable_points
        slight = size <= limits.slight_points
        if limits.proportionate:  # and in proportion to the earlier figure
            comparable = comparable and relative <= limits.comparable_relative
            slight = slight and relative <= limits.slight_relative
    else:
        size = relative
        comparable = size <= limits.comparable_relative
        slight = size <= limits.slight_relative
    return Movement(rel, size, change, comparable, slight)


# -- lists ---------------------------------------------------------------------------------


def join(items: Sequence[str], conjunction: str = "and") -> str:
    """`a`, `a and b`, `a, b and c`."""
    items = [i for i in items if i]
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + f" {conjunction} " + items[-1]


_ORDINALS = (
    "first",
    "second",
    "third",
    "fourth",
    "fifth",
    "sixth",
    "seventh",
    "eighth",
    "ninth",
    "tenth",
    "eleventh",
    "twelfth",
)


def ordinal(n: int) -> str:
    """1 -> `first` ... 12 -> `twelfth`, then `13th`, `21st`, `22nd`."""
    if 1 <= n <= len(_ORDINALS):
        return _ORDINALS[n - 1]
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


_CARDINALS = ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")


def cardinal(n: int) -> str:
    """1 -> `one` ... 10 -> `ten`, then figures: `11`, `24`."""
    return _CARDINALS[n - 1] if 1 <= n <= len(_CARDINALS) else str(n)


def capitalise(text: str) -> str:
    """Upper-case the first letter only (`of C&F` stays as written after it)."""
    return text[:1].upper() + text[1:] if text else text


# -- periods ---------------------------------------------------------------------------------


def month_name(month: Month, with_year: bool = True) -> str:
    name = MONTH_NAMES[month.month - 1]
    return f"{name} {month.year}" if with_year else name


def span(first: Month, last: Month) -> str:
    """`April to December 2020`, `November 2020 to February 2021`, `December 2020`."""
    if first == last:
        return month_name(last)
    if first.year == last.year:
        return f"{month_name(first, False)} to {month_name(last)}"
    return f"{month_name(first)} to {month_name(last)}"


def _ytd_span(period: Period) -> str:
    return span(Month(period.fy, 4), period.last)


def period_wording(indicator: Indicator, period: Period, *, phrase: str = "") -> str:
    """How the headline names its period, by how the indicator's months combine.

    Flows and ratios happen *during* a period ("during Q3 2020/21", "in December 2020");
    snapshots are a position "as at December 2020"; cumulative figures are a "year to date
    (April to December 2020)" (the words "year to date" are not repeated when the phrase
    already says them).
    """
    measure = indicator.measure
    if measure is Measure.SNAPSHOT:
        return f"as at {month_name(period.last)}"
    if period.kind is PeriodKind.YEAR:
        return f"during {period.label}"
    if measure is Measure.CUMULATIVE or period.kind is PeriodKind.YTD:
        said = "year to date" in phrase.lower()
        return ("" if said else "year to date ") + f"({_ytd_span(period)})"
    if period.kind is PeriodKind.MONTH:
        return f"in {month_name(period.last)}"
    return f"during {period.label}"


def when_wording(indicator: Indicator, period: Period) -> str:
    """How an earlier figure's period is named after it: `in Q3 2019/20`, `as at December
    2019`, `in December 2019`, `year to date as at December 2019`, `in 2019/20`."""
    if indicator.measure is Measure.SNAPSHOT:
        return f"as at {month_name(period.last)}"
    if period.kind is PeriodKind.YEAR:
        return f"in {period.label}"
    if indicator.measure is Measure.CUMULATIVE or period.kind is PeriodKind.YTD:
        return f"year to date as at {month_name(period.last)}"
    if period.kind is PeriodKind.MONTH:
        return f"in {month_name(period.last)}"
    return f"in {period.label}"


# -- the words of an indicator ------------------------------------------------------------

#: Finite verbs that tell a phrase is a predicate ("were completed") rather than a noun.
_VERBS = frozenset(
    [
        "was",
        "were",
        "is",
        "are",
        "has",
        "have",
        "had",
        "became",
        "become",
        "becomes",
        "been",
        "took",
        "take",
        "takes",
        "received",
        "remain",
        "remains",
        "remained",
        "continue",
        "continues",
        "went",
        "came",
        "left",
        "did",
        "saw",
        "got",
    ]
)


def _words(text: str) -> list[str]:
    return [w.strip("(),.;:").lower() for w in text.split()]


def has_verb(phrase: str) -> bool:
    """Whether ``phrase`` can follow a number to make a sentence ("were started")."""
    return any(w in _VERBS for w in _words(phrase))


def subject_noun(phrase: str) -> str:
    """The noun a count's phrase starts with: `C&F assessments have been completed` ->
    `C&F assessments`; empty when the phrase starts with its verb or with `of`."""
    words = phrase.split()
    out: list[str] = []
    for word in words:
        if word.strip("(),.;:").lower() in _VERBS:
            break
        out.append(word)
    if len(out) == len(words) or (out and out[0].lower() == "of"):
        return ""
    return " ".join(out)


_TITLE_STARTS = (
    ("monthly % of ", "the monthly percentage of "),
    ("the % of ", "the percentage of "),
    ("% of ", "the percentage of "),
    ("% ", "the percentage of "),
    ("total number of ", "the total number of "),
    ("monthly number of ", "the monthly number of "),
    ("number of ", "the number of "),
    ("rate of ", "the rate of "),
    ("the ", "the "),
)


#: Words in a title that name how its months are counted ("Monthly % of ...", "... in month",
#: "(Cumulative)"): the sentence names its own period, so they would contradict it ("the
#: monthly percentage ... was 75.6% during Q3 2020/21").
_TITLE_PERIOD_WORDS = re.compile(
    r"\s*\((?:monthly|cumulative|year to date|ytd|as at month end)\)"
    r"|^monthly\s+"
    r"|\s+(?:year to date|ytd)(?:\s*\(cumulative\))?\s*$"
    r"|\s+(?:with)?in\s+(?:the\s+)?month(?=\s*(?:\(|$))",  # not "in the month of birth"
    re.IGNORECASE,
)


_SENTENCE_END = re.compile(r"\.\s+(?=[A-Z])")


def _without_period_words(title: str) -> str:
    """A title's first sentence without the words that name how its months are counted:
    `Monthly % of referrals completed within 1 working day` -> `% of referrals completed
    within 1 working day`; `... within 15 days (CPP). Excludes transfer-in conferences.` ->
    `... within 15 days (CPP)`."""
    text = " ".join(title.split())
    ends = _SENTENCE_END.search(text)  # "(inc. external)" is no sentence end
    text = text[: ends.start()] if ends else text
    previous = None
    while previous != text:
        previous, text = text, _TITLE_PERIOD_WORDS.sub("", text).strip()
    return text or " ".join(title.split())


def subject(title: str) -> str:
    """An indicator's title as the subject of a sentence, lower-case first:
    `% Care Leavers NEET` -> `the percentage of Care Leavers NEET`. Words that name how the
    months are counted ("Monthly", "in month", "(Cumulative)", "year to date") are left out, as
    is anything after the title's first sentence: the sentence says its own period."""
    text = _without_period_words(title).rstrip(" .;:")
    lowered = text.lower()
    for start, replacement in _TITLE_STARTS:
        if lowered.startswith(start):
            return replacement + text[len(start) :]
    rest = text[:1].lower() + text[1:] if text[1:2].islower() else text
    return f"the figure for {rest}" if rest else "the figure"


def says_per_10000(text: str) -> bool:
    return "10,000" in text or "10000" in text


#: Words after which a phrase's noun has ended ("of our Children *in* Care have been ...").
_NOUN_ENDS = frozenset(
    [
        *("in", "of", "with", "who", "whose", "that", "which", "aged", "within", "for", "on"),
        *("at", "by", "from", "to", "into", "newly", "during", "as", "and", "or", "where"),
        *("when", "not"),
    ]
)
#: Words a phrase may put before its noun.
DETERMINERS = frozenset(
    ["the", "our", "their", "all", "its", "these", "those", "his", "her", "your", "a", "an"]
)


def counted_noun(phrase: str) -> str:
    """What a percentage's phrase counts, for `7.4% (20 children)`: `of our Children in Care
    have been placed ...` -> `children`; `of Child Protection statutory visits were ...` ->
    `Child Protection statutory visits`. Empty when the phrase does not start with `of` and a
    noun, or when nothing sensible is found."""
    words = phrase.split()
    if not words or words[0].lower() != "of":
        return ""
    rest = words[1:]
    while rest and rest[0].lower() in DETERMINERS:
        rest = rest[1:]
    out: list[str] = []
    for word in rest:
        bare = word.strip("(),.;:").lower()
        if bare in _VERBS or bare in _NOUN_ENDS or word != word.strip("(),.;:"):
            break
        out.append(word)
    if not out or len(out) > 4:
        return ""
    if len(out) == 1 and out[0][:1].isupper() and out[0][1:].islower():
        out[0] = out[0].lower()  # "Children" -> "children"; acronyms and names stay
    return " ".join(out)


#: An abbreviation as a phrase gives it in brackets: `(CiC)`, `(EHA)`, `(NEET)`.
_SHORT = r"\((?P<short>[A-Za-z&]{2,8})\)"
_ABBREVIATED = re.compile(rf"^(?P<noun>.+?)\s*{_SHORT}$")
_BRACKETED = re.compile(_SHORT)
#: Words an abbreviation may leave out (`Not in Education, Employment or Training (NEET)`).
_LINKING = frozenset(["in", "of", "and", "or", "the", "to", "for", "on", "with", "a"])


def spelled_out(phrases: Iterable[str]) -> dict[str, str]:
    """Every abbreviation the phrases spell out at its first mention, as the sentences say it:
    `of Children in Care (CiC) have ...` -> `{"CiC": "Children in Care"}`, `Early Help
    Assessments (EHA) were started` -> `{"EHA": "Early Help Assessments"}`. The words spelled
    out are the fewest just before the brackets whose initials give the abbreviation's letters
    in order (a linking word such as `in` or `or` may give its letter or none); brackets that
    no words before them spell out (`Child Protection plan (CP)`) give nothing. The first
    phrase to spell an abbreviation out wins."""
    found: dict[str, str] = {}
    for phrase in phrases:
        for match in _BRACKETED.finditer(phrase):
            short = match["short"]
            letters = [c.lower() for c in short if c.isalpha()]
            before = phrase[: match.start()].split()
            for n in range(1, min(len(before), 2 * len(letters)) + 1):
                words = before[-n:]
                if _initials(words, letters):
                    found.setdefault(short, " ".join(words).rstrip(",;:"))
                    break
    return found


def _initials(words: Sequence[str], letters: Sequence[str]) -> bool:
    """Whether ``words`` give ``letters`` by their initials, in order, every letter used, the
    first word giving the first letter; a linking word may give its letter or be passed."""
    if not words:
        return not letters
    word = words[0].strip("(),.;:'\"")
    if not word:
        return False
    if letters and word[0].lower() == letters[0] and _initials(words[1:], letters[1:]):
        return True
    return word.lower() in _LINKING and len(words) > 1 and _initials(words[1:], letters)


def spell_out(text: str, spelled: Mapping[str, str]) -> str:
    """``text`` with each abbreviation in ``spelled`` written in full (`CiC who have ...` ->
    `Children in Care who have ...`); a word that only contains one (`CPP`) is kept."""
    for short, full in spelled.items():
        said = full.replace("\\", "\\\\")  # a replacement's backslashes are its own
        text = re.sub(rf"(?<![\w&]){re.escape(short)}(?![\w&])", said, text)
    return text


def said_again(noun: str) -> str:
    """A noun said a second time in a paragraph, short, with no abbreviation in brackets (said
    at its first mention): `Early Help Assessments (EHA)` -> `EHAs`; `Children in Care
    (CiC)` -> `Children in Care`; `children` stays."""
    found = _ABBREVIATED.match(noun.strip())
    if found is None:
        return noun
    full, short = found["noun"], found["short"]
    if full.endswith("s") and not short.endswith("s"):
        return short + "s"  # a plural said by its abbreviation
    return full


def singular(noun: str) -> str:
    """`children` -> `child`, `visits` -> `visit`, `enquiries` -> `enquiry` (its last word)."""
    head, _, last = noun.rpartition(" ")
    lowered = last.lower()
    if lowered.endswith("children"):
        last = last[: -len("ren")]
    elif lowered.endswith("people"):
        last = last[: -len("people")] + "person"
    elif lowered.endswith("ies") and len(last) > 4:
        last = last[:-3] + "y"
    elif lowered.endswith("s") and not lowered.endswith("ss"):
        last = last[:-1]
    return f"{head} {last}" if head else last


def none_of(phrase: str) -> str:
    """A percentage's phrase for a figure of none: `of children ceasing ...` -> `of the
    children ceasing ...` (to follow `none (0.0%)`); empty when the phrase does not start
    with `of`."""
    words = phrase.split()
    if len(words) < 2 or words[0].lower() != "of":
        return ""
    if words[1].lower() in DETERMINERS:
        return " ".join(words)
    return " ".join(["of", "the", *words[1:]])


#: Present-tense verbs that make a phrase a position ("... have an up to date Health Check").
_STATIVE = frozenset(["is", "are", "has", "have"])


def states_a_position(phrase: str) -> bool:
    """Whether a phrase describes where things stand rather than what happened: its first verb
    is `is`, `are`, `has` or `have`, not followed by `been` or `had` ("have an up to date
    Health Check", not "have been re-referred")."""
    words = _words(phrase)
    for i, word in enumerate(words):
        if word in _VERBS:
            after = words[i + 1] if i + 1 < len(words) else ""
            return word in _STATIVE and after not in ("been", "had", "become", "received")
    return False


_RUNNING_WORDS = ("year to date", "ytd", "cumulative")


def says_year_to_date(text: str) -> bool:
    """Whether a title or phrase says its figure is a running total ("year to date",
    "(Cumulative)", "YTD")."""
    lowered = f" {text.lower()} "
    return any(word in lowered for word in _RUNNING_WORDS)


# -- rank among councils ---------------------------------------------------------------------


def numbered(n: int) -> str:
    """1 -> `1st`, 34 -> `34th`, 152 -> `152nd` (a rank is written in figures)."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def ranking(r: Ranking) -> str:
    """The council's place among all councils, as a sentence says it after a subject:
    `ranked 34th of 152 councils in 2019/20, second quartile, where the first is best`; with
    polarity none the position alone: `34th highest of 152 councils in 2019/20`; without a
    rank, why: `not ranked among councils in 2019/20: its published figure is c (...)`."""
    year = r.year.label
    if r.rank is None or r.rank == 0:
        why = r.reason or "it has no published figure"
        why = why.removesuffix(": it is not ranked").replace(f" for {year}", "")
        return f"not ranked among councils in {year}: {why}"
    joint = "joint " if r.tied > 1 else ""
    if r.polarity is Polarity.NONE:
        return f"{joint}{numbered(r.rank)} highest of {r.of} councils in {year}"
    said = f"ranked {joint}{numbered(r.rank)} of {r.of} councils in {year}"
    if r.quartile:
        said += f", {ordinal(r.quartile)} quartile, where the first is best"
    return said
