"""Finding indicators by what a user types: any spelling of a code, or part of a section name.

One lookup for every command, so `compute`, `compare`, `narrate`, `report` and `history` all
answer a mistyped code the same way: "Indicator 'CSC 22' is not in the store. Did you mean
'CSC 022'?"
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence

from csckpi.errors import UnknownIndicator
from csckpi.model import Indicator, normalise_code

_LEADING_ZEROS = re.compile(r"(?<!\d)0+(?=\d)")


def _loose(key: str) -> str:
    """`CSC022` and `CSC22` alike: digits without their leading zeros."""
    return _LEADING_ZEROS.sub("", key)


def find_indicator(indicators: Sequence[Indicator], code: str, where: str) -> Indicator:
    """The indicator written ``code`` (case, spaces and `-_.` aside).

    Raises :class:`UnknownIndicator` naming ``where`` it looked ("the workbook x.xlsx", "the
    store csckpi.db") and suggesting the nearest codes.
    """
    key = normalise_code(code)
    for indicator in indicators:
        if indicator.key == key:
            return indicator
    if not indicators:
        raise UnknownIndicator(
            f"Indicator '{code}' is not in {where}: it holds no indicators yet.",
            "Load a workbook first: csckpi ingest WORKBOOK.",
        )
    # `CSC 22` for `CSC 022`: suggested, not guessed (codes are matched exactly but for case,
    # spaces and punctuation, so a typo never silently reads another indicator).
    near = [ind for ind in indicators if _loose(ind.key) == _loose(key)]
    if not near:
        by_key = {ind.key: ind for ind in indicators}
        near = [by_key[k] for k in difflib.get_close_matches(key, list(by_key), n=3, cutoff=0.6)]
    if near:
        named = [f"'{ind.code}'" for ind in near]  # 'A', 'B' or 'C'
        either = ", ".join(named[:-1]) + " or " + named[-1] if len(named) > 1 else named[0]
        hint = f"Did you mean {either}?"
    else:
        codes = [ind.code for ind in indicators]
        listed = ", ".join(codes[:8]) + (f" and {len(codes) - 8} more" if len(codes) > 8 else "")
        hint = f"It has {listed}."
    raise UnknownIndicator(f"Indicator '{code}' is not in {where}.", hint)


def select(
    indicators: Sequence[Indicator],
    codes: Sequence[str] = (),
    sections: Sequence[str] = (),
    where: str = "the workbook",
) -> list[Indicator]:
    """The indicators named by ``codes`` (in that order), then those whose section contains any
    of ``sections`` (case-insensitive, workbook order); each once. Neither given: all of them."""
    chosen: list[Indicator] = [find_indicator(indicators, code, where) for code in codes]
    for text in sections:
        needle = text.strip().lower()
        matched = [ind for ind in indicators if needle in ind.section.lower()]
        if not matched:
            known = list(dict.fromkeys(ind.section for ind in indicators))
            raise UnknownIndicator(
                f"No section of {where} contains '{text}'.",
                "Sections: " + "; ".join(known) + "." if known else None,
            )
        chosen.extend(sorted(matched, key=lambda ind: ind.order))
    if not codes and not sections:
        chosen = sorted(indicators, key=lambda ind: ind.order)
    unique: dict[str, Indicator] = {}
    for ind in chosen:
        unique.setdefault(ind.key, ind)
    return list(unique.values())
