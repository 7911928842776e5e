"""Where `csckpi report`'s time goes: the real command, with its stages timed from inside.

    python benchmarks/chart_cost.py RESULT.json report --store S --period "Q3 2020/21" -o r.html

Runs ``csckpi.cli.main`` with the arguments after RESULT.json, having wrapped the functions that
do each stage with a timer: loading the data, building the report's content (figures and
sentences), drawing each chart (``csckpi.render.charts.render_svg``) and rendering the page.
Writes the totals to RESULT.json: ``{"charts": N, "chart_seconds": ..., "stages": {...},
"total_seconds": ...}``. Timing from inside leaves out nothing but interpreter start-up; the
benchmark's whole-process time is the budget, this only says what it is made of.
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


def timed(label: str, func: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        t0 = time.perf_counter()
        try:
            return func(*args, **kwargs)
        finally:
            TIMES[label] = TIMES.get(label, 0.0) + time.perf_counter() - t0
            CALLS[label] = CALLS.get(label, 0) + 1

    return wrapper


def patch(module: str, name: str, label: str) -> None:
    """Wrap ``module.name``; modules that import the name later get the wrapped one."""
    try:
        mod = importlib.import_module(module)
        setattr(mod, name, timed(label, getattr(mod, name)))
    except (ImportError, AttributeError) as exc:
        print(f"chart_cost: cannot time {module}.{name}: {exc}", file=sys.stderr)


def main() -> None:
    out = sys.argv[1]
    sys.argv = ["csckpi", *sys.argv[2:]]
    t_import = time.perf_counter()
    import csckpi.cli as cli

    patch("csckpi.cli.common", "load_dataset", "load the data")
    patch("csckpi.report", "build", "build the content (figures, sentences)")
    patch("csckpi.render.charts", "render_svg", "draw the charts")
    patch("csckpi.render.report_html", "render_html", "render the page (charts included)")
    # the command module bound these names at import: rebind them to the timed ones
    import csckpi.cli.report as command

    for name in ("load_dataset",):
        if hasattr(command, name):
            setattr(command, name, getattr(importlib.import_module("csckpi.cli.common"), name))
    TIMES["start-up imports"] = time.perf_counter() - t_import
    code = 0
    try:
        cli.main()
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    total = time.perf_counter() - START
    charts = CALLS.get("draw the charts", 0)
    result = {
        "charts": charts,
        "chart_seconds": TIMES.get("draw the charts", 0.0),
        "per_chart_seconds": TIMES.get("draw the charts", 0.0) / charts if charts else None,
        "stages": TIMES,
        "total_seconds": total,
        "exit_code": code,
    }
    with open(out, "w", encoding="utf-8") as handle:
        json.dump(result, handle, indent=1)
    sys.exit(code)


if __name__ == "__main__":
    main()
