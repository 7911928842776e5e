"""The tidy frame every layout reads into, and the checks both layouts share.

One row per indicator, year and geography, whatever the file looked like:

``key, code``            the indicator (from the map)
``year, year_kind``      the data year by its start (2019 is 2019/20), `financial`/`academic`
``flag``                 `provisional` / `revised` for a column the tool's export marks so
``level``                `national`, `regional` or `la`
``area``                 the geography's code: one row per key, year, level and area
``old_la_code, new_la_code, region_code, region_name, name``
``value, symbol``        the figure, or the published code in its cell (`c`, `blank` ...)
``row, column``          where the cell is (1-based), for every message and record
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from csckpi.model import Problem, Severity
from csckpi.published.symbols import listed

if TYPE_CHECKING:
    import polars as pl

    from csckpi.published.tables import RawTable

MAX_LISTED = 10  # cells of one kind of problem listed one by one; the rest are counted


def schema() -> dict[str, pl.DataType]:
    import polars as pl

    return {
        "key": pl.String(),
        "code": pl.String(),
        "year": pl.Int32(),
        "year_kind": pl.String(),
        "flag": pl.String(),
        "level": pl.String(),
        "area": pl.String(),
        "old_la_code": pl.String(),
        "new_la_code": pl.String(),
        "region_code": pl.String(),
        "region_name": pl.String(),
        "name": pl.String(),
        "value": pl.Float64(),
        "symbol": pl.String(),
        "row": pl.Int64(),
        "column": pl.Int64(),
    }


@dataclass
class Reading:
    """What a layout reader found: the figures (None with errors), problems and notes."""

    figures: pl.DataFrame | None = None
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def error(self, table: RawTable, kind: str, message: str, row: int = 0, col: int = 0) -> None:
        self.problems.append(Problem(table.where, row, col, Severity.ERROR, kind, message))

    @property
    def failed(self) -> bool:
        return any(p.severity is Severity.ERROR for p in self.problems)


def rows_are(n: int) -> str:
    """`1 row is`, `3 rows are`."""
    return f"{n:,} row is" if n == 1 else f"{n:,} rows are"


def check_values(reading: Reading, table: RawTable, frame: pl.DataFrame, extra: str = "") -> None:
    """An error for each cell (up to MAX_LISTED a column) that is neither a number nor a code.

    ``frame`` has ``bad``, ``text``, ``row``, ``column`` and ``header``."""
    import polars as pl

    bad = frame.filter(pl.col("bad")).sort("column", "row")
    for (column,), group in bad.group_by(["column"], maintain_order=True):
        header = group.item(0, "header")
        for row, text in group.head(MAX_LISTED).select("row", "text").iter_rows():
            reading.error(
                table,
                "not-a-number",
                f"{text!r} in {header} is neither a number nor a published symbol "
                f"({listed()}{extra}).",
                row,
                int(column),
            )
        if group.height > MAX_LISTED:
            reading.error(
                table,
                "not-a-number",
                f"{group.height - MAX_LISTED} more cells in {header} are neither numbers nor "
                "published symbols.",
                0,
                int(column),
            )


def check_duplicates(
    reading: Reading, table: RawTable, figures: pl.DataFrame, differ: list[str] | None = None
) -> None:
    """An error for each geography that has more than one row for an indicator and a year.

    ``differ`` names the file's other columns: the message says which of them tell the rows
    apart (a filter the map's ``where`` should pin)."""
    import polars as pl

    from csckpi.periods import fy_label

    groups = (
        figures.group_by("key", "code", "year", "level", "area", maintain_order=True)
        .agg(pl.col("row"), pl.col("column").first(), pl.col("name").first())
        .filter(pl.col("row").list.len() > 1)
    )
    for code, year, name, area, rows, column in (
        groups.head(MAX_LISTED).select("code", "year", "name", "area", "row", "column").iter_rows()
    ):
        shown = ", ".join(str(r) for r in rows[:-1]) + f" and {rows[-1]}"
        are = "are both" if len(rows) == 2 else "are all"
        who = f"{name} ({area})" if area and area != name else name
        hint = _differ(table, rows, differ or [])
        reading.error(
            table,
            "duplicate-geography",
            f"rows {shown} {are} {who} for {fy_label(year)} ({code}): one row per "
            f"geography and year is needed.{hint}",
            rows[1],
            int(column),
        )
    if groups.height > MAX_LISTED:
        reading.error(
            table,
            "duplicate-geography",
            f"{groups.height - MAX_LISTED} more geographies have more than one row a year.",
        )


def _differ(table: RawTable, rows: list[int], columns: list[str]) -> str:
    import polars as pl

    if not columns:
        return " Remove the repeated rows."
    picked = table.frame.filter(pl.col("row").is_in(rows))
    telling = []
    for name in columns:
        index = table.column(name)
        if index is None:
            continue
        values = picked.get_column(f"c{index}").unique(maintain_order=True).to_list()
        if len(values) > 1:
            telling.append((table.header[index], values))
    if not telling:
        return " The rows are the same: remove the repeats."
    name, values = telling[0]
    shown = " and ".join(repr(v) for v in values[:3])
    return (
        f" They differ in {name} ({shown}): pick one in the map, e.g. "
        f'where = {{ {name} = "{values[0]}" }}.'
    )
