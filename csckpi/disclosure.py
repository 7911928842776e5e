"""Disclosure control: which figures a published output writes as `c`, and why.

Councils publish nothing that shows a count of 1 to 5 children or events (the Department for
Education's rule for its statistics, docs/publishing.md). That is *primary* suppression. A
suppressed count must not be recoverable from what is shown either — from a total and its
other parts, a year to date less its earlier months, a percentage and its denominator, a rate
and the population, last year's figure and the change — so figures it could be worked out
from are suppressed as well: *secondary* suppression.

The rule is general: an output describes what it shows as **cells** and the arithmetic that
ties them together as **relations**, and :func:`suppress` decides.

- ``cells`` (one row per figure): ``cell`` (an id), ``value`` (Float64), ``role`` (a
  :class:`Role`: a ``count`` is suppressed from 1 to the threshold; a ``derived`` figure — a
  percentage, a rate, a change — is suppressed first when a relation needs one more; a
  ``public`` one, a population estimate, never) and ``shown`` (whether the output writes it;
  an unshown cell is one the reader does not have — the rest of a total, a rate's count).
- ``relations`` (one row per member): ``relation`` (an id), ``cell``, ``total`` (the member
  the others make: the total of parts, the percentage of its counts, the change between two
  figures) and ``kind`` (a :class:`Relation`, for the note). A relation is an equation: when
  all its members but one are known, the last one is. A relation whose total has no value
  holds nothing; a member with no value adds nothing.

What a reader can work out is found the way a reader would: start from every figure shown and
not suppressed, and apply every relation with exactly one unknown member, again and again,
until nothing new is learnt. A primary cell learnt that way is a disclosure: the cheapest
other shown member of the relation that revealed it is suppressed too (a derived figure
first, then the smallest count), and the search starts again, until no primary cell can be
learnt (a fixed point). Every step is a polars join or group-by over all cells at once.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

import polars as pl

from csckpi.numbers import SYMBOL_MEANINGS, Symbol

#: Counts from 1 to this are suppressed unless a threshold is given (``--suppress-below``).
THRESHOLD = 5
#: Why a published figure is missing (``Comparison.reason``), as the block and the sentences
#: say it: never the figure.
WITHHELD = "withheld under disclosure control"


class Role(StrEnum):
    """What kind of figure a cell holds, for suppression."""

    COUNT = "count"  # children or events: suppressed from 1 to the threshold
    DERIVED = "derived"  # worked out from counts: a percentage, a rate, a change
    PUBLIC = "public"  # known to anyone (a population estimate): never suppressed


class Relation(StrEnum):
    """The arithmetic that ties cells together; the value is the note's words."""

    PARTS = "a total and its parts"
    PERCENTAGE = "a percentage and its counts"
    COMPLEMENT = "a count and the rest of its total"
    RATE = "a rate per 10,000 and its count"
    CHANGE = "a change and the figures it is between"
    SAME = "the same figure shown twice"


class Why(StrEnum):
    """Why a cell is suppressed."""

    SMALL = "small"  # primary: a count from 1 to the threshold
    RECOVERABLE = "recoverable"  # secondary: a suppressed count could be worked out with it
    DERIVED = "derived"  # secondary: a percentage, rate or change of a suppressed figure


CELL_SCHEMA: Mapping[str, pl.DataType | type[pl.DataType]] = {
    "cell": pl.String,
    "value": pl.Float64,
    "role": pl.String,
    "shown": pl.Boolean,
}
RELATION_SCHEMA: Mapping[str, pl.DataType | type[pl.DataType]] = {
    "relation": pl.String,
    "cell": pl.String,
    "total": pl.Boolean,
    "kind": pl.String,
}
MARK_SCHEMA: Mapping[str, pl.DataType | type[pl.DataType]] = {
    "cell": pl.String,
    "why": pl.String,
    "kind": pl.String,
    "shown": pl.Boolean,
}

#: Which member a relation gives up first: a derived figure, then a count, the smallest first.
_COST = {Role.DERIVED.value: 0, Role.COUNT.value: 1}


def check_threshold(threshold: int) -> int:
    """The threshold, or ValueError with what is wrong (the command line's message)."""
    if threshold < 1:
        raise ValueError(f"the threshold is a count of at least 1, not {threshold}")
    return threshold


@dataclass(frozen=True)
class Suppression:
    """What :func:`suppress` decided: ``marks`` has a row per suppressed cell (``cell``,
    ``why``: a :class:`Why`, ``kind``: the :class:`Relation` a secondary cell protects,
    ``shown``: whether the output writes it — an unshown primary cell, such as a rate's count,
    is protected but never written)."""

    threshold: int
    marks: pl.DataFrame
    #: Figures that could not be checked (a percentage the workbook gives without its counts),
    #: with a few words on why: counted in the note.
    unchecked: Mapping[str, int] = field(default_factory=dict)

    def cells(self) -> frozenset[str]:
        """Every cell written `c`."""
        return frozenset(self.marks.filter(pl.col("shown")).get_column("cell").to_list())

    def count(self, why: Why | None = None) -> int:
        """How many cells are written `c` (for one reason, or all)."""
        written = self.marks.filter(pl.col("shown"))
        if why is not None:
            written = written.filter(pl.col("why") == why.value)
        return written.height

    def by_kind(self) -> dict[str, int]:
        """Secondary cells written `c`, by the relation they protect (in :class:`Relation`
        order)."""
        rows = (
            self.marks.filter(pl.col("shown") & (pl.col("why") != Why.SMALL.value))
            .group_by("kind")
            .len()
        )
        found = dict(zip(rows.get_column("kind"), rows.get_column("len"), strict=True))
        return {k.value: found[k.value] for k in Relation if k.value in found}

    def note(self) -> str:
        """What was suppressed and why, counted: the note every published output carries."""
        return note(self)


def suppress(
    cells: pl.DataFrame, relations: pl.DataFrame, threshold: int = THRESHOLD
) -> Suppression:
    """Primary suppression (counts from 1 to ``threshold``), then secondary suppression to a
    fixed point: no primary cell can be worked out from the cells shown and not suppressed
    through ``relations`` (module docstring). A cell given up that a reader can work out
    anyway is shown after all: it protected nothing."""
    check_threshold(threshold)
    cells = cells.select(
        pl.col("cell").cast(pl.String),
        pl.col("value").cast(pl.Float64),
        pl.col("role").cast(pl.String),
        pl.col("shown").cast(pl.Boolean),
    ).unique("cell", keep="first", maintain_order=True)
    primary = cells.filter(
        (pl.col("role") == Role.COUNT.value)
        & (pl.col("value") > 0)
        & (pl.col("value") <= threshold)
    ).select("cell")
    members = _active_members(cells, relations)
    suppressed = primary
    secondary: list[pl.DataFrame] = []
    while True:
        derived = _derived(members, suppressed)
        if not derived.is_empty():
            secondary.append(derived.with_columns(why=pl.lit(Why.DERIVED.value)))
            suppressed = pl.concat([suppressed, derived.select("cell")]).unique()
            continue
        learnt = _learnt(cells, members, suppressed)
        leaks = learnt.join(primary, on="cell", how="semi")
        if leaks.is_empty():
            break
        more = _cheapest(members, suppressed, leaks, learnt)
        if more.is_empty():
            # Nothing left to give up (every other member is public): stop rather than loop.
            break
        secondary.append(more.with_columns(why=pl.lit(Why.RECOVERABLE.value)))
        suppressed = pl.concat([suppressed, more.select("cell")]).unique()
    given = pl.concat([m.select("cell", "why", "kind") for m in secondary]) if secondary else None
    if given is not None:
        # A figure given up that a reader can work out anyway protects nothing: show it (what
        # a reader knows is the same either way, so no suppressed count follows).
        anyway = _learnt(cells, members, suppressed).select("cell")
        given = given.filter(~pl.col("cell").is_in(anyway["cell"].implode()))
    marks = pl.concat(
        [
            primary.with_columns(why=pl.lit(Why.SMALL.value), kind=pl.lit(None, dtype=pl.String)),
            *([given] if given is not None else []),
        ]
    ).join(cells.select("cell", "shown"), on="cell", how="left")
    return Suppression(threshold, marks.select(list(MARK_SCHEMA)).cast(MARK_SCHEMA))  # type: ignore[arg-type]


def _active_members(cells: pl.DataFrame, relations: pl.DataFrame) -> pl.DataFrame:
    """The members of every relation that holds something. A relation whose total has no
    value holds nothing; a part with no value adds nothing to a total; any other member with
    no value (a percentage's missing denominator) is one the reader does not know. A member
    the cells do not list is one the reader cannot see."""
    joined = relations.select(
        pl.col("relation").cast(pl.String),
        pl.col("cell").cast(pl.String),
        pl.col("total").cast(pl.Boolean),
        pl.col("kind").cast(pl.String),
    ).join(cells.select("cell", "value", "role", "shown"), on="cell", how="left")
    listed = pl.col("cell").is_in(cells.get_column("cell").implode())
    empty = listed & pl.col("value").is_null()
    holding = joined.filter(pl.col("total") & ~empty).select("relation").unique()
    return (
        joined.join(holding, on="relation", how="semi")
        .filter(~(empty & ~pl.col("total") & (pl.col("kind") == Relation.PARTS.value)))
        .with_columns(
            shown=(pl.col("shown").fill_null(False) & pl.col("value").is_not_null()),
            role=pl.col("role").fill_null(Role.DERIVED.value),
        )
    )


def _derived(members: pl.DataFrame, suppressed: pl.DataFrame) -> pl.DataFrame:
    """Derived figures of a suppressed one, suppressed whether or not it could be worked out
    from them: the percentage of a suppressed count, the rate of one, a change from or to
    one (cell, kind)."""
    hidden = pl.col("cell").is_in(suppressed.get_column("cell").implode())
    touched = (
        members.filter(~pl.col("total") & hidden & (pl.col("kind") != Relation.PARTS.value))
        .select("relation")
        .unique()
    )
    return (
        members.join(touched, on="relation", how="semi")
        .filter(
            pl.col("total") & ~hidden & pl.col("shown") & (pl.col("role") == Role.DERIVED.value)
        )
        .select("cell", "kind")
        .unique("cell", keep="first")
        .sort("cell")
    )


def _learnt(cells: pl.DataFrame, members: pl.DataFrame, suppressed: pl.DataFrame) -> pl.DataFrame:
    """Every cell a reader can work out (cell, relation: the relation that gave it), beyond
    those shown."""
    hidden = pl.col("cell").is_in(suppressed.get_column("cell").implode())
    known = cells.filter(pl.col("shown") & pl.col("value").is_not_null() & ~hidden).select("cell")
    learnt = pl.DataFrame(schema={"cell": pl.String, "relation": pl.String})
    while True:
        state = members.with_columns(known=pl.col("cell").is_in(known.get_column("cell").implode()))
        single = (
            state.group_by("relation")
            .agg(unknown=(~pl.col("known")).sum())
            .filter(pl.col("unknown") == 1)
            .select("relation")
        )
        new = (
            state.join(single, on="relation", how="semi")
            .filter(~pl.col("known"))
            .select("cell", "relation")
            .unique("cell", keep="first", maintain_order=True)
            .sort("cell", "relation")
        )
        if new.is_empty():
            return learnt
        learnt = pl.concat([learnt, new])
        known = pl.concat([known, new.select("cell")]).unique()


def _cheapest(
    members: pl.DataFrame, suppressed: pl.DataFrame, leaks: pl.DataFrame, learnt: pl.DataFrame
) -> pl.DataFrame:
    """For each relation that reveals a primary cell, the member to suppress as well: shown,
    not yet suppressed, not public; a derived figure before a count, the smallest count first
    (cell, kind). Where every other member of that relation was itself worked out, the
    relations that gave those away are searched instead, and so on up."""
    hidden = pl.col("cell").is_in(suppressed.get_column("cell").implode())
    open_members = members.filter(
        pl.col("shown") & ~hidden & (pl.col("role") != Role.PUBLIC.value)
    ).with_columns(
        cost=pl.col("role").replace_strict(_COST, default=2, return_dtype=pl.Int64),
        size=pl.col("value").abs().fill_null(0.0),
    )
    frontier = leaks.select("relation").unique()
    seen = frontier
    chosen: list[pl.DataFrame] = []
    while not frontier.is_empty():
        found = (
            open_members.join(frontier, on="relation", how="semi")
            .sort("relation", "cost", "size", "cell")
            .group_by("relation", maintain_order=True)
            .first()
        )
        chosen.append(found.select("cell", "kind"))
        bare = frontier.join(found.select("relation"), on="relation", how="anti")
        # the members of a relation with nothing to give up were worked out: go to the
        # relations that gave them away
        up = (
            members.join(bare, on="relation", how="semi")
            .select("cell")
            .join(learnt, on="cell")
            .select("relation")
            .unique()
            .join(seen, on="relation", how="anti")
        )
        seen = pl.concat([seen, up])
        frontier = up
    if not chosen:
        return pl.DataFrame(schema={"cell": pl.String, "kind": pl.String})
    return pl.concat(chosen).unique("cell", keep="first", maintain_order=True)


# -- the note -----------------------------------------------------------------------------------


def note(s: Suppression) -> str:
    """`Disclosure control: 3 figures are written c (...): 1 count from 1 to 5, and 2 from
    which one could be worked out (...)`: what was suppressed and why, counted, and what the
    symbols mean."""
    small = s.count(Why.SMALL)
    recoverable = s.count(Why.RECOVERABLE) + s.count(Why.DERIVED)
    c = Symbol.SUPPRESSED.value
    rule = f"counts from 1 to {s.threshold} are suppressed"
    if small + recoverable == 0:
        text = f"Disclosure control: {rule}; no figure here is written {c}."
    else:
        kinds = "; ".join(f"{kind}: {n}" for kind, n in s.by_kind().items())
        text = (
            f"Disclosure control: {_figures(small + recoverable)} written {c} "
            f"({SYMBOL_MEANINGS[Symbol.SUPPRESSED]}): "
        )
        counts = f"{small} " + ("count" if small == 1 else "counts") + f" from 1 to {s.threshold}"
        secondary = (
            f"worked out from a count from 1 to {s.threshold} or from which one could be "
            f"worked out ({kinds})"
        )
        if small and recoverable:
            text += f"{counts}, and {recoverable} {secondary}."
        elif small:
            text += f"{counts}."
        else:
            text += f"{secondary}."
    text += (
        f" {Symbol.NOT_APPLICABLE.value}: {SYMBOL_MEANINGS[Symbol.NOT_APPLICABLE]}; "
        f"{Symbol.NOT_AVAILABLE.value}: {SYMBOL_MEANINGS[Symbol.NOT_AVAILABLE]}."
    )
    for why, n in s.unchecked.items():
        text += f" {n} " + ("figure" if n == 1 else "figures") + f" could not be checked: {why}."
    return text


def _figures(n: int) -> str:
    return f"{n} figure" + (" is" if n == 1 else "s are")
