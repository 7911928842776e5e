"""A statistical-neighbour list: each council's ten closest councils, and the list's version.

The Department publishes the children's services statistical-neighbour groupings (used by
the benchmarking tool) as a table, one council a row:

    LA num,LA Name,LA number,GOInd,GOReg,SN1,SNP,SN2,SNP, ... ,SN10,SNP
    841,Darlington,841,4,North East,808,Very Close,390,Very Close, ...

(April 2021); the 2025 model writes ``old_la_code,la_name,region_ind,region_name,SN_1,
SN_1P, ...``. Both are read: the council's code column, its region, and the ``SN1`` ...
``SN10`` columns in order (the closeness columns are not needed). Codes are the three-digit
old LA codes; a list written with the ONS codes (``E06000005``) is read as well.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from csckpi.model import Problem, Severity
from csckpi.published.tables import Unreadable, canon, read_table

if TYPE_CHECKING:
    from csckpi.published.mapping import NeighbourSource

CODE_HEADERS = ("la num", "la number", "old la code", "la code", "new la code", "code")
REGION_HEADERS = ("goreg", "region name", "region")
_SN = re.compile(r"^sn ?(\d+)$")
EXPECTED = 10


@dataclass(frozen=True)
class NeighbourList:
    """One council's neighbours from a list."""

    version: str
    source: str  # the list's file name
    council: str  # the council's code as the list writes it
    codes: tuple[str, ...]  # its neighbours, closest first
    region: str  # the council's region as the list names it ('' when it has no column)
    uses_new_codes: bool  # the list writes ONS codes (E06000005), not 841


def is_header(cells: list[str]) -> bool:
    names = [canon(c) for c in cells]
    return any(n in CODE_HEADERS for n in names) and any(_SN.match(n) for n in names)


def read_neighbours(
    source: NeighbourSource, old_code: str, new_code: str
) -> tuple[NeighbourList | None, list[Problem]]:
    """The neighbours of the council (``old_code`` / ``new_code``) in the list at ``source``."""
    name = source.path.name
    problems: list[Problem] = []

    def error(kind: str, message: str, row: int = 0, column: int = 0) -> None:
        problems.append(Problem(name, row, column, Severity.ERROR, kind, message))

    try:
        table = read_table(source.path, is_header)
    except Unreadable as exc:
        error("unreadable", f"the statistical-neighbour list cannot be read: {exc}")
        return None, problems
    names = [canon(h) for h in table.header]
    code_at = next((i for i, n in enumerate(names) if n in CODE_HEADERS), None)
    columns = sorted((int(m[1]), i) for i, n in enumerate(names) if (m := _SN.match(n)) is not None)
    if code_at is None or not columns:
        error(
            "not-a-neighbour-list",
            "this is not a statistical-neighbour list: it needs a column of council codes "
            "(LA num or old_la_code) and the neighbours' codes in SN1 ... SN10.",
            1,
        )
        return None, problems
    region_at = next((i for i, n in enumerate(names) if n in REGION_HEADERS), None)
    codes = table.frame.get_column(f"c{code_at}").fill_null("").str.strip_chars()
    uses_new = bool(codes.str.contains(r"^E\d{8}$").any())
    wanted = new_code if uses_new else old_code
    found = table.frame.filter(codes == wanted)
    if found.is_empty() or not wanted:
        shown = f"{old_code} / {new_code}" if old_code and new_code else old_code or new_code
        error(
            "not-in-neighbour-list",
            f"the council ({shown}) is not in the list's {table.header[code_at]} column: "
            "check the map's council code, or give the list the council belongs to.",
            0,
            code_at + 1,
        )
        return None, problems
    row = found.row(0, named=True)
    neighbours = tuple(text.strip() for _n, i in columns if (text := (row[f"c{i}"] or "")).strip())
    if len(neighbours) != EXPECTED:
        problems.append(
            Problem(
                name,
                int(row["row"]),
                code_at + 1,
                Severity.WARNING,
                "neighbour-count",
                f"the list has {len(neighbours)} neighbours for {wanted}, not {EXPECTED}: the "
                f"averages are of the {len(neighbours)} listed.",
            )
        )
    region = (row[f"c{region_at}"] or "").strip() if region_at is not None else ""
    return (
        NeighbourList(
            version=source.version or source.path.stem,
            source=name,
            council=wanted,
            codes=neighbours,
            region=region,
            uses_new_codes=uses_new,
        ),
        problems,
    )
