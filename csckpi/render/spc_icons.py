"""SPC's two icons as every output writes them: a symbol that reads without colour, and words.

The variation icon's arrow is the side of the pattern that decided it (up: above the mean or
rising); its word is the judgement. Assurance has a tick, a cross or a plus-minus. A renderer
that colours them (the report, a terminal) adds colour on top, never instead.
"""

from __future__ import annotations

from csckpi.spc.model import Assurance, Side, Variation

VARIATION_WORDS = {
    Variation.COMMON_CAUSE: "common cause",
    Variation.IMPROVEMENT: "improving",
    Variation.CONCERN: "concern",
    Variation.NEITHER: "special cause",
}
ASSURANCE_SYMBOLS = {
    Assurance.PASSING: "✓",
    Assurance.FAILING: "✗",
    Assurance.HIT_AND_MISS: "±",
}
ASSURANCE_WORDS = {
    Assurance.PASSING: "passing",
    Assurance.FAILING: "failing",
    Assurance.HIT_AND_MISS: "hit and miss",
}


def _variation(value: Variation | str | None) -> Variation | None:
    return None if value is None else Variation(value)


def _assurance(value: Assurance | str | None) -> Assurance | None:
    return None if value is None else Assurance(value)


def variation_symbol(variation: Variation | str | None, side: Side | str | None) -> str:
    """`~` common cause, `↑` / `↓` special cause (its side); "" without limits."""
    found = _variation(variation)
    if found is None:
        return ""
    if found is Variation.COMMON_CAUSE or side is None:
        return "~"
    return "↑" if Side(side) is Side.HIGH else "↓"


def variation_cell(variation: Variation | str | None, side: Side | str | None) -> str:
    """`↑ improving`, `↓ concern`, `~ common cause`; "" without limits."""
    found = _variation(variation)
    if found is None:
        return ""
    return f"{variation_symbol(found, side)} {VARIATION_WORDS[found]}"


def assurance_cell(assurance: Assurance | str | None) -> str:
    """`✓ passing`, `✗ failing`, `± hit and miss`; "" without an assurance icon."""
    found = _assurance(assurance)
    if found is None:
        return ""
    return f"{ASSURANCE_SYMBOLS[found]} {ASSURANCE_WORDS[found]}"


def variation_text(variation: Variation | str | None, side: Side | str | None) -> str:
    """The icon in words for print and screen readers: "special cause improvement (high)"."""
    found = _variation(variation)
    if found is None:
        return ""
    if found is Variation.COMMON_CAUSE or side is None:
        return found.value
    return f"{found.value} ({Side(side).value})"
