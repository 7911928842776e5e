"""`csckpi changes`: what is new in the store since the previous ingest."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from csckpi.cli.common import (
    DEFAULT_STORE,
    StoreOption,
    app,
    choose_format,
    err,
    format_option,
    handles_errors,
    output_option,
    replacing,
    to_stdout,
)
from csckpi.render.outputs_store import CHANGES
from csckpi.render.problems import count

#: Exit code when --fail-on finds what it names.
EXIT_FAIL_ON = 3


class ChangesFailOn(StrEnum):
    REVISED = "revised"
    RED = "red"


@app.command("changes")
@handles_errors
def changes_command(
    since: Annotated[
        str | None,
        typer.Option(
            "--since",
            metavar="INGEST|DATE",
            help="Compare with the store after this ingest (its number) or as it stood "
            "before this day (2021-01-31). Default: the ingest before the latest.",
        ),
    ] = None,
    between: Annotated[
        tuple[str, str] | None,
        typer.Option(
            "--between",
            metavar="A B",
            help="Compare the store after ingest A with the store after ingest B "
            "(numbers, or dates: the store at the end of that day).",
        ),
    ] = None,
    fail_on: Annotated[
        list[ChangesFailOn] | None,
        typer.Option(
            "--fail-on",
            metavar="<revised|red>",
            help="Exit with code 3 when a past figure was revised (revised) or an indicator "
            "turned red (red); repeatable.",
        ),
    ] = None,
    fmt: Annotated[str | None, format_option(CHANGES, show_default=False)] = None,
    output: Annotated[Path | None, output_option(CHANGES)] = None,
    store: StoreOption = DEFAULT_STORE,
) -> None:
    """What is new since the previous ingest: revised figures (old -> new, with the cell),
    months added, RAG changes, targets crossed, new reds, benchmarks updated."""
    if since is not None and between is not None:
        raise typer.BadParameter("give --since or --between, not both.", param_hint="'--since'")
    kind = choose_format(CHANGES, fmt, output)
    from csckpi.api import changes
    from csckpi.render.formats import emit
    from csckpi.render.outputs_store import ChangesFile
    from csckpi.store import open_store

    result = changes(store, since=since, between=between or ())
    when = result.span
    replaced = "" if to_stdout(output) else replacing(output)
    emit(kind, ChangesFile(result, open_store(store).location), output)
    if not to_stdout(output):
        err(
            f"Wrote the changes from ingest {when.since} to ingest {when.until} to "
            f"{output}{replaced}."
        )
    failing = []
    for wanted in fail_on or ():
        if wanted is ChangesFailOn.REVISED and result.revised:
            failing.append(f"{count(len(result.revised), 'past figure')} revised")
        if wanted is ChangesFailOn.RED and result.new_reds:
            codes = ", ".join(r.code for r in result.new_reds)
            failing.append(f"{count(len(result.new_reds), 'indicator')} turned red: {codes}")
    if failing:
        err("csckpi: " + "; ".join(failing) + ".")
        raise typer.Exit(EXIT_FAIL_ON)
