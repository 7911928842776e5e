"""What a published output is given: :class:`Publication`, the marks and the note."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field

import polars as pl

from csckpi.disclosure import Suppression, Why
from csckpi.numbers import SYMBOL_MEANINGS, Symbol

#: Per 10,000 children: a rate's count is rate x population / RATE_BASE.
RATE_BASE = 10_000.0


@dataclass(frozen=True)
class Publication:
    """What a published output writes in place of figures: key -> field -> symbol, and the
    note that says what was suppressed and why."""

    marks: Mapping[str, Mapping[str, Symbol]]
    note: str
    suppression: Suppression
    #: key -> the months (dates) whose figure is a small count: left out of a trend line.
    hidden_months: Mapping[str, frozenset[object]] = field(default_factory=dict)

    def mark(self, key: str, name: str) -> Symbol | None:
        """The symbol written for figure ``name`` of indicator ``key``, or None: write it."""
        return self.marks.get(key, {}).get(name)

    def suppressed(self, key: str, name: str) -> bool:
        """Whether the figure is written `c`."""
        return self.mark(key, name) is Symbol.SUPPRESSED

    def without_commentary(self, comments: int) -> Publication:
        """This publication with the note saying ``comments`` of the service's commentary are
        left out (their own words are not checked for small counts)."""
        if not comments:
            return self
        noun = "comment" if comments == 1 else "comments"
        said = (
            f" The service's commentary ({comments} {noun}) is left out: its own words are not "
            "checked for small counts."
        )
        return dataclasses.replace(self, note=self.note + said)

    def trend(self, months: pl.DataFrame) -> pl.DataFrame:
        """``months`` (key, month, value, ...) without the figures of :attr:`hidden_months`
        (value null: a gap in a trend line)."""
        if not self.hidden_months:
            return months
        hidden = pl.DataFrame(
            [(key, month) for key, found in self.hidden_months.items() for month in found],
            schema={"key": pl.String, "month": months.schema["month"]},
            orient="row",
        ).with_columns(_hidden=pl.lit(True))
        return (
            months.join(hidden, on=["key", "month"], how="left")
            .with_columns(value=pl.when(pl.col("_hidden")).then(None).otherwise(pl.col("value")))
            .drop("_hidden")
        )

    def as_dict(self) -> dict[str, object]:
        """The JSON of the note: the threshold, what was suppressed (counted, by reason and by
        relation), what could not be checked, and the note itself (docs/json.md)."""
        s = self.suppression
        return {
            "threshold": s.threshold,
            "suppressed": s.count(),
            "small": s.count(Why.SMALL),
            "secondary": s.count() - s.count(Why.SMALL),
            "by_relation": s.by_kind(),
            "unchecked": dict(s.unchecked),
            "symbols": {mark.value: meaning for mark, meaning in SYMBOL_MEANINGS.items()},
            "note": self.note,
        }
