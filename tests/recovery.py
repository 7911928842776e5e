"""An attacker for published outputs: what can a reader work out from what is shown?

Written apart from ``csckpi.disclosure`` (it shares no code with it): a reader has the
figures an output shows and the arithmetic every indicator obeys, and solves any equation
with one unknown, again and again, until nothing new follows. The tests then assert that no
figure written `c` — and no hidden count of 1 to the threshold — is among what follows.

Equations are over named variables: ``Sum(total, parts)`` (total = sum of parts) and
``Ratio(out, num, den, factor)`` (out = factor x num / den: a percentage, a rate per 10,000).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Sum:
    total: str
    parts: tuple[str, ...]


@dataclass(frozen=True)
class Ratio:
    out: str
    num: str
    den: str
    factor: float


Equation = Sum | Ratio


def _solve_sum(eq: Sum, known: dict[str, float]) -> tuple[str, float] | None:
    names = (eq.total, *eq.parts)
    unknown = [n for n in names if n not in known]
    if len(unknown) != 1:
        return None
    name = unknown[0]
    parts = sum(known[p] for p in eq.parts if p in known)
    if name == eq.total:
        return name, parts
    return name, known[eq.total] - parts


def _solve_ratio(eq: Ratio, known: dict[str, float]) -> tuple[str, float] | None:
    unknown = [n for n in (eq.out, eq.num, eq.den) if n not in known]
    if len(unknown) != 1:
        return None
    name = unknown[0]
    if name == eq.out:
        den = known[eq.den]
        return (name, eq.factor * known[eq.num] / den) if den else None
    if name == eq.num:
        return name, known[eq.out] * known[eq.den] / eq.factor
    out = known[eq.out]
    return (name, eq.factor * known[eq.num] / out) if out else None


def recover(known: Mapping[str, float], equations: Iterable[Equation]) -> dict[str, float]:
    """Everything that follows from ``known`` through ``equations`` (``known`` included)."""
    found = dict(known)
    eqs = list(equations)
    while True:
        new = False
        for eq in eqs:
            solved = _solve_sum(eq, found) if isinstance(eq, Sum) else _solve_ratio(eq, found)
            if solved is not None and solved[0] not in found:
                found[solved[0]] = solved[1]
                new = True
        if not new:
            return found
