"""What SPC costs beside compute, in one process, on the benchmark's ten-year council workbook.

    python benchmarks/spc_core.py                   # generates the 1x workbook if needed
    python benchmarks/spc_core.py WORKBOOK.xlsx [--repeats 15]

Reads the workbook once (300 indicators x 120 months: the store the benchmark builds holds the
same figures), then times, alternately and ``--repeats`` times each: ``compute`` for the latest
month (what ``csckpi compute`` does), ``monthly_values`` for every month, and ``spc.analyse``
over those months for every indicator: its ``summary`` alone (the columns compute will show),
and every frame (what compare, narrate and the report read); and the summary over the last 36
months only. Prints the medians of wall-clock and CPU time (all threads) and their ratios to
compute: on a shared machine the CPU time is the steadier. This is
the core's figure only; the whole-command budget waits for SPC to be wired into ``compute``
(benchmarks/run.py).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402  (the benchmark's own generator, beside this file)
import polars as pl  # noqa: E402

from csckpi import spc  # noqa: E402
from csckpi.compute import compute, latest_month, monthly_values  # noqa: E402
from csckpi.periods import Period  # noqa: E402
from csckpi.workbook import read_dataset  # noqa: E402


def timed(func: Callable[[], object]) -> tuple[float, float]:
    """Wall-clock and CPU seconds (every thread of the process) of one call."""
    wall, cpu = time.perf_counter(), time.process_time()
    func()
    return time.perf_counter() - wall, time.process_time() - cpu


def every_frame(result: spc.SpcResult) -> object:
    return result.summary, result.points, result.segments, result.signals


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("workbook", nargs="?", type=Path)
    parser.add_argument("--repeats", type=int, default=15)
    args = parser.parse_args(argv)
    path = args.workbook
    if path is None:
        path = HERE / "results" / "data" / "spc-council-1x.xlsx"
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            generate.council(path, indicators=300, seed=1)
    dataset = read_dataset(path)
    month = latest_month(dataset)
    assert month is not None
    period = Period.of_month(month)
    indicators = spc.indicator_frame(dataset.indicators)
    values = monthly_values(dataset)
    recent = values.filter(pl.col("month") > (month - 36).date)

    runs: dict[str, Callable[[], object]] = {
        "compute (latest month)": lambda: compute(dataset, period),
        "monthly_values (120 months)": lambda: monthly_values(dataset),
        "spc: summary (compute's columns)": lambda: spc.analyse(values, indicators).summary,
        "spc: every frame": lambda: every_frame(spc.analyse(values, indicators)),
        "spc: summary, last 36 months": lambda: spc.analyse(recent, indicators).summary,
    }
    for func in runs.values():  # warm up: imports, polars' thread pool
        func()
    times: dict[str, list[tuple[float, float]]] = {name: [] for name in runs}
    for _ in range(args.repeats):
        for name, func in runs.items():
            times[name].append(timed(func))
    result = spc.analyse(values, indicators)
    print(
        f"{path.name}: {len(dataset.indicators)} indicators, {values.height} indicator-months, "
        f"{result.signals.height} signals; median of {args.repeats} runs each"
    )
    print(f"  {'':<32} {'wall':>8}  {'ratio':>6}  {'cpu':>8}  {'ratio':>6}")
    base = [statistics.median(t[i] for t in times["compute (latest month)"]) for i in (0, 1)]
    for name, pairs in times.items():
        wall, cpu = (statistics.median(t[i] for t in pairs) for i in (0, 1))
        print(
            f"  {name:<32} {wall * 1000:6.0f}ms  {wall / base[0]:5.2f}x  "
            f"{cpu * 1000:6.0f}ms  {cpu / base[1]:5.2f}x"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
