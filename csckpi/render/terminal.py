"""Small pieces of terminal output shared by the renderers."""

from __future__ import annotations

from collections.abc import Sequence

_BARS = "▁▂▃▄▅▆▇█"


def sparkline(values: Sequence[float | None]) -> str:
    """`▁▃▅█` from numbers; a gap (space) where a month has no figure."""
    present = [v for v in values if v is not None]
    if not present:
        return ""
    low, high = min(present), max(present)
    span = high - low
    out = []
    for v in values:
        if v is None:
            out.append(" ")
        elif span == 0:
            out.append(_BARS[len(_BARS) // 2])
        else:
            out.append(_BARS[round((v - low) / span * (len(_BARS) - 1))])
    return "".join(out)


RAG_STYLE = {"green": "bold green", "amber": "bold yellow", "red": "bold red"}
