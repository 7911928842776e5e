"""The scorecard: every indicator for one period, as a terminal table, plain text, data or Excel.

The frame comes from :func:`csckpi.compute.compute` (unrounded); this module rounds each figure
to its indicator's decimals for people (tables, Markdown), for scripts (JSON, CSV) and in Excel
(numbers with a number format: the figure shown is the figure in the cell).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import polars as pl

from csckpi import numbers
from csckpi.periods import Month
from csckpi.render.scorecard_xlsx import XLSX_COLUMNS as XLSX_COLUMNS  # written there
from csckpi.render.scorecard_xlsx import write_xlsx as write_xlsx
from csckpi.render.spc_icons import assurance_cell, variation_cell
from csckpi.render.tables import to_markdown
from csckpi.render.terminal import RAG_STYLE, sparkline

if TYPE_CHECKING:
    from csckpi.publish import Publication


#: The fields of each JSON object / CSV row, in order (docs/json.md).
DATA_FIELDS = (
    "code",
    "key",
    "title",
    "section",
    "period",
    "unit",
    "polarity",
    "measure",
    "decimals",
    "value",
    "basis",
    "reported",
    "numerator",
    "denominator",
    "flow",
    "last_year_flow",
    "ytd",
    "target",
    "tolerance",
    "rag",
    "last_year",
    "change",
    "direction",
    "previous",
    "previous_change",
    "previous_direction",
    "reason",
    "flow_change",
    "flow_direction",
    "variation",
    "variation_side",
    "assurance",
    "spc_reason",
    "target_year",
    "target_per",
)
#: Figures in the indicator's own unit: rounded to its decimals in JSON, CSV and Excel.
ROUNDED = (
    "value",
    "reported",
    "flow",
    "last_year_flow",
    "ytd",
    "last_year",
    "change",
    "previous",
    "previous_change",
    "flow_change",
)

HEADERS = (
    "Code",
    "Indicator",
    "Value",
    "In period",
    "Target",
    "RAG",
    "Last year",
    "vs last year",
    "Previous",
    "vs previous",
    "YTD",
    "Last 12 months",
    "Variation",
    "Assurance",
    "Basis",
)
#: The SPC columns: left out of every table when no indicator has control limits.
SPC_HEADERS = ("Variation", "Assurance")
TITLE_WIDTH = 50
TREND_MONTHS = 12
DASH = "–"
GAP = "·"  # a month with no figure in the sparkline

Trends = Mapping[str, Sequence[float | None]]
#: A row's figures written as a symbol under ``--publish`` (figure -> `c`, `z` or `x`).
Marks = Mapping[str, str]
_NO_MARKS: Marks = {}


def _marks(publish: Publication | None, key: str) -> Marks:
    return publish.marks.get(key, _NO_MARKS) if publish is not None else _NO_MARKS


# -- numbers ---------------------------------------------------------------------------------


def figure(value: float | None, places: int, unit: str, *, suffix: bool = True) -> str:
    """`85.2%`, `1,002`, `126.5`; `–` when there is no figure."""
    if value is None:
        return DASH
    return numbers.figure(value, unit, places) if suffix else numbers.number(value, places)


def _versus(change: float | None, direction: str | None, places: int) -> str:
    if change is None or direction is None:
        return ""
    return f"{numbers.signed(change, places)} {direction}"


def _short(text: str, width: int = TITLE_WIDTH) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


# -- rows ------------------------------------------------------------------------------------


def data_rows(frame: pl.DataFrame, publish: Publication | None = None) -> list[dict[str, Any]]:
    """One dict per indicator for JSON and CSV: figures rounded to the indicator's decimals;
    under ``--publish``, a figure not shown is its symbol (`c`, `z`, `x`)."""
    rows = []
    for row in frame.iter_rows(named=True):
        out = {field: row[field] for field in DATA_FIELDS}
        # what the target is set for, said only where it was not compared as set
        as_set = row["target_as_set"] is not None and row["target_scale"] == 1
        out["target_per"] = None if row["target_as_set"] is None or as_set else row["target_per"]
        for field in ROUNDED:
            out[field] = numbers.shown(row[field], row["decimals"])
        for field in ("numerator", "denominator"):
            if isinstance(out[field], float) and out[field].is_integer():
                out[field] = int(out[field])
        for field, mark in _marks(publish, row["key"]).items():
            out[field] = numbers.symbol(mark)
        rows.append(out)
    return rows


def as_json(frame: pl.DataFrame, publish: Publication | None = None) -> str:
    """The rows as JSON; published, an object with the note first (docs/json.md)."""
    from csckpi.render.tables import to_json

    rows = data_rows(frame, publish)
    if publish is None:
        return to_json(rows)
    return to_json({"disclosure": publish.as_dict(), "indicators": rows})


def as_delimited(frame: pl.DataFrame, delimiter: str, publish: Publication | None = None) -> str:
    """The rows as CSV or TSV; published, the note as a `#` line after them."""
    from csckpi.render.tables import to_delimited

    text = to_delimited(data_rows(frame, publish), delimiter)
    return text if publish is None else f"{text}# {publish.note}\n"


def display_row(
    row: Mapping[str, Any], trend: Sequence[float | None], marks: Marks = _NO_MARKS
) -> list[str]:
    """A row of the table. A cumulative count shows its flow beside its running total, and
    last year beside the flow: the same period's flow a year earlier (CSC 036 Q3: 203 on 204);
    its previous period is a flow too (compute). ``marks``: figures written as a symbol
    (``--publish``)."""
    places, unit = row["decimals"], row["unit"]
    if row["flow"] is not None:
        names = ("last_year_flow", "flow_change", "flow_direction")
        last_unit = "count"
    else:
        names = ("last_year", "change", "direction")
        last_unit = unit
    last_year, change, direction = (row[name] for name in names)

    def shown(name: str, text: str) -> str:
        return numbers.symbol(marks[name]) if name in marks else text

    return [
        row["code"],
        _short(row["title"]),
        shown("value", figure(row["value"], places, unit)),
        shown("flow", "" if row["flow"] is None else figure(row["flow"], places, "count")),
        shown("target", numbers.target(row["target"], unit, places)),
        row["rag"] or "",
        shown(names[0], "" if last_year is None else figure(last_year, places, last_unit)),
        shown(names[1], _versus(change, direction, places)),
        shown("previous", "" if row["previous"] is None else figure(row["previous"], places, unit)),
        shown(
            "previous_change", _versus(row["previous_change"], row["previous_direction"], places)
        ),
        shown("ytd", "" if row["ytd"] is None else figure(row["ytd"], places, unit)),
        sparkline(list(trend)).replace(" ", GAP),
        variation_cell(row.get("variation"), row.get("variation_side")),
        assurance_cell(row.get("assurance")),
        row["basis"],
    ]


def _without_empty_spc(
    headers: Sequence[str], body: list[list[str]]
) -> tuple[list[str], list[list[str]]]:
    """The SPC columns only when some indicator has control limits (a row with an icon)."""
    drop = {i for i, h in enumerate(headers) if h in SPC_HEADERS and not any(r[i] for r in body)}
    keep = [i for i in range(len(headers)) if i not in drop]
    return [headers[i] for i in keep], [[r[i] for i in keep] for r in body]


def notes(
    frame: pl.DataFrame, from_records: Collection[str] = (), publish: Publication | None = None
) -> list[str]:
    """Why a figure is missing, a warning about a figure (a reported percentage outside its
    months), and where the figure shown and the workbook's reported one differ: computed from
    the workbook's months, or (``from_records``: the keys whose figures come from the
    children's records) derived from the records. Under ``--publish`` a note never states a
    suppressed figure (a note beside one is withheld with it), and the last note says what
    was suppressed and why."""
    out = []
    for row in frame.iter_rows(named=True):
        places, unit = row["decimals"], row["unit"]
        marks = _marks(publish, row["key"])
        if numbers.Symbol.SUPPRESSED in (marks.get("value"), marks.get("reported")):
            if row["reason"] or row["basis"] == "differs":
                out.append(f"{row['code']}: a note on this figure is withheld with it.")
        elif row["reason"]:
            out.append(f"{row['code']}: {row['reason']}.")
        elif row["basis"] == "differs":
            said = differs(
                figure(row["value"], places, unit),
                figure(row["reported"], places, unit),
                row["period"],
                from_records=row["key"] in from_records,
            )
            out.append(f"{row['code']}: {said}.")
    if publish is not None:
        out.append(publish.note)
    return out


def differs(value: str, reported: str, period: str, *, from_records: bool) -> str:
    """`72.7% from the children's records (Annex A); the workbook reports 85.2% for Dec-20`
    (or `computed 4 from the months; ...`): where the figure shown is not the workbook's."""
    said = (
        f"{value} from the children's records (Annex A)"
        if from_records
        else f"computed {value} from the months"
    )
    return f"{said}; the workbook reports {reported} for {period}"


def heading(period: str, council: str | None, source: str) -> str:
    """`Scorecard · Q3 2020/21 · Darlington · darlington-2020-21-q3.xlsx`."""
    return " · ".join(part for part in ("Scorecard", period, council, source) if part)


def _sections(frame: pl.DataFrame) -> list[tuple[str, list[dict[str, Any]]]]:
    groups: dict[str, list[dict[str, Any]]] = {}
    for row in frame.iter_rows(named=True):
        groups.setdefault(row["section"], []).append(row)
    return list(groups.items())


#: Columns right-aligned in the plain and rich tables.
NUMERIC = frozenset({"Value", "In period", "Target", "Last year", "Previous", "YTD"})


def columns(headers: Sequence[str], body: Sequence[Sequence[str]]) -> list[str]:
    """Rows as plain aligned columns under a dashed rule (what `tabulate`'s "simple" format
    gives, without its cost on a few hundred rows): numbers right-aligned, text left."""
    widths = [max([len(h), *(len(row[i]) for row in body)]) for i, h in enumerate(headers)]

    def line(cells: Sequence[str]) -> str:
        out = [
            cell.rjust(width) if header in NUMERIC else cell.ljust(width)
            for cell, width, header in zip(cells, widths, headers, strict=True)
        ]
        return "  ".join(out).rstrip()

    return [line(headers), "  ".join("-" * w for w in widths), *(line(row) for row in body)]


def plain(
    frame: pl.DataFrame,
    trends: Trends,
    title: str,
    from_records: Collection[str] = (),
    *,
    publish: Publication | None = None,
) -> str:
    """The scorecard as plain text: no colour, no box drawing; one table, grouped by section."""
    body: list[list[str]] = []
    for section, rows in _sections(frame):
        if body:
            body.append([""] * len(HEADERS))
        body.append(["", section.upper()] + [""] * (len(HEADERS) - 2))
        body.extend(
            display_row(row, trends.get(row["key"], ()), _marks(publish, row["key"]))
            for row in rows
        )
    headers, body = _without_empty_spc(HEADERS, body)
    lines = [title, "", *columns(headers, body)]
    found = notes(frame, from_records, publish)
    if found:
        lines += ["", "Notes:", *[f"  {note}" for note in found]]
    return "\n".join(lines) + "\n"


def markdown(
    frame: pl.DataFrame,
    trends: Trends,
    from_records: Collection[str] = (),
    *,
    publish: Publication | None = None,
) -> str:
    """A GitHub Markdown table for a document: whole titles (a page wraps them), then the
    notes (why a figure is missing, both figures where they differ) as a list."""
    records = list(frame.iter_rows(named=True))
    headers, body = _without_empty_spc(
        HEADERS,
        [
            display_row(row, trends.get(row["key"], ()), _marks(publish, row["key"]))
            for row in records
        ],
    )
    rows = [
        {
            "Section": row["section"],
            **dict(zip(headers, cells, strict=True)),
            "Indicator": row["title"],
        }
        for row, cells in zip(records, body, strict=True)
    ]
    text = to_markdown(rows)
    found = notes(frame, from_records, publish)
    if found:
        text += "\nNotes:\n\n" + "".join(f"- {note}\n" for note in found)
    return text


#: Columns a terminal too narrow for them all loses, first to last; Code, Indicator and Value
#: always stay, and the rest keep their order. Basis goes early because a value whose computed
#: and reported figures differ is also a note under the table, with both figures.
#: What goes, in this order, when a terminal is too narrow for every column: a change goes
#: with its base (never `vs previous` without `Previous`), and one line under the table says
#: which columns were left out.
DROP_ORDER = (
    ("Previous", "vs previous"),
    ("Last year", "vs last year"),
    ("Basis",),
    ("Assurance",),
    ("YTD",),
    ("In period",),
    ("Variation",),
    ("Last 12 months",),
    ("Target", "RAG"),
)
#: The narrowest Indicator column worth keeping a column's worth of figures for.
INDICATOR_MIN = 20


def _natural(header: str, cells: Sequence[str], *, wrap: bool = True) -> int:
    """A column's width: its widest cell, and at least its header (``wrap``: the header's
    longest word, as a header may wrap onto two lines: `Last 12` / `months`)."""
    from rich.cells import cell_len

    words = header.split() if wrap else [header]
    return max([*(cell_len(word) for word in words), *(cell_len(c) for c in cells)])


def fit_columns(body: Sequence[Sequence[str]], width: int | None) -> dict[int, int]:
    """Which of :data:`HEADERS` a ``width``-column terminal shows (their indexes, in order) and
    how wide each is. A column empty on every row is left out; while the rest leave the
    Indicator fewer than :data:`INDICATOR_MIN` columns, columns go in :data:`DROP_ORDER`; what
    room is left unwraps headers. Figures are never cut: only titles are shortened (with an
    ellipsis). ``width`` None: no limit."""
    from rich.cells import cell_len

    narrow = {i: _natural(h, [row[i] for row in body]) for i, h in enumerate(HEADERS)}
    wide = {i: _natural(h, [row[i] for row in body], wrap=False) for i, h in enumerate(HEADERS)}
    title = min(TITLE_WIDTH, max([cell_len(row[1]) for row in body] + [len("Indicator")]))
    kept = [
        i
        for i, header in enumerate(HEADERS)
        if header in ("Code", "Indicator", "Value") or any(row[i] for row in body)
    ]
    if width is None:
        return {i: title if HEADERS[i] == "Indicator" else wide[i] for i in kept}

    def room() -> int:  # what the Indicator column gets: box edges and padding are 3n + 1
        others = sum(narrow[i] for i in kept if HEADERS[i] != "Indicator")
        return width - others - 3 * len(kept) - 1

    for group in DROP_ORDER:
        if room() >= min(title, INDICATOR_MIN):
            break
        kept = [i for i in kept if HEADERS[i] not in group]
    title = max(1, min(title, room()))
    spare = room() - title
    widths = {}
    for i in kept:
        widths[i] = narrow[i]
        if HEADERS[i] == "Indicator":
            widths[i] = title
        elif wide[i] - narrow[i] <= spare:
            widths[i], spare = wide[i], spare - (wide[i] - narrow[i])
    return widths


def _table_body(
    frame: pl.DataFrame, trends: Trends, publish: Publication | None = None
) -> tuple[list[tuple[str, list[tuple[dict[str, Any], list[str]]]]], list[list[str]]]:
    sections = [
        (
            section,
            [
                (row, display_row(row, trends.get(row["key"], ()), _marks(publish, row["key"])))
                for row in rows
            ],
        )
        for section, rows in _sections(frame)
    ]
    body = [[*cells[:1], row["title"], *cells[2:]] for _s, rows in sections for row, cells in rows]
    body += [["", section, *[""] * (len(HEADERS) - 2)] for section, _rows in sections]
    return sections, body


def dropped_columns(
    frame: pl.DataFrame, trends: Trends, width: int, publish: Publication | None = None
) -> list[str]:
    """The columns a ``width``-column terminal leaves out (that have something to show)."""
    body = _table_body(frame, trends, publish)[1]
    shown = fit_columns(body, width)
    return [HEADERS[i] for i in fit_columns(body, None) if i not in shown]


def rich_table(
    frame: pl.DataFrame,
    trends: Trends,
    title: str,
    *,
    width: int | None = None,
    publish: Publication | None = None,
) -> Any:
    """A rich Table, grouped by section, RAG coloured, fitted to a ``width``-column terminal
    (:func:`fit_columns`)."""
    from rich.table import Table
    from rich.text import Text

    sections, body = _table_body(frame, trends, publish)
    widths = fit_columns(body, width)
    kept = list(widths)

    table = Table(title=title, title_justify="left", header_style="bold", expand=False)
    for i in kept:
        header = HEADERS[i]
        if header == "Indicator":
            table.add_column(header, width=widths[i], no_wrap=True, overflow="ellipsis")
        else:
            table.add_column(
                header,
                justify="right" if header in NUMERIC else "left",
                width=widths[i],
            )
    for n, (section, rows) in enumerate(sections):
        if n:
            table.add_section()
        table.add_row(*[Text(section, style="bold") if i == 1 else "" for i in kept])
        for row, cells in rows:
            styled: list[Any] = list(cells)
            styled[1] = row["title"]
            style = RAG_STYLE.get(row["rag"] or "", "")
            styled[2] = Text(cells[2], style=style)
            styled[5] = Text(cells[5], style=style)
            basis = HEADERS.index("Basis")
            if row["basis"] in ("differs", "none"):
                styled[basis] = Text(cells[basis], style="yellow")
            table.add_row(*[styled[i] for i in kept])
    return table


# -- output ----------------------------------------------------------------------------------


def print_table(
    frame: pl.DataFrame,
    trends: Trends,
    title: str,
    from_records: Collection[str] = (),
    *,
    publish: Publication | None = None,
) -> None:
    """The scorecard on a terminal: the rich table fitted to its width, the notes under it.
    (Every format, this one included, is listed in :data:`csckpi.render.outputs.SCORECARD`.)"""
    from rich.console import Console

    console = Console()
    console.print(rich_table(frame, trends, title, width=console.width, publish=publish))
    dropped = dropped_columns(frame, trends, console.width, publish)
    if dropped:
        console.print(
            f"  Left out to fit {console.width} columns: {', '.join(dropped)} "
            "(a wider terminal shows them; --format text shows every column).",
            style="dim",
            highlight=False,
        )
    for note in notes(frame, from_records, publish):
        console.print(f"  {note}", style="dim", highlight=False)


def trends(
    months: pl.DataFrame, end: Month, count: int = TREND_MONTHS
) -> dict[str, list[float | None]]:
    """key -> the values of the ``count`` months to ``end`` (None where a month has none)."""
    first = end - (count - 1)
    window = [(first + i).date for i in range(count)]
    grid = (
        months.select("key")
        .unique()
        .join(pl.DataFrame({"month": window}), how="cross")
        .join(months.select("key", "month", "value"), on=["key", "month"], how="left")
        .sort("key", "month")
        .group_by("key", maintain_order=True)
        .agg(pl.col("value"))
    )
    return dict(
        zip(grid.get_column("key").to_list(), grid.get_column("value").to_list(), strict=True)
    )
