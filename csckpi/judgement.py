"""The one judgement: how one figure stands against another, on the figures as shown, and
whether that is better or worse through the indicator's polarity. ``csckpi.facts`` makes
every judgement with it (and re-exports it); nothing else decides a relation."""

from __future__ import annotations

from csckpi.model import Direction, Judged, Polarity, Rag, Relation
from csckpi.numbers import shown, shown_difference

ABOVE, BELOW, IN_LINE = Relation.ABOVE, Relation.BELOW, Relation.IN_LINE


def judge(ours: float, theirs: float, polarity: Polarity, places: int) -> Judged:
    """How ``ours`` stands against ``theirs``, decided on the figures as shown (rounded half up
    to ``places`` decimals): ``in line`` when both show the same, else ``above`` or ``below``;
    ``better`` through the polarity, None when the polarity makes no judgement or the two are
    in line. Every relation csckpi states is made here."""
    a, b = shown(ours, places), shown(theirs, places)
    assert a is not None and b is not None
    difference = shown_difference(ours, theirs, places)
    assert difference is not None
    if a == b:
        return Judged(ours, theirs, IN_LINE, None, difference)
    relation = ABOVE if a > b else BELOW
    better = None if polarity is Polarity.NONE else (relation is ABOVE) == (polarity is Polarity.UP)
    return Judged(ours, theirs, relation, better, difference)


def rag_of(
    value: float | None,
    target: float | None,
    tolerance: float | None,
    polarity: Polarity,
    places: int,
) -> Rag | None:
    """Green, amber or red: ``value`` as shown against ``target`` through the polarity, amber
    within ``tolerance`` of it. Compute's rule (``compute.judge.rag``, over whole frames) for
    one figure, such as the period before's; None without a figure, a target or a polarity."""
    if value is None or target is None or polarity is Polarity.NONE:
        return None
    figure, eps, up = shown(value, places), 1e-9, polarity is Polarity.UP
    assert figure is not None
    if (figure >= target - eps) if up else (figure <= target + eps):
        return Rag.GREEN
    tol = tolerance or 0.0
    if tol > 0 and ((figure >= target - tol - eps) if up else (figure <= target + tol + eps)):
        return Rag.AMBER
    return Rag.RED


def relate(ours: float, theirs: float, polarity: Polarity, places: int) -> tuple[str, bool | None]:
    """:func:`judge`'s (relation, better)."""
    judged = judge(ours, theirs, polarity, places)
    return judged.relation, judged.better


def direction_of(judged: Judged | None) -> Direction | None:
    """A movement as a direction of travel: improved / worsened through polarity, up / down
    where the polarity makes no judgement, unchanged where the figures show the same."""
    if judged is None:
        return None
    if judged.relation is IN_LINE:
        return Direction.UNCHANGED
    if judged.better is not None:
        return Direction.IMPROVED if judged.better else Direction.WORSENED
    return Direction.UP if judged.relation is ABOVE else Direction.DOWN


def better_of(direction: Direction | None) -> bool | None:
    """A direction of travel as a judgement: improved -> True, worsened -> False, else None."""
    if direction is Direction.IMPROVED:
        return True
    if direction is Direction.WORSENED:
        return False
    return None
