"""The Commentary sheet: the analyst's own words on an indicator in a period -> Comments.

One row per indicator and period: code, period, text, and optionally carry (offer it again in
the periods after) and author. Kept as written; docs/commentary.md says how they are shown.
"""

from __future__ import annotations

import datetime as dt

from csckpi.commentary import Comment, check_text
from csckpi.errors import PeriodError
from csckpi.periods import Month, Period, parse_period
from csckpi.workbook.cells import cell_name, quoted, text
from csckpi.workbook.columns import Columns
from csckpi.workbook.layout import COMMENTARY, COMMENTARY_OPTIONAL
from csckpi.workbook.problems import sheet_notes
from csckpi.workbook.sheet_reader import SheetReader
from csckpi.workbook.sheets import RawSheet, Row, canon

#: What a `carry` cell may say (any case; blank is no).
CARRY = {
    "yes": True,
    "y": True,
    "true": True,
    "1": True,
    "x": True,
    "carry": True,
    "carry forward": True,
    "no": False,
    "n": False,
    "false": False,
    "0": False,
}
_PERIOD_HINT = (
    "write the period it is about: a month (Dec-20), a quarter (Q3 2020/21), a year to date "
    "(2020/21 YTD) or a financial year (2020/21)"
)


class CommentaryReader(SheetReader):
    """The Commentary sheet."""

    def _commentary(self, sheet: RawSheet) -> tuple[Comment, ...]:
        table = self._table(sheet, "code", COMMENTARY)
        if table is None:
            return ()
        cols = Columns(table, COMMENTARY, COMMENTARY_OPTIONAL, self.out)
        self._no_header_columns(table, set(cols.known.values()), warn=False)
        if not cols.ok:
            return ()
        comments: list[Comment] = []
        title = sheet.title
        seen: dict[tuple[str, str], int] = {}
        for index, cells in table.body:
            indicator = self._row_code(cols, index, cells)
            if indicator is None:
                continue
            period = self._comment_period(title, index, cols.column("period"), cols, cells)
            if period is None:
                continue
            words = cols.text(cells, "text")
            if not words:
                self.out.notes.append(
                    f"{title} row {index}: {indicator.code} {period.label} has no text yet — "
                    "skipped"
                )
                continue
            problem = check_text(words)
            if problem is not None:
                self.out.error(title, index, cols.column("text"), "bad-comment", problem)
                continue
            carry = self._carry(title, index, cols.column("carry"), cols.value(cells, "carry"))
            if carry is None:
                continue
            slot = (indicator.key, period.key)
            if slot in seen:
                self.out.error(
                    title,
                    index,
                    cols.column("period"),
                    "duplicate-comment",
                    f"{indicator.code} {period.label} already has a comment on row "
                    f"{seen[slot]} — one comment per indicator and period (join the two)",
                )
                continue
            seen[slot] = index
            comments.append(
                Comment(
                    key=indicator.key,
                    code=indicator.code,
                    period=period.key,
                    text=words,
                    carry=carry,
                    author=cols.text(cells, "author"),
                    file=self.source,
                    sheet=title,
                    cell=cell_name(index, cols.column("text")),
                )
            )
        sheet_notes(sheet, table, cols.known.values(), self.out)
        return tuple(comments)

    def _comment_period(
        self, title: str, index: int, column: int, cols: Columns, cells: Row
    ) -> Period | None:
        value = cols.value(cells, "period")
        if isinstance(value, dt.date):
            return Period.of_month(Month.from_date(value))
        written = text(value)
        try:
            return parse_period(written)
        except PeriodError:
            found = f"{quoted(written)} is not a period" if written else "the row has no period"
            self.out.error(title, index, column, "not-a-period", f"{found} — {_PERIOD_HINT}")
            return None

    def _carry(self, title: str, index: int, column: int, value: object) -> bool | None:
        if isinstance(value, bool):
            return value
        written = text(value)
        if not written:
            return False
        carry = CARRY.get(canon(written).replace("_", " "))
        if carry is None:
            self.out.error(
                title,
                index,
                column,
                "bad-carry",
                f"{quoted(written)} is not yes or no — write yes to offer the comment again "
                "in the periods after, no (or leave it blank) to keep it to its period",
            )
        return carry
