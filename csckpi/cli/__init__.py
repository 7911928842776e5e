"""The `csckpi` command: a thin Typer shell over the core.

Each command lives in its own module and registers itself on :data:`app`. Command modules
import Typer and the standard library only at module level; the core (polars, openpyxl) is
imported inside the command body, so `csckpi --help` stays fast.
"""

from __future__ import annotations

import importlib
import sys

from csckpi.cli.common import app, fail_internal

# Importing a command module registers its commands; `csckpi --help` lists them in this
# order, which is the order of the monthly routine.
for _module in (
    "ingest",
    "changes",
    "compute",
    "compare",
    "comment",
    "narrate",
    "report",
    "records",
    "store",
    "benchmarks",
):
    importlib.import_module(f"csckpi.cli.{_module}")

__all__ = ["app", "main"]


def main() -> None:
    """Entry point of the `csckpi` script."""
    try:
        app()
    except KeyboardInterrupt:
        sys.stderr.write("csckpi: interrupted\n")
        raise SystemExit(130) from None
    except Exception as exc:  # a bug: say so in one line, never a traceback
        fail_internal(exc)
