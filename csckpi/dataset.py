"""Everything csckpi knows about one council's indicators, as tidy polars frames.

A :class:`Dataset` comes either straight from a workbook (``csckpi.workbook.read``) or from
the store (``csckpi.store.Store.load``); ``compute``, ``compare``, ``narrate`` and the report
take it and never care which.

Frames are long (one figure a row) and carry where each figure came from:

``monthly``     key, code, month (Date, 1st of month), part, value, sheet, cell
``reported``    key, code, period (a period key: `2019/20`, `2020/21 YTD`, `Q3 2019/20`,
                `2020-12`), part, figure, value, sheet, cell
``benchmarks``  key, code, comparator, value, source, year, sheet, cell
``targets``     key, code, year, part, per, value, sheet, cell
``standings``   key, code, year, part, value, source, sheet, cell
``records``     key, code, month, part, value, source, sheet: monthly figures derived from
                the children's records (the Annex A lists, ``csckpi.records``); ``source``
                says what each was counted from (`412 rows of List 4 (AA ASMT 45), extract
                date 2021-01-15`), ``sheet`` the list's sheet or file. None when there are none.

``part`` is `value`, `numerator` or `denominator`; ``figure`` is `value` (the indicator's own
figure for that period) or `flow` (a cumulative indicator's count for the period alone).
``key`` is :func:`csckpi.model.normalise_code` of ``code``.

``commentary`` holds the analyst's comments in force (:class:`csckpi.commentary.Comment`: the
workbook's Commentary sheet, or the store's latest version of each, typed ones included).
A benchmark's ``year`` is the financial year its figure describes (`2019/20`) and its
``source`` the release it came from, as a sentence cites it (`LAIT 2020`, `Children looked
after in England 2020 (revised)`). A target's ``year`` is the financial year it is for, its
``part`` `target` or `tolerance`, its ``per`` what length of period it is for (a
:class:`csckpi.model.TargetPer` value, null when the sheet leaves it blank). A standing is the
council's rank among all councils for an indicator and a data year, from an import of
published statistics (``csckpi.published``), one row per ``part`` (``STANDING_PARTS``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from csckpi.model import Context, Indicator

if TYPE_CHECKING:
    import datetime as dt

    import polars as pl

    from csckpi.commentary import Comment

PARTS = ("value", "numerator", "denominator")
#: A target's figures (the Targets sheet's `target` and `tolerance`).
TARGET_PARTS = ("target", "tolerance")
#: A standing's figures, every one kept for every standing: `rank` (0: not ranked), `of`
#: (councils with a figure), `tied` (councils sharing the rank), `quartile` (1 the best; 0:
#: none), `withheld` (councils without a figure), `polarity` (what it was ranked by: 1 up,
#: -1 down, 0 none: the highest first) and `symbol` (the code in the council's own cell when
#: it is not ranked, numbered as ``csckpi.published.symbols.CODES``; 0: it has a figure).
STANDING_PARTS = ("rank", "of", "tied", "quartile", "withheld", "polarity", "symbol")


def monthly_schema() -> dict[str, pl.DataType]:
    import polars as pl

    return {
        "key": pl.String(),
        "code": pl.String(),
        "month": pl.Date(),
        "part": pl.String(),
        "value": pl.Float64(),
        "sheet": pl.String(),
        "cell": pl.String(),
    }


def reported_schema() -> dict[str, pl.DataType]:
    import polars as pl

    return {
        "key": pl.String(),
        "code": pl.String(),
        "period": pl.String(),
        "part": pl.String(),
        "figure": pl.String(),
        "value": pl.Float64(),
        "sheet": pl.String(),
        "cell": pl.String(),
    }


def benchmark_schema() -> dict[str, pl.DataType]:
    import polars as pl

    return {
        "key": pl.String(),
        "code": pl.String(),
        "comparator": pl.String(),
        "value": pl.Float64(),
        "source": pl.String(),
        "year": pl.String(),
        "sheet": pl.String(),
        "cell": pl.String(),
    }


def target_schema() -> dict[str, pl.DataType]:
    import polars as pl

    return {
        "key": pl.String(),
        "code": pl.String(),
        "year": pl.String(),
        "part": pl.String(),
        "per": pl.String(),
        "value": pl.Float64(),
        "sheet": pl.String(),
        "cell": pl.String(),
    }


def standing_schema() -> dict[str, pl.DataType]:
    import polars as pl

    return {
        "key": pl.String(),
        "code": pl.String(),
        "year": pl.String(),
        "part": pl.String(),
        "value": pl.Float64(),
        "source": pl.String(),
        "sheet": pl.String(),
        "cell": pl.String(),
    }


def records_schema() -> dict[str, pl.DataType]:
    """A month's figures as :func:`monthly_schema`, with what they were counted from
    (``source``) in place of a cell: the list's ``sheet`` stays."""
    monthly = monthly_schema()
    figure = {k: v for k, v in monthly.items() if k not in ("sheet", "cell")}
    return {**figure, "source": monthly["sheet"], "sheet": monthly["sheet"]}


def _empty_targets() -> pl.DataFrame:
    import polars as pl

    return pl.DataFrame(schema=target_schema())


def _empty_standings() -> pl.DataFrame:
    import polars as pl

    return pl.DataFrame(schema=standing_schema())


@dataclass(frozen=True)
class Dataset:
    indicators: tuple[Indicator, ...]
    monthly: pl.DataFrame
    reported: pl.DataFrame
    benchmarks: pl.DataFrame
    context: Context = field(default_factory=Context)
    source: str = ""  # a workbook's file name, or the store's path
    commentary: tuple[Comment, ...] = ()  # the comments in force, in the order written
    targets: pl.DataFrame = field(default_factory=_empty_targets)
    standings: pl.DataFrame = field(default_factory=_empty_standings)
    records: pl.DataFrame | None = None  # figures derived from the records (records_schema)

    @property
    def where(self) -> str:
        """Where the figures came from, as a message says it: `the workbook x.xlsx`."""
        if not self.source:
            return "the workbook"
        name = self.source.rsplit("/", 1)[-1]
        if name.lower().endswith((".xlsx", ".xlsm")):
            return f"the workbook {name}"
        return f"the store {name}"

    def indicator(self, key: str) -> Indicator | None:
        for indicator in self.indicators:
            if indicator.key == key:
                return indicator
        return None

    def month_values(self) -> pl.DataFrame:
        """key, month and value of every monthly figure with a value, the workbook's and the
        records' (what says which months have figures)."""
        import polars as pl

        frames = [self.monthly, *([] if self.records is None else [self.records])]
        return pl.concat([f.select("key", "month", "value") for f in frames]).filter(
            pl.col("value").is_not_null()
        )

    def records_keys(self, first: dt.date, last: dt.date) -> frozenset[str]:
        """The indicators with a figure derived from the records for a month from ``first``
        to ``last`` (the 1st of each month)."""
        import polars as pl

        if self.records is None:
            return frozenset()
        months = self.records.filter(pl.col("month").is_between(first, last))
        return frozenset(months.get_column("key").unique().to_list())

    def monthly_wide(self) -> pl.DataFrame:
        """One row per (key, month) with `value`, `numerator`, `denominator` columns."""
        import polars as pl

        frame = self.monthly.select("key", "month", "part", "value")
        present = set(frame.get_column("part").unique().to_list())
        wide = (
            frame.pivot(on="part", index=["key", "month"], values="value")
            if frame.height
            else pl.DataFrame(schema={"key": pl.String(), "month": pl.Date()})
        )
        for part in PARTS:
            if part not in present:
                wide = wide.with_columns(pl.lit(None, dtype=pl.Float64()).alias(part))
        return wide.select("key", "month", *PARTS).sort("key", "month")
