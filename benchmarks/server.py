"""The PostgreSQL cases of ``benchmarks/run.py``: the same command on a server store, paired
with the command on an SQLite file as its floor, so a budget is "PostgreSQL ≤ 1.5× SQLite".

They need a server: ``CSCKPI_TEST_POSTGRES`` (``bash .ci/postgres start`` starts a throwaway
one). Without it they are listed as not run, with that reason. Each case's store is a schema of
its own, made afresh before every run of an ingest.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

SERVER = "CSCKPI_TEST_POSTGRES"
NO_SERVER = f"no PostgreSQL server: set {SERVER} (bash .ci/postgres start prints one)"


def server() -> str | None:
    return os.environ.get(SERVER) or None


def in_schema(url: str, schema: str) -> str:
    return f"{url}{'&' if '?' in url else '?'}options={quote(f'-csearch_path={schema}', safe='')}"


def fresh_schema(url: str, schema: str) -> Callable[[], None]:
    """Before each run: the schema dropped and made again, empty."""

    def prepare() -> None:
        import psycopg

        with psycopg.connect(url, autocommit=True) as con:
            con.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
            con.execute(f'CREATE SCHEMA "{schema}"')

    return prepare


def copy_into(csckpi: str, source: Path, url: str, schema: str, env: dict[str, str]) -> str:
    """``csckpi store copy`` of an SQLite store into a fresh schema; '' or why it failed."""
    fresh_schema(url, schema)()
    proc = subprocess.run(
        [csckpi, "store", "copy", str(source), in_schema(url, schema)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        lines = (proc.stderr or proc.stdout).strip().splitlines() or ["(no message)"]
        return f"store copy: exit {proc.returncode}: {lines[-1][:160]}"
    return ""
