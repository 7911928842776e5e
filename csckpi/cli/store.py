"""`csckpi export` and `csckpi store copy`: a store's figures as files, and a store moved
between SQLite and a database server."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from csckpi.cli.common import (
    DEFAULT_STORE,
    StoreOption,
    app,
    err,
    expand,
    format_option,
    handles_errors,
)
from csckpi.render.outputs_store import EXPORT

store_app = typer.Typer(
    name="store",
    help="Work on a whole store: copy it between SQLite and a database server.",
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(store_app)


@app.command("export")
@handles_errors
def export_command(
    output: Annotated[
        Path,
        typer.Option(
            "--output",
            "-o",
            help="The folder to write into (created if it does not exist); its files of an "
            "earlier export are replaced.",
            callback=expand,
        ),
    ],
    fmt: Annotated[str, format_option(EXPORT)] = "parquet",
    store: StoreOption = DEFAULT_STORE,
) -> None:
    """Write the store's indicators, every figure with its history, and each month's
    scorecard as files (for teams without a database server)."""
    from csckpi.export import tables
    from csckpi.store import open_store

    found = open_store(store)
    exported = tables(found.load(), found.figures())
    save: Any = EXPORT[fmt].save
    err(save(exported, output))


@store_app.command("copy")
@handles_errors
def copy_command(
    source: Annotated[
        str,
        typer.Argument(help="The store to copy: a file or a server URL.", callback=expand),
    ],
    target: Annotated[
        str,
        typer.Argument(
            help="A new store: a file, or an empty database (or schema) URL.",
            callback=expand,
        ),
    ],
) -> None:
    """Copy every ingest, figure, revision, indicator and comment (each comment's history too)
    of a store into a new one (SQLite file or PostgreSQL database, either way), then check the
    copy by counts and a hash."""
    from csckpi.store import copy_store, open_store

    done = copy_store(open_store(source), open_store(target))
    counts = done.counts
    held = ", ".join(
        f"{counts[table]:,} {name}{'s' * (counts[table] != 1)}"
        for table, name in (
            ("ingests", "ingest"),
            ("indicators", "indicator"),
            ("figures", "figure value"),
            ("contexts", "Context sheet"),
            ("comments", "comment version"),
        )
        if table != "comments" or counts[table]
    )
    typer.echo(
        f"Copied {done.source} to {done.target}: {held}.\n"
        f"Checked: every table has the same rows in both, and the same SHA-256 "
        f"({done.digest[:16]}…)."
    )
