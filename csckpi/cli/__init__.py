"""The `csckpi` command: a thin Typer shell over the core.

Each command lives in its own module and registers itself on :data:`app`. Command modules
import Typer and the standard library only at module level; the core (polars, openpyxl) is
imported inside the command body, so `csckpi --help` stays fast.
"""

from __future__ import annotations

import copy
import gc
import importlib
import os
import sys

import typer
from typer.core import TyperCommand

from csckpi.cli.common import app, fail_internal
from csckpi.cli.usage import Command
from csckpi.render.outputs import legend_text

# Importing a command module registers its commands (ORDER below sets `csckpi --help`'s list).
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

#: `csckpi --help`'s command list: the monthly routine, then the commands a month does not
#: always need. A module imported by another (records, by ingest and compute) registers its
#: commands first, so the list is put in this order here rather than left to the imports.
ORDER = (
    *("ingest", "changes", "compute", "compare", "comment", "narrate", "report"),
    *("history", "indicators", "template", "children", "export"),
)


def _rank(info: typer.models.CommandInfo) -> int:
    name = info.name or (info.callback.__name__ if info.callback else "")
    name = name.removesuffix("_command").replace("_", "-")
    return ORDER.index(name) if name in ORDER else len(ORDER)


app.registered_commands.sort(key=_rank)

#: Real examples that end each command's --help (tests/test_cli_polish.py runs every one, on the
#: example workbook, in a folder holding it as examples/…).
EXAMPLES: dict[str, tuple[str, ...]] = {
    "ingest": (
        "csckpi ingest examples/darlington-2020-21-q3.xlsx",
        "csckpi ingest examples/darlington-2020-21-q3.xlsx --dry-run --verbose",
        "csckpi ingest examples/darlington-2020-21-q3.xlsx --format json",
    ),
    "history": (
        "csckpi history -i CSC038",
        'csckpi history -i CSC036 -p "Q3 2020/21" --format json',
    ),
    "indicators": (
        "csckpi indicators",
        "csckpi indicators -w examples/darlington-2020-21-q3.xlsx --format csv",
    ),
    "template": (
        "csckpi template performance-workbook.xlsx",
        "csckpi template performance-workbook.xlsx --force",
    ),
    "changes": (
        "csckpi changes",
        "csckpi changes --since 1 --format markdown -o changes.md",
        "csckpi changes --between 0 1 --fail-on red --format json -o -",
    ),
    "compute": (
        'csckpi compute --period "Q3 2020/21"',
        "csckpi compute -p Dec-20 --section 'Child Protection' --legend",
        "csckpi compute -p 2020-12 --format csv -o - --fail-on red",
    ),
    "compare": (
        "csckpi compare -i CSC038",
        'csckpi compare -i CSC022 -p "Q3 20/21" --format json',
    ),
    "comment": (
        'csckpi comment CSC038 --period "Q3 2020/21" "Two social workers left in November."',
        'csckpi comment CSC038 -p Dec-20 --carry --author "A. Analyst" "New recording system."',
        'csckpi comment CSC038 -p "Q3 2020/21" --remove',
        'csckpi comment --list --period "Q4 2020/21"',
        "csckpi comment CSC038 --history",
        "csckpi comment --list --format json",
    ),
    "narrate": (
        'csckpi narrate --period "Q3 2020/21" --summary',
        "csckpi narrate -i CSC038 -p Q3 --format markdown",
    ),
    "report": (
        'csckpi report --period "Q3 2020/21" -o q3.html',
        "csckpi report -o q3.xlsx --force",
        "csckpi report -o - > q3-latest.html",
    ),
    "export": (
        "csckpi export -o exported",
        "csckpi export -o exported-csv --format csv",
    ),
    "import": (
        "csckpi benchmarks import examples/published/referrals-sample.csv "
        "-m examples/published/map.toml --dry-run",
        "csckpi benchmarks import examples/published/referrals-sample.csv "
        "-m examples/published/map.toml --verbose",
    ),
    "children": (
        "csckpi children CSC038 -p Dec-20 --records examples/annex-a-sample.xlsx "
        "--map examples/darlington-annex-a.toml",
        'csckpi children CSC038 -p "Q3 2020/21" --missed --records examples/annex-a-sample.xlsx '
        "--map examples/darlington-annex-a.toml --format csv",
    ),
    "copy": (
        "csckpi store copy csckpi.db backup.db",
        "csckpi store copy csckpi.db ~/shared/team.db",
    ),
}


def _first_sentence(doc: str | None) -> str:
    """A command's line in `csckpi --help`: its help's first sentence, whole (never cut)."""
    text = " ".join((doc or "").split("\n\n")[0].split())
    head, dot, _ = text.partition(". ")
    return head + ("." if dot or not head.endswith(".") else "")


def _examples(name: str) -> str:
    lines = "\n".join(f"  {line}" for line in EXAMPLES[name])
    legend = f"\b\n{legend_text()}\n" if name == "compute" else ""
    return f"{legend}\b\nExamples:\n{lines}"


def _describe(commands: list[typer.models.CommandInfo]) -> None:
    for info in commands:
        name = info.name or (info.callback.__name__ if info.callback else "")
        name = name.removesuffix("_command")
        info.short_help = info.short_help or _first_sentence(
            info.help or (info.callback.__doc__ if info.callback else None)
        )
        if name in EXAMPLES:
            info.epilog = _examples(name)
        if info.cls is None or info.cls is TyperCommand:  # a bad value said plainly (usage.py)
            info.cls = Command


_describe(app.registered_commands)
for _group in app.registered_groups:
    if _group.typer_instance is not None:
        _describe(_group.typer_instance.registered_commands)
        _group.short_help = _group.short_help or _first_sentence(_group.typer_instance.info.help)

__all__ = ["app", "main"]

#: The environment variable polars' jemalloc reads its settings from, and what a command uses.
ALLOCATOR = ("_RJEM_MALLOC_CONF", "narenas:1,background_thread:false")


def _only(name: str) -> typer.Typer | None:
    """:data:`app` holding only the command or group called ``name`` (None: there is none),
    so a command's run does not build every other command's options (Typer does that each
    time it runs, a few tens of milliseconds): the same command, callback and messages."""
    from typer.main import get_command_name

    commands = [
        info
        for info in app.registered_commands
        if (info.name or get_command_name(info.callback.__name__)) == name  # type: ignore[union-attr]
    ]
    groups = [
        info
        for info in app.registered_groups
        if isinstance(info.typer_instance, typer.Typer) and info.typer_instance.info.name == name
    ]
    if len(commands) + len(groups) != 1:
        return None
    one = copy.copy(app)
    one.registered_commands, one.registered_groups = commands, groups
    return one


def main() -> None:
    """Entry point of the `csckpi` script."""
    # A command is one short process, and Python's cyclic garbage collector finds next to
    # nothing to free in it (compute of the ten-year store: 105 passes over the objects
    # polars' and csckpi's imports made, 13 ms, and ~500 objects freed — the ones importing
    # polars leaves; an ingest: 40 ms, ~700): it is off for the command, memory being freed
    # as before by reference counting. A library user's process is not touched.
    gc.disable()
    # polars' allocator (jemalloc), as polars sets it up, keeps an arena per thread and a
    # background thread that returns memory to the system — for a long-lived process. A
    # command lives a fraction of a second: with one arena and no background thread it
    # touches fewer fresh pages (compute of the ten-year store: 21,000 page faults against
    # 17,800; ingest of the 300 x 120 workbook: peak 199 MiB against 165 MiB). Read when
    # polars loads, which no command has done yet; a setting of the user's own stands.
    os.environ.setdefault(*ALLOCATOR)
    chosen = _only(sys.argv[1]) if len(sys.argv) > 1 else None
    try:
        (chosen or app)()
    except KeyboardInterrupt:
        sys.stderr.write("csckpi: interrupted\n")
        raise SystemExit(130) from None
    except Exception as exc:  # a bug: say so in one line, never a traceback
        fail_internal(exc)
    finally:
        # The process ends here: Python's garbage collection at exit would walk every object
        # the imports made (polars' alone: tens of milliseconds) to free memory the system
        # frees anyway. Frozen objects are skipped; streams are still flushed and exit
        # handlers run (the files a command writes are closed before it returns).
        gc.freeze()
