"""The entry script builds only the command asked for (csckpi.cli._only): a command's run says
exactly what it says when every command is built (help, usage errors, exit codes)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from csckpi.cli import _only, app

WHOLE = "import sys; from csckpi.cli import app; sys.argv[0] = 'csckpi'; app(prog_name='csckpi')"
ALONE = "import sys; from csckpi.cli import main; sys.argv[0] = 'csckpi'; main()"


def run(code: str, args: list[str]) -> tuple[int, str, str]:
    env = {**os.environ, "COLUMNS": "100", "NO_COLOR": "1", "TERM": "dumb"}
    proc = subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, env=env, check=False
    )
    return proc.returncode, proc.stdout, proc.stderr


@pytest.mark.parametrize(
    "args",
    [["compute", "--help"], ["compute", "--no-such-option"], ["store", "--help"], ["report"]],
)
def test_one_command_alone_says_what_every_command_built_says(args: list[str]) -> None:
    assert run(ALONE, args) == run(WHOLE, args)


def test_only_the_command_named() -> None:
    alone = _only("compute")
    assert alone is not None and not alone.registered_groups
    assert [c.callback.__name__ for c in alone.registered_commands] == ["compute_command"]  # type: ignore[union-attr]
    group = _only("store")
    assert group is not None and not group.registered_commands
    assert len(group.registered_groups) == 1
    assert _only("comput") is None  # a typo: the whole app says which commands there are
    assert _only("--help") is None
    assert len(app.registered_commands) > 1  # the app itself is left whole


# What a command's process runs with: the garbage collector off, and polars' allocator set
# for a short process unless the user has set it (csckpi.cli.main).
SETTINGS = (
    "import gc, os, sys; from csckpi.cli import main; sys.argv = ['csckpi', '--version']\n"
    "try:\n    main()\nexcept SystemExit:\n    pass\n"
    "print(gc.isenabled(), os.environ.get('_RJEM_MALLOC_CONF'))"
)


def test_a_command_runs_without_the_cyclic_collector_and_with_one_allocator_arena() -> None:
    env = {k: v for k, v in os.environ.items() if k != "_RJEM_MALLOC_CONF"}
    proc = subprocess.run(
        [sys.executable, "-c", SETTINGS], capture_output=True, text=True, env=env, check=True
    )
    assert proc.stdout.splitlines()[-1] == "False narenas:1,background_thread:false"


def test_the_user_s_own_allocator_setting_stands() -> None:
    env = {**os.environ, "_RJEM_MALLOC_CONF": "narenas:4"}
    proc = subprocess.run(
        [sys.executable, "-c", SETTINGS], capture_output=True, text=True, env=env, check=True
    )
    assert proc.stdout.splitlines()[-1] == "False narenas:4"
