"""The national benchmarking tool's (LAIT's) download: one indicator, councils as rows,
years as columns.

The tool's "All Geographies" table downloads (as CSV written by R's ``write.csv``, or as
.xlsx) with the columns ``LA Number``, ``LA and Regions``, one column per year (``2018``,
``2019``, ``2022 (prov)``; ``2019/20`` for some measures), then ``Change from previous
year`` and ``Rank``. Councils come first (``LA Number`` is the three-digit old LA code),
then the regions and England (by name). A figure the tool does not have is ``NA`` (CSV) or
an empty cell (.xlsx); published codes (``c``, ``x``, ``z`` ...) are read as in the
Department's files. Columns that are not years are listed in the notes and left alone.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from csckpi.published.figures import (
    Reading,
    check_duplicates,
    check_values,
    rows_are,
    schema,
)
from csckpi.published.symbols import LAIT_BLANKS, parse
from csckpi.published.tables import canon, canon_column
from csckpi.published.years import HeaderYear, header_year

if TYPE_CHECKING:
    from csckpi.published.mapping import PublishedMap
    from csckpi.published.tables import RawTable

CODE_HEADERS = ("la number", "la num", "la code", "old la code", "lea number")
NAME_HEADERS = ("la and regions", "la name", "local authority", "la", "area")

#: England's regions as the tool and the Department name them -> ONS code.
REGIONS: dict[str, str] = {
    "north east": "E12000001",
    "north west": "E12000002",
    "yorkshire and the humber": "E12000003",
    "east midlands": "E12000004",
    "west midlands": "E12000005",
    "east of england": "E12000006",
    "london": "E12000007",
    "south east": "E12000008",
    "south west": "E12000009",
    "inner london": "E13000001",
    "london (inner)": "E13000001",
    "outer london": "E13000002",
    "london (outer)": "E13000002",
}
#: The England row (some measures also have a state-funded-schools England row: not read).
ENGLAND = ("england", "england (all schools)", "england all schools")
_LA_CODE = re.compile(r"^\d{3}$")


def region_code(name: str) -> str:
    """`Yorkshire and the Humber` -> `E12000003`; '' for a name that is not a region."""
    return REGIONS.get(canon(name), "")


def is_header(cells: list[str]) -> bool:
    names = [canon(c) for c in cells]
    return (
        any(n in CODE_HEADERS for n in names)
        and any(n in NAME_HEADERS for n in names)
        and any(header_year(c, "ending") is not None for c in cells)
    )


def read(table: RawTable, published: PublishedMap, only: str | None = None) -> Reading:
    """The one indicator of the export: the map's only one, or the one called ``only``."""
    import polars as pl

    reading = Reading()
    indicators = [i for i in published.indicators if only is None or i.key == only]
    if len(indicators) != 1:
        codes = ", ".join(i.code for i in published.indicators)
        reading.error(
            table,
            "which-indicator",
            f"the benchmarking tool's export holds one indicator, and the map names "
            f"{len(indicators)} ({codes}): name the one this file holds when importing it, or "
            "give the file a map of its own.",
            table.header_row,
        )
        return reading
    indicator = indicators[0]
    code_at = next((i for i, h in enumerate(table.header) if canon(h) in CODE_HEADERS), None)
    name_at = next((i for i, h in enumerate(table.header) if canon(h) in NAME_HEADERS), None)
    if code_at is None or name_at is None:  # is_header found them; a caller may not have
        reading.error(table, "missing-column", "the export has no LA Number or LA and Regions.")
        return reading
    years: dict[int, HeaderYear] = {}
    ignored = []
    for index, text in enumerate(table.header):
        if index in (code_at, name_at):
            continue
        year = header_year(text, published.bare_years)
        if year is None:
            ignored.append(text or f"column {index + 1}")
        else:
            years[index] = year
    if ignored:
        reading.notes.append(
            f"columns that are not years are not read: {', '.join(repr(t) for t in ignored)}"
        )
    if not years:
        reading.error(table, "missing-column", "the export has no year columns.", table.header_row)
        return reading
    rows = table.frame.select(
        pl.col("row"),
        pl.col(f"c{code_at}").fill_null("").str.strip_chars().alias("la_number"),
        pl.col(f"c{name_at}").fill_null("").str.strip_chars().alias("name"),
    )
    named = canon_column(pl.col("name"))
    level = (
        pl.when(pl.col("la_number").str.contains(_LA_CODE.pattern))
        .then(pl.lit("la"))
        .when(named.is_in(list(ENGLAND)))
        .then(pl.lit("national"))
        .when(named.is_in(list(REGIONS)))
        .then(pl.lit("regional"))
    )
    rows = rows.with_columns(level.alias("level"), named.alias("canon"))
    left_out = rows.filter(pl.col("level").is_null() & (pl.col("name") != ""))
    if left_out.height:
        names = left_out.get_column("name").to_list()
        reading.notes.append(
            f"{rows_are(len(names))} neither a council, a region nor England, and not read "
            f"({', '.join(repr(n) for n in names[:5])})"
        )
    long = (
        pl.concat(
            table.frame.join(rows, on="row").select(
                "row",
                "la_number",
                "name",
                "level",
                "canon",
                pl.lit(year.start, dtype=pl.Int32).alias("year"),
                pl.lit(year.flag).alias("flag"),
                pl.lit(index + 1, dtype=pl.Int64).alias("column"),
                pl.lit(table.header[index]).alias("header"),
                pl.col(f"c{index}").alias("text"),
                *parse(pl.col(f"c{index}"), extra=LAIT_BLANKS),
            )
            for index, year in years.items()
        )
        .filter(pl.col("level").is_not_null())
        .sort("column", "row")
    )
    check_values(reading, table, long, extra=", or NA for no figure")
    if reading.failed:
        return reading
    region = pl.col("canon").replace_strict(REGIONS, default="")
    la = pl.col("level") == "la"
    figures = long.select(
        pl.lit(indicator.key).alias("key"),
        pl.lit(indicator.code).alias("code"),
        pl.col("year"),
        pl.lit("financial").alias("year_kind"),
        pl.col("flag"),
        pl.col("level"),
        pl.when(la).then("la_number").otherwise(pl.col("name")).alias("area"),
        pl.when(la).then("la_number").otherwise(pl.lit("")).alias("old_la_code"),
        pl.lit("").alias("new_la_code"),
        pl.when(pl.col("level") == "regional")
        .then(region)
        .otherwise(pl.lit(""))
        .alias("region_code"),
        pl.when(pl.col("level") == "regional")
        .then("name")
        .otherwise(pl.lit(""))
        .alias("region_name"),
        pl.col("name"),
        (pl.col("value") * indicator.scale).alias("value"),
        pl.col("symbol"),
        pl.col("row"),
        pl.col("column"),
    ).cast(schema())  # type: ignore[arg-type]
    check_duplicates(reading, table, figures)
    if not reading.failed:
        reading.figures = figures
    return reading
