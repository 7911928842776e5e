"""The codes published statistics write where a figure is not a number, and what they mean.

The Department for Education's data files follow the Government Statistical Service's
symbols (the open data standards of explore-education-statistics, "Data symbols"):
``c`` confidential, ``x`` not available, ``z`` not applicable, ``low`` rounds to zero but is
not zero, ``u`` low reliability; ``:`` and ``~`` are their old forms. Children's social care
files also write ``k`` (rounds to zero). A code is never a number: the cell keeps its code.

Cells are read as text and parsed in polars over whole columns (:func:`parse`), never one
by one in Python.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import polars as pl

#: code (lower case) -> what it means. The order is the order messages list them in.
SYMBOLS: dict[str, str] = {
    "c": "confidential: suppressed to protect individuals",
    "k": "rounds to zero",
    "low": "rounds to zero but is not zero",
    "u": "low reliability",
    "x": "not available",
    "z": "not applicable",
    ":": "not available (an older symbol for x)",
    "~": "rounds to zero (an older symbol for low)",
}

#: What the benchmarking tool's export writes for a figure it does not have: R's ``NA`` in
#: its CSV download, a dash or an empty cell. The export does not say why.
_NO_FIGURE = "the export has no figure: suppressed or not collected, it does not say which"
LAIT_BLANKS: dict[str, str] = {"na": _NO_FIGURE, "-": _NO_FIGURE}

BLANK = "blank"  # the symbol given to an empty cell: no figure, and nothing said about why

#: Every symbol a cell may be read as, numbered from 1 in this order where a store keeps one
#: as a figure (a standing's ``symbol``). Append only: a store's numbers must keep meaning.
CODES: tuple[str, ...] = (*SYMBOLS, *LAIT_BLANKS, BLANK)


def listed(extra: dict[str, str] | None = None) -> str:
    """The codes a message lists: `c, k, low, u, x, z, : or ~`."""
    codes = list(SYMBOLS) + list(extra or {})
    return ", ".join(codes[:-1]) + " or " + codes[-1]


def meaning(symbol: str) -> str:
    """`c` -> `c (confidential: suppressed to protect individuals)`."""
    if symbol == BLANK:
        return "an empty cell"
    known = SYMBOLS.get(symbol) or LAIT_BLANKS.get(symbol)
    shown = "NA" if symbol == "na" else symbol
    return f"{shown} ({known})" if known else shown


def parse(text: pl.Expr, *, extra: dict[str, str] | None = None) -> list[pl.Expr]:
    """Three columns from a column of cell texts: ``value`` (Float64, null unless a number),
    ``symbol`` (the code in lower case, `blank` for an empty cell, null for a number) and
    ``bad`` (true for text that is neither a number nor a known code).

    Numbers may carry thousands separators (``1,234``); ``nan`` and ``inf`` are not numbers.
    """
    import polars as pl

    codes = list(SYMBOLS) + list(extra or {})
    cell = text.cast(pl.String).str.strip_chars()
    lower = cell.str.to_lowercase()
    number = cell.str.replace_all(",", "", literal=True).cast(pl.Float64, strict=False)
    number = pl.when(number.is_finite()).then(number)
    empty = cell.is_null() | (cell == "")
    symbol = pl.when(empty).then(pl.lit(BLANK)).when(lower.is_in(codes)).then(lower)
    return [
        number.alias("value"),
        symbol.alias("symbol"),
        (~empty & ~lower.is_in(codes) & number.is_null()).alias("bad"),
    ]
