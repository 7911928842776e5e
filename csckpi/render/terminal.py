"""Small pieces of terminal output shared by the renderers."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable, Iterator, Sequence

_BARS = "▁▂▃▄▅▆▇█"


def sparkline(values: Sequence[float | None]) -> str:
    """`▁▃▅█` from numbers; a gap (space) where a month has no figure."""
    present = [v for v in values if v is not None]
    if not present:
        return ""
    low, high = min(present), max(present)
    span = high - low
    out = []
    for v in values:
        if v is None:
            out.append(" ")
        elif span == 0:
            out.append(_BARS[len(_BARS) // 2])
        else:
            out.append(_BARS[round((v - low) / span * (len(_BARS) - 1))])
    return "".join(out)


RAG_STYLE = {"green": "bold green", "amber": "bold yellow", "red": "bold red"}


def _nothing(done: int, total: int) -> None:
    """A progress callback with nothing to show."""


@contextlib.contextmanager
def progress(label: str, total: int) -> Iterator[Callable[[int, int], None]]:
    """A progress bar on stderr while a long step runs (``label``, e.g. "Drawing charts"),
    shown only on a terminal and gone when it ends; yields ``advance(done, total)``. Off a
    terminal (a script, a pipe) it yields nothing to call and rich is not even imported."""
    if not (sys.stderr.isatty() or os.environ.get("FORCE_TERMINAL")):
        yield _nothing
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    console = Console(stderr=True)
    bar = Progress(
        TextColumn(label),
        BarColumn(),
        MofNCompleteColumn(),
        console=console,
        transient=True,
        disable=not console.is_terminal,
    )
    task = bar.add_task(label, total=max(total, 1))

    def advance(done: int, total: int) -> None:
        bar.update(task, completed=done, total=total)

    with bar:
        yield advance
