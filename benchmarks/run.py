"""csckpi's benchmark: every command as a whole process, side by side with its floor.

    python benchmarks/run.py                  # everything, 7 pairs per case
    python benchmarks/run.py --quick          # 3 pairs per case
    python benchmarks/run.py --only ingest    # cases whose name starts with "ingest"
    python benchmarks/run.py --json out.json  # also write the results there
    python benchmarks/run.py --compare OLD.json [NEW.json]   # two runs side by side

Each case runs the real ``csckpi`` entry script (what users run) as a fresh process, alternating
with its *floor*: the cheapest process that does the unavoidable part of the job (``python -c
pass`` for ``--help``; a bare openpyxl read-only pass over the same cells for ``ingest``;
``python -c "import polars"`` for ``compute``). The machine is shared and noisy, so budgets are
ratios of runs made side by side: the median of the per-pair ratios. Peak memory is the peak
resident set of that one process, as GNU ``time`` reports it (``%M``).

Data comes from ``benchmarks/generate.py`` (seeded, cached under ``benchmarks/results/data``).
Results are printed as tables with PASS/FAIL per budget and written as JSON to
``benchmarks/results/<UTC time>.json`` for comparison between commits.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
RESULTS = HERE / "results"
EXAMPLE = ROOT / "examples" / "darlington-2020-21-q3.xlsx"
EXAMPLE_PERIOD = "Q3 2020/21"
DOC = ROOT / "docs" / "performance.md"
DOC_START = "<!-- benchmark:start -->"
DOC_END = "<!-- benchmark:end -->"

try:  # the generator needs openpyxl: run under the project's virtual environment
    sys.path.insert(0, str(HERE))
    import generate
    import server
except ModuleNotFoundError:  # pragma: no cover - re-run with the venv's Python
    venv_python = ROOT / ".venv" / "bin" / "python"
    if venv_python.exists() and Path(sys.executable).resolve() != venv_python.resolve():
        os.execv(str(venv_python), [str(venv_python), *sys.argv])
    raise

MIB = 1024 * 1024
#: Rows of the generated Annex A extract the annex-a cases ingest.
ANNEX_A_ROWS = 200_000


# --------------------------------------------------------------------------- measuring


@dataclass
class Run:
    seconds: float
    rss_mib: float
    returncode: int
    cpu: float = float("nan")  # user + system seconds of the process


TIME = Path("/usr/bin/time")  # GNU time: a small C program, so its own size does not count

# A fallback wrapper when GNU time is missing: a fresh Python whose only child is the command.
# Its own ~9 MiB is then the smallest peak it can report.
_WRAPPER = (
    "import os, resource, sys; pid = os.fork()\n"
    "if pid == 0: os.execvp(sys.argv[2], sys.argv[2:])\n"
    "_, status = os.waitpid(pid, 0)\n"
    "u = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
    "open(sys.argv[1], 'w').write(f'{u.ru_maxrss} {u.ru_utime} {u.ru_stime}')\n"
    "sys.exit(os.waitstatus_to_exitcode(status))"
)


def run_once(argv: list[str], *, env: dict[str, str], out: Path, err: Path) -> Run:
    """Run ``argv`` as a fresh process; its wall time and its own peak RSS.

    The peak RSS comes from a small wrapper process that waits for the command: measuring
    from this process would count its own memory, since a forked child's peak includes the
    parent's image it was copied from until it execs.
    """
    rss_file = out.with_suffix(".rss")
    if TIME.exists():
        wrapped = [str(TIME), "-f", "%M %U %S", "-o", str(rss_file), *argv]
    else:
        wrapped = [sys.executable, "-S", "-c", _WRAPPER, str(rss_file), *argv]
    with out.open("wb") as stdout, err.open("wb") as stderr:
        start = time.perf_counter()
        proc = subprocess.run(
            wrapped,
            stdin=subprocess.DEVNULL,
            stdout=stdout,
            stderr=stderr,
            env=env,
            cwd=ROOT,
            check=False,
        )
        seconds = time.perf_counter() - start
    # GNU time may write "Command exited with non-zero status N" first: the figures are last
    lines = rss_file.read_text().strip().splitlines() if rss_file.exists() else []
    fields = lines[-1].split() if lines else []
    try:
        kib, user, system = int(fields[0]), float(fields[1]), float(fields[2])
    except (IndexError, ValueError):
        kib, user, system = 0, float("nan"), float("nan")
    return Run(seconds, kib * 1024 / MIB, proc.returncode, user + system)


@dataclass
class Case:
    name: str
    argv: list[str]
    floor: list[str] | None = None
    floor_label: str = ""
    prepare: Callable[[], None] | None = None  # before every run of the command, untimed
    floor_prepare: Callable[[], None] | None = None  # before every run of the floor, untimed
    output: Path | None = None  # the file the command writes, if any
    note: str = ""
    stages: bool = False  # also time its stages from inside (benchmarks/stages.py)
    weight: float = 1.0  # pairs = repeats x weight: more for cheap cases and the 1x ingest


@dataclass
class Result:
    name: str
    command: str
    floor: str
    times: list[float] = field(default_factory=list)
    floor_times: list[float] = field(default_factory=list)
    rss_mib: list[float] = field(default_factory=list)
    floor_rss_mib: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    floor_cpu: list[float] = field(default_factory=list)
    error: str = ""
    note: str = ""
    extra: dict[str, object] = field(default_factory=dict)

    @property
    def median(self) -> float:
        return statistics.median(self.times) if self.times else float("nan")

    @property
    def floor_median(self) -> float | None:
        return statistics.median(self.floor_times) if self.floor_times else None

    @property
    def ratios(self) -> list[float]:
        return [a / b for a, b in zip(self.times, self.floor_times, strict=False)]

    @property
    def ratio(self) -> float | None:
        return statistics.median(self.ratios) if self.floor_times and self.times else None

    @property
    def cpu_ratio(self) -> float | None:
        """The same pairing on CPU time (user + system): less moved by other jobs' load."""
        pairs = [a / b for a, b in zip(self.cpu, self.floor_cpu, strict=False) if b > 0]
        return statistics.median(pairs) if pairs else None

    @property
    def peak_rss(self) -> float | None:
        """The median of the runs' peak resident sets (a run's peak varies by a few MiB with
        the timing of polars' threads); the largest is shown beside it."""
        return statistics.median(self.rss_mib) if self.rss_mib else None

    def as_dict(self) -> dict[str, object]:
        data = asdict(self)
        data |= {
            "median": self.median,
            "floor_median": self.floor_median,
            "ratio": self.ratio,
            "ratios": self.ratios,
            "cpu_ratio": self.cpu_ratio,
            "peak_rss_mib": self.peak_rss,
        }
        return data


def quote(argv: list[str]) -> str:
    """A command as a person would type it: `python`, `csckpi` and short names for our files."""
    import shlex

    shown = []
    for a in argv:
        if a == NAMES.get("python"):
            a = "python"
        elif a == NAMES.get("csckpi"):
            a = "csckpi"
        elif a.startswith(str(ROOT) + "/"):
            a = str(Path(a).relative_to(ROOT))
        elif a.startswith(tempfile.gettempdir() + "/"):
            a = Path(a).name
        elif "://" in a:  # a server store's URL: never its password
            from csckpi.store.locations import masked

            a = masked(a)
        shown.append(a)
    return shlex.join(shown)


NAMES: dict[str, str] = {}


def measure(case: Case, repeats: int, env: dict[str, str], work: Path, log: Callable) -> Result:
    result = Result(
        case.name, quote(case.argv), quote(case.floor) if case.floor else "", note=case.note
    )
    out, err = work / f"{case.name}.out", work / f"{case.name}.err"
    fout, ferr = work / f"{case.name}.floor.out", work / f"{case.name}.floor.err"

    def command() -> Run:
        if case.prepare:
            case.prepare()
        return run_once(case.argv, env=env, out=out, err=err)

    def floor() -> Run:
        assert case.floor is not None
        if case.floor_prepare:
            case.floor_prepare()
        return run_once(case.floor, env=env, out=fout, err=ferr)

    # one untimed warm-up of each: page cache, .pyc files, and a check that it works at all
    warm = command()
    if warm.returncode != 0:
        text = err.read_text(errors="replace").strip().splitlines() or ["(no message)"]
        result.error = f"exit {warm.returncode}: {text[-1][:160]}"
        return result
    if case.floor:
        fwarm = floor()
        if fwarm.returncode != 0:
            text = ferr.read_text(errors="replace").strip().splitlines() or ["(no message)"]
            result.error = f"floor exit {fwarm.returncode}: {text[-1][:160]}"
            return result
    for i in range(repeats):
        # alternate which goes first, so drift in machine load falls on both alike
        order = (command, floor) if i % 2 else (floor, command)
        for step in order:
            if step is floor and not case.floor:
                continue
            r = step()
            if r.returncode != 0:
                result.error = f"exit {r.returncode} on repeat {i + 1}"
                return result
            if step is command:
                result.times.append(r.seconds)
                result.rss_mib.append(r.rss_mib)
                result.cpu.append(r.cpu)
            else:
                result.floor_times.append(r.seconds)
                result.floor_rss_mib.append(r.rss_mib)
                result.floor_cpu.append(r.cpu)
        log(".", end="")
    return result


# --------------------------------------------------------------------------- the cases


@dataclass
class Budget:
    name: str
    limit: str
    measured: str
    status: str  # PASS, FAIL or "not run"
    why: str = ""


def remover(*paths: Path) -> Callable[[], None]:
    def prepare() -> None:
        for p in paths:
            for suffix in ("", "-wal", "-shm", "-journal"):
                Path(f"{p}{suffix}").unlink(missing_ok=True)

    return prepare


def copier(source: Path, target: Path) -> Callable[[], None]:
    def prepare() -> None:
        remover(target)()
        shutil.copyfile(source, target)

    return prepare


def data_dir(seed: int) -> Path:
    return RESULTS / "data" / f"v{generate.GENERATOR_VERSION}-seed{seed}"


def ensure_data(seed: int, log: Callable) -> dict[str, object]:
    """Generate (once per generator version and seed) the workbooks the cases read."""
    d = data_dir(seed)
    manifest = d / "manifest.json"
    if manifest.exists():
        return json.loads(manifest.read_text())
    d.mkdir(parents=True, exist_ok=True)
    info: dict[str, object] = {}
    for scale in (1, 2, 4):
        log(f"generating the {scale}x council workbook ({300 * scale} indicators x 120 months)")
        s = generate.council(d / f"council-{scale}x.xlsx", indicators=300 * scale, seed=seed)
        info[f"council-{scale}x"] = {
            "path": str(s.path),
            "indicators": s.indicators,
            "months": s.months,
            "cells": s.cells,
            "month_cells": s.month_cells,
            "rows": s.monthly_rows,
        }
    log("generating the 1x council workbook as it was a month earlier")
    s = generate.council(d / "council-1x-previous.xlsx", indicators=300, seed=seed, previous=True)
    info["council-1x-previous"] = {"path": str(s.path), "cells": s.cells}
    log("generating ten yearly workbooks of 300 indicators (2011/12 to 2020/21)")
    hist = generate.history(d / "history", indicators=300, seed=seed)
    info["history"] = [{"path": str(s.path), "cells": s.cells} for s in hist]
    manifest.write_text(json.dumps(info, indent=1))
    return info


def build_store(csckpi: str, workbooks: list[str], store: Path, env: dict[str, str]) -> str:
    """Ingest workbooks into a fresh store with the real command; '' or why it failed."""
    remover(store)()
    for wb in workbooks:
        proc = subprocess.run(
            [csckpi, "ingest", wb, "--store", str(store)],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
        if proc.returncode != 0:
            lines = (proc.stderr or proc.stdout).strip().splitlines() or ["(no message)"]
            return f"ingest {Path(wb).name}: exit {proc.returncode}: {lines[-1][:160]}"
    return ""


# --------------------------------------------------------------------------- output


def fmt_s(x: float | None) -> str:
    return "–" if x is None or x != x else f"{x:.3f}"


def rows_of(results: list[Result]) -> list[list[str]]:
    rows = []
    for r in results:
        if r.error:
            rows.append([r.name, "not run", *[""] * (len(HEADERS) - 3), "see below"])
            continue
        floor_rss = statistics.median(r.floor_rss_mib) if r.floor_rss_mib else None
        rows.append(
            [
                r.name,
                fmt_s(r.median),
                f"{min(r.times):.3f}–{max(r.times):.3f}",
                fmt_s(statistics.median(r.cpu)),
                fmt_s(r.floor_median),
                fmt_s(statistics.median(r.floor_cpu) if r.floor_cpu else None),
                f"{r.ratio:.2f}×" if r.ratio is not None else "–",
                f"{r.cpu_ratio:.2f}×" if r.cpu_ratio is not None else "–",
                f"{r.peak_rss:.1f} (max {max(r.rss_mib):.0f})" if r.peak_rss is not None else "–",
                f"{floor_rss:.1f}" if floor_rss is not None else "–",
                r.note,
            ]
        )
    return rows


def legend(results: list[Result]) -> list[str]:
    """What each case ran, and why a case did not run."""
    lines = []
    for r in results:
        line = f"{r.name}: `{r.command}`" + (f" — floor `{r.floor}`" if r.floor else "")
        if r.error:
            line += f" — NOT RUN: {r.error}"
        lines.append(line)
    return lines


HEADERS = [
    "case",
    "median s",
    "min–max s",
    "CPU s",
    "floor median s",
    "floor CPU s",
    "paired ratio",
    "CPU ratio",
    "peak RSS MiB",
    "floor RSS MiB",
    "note",
]
BUDGET_HEADERS = ["budget", "limit", "measured", "result"]


def print_tables(results: list[Result], budgets: list[Budget]) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console(width=max(shutil.get_terminal_size((140, 24)).columns, 120))
    t = Table(title="csckpi benchmark (whole processes; ratio = median of paired ratios)")
    for h in HEADERS:
        t.add_column(h, overflow="fold")
    for row in rows_of(results):
        t.add_row(*row)
    console.print(t)
    for line in legend(results) + stage_lines(results):
        console.print("  " + line.replace("`", ""), highlight=False, markup=False)
    b = Table(title="Budgets")
    for h in BUDGET_HEADERS:
        b.add_column(h, overflow="fold")
    colours = {"PASS": "green", "FAIL": "bold red"}
    for x in budgets:
        status = x.status + (f" ({x.why})" if x.why else "")
        b.add_row(
            x.name, x.limit, x.measured, f"[{colours.get(x.status, 'yellow')}]{escape(status)}[/]"
        )
    console.print(b)


def escape(text: str) -> str:
    from rich.markup import escape as rich_escape

    return rich_escape(text)


def markdown(results: list[Result], budgets: list[Budget], meta: dict[str, object]) -> str:
    from tabulate import tabulate

    def esc(rows: list[list[str]]) -> list[list[str]]:
        return [[c.replace("|", "\\|") for c in row] for row in rows]

    lines = [
        f"Run `{meta['command']}` at {meta['time']} on commit `{meta['commit']}` "
        f"({meta['machine']}; load average before the run {meta['load']}).",
        "",
        tabulate(esc(rows_of(results)), HEADERS, tablefmt="github"),
        "",
        *(f"- {line}" for line in legend(results)),
        "",
        *(["```", *stage_lines(results), "```", ""] if stage_lines(results) else []),
        tabulate(
            esc(
                [
                    [b.name, b.limit, b.measured, b.status + (f" ({b.why})" if b.why else "")]
                    for b in budgets
                ]
            ),
            BUDGET_HEADERS,
            tablefmt="github",
        ),
    ]
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- budgets


def judge(by: dict[str, Result], data: dict[str, object], charts: dict[str, int]) -> list[Budget]:
    """Each budget of docs/performance.md, PASS or FAIL on this run (or why it did not run)."""
    budgets: list[Budget] = []

    def get(name: str) -> Result | None:
        r = by.get(name)
        return r if r is not None and not r.error and r.times else None

    def why(*names: str) -> str:
        reasons = []
        for name in names:
            r = by.get(name)
            if r is None:
                reasons.append(f"{name} not in this run")
            elif r.error:
                reasons.append(f"{name} did not run (see the table)")
        return "; ".join(reasons)

    def check(
        name: str,
        limit: str,
        case: str,
        measured: Callable[[Result], float],
        bound: float,
        shown: str,
    ) -> None:
        r = get(case)
        if r is None:
            budgets.append(Budget(name, limit, "–", "not run", why(case)))
            return
        value = measured(r)
        budgets.append(
            Budget(name, limit, shown.format(value), "PASS" if value <= bound else "FAIL")
        )

    def ratio(r: Result) -> float:
        return r.ratio if r.ratio is not None else float("inf")

    def rss(r: Result) -> float:
        return r.peak_rss if r.peak_rss is not None else float("inf")

    for name in ("help", "version"):
        check(f"csckpi --{name} time", "≤ 15× python -c pass", name, ratio, 15, "{:.1f}×")
        check(f"csckpi --{name} peak RSS", "≤ 30 MiB", name, rss, 30, "{:.1f} MiB")
    check(
        "ingest 300×120 time",
        "≤ 1.3× bare openpyxl read-only pass",
        "ingest-1x",
        ratio,
        1.3,
        "{:.3f}×",
    )
    check("ingest 300×120 peak RSS", "≤ 200 MiB", "ingest-1x", rss, 200, "{:.0f} MiB")
    check(
        "ingest 300×120 into PostgreSQL",
        "≤ 1.5× the same ingest into SQLite",
        "ingest-postgres",
        ratio,
        1.5,
        "{:.3f}×",
    )

    # Linear: the ingest's paired ratio to its floor — a bare streaming pass over the same
    # cells, linear by construction — must not rise as the workbook doubles and doubles again
    # (4× no more than 1.1 × 1×). Paired ratios are measured back to back, so other jobs fall
    # on both; absolute times of cases run minutes apart are not comparable on a shared machine
    # (the same floor over the same workbook has had medians 0.9 s and 1.5 s in one run). The
    # marginal CPU seconds per further 100k cells (fastest run of each case: other jobs only
    # ever add time) are shown beside it.
    name = "ingest grows linearly with cells (1×, 2×, 4×)"
    limit = "paired ratio at 4× ≤ 1.1 × paired ratio at 1× (the floor is a linear pass)"
    scaled = [get(f"ingest-{k}x") for k in (1, 2, 4)]
    if all(s is not None and s.cpu and s.ratio for s in scaled):
        cells = [float(data[f"council-{k}x"]["cells"]) for k in (1, 2, 4)]  # type: ignore[index]
        cpu = [min(s.cpu) for s in scaled if s is not None]
        per = [(cpu[i + 1] - cpu[i]) / (cells[i + 1] - cells[i]) * 1e5 for i in range(len(cpu) - 1)]
        ratios = [s.ratio for s in scaled if s is not None and s.ratio]
        growth = ratios[-1] / ratios[0]
        shown = " → ".join(f"{r:.2f}×" for r in ratios)
        budgets.append(
            Budget(
                name,
                limit,
                f"paired ratios {shown} ({growth:.2f}); CPU s per further 100k cells "
                f"{per[0]:.2f} → {per[1]:.2f}",
                "PASS" if growth <= 1.1 else "FAIL",
            )
        )
    else:
        budgets.append(
            Budget(name, limit, "–", "not run", why("ingest-1x", "ingest-2x", "ingest-4x"))
        )

    check(
        "Annex A 200,000 rows, workbook",
        "≤ 1.3× bare openpyxl read-only pass",
        "annex-a-xlsx",
        ratio,
        1.3,
        "{:.3f}×",
    )
    check(
        "Annex A 200,000 rows, CSV files",
        "≤ 2× polars reading them",
        "annex-a-csv",
        ratio,
        2.0,
        "{:.3f}×",
    )
    for case in ("annex-a-xlsx", "annex-a-csv"):
        check(f"{case} peak RSS", "≤ 400 MiB", case, rss, 400, "{:.0f} MiB")
    check(
        "compute a year, 10 years × 300 indicators",
        '≤ 2× python -c "import polars"',
        "compute",
        ratio,
        2,
        "{:.2f}×",
    )
    check(
        "compute from PostgreSQL",
        "≤ 1.5× the same compute from SQLite",
        "compute-postgres",
        ratio,
        1.5,
        "{:.2f}×",
    )
    check(
        "SPC for every indicator, in compute (10 years × 300 indicators)",
        "≤ 1.10× compute --spc-rules none",
        "compute-spc",
        ratio,
        1.10,
        "{:.3f}×",
    )
    n = charts.get("report", 0)
    check(
        f"report {EXAMPLE_PERIOD} HTML, every chart",
        "≤ 0.5 s",
        "report",
        lambda r: r.median,
        0.5,
        "{:.2f} s" + f" ({n} charts)",
    )
    return budgets


# --------------------------------------------------------------------------- main


def git_commit() -> str:
    def git(*args: str) -> str:
        return subprocess.run(
            ["git", *args], cwd=ROOT, capture_output=True, text=True, check=False
        ).stdout.strip()

    head = git("rev-parse", "--short", "HEAD") or "unknown"
    dirty = git("status", "--porcelain", "--untracked-files=no")
    return head + ("+dirty" if dirty else "")


def find_csckpi() -> Path:
    for candidate in (Path(sys.executable).parent / "csckpi", ROOT / ".venv" / "bin" / "csckpi"):
        if candidate.exists():
            return candidate
    found = shutil.which("csckpi")
    if found:
        return Path(found)
    sys.exit("csckpi is not installed: python -m venv .venv && .venv/bin/pip install -e .")


def interpreter_of(script: Path) -> str:
    """The Python the entry script runs with (its #! line), so floors use the same one."""
    first = script.read_text(errors="replace").splitlines()[0]
    return first[2:].strip().split()[0] if first.startswith("#!") else sys.executable


def stages(case: Case, runs: int, python: str, env: dict[str, str], work: Path) -> dict[str, float]:
    """The stages of ``case``, timed from inside: the breakdown of the run (of ``runs``) whose
    total is the median, so the stages add up to its total."""
    found: list[dict[str, float]] = []
    for _ in range(runs):
        if case.prepare:
            case.prepare()
        out = work / f"{case.name}.stages.json"
        argv = [python, str(HERE / "stages.py"), str(out), *case.argv[1:]]
        proc = subprocess.run(argv, env=env, cwd=ROOT, capture_output=True, check=False)
        if proc.returncode != 0 or not out.exists():
            return {}
        data = json.loads(out.read_text())
        one = dict(data["stages"])
        one[REST] = data["total_seconds"] - sum(data["stages"].values())
        one[TOTAL] = data["total_seconds"]
        one[CHARTS] = data["calls"].get("draw the charts", 0)
        found.append(one)
    found.sort(key=lambda one: one[TOTAL])
    return found[len(found) // 2]


REST = "the rest: interpreter start-up, imports, Typer"
TOTAL = "total inside the process"
CHARTS = "charts drawn"


def stage_lines(results: list[Result]) -> list[str]:
    lines = []
    for r in results:
        found = r.extra.get("stages")
        if not isinstance(found, dict) or not found:
            continue
        charts = int(found.get(CHARTS, 0))
        head = f"{r.name}, stages timed inside the process (the run of median total)"
        if charts:
            drawn = found.get("draw the charts", 0.0)
            head += f": {charts} charts, {drawn / charts * 1000:.1f} ms per chart"
        lines.append(head)
        total = found.get(TOTAL, 0.0) or float("nan")
        for name, seconds in found.items():
            if name != CHARTS:
                lines.append(f"    {name:<48} {seconds:7.3f} s  {seconds / total:4.0%}")
    return lines


def count_charts(path: Path | None) -> int:
    if path is None or not path.exists():
        return 0
    return path.read_text(errors="replace").count("<svg")


def compare_runs(old_path: Path, new_path: Path | None) -> int:
    """Two runs side by side: paired ratios (or median seconds, for a case with no floor)."""
    if new_path is None:
        runs = sorted(RESULTS.glob("*.json"))
        if not runs:
            sys.exit("no results in benchmarks/results to compare with")
        new_path = runs[-1]
    old, new = json.loads(old_path.read_text()), json.loads(new_path.read_text())
    from tabulate import tabulate

    def figure(r: dict[str, object]) -> tuple[float | None, str]:
        if r.get("error"):
            return None, "not run"
        ratio = r.get("ratio")
        if isinstance(ratio, float):
            return ratio, f"{ratio:.2f}×"
        median = r.get("median")
        return (median, f"{median:.3f} s") if isinstance(median, float) else (None, "–")

    def rss(r: dict[str, object]) -> str:
        value = r.get("peak_rss_mib")
        return f"{value:.1f}" if isinstance(value, float) else "–"

    olds = {r["name"]: r for r in old["results"]}
    rows = []
    for r in new["results"]:
        o = olds.get(r["name"])
        if o is None:
            continue
        (a, shown_a), (b, shown_b) = figure(o), figure(r)
        change = f"{(b / a - 1) * 100:+.0f}%" if a and b else "–"
        rows.append([r["name"], shown_a, shown_b, change, rss(o), rss(r)])
    print(f"{old_path.name} ({old['meta']['commit']}) -> {new_path.name} ({new['meta']['commit']})")
    headers = ["case", "old", "new", "change", "old RSS MiB", "new RSS MiB"]
    print(tabulate(rows, headers, tablefmt="github"))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="3 pairs per case instead of 7")
    parser.add_argument("--repeats", type=int, help="pairs per case (default 7, --quick 3)")
    parser.add_argument(
        "--only",
        action="append",
        default=[],
        help="run cases whose name starts with this (repeatable)",
    )
    parser.add_argument("--seed", type=int, default=1, help="the generator's seed")
    parser.add_argument("--json", type=Path, help="also write the results to this file")
    parser.add_argument(
        "--update-doc", action="store_true", help="put this run's tables into docs/performance.md"
    )
    parser.add_argument(
        "--compare",
        nargs="+",
        type=Path,
        metavar="JSON",
        help="compare two result files (default second: the latest run)",
    )
    args = parser.parse_args(argv)
    if args.compare:
        return compare_runs(args.compare[0], args.compare[1] if len(args.compare) > 1 else None)

    repeats = args.repeats or (3 if args.quick else 7)

    def log(msg: str, end: str = "\n") -> None:
        print(msg, end=end, file=sys.stderr, flush=True)

    csckpi = find_csckpi()
    python = interpreter_of(csckpi)
    NAMES.update(python=python, csckpi=str(csckpi))
    env = {k: v for k, v in os.environ.items() if k != "CSCKPI_STORE"}
    env |= {"NO_COLOR": "1", "COLUMNS": "120", "PYTHONHASHSEED": "0"}
    # as installed for a user: bytecode cached (the warm-up writes it), no import profiling
    env.pop("PYTHONPROFILEIMPORTTIME", None)
    env.pop("PYTHONDONTWRITEBYTECODE", None)

    numpy = subprocess.run([python, "-c", "import numpy"], capture_output=True, check=False)
    if numpy.returncode == 0:
        log(
            "WARNING: numpy is importable in csckpi's environment: openpyxl imports it whenever "
            "it is installed (~+50 ms and several MiB on every ingest). Remove it from the venv."
        )

    data = ensure_data(args.seed, log)
    RESULTS.mkdir(exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="csckpi-bench-"))
    c = str(csckpi)
    floor_openpyxl = [python, str(HERE / "floor_openpyxl.py")]

    cases: list[Case] = [
        Case("help", [c, "--help"], [python, "-c", "pass"], weight=2),
        Case("version", [c, "--version"], [python, "-c", "pass"], weight=2),
    ]
    for k in (1, 2, 4):
        info = data[f"council-{k}x"]
        store = work / f"ingest-{k}x.db"
        cases.append(
            Case(
                f"ingest-{k}x",
                [c, "ingest", info["path"], "--store", str(store)],  # type: ignore[index]
                [*floor_openpyxl, info["path"]],  # type: ignore[index]
                prepare=remover(store),
                note=f"{info['indicators']}×{info['months']}, {info['cells']:,} cells, "  # type: ignore[index]
                "fresh store",
                stages=k == 1,
                weight=1.5 if k == 1 else 1.0,
            )
        )

    # the monthly routine: next month's workbook into a store that holds the month before
    routine_store = work / "routine.db"
    routine_seed = work / "routine-seed.db"
    cases.append(
        Case(
            "ingest-routine",
            [c, "ingest", data["council-1x"]["path"], "--store", str(routine_store)],  # type: ignore[index]
            [*floor_openpyxl, data["council-1x"]["path"]],  # type: ignore[index]
            prepare=copier(routine_seed, routine_store),
            note="the 1× workbook into a store holding it a month earlier",
            stages=True,
        )
    )

    # the 1x ingest into a fresh PostgreSQL schema, its floor the same into a fresh SQLite file
    url = server.server()
    info = data["council-1x"]
    sqlite_store = work / "ingest-sqlite.db"
    cases.append(
        Case(
            "ingest-postgres",
            [
                c,
                "ingest",
                info["path"],
                "--store",
                server.in_schema(url or "postgresql://", "bench_ingest"),
            ],  # type: ignore[index]
            [c, "ingest", info["path"], "--store", str(sqlite_store)],  # type: ignore[index]
            prepare=server.fresh_schema(url, "bench_ingest") if url else None,
            floor_prepare=remover(sqlite_store),
            note="the 1× workbook, fresh schema; floor: the same into a fresh SQLite file",
        )
    )

    # an Annex A extract of 200,000 rows (tests/annex_a_factory.py, via records_speed.py):
    # every shipped measure from April 2020, from the workbook and from its CSV files
    wanted = (
        (lambda name: any(name.startswith(p) for p in args.only))
        if args.only
        else (lambda name: True)
    )
    if wanted("annex-a-xlsx") or wanted("annex-a-csv"):
        import records_speed

        log(f"the {ANNEX_A_ROWS:,}-row Annex A extract (generated once) ...")
        annex_xlsx, annex_csv = records_speed.data(ANNEX_A_ROWS, needed_only=False)
        period = ["--as-at", "31/03/2021", "--since", "Apr-20"]
        for name, source, floor, what in (
            ("annex-a-xlsx", annex_xlsx, [*floor_openpyxl, str(annex_xlsx)], "workbook"),
            (
                "annex-a-csv",
                annex_csv,
                [python, "-c", records_speed.CSV_FLOOR, str(annex_csv)],
                "CSV folder; floor: polars reading every file",
            ),
        ):
            store = work / f"{name}.db"
            cases.append(
                Case(
                    name,
                    [c, "ingest", str(source), "--store", str(store), *period],
                    floor,
                    prepare=remover(store),
                    note=f"{ANNEX_A_ROWS:,} rows, Lists 1-9, every shipped measure, {what}",
                )
            )
    setup_errors: dict[str, str] = {}
    if url is None:
        setup_errors["ingest-postgres"] = server.NO_SERVER
    if wanted("ingest-routine"):
        problem = build_store(c, [data["council-1x-previous"]["path"]], routine_seed, env)  # type: ignore[index]
        if problem:
            setup_errors["ingest-routine"] = problem
    if wanted("compute") or wanted("compute-postgres"):
        history_store = work / "history.db"
        log("building the ten-year store: csckpi ingest of 10 yearly workbooks ... ", end="")
        t0 = time.perf_counter()
        problem = build_store(c, [h["path"] for h in data["history"]], history_store, env)  # type: ignore[index, union-attr]
        log(problem or f"{time.perf_counter() - t0:.1f} s")
        compute_cmd = [c, "compute", "--store", str(history_store), "--period", "2020/21"]
        cases.append(
            Case(
                "compute",
                compute_cmd,
                [python, "-c", "import polars"],
                note="every indicator, 2020/21, 10-year store, piped",
                stages=True,
                weight=2,
            )
        )
        cases.append(
            Case(
                "compute-json",
                [*compute_cmd, "--format", "json"],
                [python, "-c", "import polars"],
                note="the same as JSON",
            )
        )
        # what statistical process control (on by default) adds: the same command, its floor
        # the same command with SPC off
        cases.append(
            Case(
                "compute-spc",
                compute_cmd,
                [*compute_cmd, "--spc-rules", "none"],
                note="compute with SPC for every indicator, against --spc-rules none",
                weight=2,
            )
        )
        if problem:
            for name in ("compute", "compute-json", "compute-spc"):
                setup_errors[name] = problem
        url = server.server()
        on_server = server.in_schema(url or "postgresql://", "bench_history")
        cases.append(
            Case(
                "compute-postgres",
                [c, "compute", "--store", on_server, "--period", "2020/21"],
                compute_cmd,
                note="the same, the store copied to PostgreSQL; floor: compute from SQLite",
            )
        )
        if url is None:
            setup_errors["compute-postgres"] = server.NO_SERVER
        elif wanted("compute-postgres"):
            problem = problem or server.copy_into(c, history_store, url, "bench_history", env)
            if problem:
                setup_errors["compute-postgres"] = problem
    if wanted("report"):
        example_store = work / "example.db"
        if not EXAMPLE.exists():
            setup_errors["report"] = f"{EXAMPLE.relative_to(ROOT)} does not exist"
        else:
            problem = build_store(c, [str(EXAMPLE)], example_store, env)
            if problem:
                setup_errors["report"] = problem
        out = work / "report.html"
        cases.append(
            Case(
                "report",
                [
                    c,
                    "report",
                    "--store",
                    str(example_store),
                    "--period",
                    EXAMPLE_PERIOD,
                    "-o",
                    str(out),
                ],
                # no budget of its own: what the report cannot go below, side by side
                [python, "-c", "import polars"],
                output=out,
                prepare=remover(out),
                note="example workbook, HTML with every chart; floor: import polars",
                stages=True,
            )
        )

    results: list[Result] = []
    charts: dict[str, int] = {}
    for case in cases:
        if not wanted(case.name):
            continue
        if case.name in setup_errors:
            results.append(Result(case.name, quote(case.argv), "", error=setup_errors[case.name]))
            continue
        log(f"{case.name:<14} ", end="")
        result = measure(case, max(1, round(repeats * case.weight)), env, work, log)
        log(f" {result.error or f'{result.median:.3f} s'}")
        if case.output is not None and not result.error:
            charts[case.name] = count_charts(case.output)
            result.extra["charts"] = charts[case.name]
        if case.stages and not result.error:
            result.extra["stages"] = stages(case, min(repeats, 3), python, env, work)
        results.append(result)

    by = {r.name: r for r in results}
    budgets = judge(by, data, charts)
    meta = {
        "command": "python benchmarks/run.py "
        + " ".join(argv if argv is not None else sys.argv[1:]),
        "time": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "commit": git_commit(),
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, Python "
        f"{platform.python_version()}, {platform.system()} {platform.release()}",
        "load": " ".join(f"{x:.2f}" for x in os.getloadavg()),
        "repeats": repeats,
        "seed": args.seed,
    }
    print_tables(results, budgets)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    payload = {
        "meta": meta,
        "data": data,
        "results": [r.as_dict() for r in results],
        "budgets": [asdict(b) for b in budgets],
    }
    text = json.dumps(payload, indent=1, ensure_ascii=False)
    (RESULTS / f"{stamp}.json").write_text(text)
    if args.json:
        args.json.write_text(text)
    if args.update_doc:
        doc = DOC.read_text()
        start, end = doc.index(DOC_START) + len(DOC_START), doc.index(DOC_END)
        DOC.write_text(doc[:start] + "\n" + markdown(results, budgets, meta) + doc[end:])
        log(f"updated {DOC.relative_to(ROOT)}")
    log(f"results: {(RESULTS / f'{stamp}.json').relative_to(ROOT)}")
    shutil.rmtree(work, ignore_errors=True)
    return 1 if any(b.status == "FAIL" for b in budgets) else 0


if __name__ == "__main__":
    sys.exit(main())
