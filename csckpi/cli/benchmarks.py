"""`csckpi benchmarks import`: published statistics into the store."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from csckpi.cli.common import DEFAULT_STORE, StoreOption, app, err, format_option, handles_errors
from csckpi.render.outputs_store import IMPORT

benchmarks = typer.Typer(
    name="benchmarks",
    help="Benchmarks from published statistics: England, region, statistical neighbours, "
    "rank and quartile.",
    no_args_is_help=True,
)
app.add_typer(benchmarks)


@benchmarks.command("import")
@handles_errors
def import_(
    file: Annotated[
        Path,
        typer.Argument(
            help="A published statistics file (the Department's .csv, or the benchmarking "
            "tool's .csv or .xlsx export)."
        ),
    ],
    map_: Annotated[
        Path,
        typer.Option(
            "--map",
            "-m",
            metavar="<file.toml>",
            help="Which column is which indicator, the council, the release and the "
            "statistical-neighbour list (docs/benchmarks.md).",
        ),
    ],
    indicator: Annotated[
        str | None,
        typer.Option(
            "--indicator",
            "-i",
            metavar="<code>",
            help="The one indicator of the map this file holds (a benchmarking-tool export).",
        ),
    ] = None,
    store: StoreOption = DEFAULT_STORE,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Check and say what would change; write nothing.")
    ] = False,
    verbose: Annotated[
        bool,
        typer.Option("--verbose", "-v", help="Also list notes and every revision."),
    ] = False,
    fmt: Annotated[str, format_option(IMPORT)] = IMPORT.default.name,
) -> None:
    """Store a file's England, region and statistical-neighbour figures and the council's
    rank and quartile, each with the year it describes and its release; or nothing."""
    from csckpi.published import import_published, read_map
    from csckpi.published.stored import for_store
    from csckpi.render.formats import emit
    from csckpi.render.outputs_store import Imported
    from csckpi.render.problems import print_problems
    from csckpi.store import open_store

    chosen = IMPORT[fmt]
    found = open_store(store)
    catalogue = found.catalogue()  # no store yet: says to ingest the workbook first
    polarities = {i.code: i.polarity for i in catalogue}
    result = import_published(file, map_, indicator=indicator, polarities=polarities)
    mapping, _ = read_map(map_)
    inputs = [map_]
    if mapping is not None and mapping.neighbours is not None:
        inputs.append(mapping.neighbours.path)
    stored = for_store(
        result,
        catalogue,
        inputs=[p for p in inputs if p.is_file()],
        store=found.location,
    )
    if not chosen.machine:
        print_problems(stored.problems)
        for line in (f"note: {note}" for note in result.notes) if verbose else ():
            err(line)
    waiting = f"csckpi: waiting for another csckpi to finish with {found.location} …"
    summary = found.ingest(stored, dry_run=dry_run, file=file.name, on_wait=lambda: err(waiting))
    emit(chosen, Imported(stored.problems, result, summary, verbose))
    if not summary.ok:
        raise typer.Exit(1)
