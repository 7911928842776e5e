"""What a csckpi command's time is made of: the real command, its stages timed from inside.

    python benchmarks/stages.py RESULT.json ingest WORKBOOK --store S
    python benchmarks/stages.py RESULT.json compute --store S --period 2020/21
    python benchmarks/stages.py RESULT.json report --store S --period "Q3 2020/21" -o r.html

Runs ``csckpi.cli.main`` with the arguments after RESULT.json, having wrapped the functions that
do each stage with a timer (reading the workbook, storing it, loading the store, computing,
writing the output, building the report's content, drawing each chart ...). Writes to
RESULT.json ``{"stages": {name: seconds}, "calls": {name: n}, "total_seconds": ...}``; what no
stage accounts for is interpreter start-up, imports and Typer. The benchmark's whole-process
time is what the budgets judge; this only says what it is made of.
"""

from __future__ import annotations

import functools
import importlib
import json
import sys
import time
from collections.abc import Callable
from typing import Any

START = time.perf_counter()
TIMES: dict[str, float] = {}
CALLS: dict[str, int] = {}
ACTIVE: list[str] = []  # a stage inside another is not counted twice

#: (module, attribute (Class.method for methods), stage) — by command
STAGES: dict[str, list[tuple[str, str, str]]] = {
    "ingest": [
        ("csckpi.workbook", "read", "read and check the workbook"),
        ("csckpi.store.sqlite", "SqliteStore.ingest", "store the figures (one transaction)"),
    ],
    "compute": [
        ("csckpi.cli.common", "load_dataset", "load the store"),
        ("csckpi.compute.table", "compute_with_trend", "compute every indicator, its 12 months"),
        ("csckpi.render.formats", "emit", "write the table"),
    ],
    "report": [
        ("csckpi.cli.common", "load_dataset", "load the store"),
        ("csckpi.report", "build", "build the content (figures, sentences)"),
        ("csckpi.render.charts", "render_svg", "draw the charts"),
        ("csckpi.render.report_html", "render_html", "write the page (charts excluded)"),
    ],
}
CHARTS = "draw the charts"
POLARS = "import polars"


def timed(label: str, func: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        t0 = time.perf_counter()
        ACTIVE.append(label)
        try:
            return func(*args, **kwargs)
        finally:
            ACTIVE.pop()
            spent = time.perf_counter() - t0
            TIMES[label] = TIMES.get(label, 0.0) + spent
            CALLS[label] = CALLS.get(label, 0) + 1
            if ACTIVE:  # time inside another stage belongs to this one only
                TIMES[ACTIVE[-1]] = TIMES.get(ACTIVE[-1], 0.0) - spent

    return wrapper


def patch(module: str, attribute: str, label: str) -> None:
    """Wrap ``module.attribute``; code that looks the name up later gets the wrapped one."""
    try:
        owner: Any = importlib.import_module(module)
        *path, name = attribute.split(".")
        for part in path:
            owner = getattr(owner, part)
        setattr(owner, name, timed(label, getattr(owner, name)))
    except (ImportError, AttributeError) as exc:
        print(f"stages: cannot time {module}.{attribute}: {exc}", file=sys.stderr)


def main() -> None:
    out, command = sys.argv[1], sys.argv[2]
    sys.argv = ["csckpi", *sys.argv[2:]]
    if command in STAGES and command != "ingest":
        # imported by the first stage that needs it otherwise, whose time it then was: timed
        # on its own, as the floor of compute is this import alone
        t0 = time.perf_counter()
        import polars  # noqa: F401

        TIMES[POLARS] = time.perf_counter() - t0
    import csckpi.cli as cli

    for module, attribute, label in STAGES.get(command, []):
        patch(module, attribute, label)
        # command modules bound some names at import: rebind them to the timed ones
        cli_module = sys.modules.get(f"csckpi.cli.{command}")
        if cli_module is not None and hasattr(cli_module, attribute):
            setattr(cli_module, attribute, getattr(importlib.import_module(module), attribute))
    code = 0
    try:
        cli.main()
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    total = time.perf_counter() - START
    result = {
        "command": command,
        "stages": TIMES,
        "calls": CALLS,
        "total_seconds": total,
        "exit_code": code,
    }
    with open(out, "w", encoding="utf-8") as handle:
        json.dump(result, handle, indent=1)
    sys.exit(code)


if __name__ == "__main__":
    main()
