"""A mistyped command line, said as one plain sentence.

A value an option cannot take (`--fail-on purple`, `--format docx`) is said the way csckpi
says everything else — `csckpi: --fail-on takes red or amber, not 'purple'.` — never in the
option library's words ("Invalid value for ...", "Value error, ..."). Exit code 2, as before.
Every command gets this class (csckpi/cli/__init__.py). Only Typer's public names are used
(its option library is vendored in some versions, so it is never imported by name).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from enum import Enum
from typing import IO, Any

import typer
from typer.core import TyperCommand

from csckpi.render.formats import or_list

#: What a number option takes, by its type's name.
NUMBERS = {"integer": "a whole number", "int": "a whole number", "float": "a number"}


class PlainUsageError(typer.BadParameter):
    """A usage error (exit code 2) shown as `csckpi: <sentence>` and where to read the
    options, without the option library's "Invalid value for" in front."""

    def show(self, file: IO[Any] | None = None) -> None:
        typer.echo(f"csckpi: {self.message}", file=file, err=file is None)
        if self.ctx is not None:
            typer.echo(
                f"See '{self.ctx.command_path} --help' for its options and examples.",
                file=file,
                err=file is None,
            )


class Command(TyperCommand):
    """A csckpi command: a value it cannot take is a :class:`PlainUsageError`."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        given = list(args)
        try:
            return super().parse_args(ctx, args)
        except typer.BadParameter as exc:
            if not _restated(exc):
                raise
            raise PlainUsageError(plain(exc, self._given(ctx, given)), ctx) from None

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except typer.BadParameter as exc:  # raised by a command's own checks
            if not _restated(exc):
                raise
            raise PlainUsageError(plain(exc, {}), ctx) from None

    def _given(self, ctx: Any, args: list[str]) -> dict[str, Any]:
        """What the command line gave each option (before any was converted)."""
        try:
            opts, _, _ = self.make_parser(ctx).parse_args(args=args)
        except Exception:  # the value is only quoted back: without it the sentence stands
            return {}
        return dict(opts)


def _restated(exc: Exception) -> bool:
    """Whether to say ``exc`` again plainly: a bad value, not a missing option (whose own
    message, "Missing option '--period'", is plain already) nor one said already."""
    return not isinstance(exc, PlainUsageError) and type(exc).__name__ != "MissingParameter"


def choices_of(param: Any) -> list[str] | None:
    """The values an option takes: a choice's (an enum's values), or those a parser lists
    as its ``choices`` (``--format``: csckpi.cli.common.format_option)."""
    kind = getattr(param, "type", None)
    found = getattr(kind, "choices", None) or getattr(getattr(kind, "func", None), "choices", None)
    if not found:
        return None
    return [str(c.value if isinstance(c, Enum) else c) for c in found]


def option_name(exc: typer.BadParameter) -> str:
    """The option as a user types it (its long name), or the hint the error carries."""
    param = exc.param
    if param is not None and param.opts:
        return next((o for o in param.opts if o.startswith("--")), param.opts[0])
    hint = exc.param_hint
    if isinstance(hint, Sequence) and not isinstance(hint, str):
        hint = hint[0] if hint else None
    if not hint:
        return ""
    found = re.search(r"--[\w*][\w*-]*", str(hint))  # "'--output' / '-o'" -> --output
    return found.group(0) if found else str(hint).strip("'\"")


def plain(exc: typer.BadParameter, given: dict[str, Any]) -> str:
    """One sentence: for a choice, what the option takes and what was given; else the
    option and csckpi's own message."""
    name = option_name(exc)
    param = exc.param
    choices = choices_of(param)
    if param is not None and choices:
        value = given.get(param.name or "")
        values = value if isinstance(value, list | tuple) else [value]
        wrong = next((v for v in values if v is not None and v not in choices), None)
        said = f", not {wrong!r}" if wrong is not None else ""
        return f"{name} takes {or_list(choices)}{said}."
    kind = getattr(getattr(param, "type", None), "name", "")
    if param is not None and kind in NUMBERS:
        value = given.get(param.name or "")
        said = f", not {value!r}" if isinstance(value, str) else ""
        return f"{name} takes {NUMBERS[kind]}{said}."
    message = exc.message.rstrip()
    return f"{name}: {message}" if name else message
