"""How wide a line of chart text is, and how to break text to a width, without a font file.

SVG has no text layout of its own: a legend or a note that is longer than the room for it runs
past the edge of the chart and is cut off. The charts name Liberation Sans first (metric-
compatible with Arial and Helvetica, which come next), so the advance widths of its glyphs,
below in thousandths of the font size, give each line's width as a browser or a PDF lays it out
(tests/test_report_chart_text.py measures it in Chromium). A character not in the tables (a
symbol from another font) counts as a full em: an estimate errs wide, never narrow.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

#: Advance widths (thousandths of an em) of Liberation Sans Regular, by character.
_REGULAR = {
    191: "'",
    222: "ijl",
    260: "|",
    278: " !,./:;I[\\]ft·",
    333: "()-`r",
    334: "{}",
    355: '"',
    389: "*",
    469: "^",
    500: "Jcksvxyz",
    556: "#$0123456789?L_abdeghnopqu–£€",
    584: "+<=>~",
    611: "FTZ",
    667: "&ABEKPSVXY",
    722: "CDHNRUw",
    778: "GOQ",
    833: "Mm",
    889: "%",
    944: "W",
    1000: "—…",
    1015: "@",
}

#: The same for Liberation Sans Bold.
_BOLD = {
    238: "'",
    278: " ,./I\\ijl·",
    280: "|",
    333: "!()-:;[]`ft",
    389: "*r{}",
    474: '"',
    500: "z",
    556: "#$0123456789J_aceksvxy–£€",
    584: "+<=>^~",
    611: "?FLTZbdghnopqu",
    667: "EPSVXY",
    722: "&ABCDHKNRU",
    778: "GOQw",
    833: "M",
    889: "%m",
    944: "W",
    975: "@",
    1000: "—…",
}

_UNKNOWN = 1000


def _table(groups: dict[int, str]) -> dict[str, int]:
    return {ch: width for width, chars in groups.items() for ch in chars}


_WIDTHS = {False: _table(_REGULAR), True: _table(_BOLD)}


@cache
def _ems(text: str, bold: bool) -> int:
    widths = _WIDTHS[bold]
    return sum(widths.get(ch, _UNKNOWN) for ch in text)


def text_width(text: str, size: float, *, bold: bool = False) -> float:
    """The width of ``text`` set in ``size`` (user units) in the charts' font."""
    return _ems(text, bold) * size / 1000


def break_lines(text: str, fits: Callable[[str], bool]) -> list[str]:
    """``text`` broken greedily at spaces into lines that ``fits`` takes (a word that fits no
    line stands alone on its own)."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}" if current else word
        if not current or fits(candidate):
            current = candidate
        else:
            lines.append(current)
            current = word
    if current:
        lines.append(current)
    return lines


def fit(
    text: str, size: float, width: float, *, max_lines: int = 2, bold: bool = False
) -> list[str]:
    """``text`` broken at spaces into lines no wider than ``width``; the last line ends in an
    ellipsis when the text needs more than ``max_lines`` (a word wider than the whole line is
    cut, with an ellipsis)."""
    lines = break_lines(text, lambda line: text_width(line, size, bold=bold) <= width)
    cut = len(lines) > max_lines
    lines = lines[:max_lines]
    out = []
    for i, line in enumerate(lines):
        last = i == len(lines) - 1
        if (cut and last) or text_width(line, size, bold=bold) > width:
            line = _shorten(line, size, width, bold)
        out.append(line)
    return out


def _shorten(line: str, size: float, width: float, bold: bool) -> str:
    """``line`` cut to end in an ellipsis within ``width``: at a space where one is left."""
    while line:
        trial = line.rstrip(" ,;:-") + "…"
        if text_width(trial, size, bold=bold) <= width:
            return trial
        line = line.rsplit(" ", 1)[0] if " " in line.strip() else line[:-1]
    return "…"
