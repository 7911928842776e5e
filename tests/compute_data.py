"""Small Datasets built in tests, with the frame schemas of csckpi.dataset (no workbook)."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from pathlib import Path

import polars as pl

from csckpi.dataset import Dataset, benchmark_schema, monthly_schema, reported_schema
from csckpi.model import Context, Indicator, Measure, Polarity, Unit, normalise_code
from csckpi.periods import parse_month, parse_period

SOURCE = Path(__file__).resolve().parent.parent / "examples" / "source"


def indicator(
    code: str,
    measure: str = "flow",
    unit: str = "count",
    polarity: str = "none",
    target: float | None = None,
    tolerance: float | None = None,
    decimals: int | None = None,
    section: str = "Section",
    title: str | None = None,
    order: int = 0,
) -> Indicator:
    return Indicator(
        code=code,
        title=title or f"Indicator {code}",
        section=section,
        unit=Unit(unit),
        polarity=Polarity(polarity),
        measure=Measure(measure),
        target=target,
        tolerance=tolerance,
        decimals=decimals,
        order=order,
    )


def dataset(
    indicators: Sequence[Indicator],
    monthly: Iterable[tuple[str, str, str, float | None]] = (),
    reported: Iterable[tuple[str, str, float, str] | tuple[str, str, float]] = (),
    population: Sequence[tuple[int, float]] = (),
    source: str = "test.xlsx",
) -> Dataset:
    """A Dataset from rows.

    ``monthly``: (code, month text, part, value); ``reported``: (code, period, value[, figure]).
    """
    month_rows = []
    for code, month, part, value in monthly:
        parsed = parse_month(month)
        assert parsed is not None, month
        month_rows.append(
            {
                "key": normalise_code(code),
                "code": code,
                "month": parsed.date,
                "part": part,
                "value": value,
                "sheet": "Monthly",
                "cell": "",
            }
        )
    rep_rows = []
    for row in reported:
        code, period, value = row[0], row[1], row[2]
        figure = row[3] if len(row) > 3 else "value"
        rep_rows.append(
            {
                "key": normalise_code(code),
                "code": code,
                "period": period,
                "part": "value",
                "figure": figure,
                "value": value,
                "sheet": "Periods",
                "cell": "",
            }
        )
    ordered = tuple(
        Indicator(**{**i.__dict__, "order": n + 1}) if i.order == 0 else i
        for n, i in enumerate(indicators)
    )
    return Dataset(
        indicators=ordered,
        monthly=pl.DataFrame(month_rows, schema=monthly_schema(), orient="row"),
        reported=pl.DataFrame(rep_rows, schema=reported_schema(), orient="row"),
        benchmarks=pl.DataFrame(schema=benchmark_schema()),
        context=Context(council="Test", population=tuple(population)),
        source=source,
    )


def monthly_series(code: str, first: str, values: Sequence[float | None], part: str = "value"):
    """(code, month, part, value) rows for consecutive months from ``first``."""
    start = parse_month(first)
    assert start is not None
    return [(code, (start + i).iso, part, v) for i, v in enumerate(values) if v is not None]


def _number(text: str) -> float | None:
    text = text.strip()
    return float(text) if text else None


def from_source(source: Path = SOURCE) -> Dataset:
    """The example's plain-text source as a Dataset, without the workbook reader."""

    def rows(name: str) -> list[Mapping[str, str]]:
        with (source / name).open(encoding="utf-8", newline="") as handle:
            return list(csv.DictReader(handle))

    inds = [
        Indicator(
            code=r["code"],
            title=r["title"],
            section=r["section"],
            unit=Unit(r["unit"]),
            polarity=Polarity(r["polarity"]),
            measure=Measure(r["measure"]),
            target=_number(r["target"]),
            tolerance=_number(r["tolerance"]),
            decimals=int(r["decimals"]) if r["decimals"].strip() else None,
            order=n + 1,
        )
        for n, r in enumerate(rows("indicators.csv"))
    ]
    monthly = [
        (r["code"], r["month"], part, _number(r[part]))
        for r in rows("monthly.csv")
        for part in ("value", "numerator", "denominator")
        if _number(r[part]) is not None
    ]
    reported = [
        (r["code"], parse_period(r["period"]).key, _number(r["value"]), r["figure"] or "value")
        for r in rows("periods.csv")
        if _number(r["value"]) is not None
    ]
    population = [
        (int(r["year"][:4]), float(r["value"]))
        for r in rows("context.csv")
        if r["key"] == "population_0_17"
    ]
    return dataset(inds, monthly, reported, population, source="darlington-2020-21-q3.xlsx")


def with_cell(data: Dataset, code: str, month: str, value: float) -> Dataset:
    """``data`` with one monthly figure (the ``value`` part of ``code`` in ``month``,
    ``2020-08``) typed as ``value``: the example with one cell changed. The cell must exist."""
    parsed = parse_month(month)
    assert parsed is not None, month
    key, when = normalise_code(code), parsed.date
    at = (pl.col("key") == key) & (pl.col("month") == when) & (pl.col("part") == "value")
    assert data.monthly.filter(at).height == 1, (code, month)
    monthly = data.monthly.with_columns(
        pl.when(at).then(pl.lit(value)).otherwise(pl.col("value")).alias("value")
    )
    return replace(data, monthly=monthly)
