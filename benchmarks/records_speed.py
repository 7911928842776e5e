"""Speed and memory of deriving figures from a large Annex A, beside its floors.

    python benchmarks/records_speed.py [--rows 200000] [--pairs 5] [--needed-only]

Generates (seeded, cached under benchmarks/results/data) an Annex A of ``--rows`` rows across
Lists 1-9 with every published column, as a workbook and as a folder of CSV files, then runs
side by side, each as a fresh process under GNU time:

- ``derive xlsx``: read the lists the shipped measures need and derive every measure;
  its floor, a bare openpyxl read-only pass over every cell of the same workbook
  (benchmarks/floor_openpyxl.py);
- ``derive csv``: the same from the CSV folder; its floor, polars reading every CSV file.

Prints the median of the per-pair ratios of wall time and of CPU time (user + system: on a
shared, busy machine the steadier of the two) against the budgets (1.3x and 2x), and the peak
resident memory of the derive processes (budget: 400 MiB). ``--needed-only`` writes only the
lists the measures read (2, 3, 4, 5, 7, 8, 9), so the floor has no list that derive skips.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DATA = HERE / "results" / "data"
TIME = Path("/usr/bin/time")
MIB = 1024 * 1024

DERIVE = """
import datetime as dt, sys
from pathlib import Path
from csckpi.records import derive, load_definitions, read_records
definitions = load_definitions()
records = read_records(Path(sys.argv[1]), definitions.needs())
result = derive(records, definitions, as_at=dt.date(2021, 3, 31), since=dt.date(2020, 4, 1))
assert result.figures.height > 0 and not result.skipped, result.skipped
"""
CSV_FLOOR = """
import sys
from pathlib import Path
import polars as pl
for path in sorted(Path(sys.argv[1]).glob("*.csv")):
    pl.read_csv(path, infer_schema=False)
"""


def run(argv: list[str]) -> tuple[float, float, float]:
    """(wall seconds, CPU seconds, peak resident MiB) of one process."""
    with tempfile.NamedTemporaryFile(suffix=".txt") as out:
        start = time.perf_counter()
        subprocess.run([str(TIME), "-f", "%M %U %S", "-o", out.name, *argv], check=True)
        wall = time.perf_counter() - start
        peak, user, system = Path(out.name).read_text().split()[-3:]
    return wall, float(user) + float(system), int(peak) * 1024 / MIB


def data(rows: int, needed_only: bool) -> tuple[Path, Path]:
    sys.path.insert(0, str(ROOT / "tests"))
    from annex_a_factory import generate

    lists = (2, 3, 4, 5, 7, 8, 9) if needed_only else range(1, 10)
    tag = f"annex-a-{rows}-{'needed' if needed_only else 'all'}"
    xlsx, folder = DATA / f"{tag}.xlsx", DATA / tag
    if not xlsx.exists() or not folder.exists():
        DATA.mkdir(parents=True, exist_ok=True)
        extract = generate(seed=18, rows=rows, lists=lists, text_dates=0.1)
        extract.write_xlsx(xlsx)
        extract.write_csv_folder(folder)
    return xlsx, folder


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--pairs", type=int, default=5)
    parser.add_argument("--needed-only", action="store_true")
    args = parser.parse_args()
    xlsx, folder = data(args.rows, args.needed_only)
    python = sys.executable
    cases = {
        "derive xlsx": (
            [python, "-c", DERIVE, str(xlsx)],
            [python, str(HERE / "floor_openpyxl.py"), str(xlsx)],
            1.3,
        ),
        "derive csv": (
            [python, "-c", DERIVE, str(folder)],
            [python, "-c", CSV_FLOOR, str(folder)],
            2.0,
        ),
    }
    size = xlsx.stat().st_size / MIB
    print(f"{args.rows:,} rows, {size:.1f} MiB workbook, {args.pairs} pairs", flush=True)
    failed = False
    for name, (ours, floor, budget) in cases.items():
        walls, cpus, peaks = [], [], []
        for _ in range(args.pairs):
            ours_run, floor_run = run(ours), run(floor)
            walls.append((ours_run[0], floor_run[0]))
            cpus.append((ours_run[1], floor_run[1]))
            peaks.append(ours_run[2])
        wall_ratio = statistics.median(a / b for a, b in walls)
        cpu_ratio = statistics.median(a / b for a, b in cpus)
        peak = max(peaks)
        ok = cpu_ratio <= budget and peak <= 400
        failed |= not ok
        print(
            f"{name:12} wall {statistics.median(a for a, _ in walls):6.2f} s vs floor "
            f"{statistics.median(b for _, b in walls):6.2f} s (ratio {wall_ratio:.2f}); "
            f"CPU {statistics.median(a for a, _ in cpus):6.2f} s vs "
            f"{statistics.median(b for _, b in cpus):6.2f} s (ratio {cpu_ratio:.2f}, "
            f"budget {budget}); peak {peak:.0f} MiB (budget 400)  {'PASS' if ok else 'FAIL'}",
            flush=True,
        )
    return int(failed)


if __name__ == "__main__":
    raise SystemExit(main())
