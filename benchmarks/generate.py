"""Seeded generator of large performance workbooks in the documented layout (docs/workbook.md).

A fictional council ("Benchmarkshire") with N indicators of every kind csckpi handles — ratio,
snapshot and cumulative percentages with numerators and denominators, rates per 10,000 with
their counts, flow, snapshot and cumulative counts — over ten financial years of months.

Sheets: ``Indicators``; ``Monthly`` (wide: ``code``, ``part``, then one column per month headed
by a real Excel date); ``Periods`` (annual figures, as the "ANNUAL TREND" rows); ``Benchmarks``;
``Context`` (council, 0-17 population per financial year).

Every figure is consistent with its parts (a ratio's value is its numerator over its
denominator, a cumulative figure is the running sum of the year, a rate is its count over the
year's population), so reading and computing it raises no problem: the benchmark measures the
path a clean monthly workbook takes.

Indicator *i*'s series depend only on the seed and *i*, so the 2x and 4x workbooks hold the 1x
workbook's indicators plus new ones: they differ in size only.

    python benchmarks/generate.py council OUT.xlsx [--indicators 300] [--years 10] [--seed 1]
                                               [--previous]
    python benchmarks/generate.py history DIR [--indicators 300] [--years 10] [--seed 1]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from csckpi.workbook.layout import (
    BENCHMARKS,
    BENCHMARKS_OPTIONAL,
    CONTEXT,
    CONTEXT_OPTIONAL,
    INDICATORS_COLUMNS,
    MONTHLY_WIDE,
    MONTHLY_WIDE_OPTIONAL,
    PERIODS,
)

#: The layout's Indicators columns but `pattern`, `records_measure`, `baseline`,
#: `new_process_from` and `label`: no generated indicator has its own paragraph, figures from
#: the children's records, a control-limit baseline, a change of process or a short name.
INDICATOR_COLUMNS = tuple(
    name
    for name in INDICATORS_COLUMNS
    if name not in ("pattern", "records_measure", "baseline", "new_process_from", "label")
)

FIRST_FY = 2011  # ten years: 2011/12 ... 2020/21
GENERATOR_VERSION = 5  # bump when the output changes, so cached data is rebuilt

# (unit, polarity, measure, parts, weight): what share of indicators is of each kind.
KINDS: tuple[tuple[str, str, str, tuple[str, ...], int], ...] = (
    ("percent", "up", "ratio", ("value", "numerator", "denominator"), 30),
    ("percent", "down", "ratio", ("value", "numerator", "denominator"), 10),
    ("percent", "up", "snapshot", ("value", "numerator", "denominator"), 12),
    ("percent", "up", "cumulative", ("value", "numerator", "denominator"), 10),
    ("rate", "none", "snapshot", ("value", "numerator"), 6),
    ("rate", "none", "cumulative", ("value", "numerator"), 4),
    ("count", "none", "flow", ("value",), 14),
    ("count", "none", "snapshot", ("value",), 8),
    ("count", "none", "cumulative", ("value",), 6),
)
_KIND_CYCLE = [k for k in KINDS for _ in range(k[4])]  # 100 slots, spread by index


@dataclass
class Series:
    """One indicator's monthly parts over every month, None where the month is blank."""

    code: str
    title: str
    section: str
    unit: str
    polarity: str
    measure: str
    parts: tuple[str, ...]
    target: float | None
    tolerance: float | None
    decimals: int
    values: dict[str, list[float | None]] = field(default_factory=dict)


@dataclass(frozen=True)
class WorkbookStats:
    path: Path
    indicators: int
    months: int
    monthly_rows: int
    cells: int  # every non-empty cell in every sheet, headers included
    month_cells: int  # filled month cells in Monthly


def months(first_fy: int, years: int) -> list[dt.date]:
    out = []
    for i in range(years * 12):
        y, m0 = divmod(first_fy * 12 + 3 + i, 12)
        out.append(dt.date(y, m0 + 1, 1))
    return out


def fy_of(month: dt.date) -> int:
    return month.year if month.month >= 4 else month.year - 1


def fy_label(start: int) -> str:
    return f"{start}/{(start + 1) % 100:02d}"


def population(fy: int, first_fy: int) -> int:
    return round(30_000 * 1.004 ** (fy - first_fy))


def code_of(i: int) -> str:
    return f"KPI {i + 1:03d}"


def _kind(i: int, seed: int) -> tuple[str, str, str, tuple[str, ...], int]:
    # A fixed shuffle of the 100 slots, so kinds interleave rather than run in blocks.
    order = list(range(len(_KIND_CYCLE)))
    random.Random(seed).shuffle(order)
    return _KIND_CYCLE[order[i % len(order)]]


def series(i: int, *, first_fy: int, years: int, seed: int) -> Series:
    """Indicator ``i``: its definition and every month's parts (deterministic in seed, i)."""
    rng = random.Random(f"{seed}:{i}")
    unit, polarity, measure, parts, _ = _kind(i, seed)
    month_list = months(first_fy, years)
    n = len(month_list)
    target: float | None = None
    tolerance: float | None = None
    decimals = 1 if unit in ("percent", "rate") else 0
    blank = [rng.random() < 0.005 for _ in range(n)]  # the odd month not yet filled in
    values: dict[str, list[float | None]] = {p: [None] * n for p in parts}

    if unit == "percent":
        level = rng.uniform(0.55, 0.95) if polarity == "up" else rng.uniform(0.03, 0.25)
        size = rng.randint(15, 600)
        target = round((level + (0.04 if polarity == "up" else -0.02)) * 100)
        tolerance = 5.0 if rng.random() < 0.5 else None
        num_run = den_run = 0
        for k, month in enumerate(month_list):
            if month.month == 4:
                num_run = den_run = 0
            level = min(0.99, max(0.02, level + rng.gauss(0, 0.015)))
            den = max(1, round(size * rng.uniform(0.7, 1.3)))
            num = min(den, max(0, round(den * level + rng.gauss(0, 1))))
            num_run, den_run = num_run + num, den_run + den
            if measure == "cumulative":
                num, den = num_run, den_run
            if blank[k]:
                continue
            values["value"][k] = round(100 * num / den, 1)
            values["numerator"][k] = num
            values["denominator"][k] = den
    elif unit == "rate":
        level = rng.uniform(20, 400)
        run = 0
        for k, month in enumerate(month_list):
            if month.month == 4:
                run = 0
            level = max(1.0, level + rng.gauss(0, level * 0.03))
            count = round(level)
            if measure == "cumulative":
                run += max(0, round(level / 10))
                count = run
            if blank[k]:
                continue
            values["value"][k] = round(count / population(fy_of(month), first_fy) * 10_000, 1)
            values["numerator"][k] = count
    else:  # count
        level = rng.uniform(5, 900)
        run = 0
        for k, month in enumerate(month_list):
            if month.month == 4:
                run = 0
            level = max(0.0, level + rng.gauss(0, max(1.0, level * 0.05)))
            count = round(level)
            run += count
            if blank[k]:
                continue
            values["value"][k] = run if measure == "cumulative" else count

    section = f"Section {i // 10 + 1:02d}"
    noun = {"percent": "% of cases", "rate": "Rate per 10,000", "count": "Number of cases"}[unit]
    return Series(
        code=code_of(i),
        title=f"{noun} for measure {i + 1} ({measure})",
        section=section,
        unit=unit,
        polarity=polarity,
        measure=measure,
        parts=parts,
        target=target,
        tolerance=tolerance,
        decimals=decimals,
        values=values,
    )


def annual(s: Series, fy: int, month_list: list[dt.date]) -> float | None:
    """The financial year's figure, as a workbook's annual trend row would give it."""
    idx = [k for k, m in enumerate(month_list) if fy_of(m) == fy]
    vals = [s.values["value"][k] for k in idx]
    if s.measure == "flow":
        present = [v for v in vals if v is not None]
        return float(sum(present)) if present else None
    if s.measure == "ratio":
        nums = [s.values["numerator"][k] for k in idx]
        dens = [s.values["denominator"][k] for k in idx]
        pairs = [(a, b) for a, b in zip(nums, dens, strict=True) if a is not None and b]
        if not pairs:
            return None
        return round(100 * sum(a for a, _ in pairs) / sum(b for _, b in pairs), 1)
    # snapshot and cumulative: the year's last month (March)
    return vals[-1]


def _write(
    path: Path,
    table: list[Series],
    all_months: list[dt.date],
    window: range,
    *,
    first_fy: int,
    years_with_annual: list[int],
    benchmark_years: list[int],
    population_years: list[int],
) -> WorkbookStats:
    """Write the workbook holding months ``all_months[window]`` of every indicator."""
    from openpyxl import Workbook

    path.parent.mkdir(parents=True, exist_ok=True)
    # Not write-only: that mode writes every text cell as an inline string, where Excel (which
    # saves the analysts' workbooks) keeps text in the shared-strings table.
    wb = Workbook()
    wb.remove(wb.active)
    cells = 0

    def put(ws, row: list) -> None:
        nonlocal cells
        cells += sum(1 for v in row if v is not None and v != "")
        ws.append(row)

    ws = wb.create_sheet("Indicators")
    put(ws, list(INDICATOR_COLUMNS))
    for s in table:
        row = {
            "code": s.code,
            "title": s.title,
            "section": s.section,
            "unit": s.unit,
            "polarity": s.polarity,
            "measure": s.measure,
            "target": s.target,
            "tolerance": s.tolerance,
            "definition": f"Generated indicator {s.code}: {s.measure} {s.unit}.",
            "phrase": "",
            "decimals": s.decimals,
        }
        put(ws, [row[name] for name in INDICATOR_COLUMNS])

    ws = wb.create_sheet("Monthly")
    month_list = [all_months[k] for k in window]
    put(ws, [*MONTHLY_WIDE, *MONTHLY_WIDE_OPTIONAL, *month_list])
    rows = month_cells = 0
    for s in table:
        for part in s.parts:
            row = [s.values[part][k] for k in window]
            month_cells += sum(1 for v in row if v is not None)
            put(ws, [s.code, part, *row])
            rows += 1

    ws = wb.create_sheet("Periods")
    put(ws, list(PERIODS))
    for s in table:
        for fy in years_with_annual:
            value = annual(s, fy, all_months)
            if value is not None:
                put(ws, [s.code, fy_label(fy), value])

    ws = wb.create_sheet("Benchmarks")
    put(ws, [*BENCHMARKS, *BENCHMARKS_OPTIONAL])
    for s in table:
        if s.unit == "count":
            continue
        for fy in benchmark_years:
            base = annual(s, fy, all_months)
            if base is None:
                continue
            for j, comparator in enumerate(("statistical neighbours", "region", "england")):
                value = round(base * (0.9 + 0.07 * j), 1)
                if s.unit == "percent":
                    value = min(value, 100.0)
                put(ws, [s.code, comparator, value, fy_label(fy), f"LAIT {fy + 1}"])

    ws = wb.create_sheet("Context")
    put(ws, [*CONTEXT, *CONTEXT_OPTIONAL])
    put(ws, ["council", "Benchmarkshire", None])
    put(ws, ["report_name", "Children's Social Care Performance Report", None])
    for fy in population_years:
        put(ws, ["population_0_17", population(fy, first_fy), fy_label(fy)])

    wb.save(path)
    shared_strings(path)
    return WorkbookStats(path, len(table), len(month_list), rows, cells, month_cells)


_INLINE = re.compile(
    rb'<c r="([A-Z]+[0-9]+)"((?: s="[0-9]+")?) t="inlineStr"><is>(<t[^>]*>.*?</t>)</is></c>'
)


def shared_strings(path: Path) -> None:
    """Move every text cell into a shared-strings table, as Excel saves a workbook.

    openpyxl writes text as inline strings, which Excel never does; readers pay differently
    for the two, so the benchmark's workbooks are rewritten to look like Excel's.
    """
    strings: dict[bytes, int] = {}
    count = 0

    def shared(match: re.Match[bytes]) -> bytes:
        nonlocal count
        count += 1
        index = strings.setdefault(match.group(3), len(strings))
        return b'<c r="%s"%s t="s"><v>%d</v></c>' % (match.group(1), match.group(2), index)

    with zipfile.ZipFile(path) as source:
        parts = {info.filename: source.read(info) for info in source.infolist()}
    for name in parts:
        if name.startswith("xl/worksheets/sheet"):
            parts[name] = _INLINE.sub(shared, parts[name])
    ns = b"http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    parts["xl/sharedStrings.xml"] = (
        b'<sst xmlns="%s" count="%d" uniqueCount="%d">' % (ns, count, len(strings))
        + b"".join(b"<si>%s</si>" % text for text in strings)
        + b"</sst>"
    )
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        b"</Types>",
        b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
        b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml" /></Types>',
    )
    parts["xl/_rels/workbook.xml.rels"] = parts["xl/_rels/workbook.xml.rels"].replace(
        b"</Relationships>",
        b'<Relationship Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        b'relationships/sharedStrings" Target="sharedStrings.xml" Id="rIdShared" />'
        b"</Relationships>",
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in parts.items():
            target.writestr(name, data)


def _table(indicators: int, first_fy: int, years: int, seed: int) -> list[Series]:
    return [series(i, first_fy=first_fy, years=years, seed=seed) for i in range(indicators)]


def council(
    path: Path,
    *,
    indicators: int = 300,
    first_fy: int = FIRST_FY,
    years: int = 10,
    seed: int = 1,
    previous: bool = False,
) -> WorkbookStats:
    """One workbook holding every month of ``years`` financial years (120 months by default).

    ``previous``: the same council's workbook a month earlier — the last month not yet filled
    in, no annual figure for the unfinished year, and every count two months before the end
    one lower than it is now (the later workbook revises it, as real workbooks do).
    """
    table = _table(indicators, first_fy, years, seed)
    all_months = months(first_fy, years)
    fys = [first_fy + y for y in range(years)]
    if previous:
        for s in table:
            for part in s.parts:
                s.values[part][-1] = None
            old = s.values["value"][-3]
            if s.unit == "count" and s.measure == "flow" and old is not None and old > 0:
                s.values["value"][-3] = old - 1
    return _write(
        path,
        table,
        all_months,
        range(len(all_months)),
        first_fy=first_fy,
        years_with_annual=fys[:-1] if previous else fys,
        benchmark_years=fys[-1:],
        population_years=fys,
    )


def history(
    directory: Path,
    *,
    indicators: int = 300,
    first_fy: int = FIRST_FY,
    years: int = 10,
    seed: int = 1,
) -> list[WorkbookStats]:
    """One workbook per financial year, as a council keeps them: its 12 months, the annual
    trend of the three years before, that year's benchmarks and the population to date."""
    table = _table(indicators, first_fy, years, seed)
    all_months = months(first_fy, years)
    out = []
    for y in range(years):
        fy = first_fy + y
        path = directory / f"benchmarkshire-{fy}-{(fy + 1) % 100:02d}.xlsx"
        out.append(
            _write(
                path,
                table,
                all_months,
                range(12 * y, 12 * y + 12),
                first_fy=first_fy,
                years_with_annual=[f for f in range(max(first_fy, fy - 3), fy)],
                benchmark_years=[f for f in (fy - 1,) if f >= first_fy],
                population_years=[first_fy + k for k in range(y + 1)],
            )
        )
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="what", required=True)
    for name in ("council", "history"):
        p = sub.add_parser(name)
        p.add_argument("out", type=Path)
        p.add_argument("--indicators", type=int, default=300)
        p.add_argument("--years", type=int, default=10)
        p.add_argument("--seed", type=int, default=1)
        if name == "council":
            p.add_argument("--previous", action="store_true", help="a month earlier")
    args = parser.parse_args(argv)
    if args.what == "council":
        stats = [
            council(
                args.out,
                indicators=args.indicators,
                years=args.years,
                seed=args.seed,
                previous=args.previous,
            )
        ]
    else:
        stats = history(args.out, indicators=args.indicators, years=args.years, seed=args.seed)
    for s in stats:
        print(
            f"{s.path}: {s.indicators} indicators x {s.months} months, "
            f"{s.monthly_rows} Monthly rows, {s.month_cells:,} month cells, {s.cells:,} cells"
        )


if __name__ == "__main__":
    main()
