"""`csckpi export`'s files: each table of an export as CSV or Parquet in one folder.

Each file is written beside its final name and renamed into place once whole, so a failed
export leaves no half-written file.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from csckpi.errors import OutputError

if TYPE_CHECKING:
    import polars as pl

    from csckpi.export import Tables


def write_folder(
    tables: Tables, folder: Path, suffix: str, write: Callable[[pl.DataFrame, Path], None]
) -> str:
    """Write every table as ``folder/NAME{suffix}``, replacing one there; say what was written
    (and which files it replaced)."""
    if folder.exists() and not folder.is_dir():
        raise OutputError(f"{folder} is a file, not a folder.", "Give a folder with -o.")
    if not folder.parent.is_dir():
        raise OutputError(f"Cannot write {folder}: the folder {folder.parent} does not exist.")
    folder.mkdir(exist_ok=True)
    written = []
    replaced = [
        f"{name}{suffix}" for name in tables.frames if (folder / f"{name}{suffix}").exists()
    ]
    for name, frame in tables.frames.items():
        final = folder / f"{name}{suffix}"
        partial = folder / f".{name}{suffix}.partial"
        try:
            write(frame, partial)
            os.replace(partial, final)
        except OSError as exc:
            with contextlib.suppress(OSError):
                partial.unlink()
            raise OutputError(f"Cannot write {final}: {exc.strerror or exc}.") from None
        written.append(f"{final.name} ({frame.height:,} rows)")
    said = (
        f"Wrote {', '.join(written)} to {folder} (the scorecard of each of {tables.months} months"
    )
    said += ")"
    if replaced:
        said += f", replacing {', '.join(replaced)} there"
    return said + "."


def csv(tables: Tables, folder: Path) -> str:
    return write_folder(tables, folder, ".csv", lambda f, p: f.write_csv(p))


def parquet(tables: Tables, folder: Path) -> str:
    return write_folder(tables, folder, ".parquet", lambda f, p: f.write_parquet(p))
