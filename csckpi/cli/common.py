"""What every command shares: the app, option types, output formats and error handling."""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from csckpi import __version__
from csckpi.errors import CsckpiError
from csckpi.render.formats import Format, Formats, or_list, stdout_is_terminal

app = typer.Typer(
    name="csckpi",
    help=(
        "Children's services performance indicators: read the monthly performance workbook, "
        "compute every indicator, compare it and write the sentences and the quarterly report."
    ),
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=True,
    rich_markup_mode=None,
)

DEFAULT_STORE = "csckpi.db"

#: ``-o -``: write to standard output instead of a file.
STDOUT = "-"


def expand(value: Any) -> Any:
    """``~`` and environment variables (``$HOME``, ``${TEAM}``, ``%APPDATA%`` on Windows)
    expanded in a path or store location, as a shell would; ``-`` (standard output) and
    None pass through. The callback of every option and argument that names a file."""
    if value is None or str(value) == STDOUT:
        return value
    if isinstance(value, list | tuple):
        return type(value)(expand(v) for v in value)
    text = os.path.expandvars(os.path.expanduser(str(value)))
    return Path(text) if isinstance(value, Path) else text


def to_stdout(output: Path | None) -> bool:
    """Whether ``-o`` asked for standard output (``-o -``) or gave no file at all."""
    return output is None or str(output) == STDOUT


#: What replaces a file and what does not, as README and ``--help`` say it: a table of
#: figures (``compute -o``, ``changes -o``, ``export``) is rewritten on every run, so a monthly
#: script can write the same scorecard.csv (the closing message says it replaced one); a
#: document one may have edited (``report``, ``template``) only with ``--force``.
REPLACE_RULE = (
    "Tables of figures (compute -o, changes -o, export) replace the file of the same name, "
    "and say so; a report or a template workbook is replaced only with --force."
)


def replacing(path: Path | None) -> str:
    """ ", replacing the file there" when ``path`` is a file already (said before it is
    written, for the closing message); "" otherwise."""
    return ", replacing the file there" if path is not None and path.is_file() else ""


def refuse_existing(path: Path, force: bool, example: str) -> None:
    """A file that exists is replaced only with ``--force`` (``report`` and ``template``:
    :data:`REPLACE_RULE`); a folder is no file (``example`` names one to give instead)."""
    from csckpi.errors import OutputError

    if path.is_dir():
        raise OutputError(f"{path} is a folder.", f"Give a file name, e.g. {path / example}.")
    if path.exists() and not force:
        raise OutputError(f"{path} already exists.", "Give another name, or --force to replace it.")


ForceOption = Annotated[
    bool,
    typer.Option(
        "--force",
        help="Replace the file if it exists (without it, a file there is kept and nothing is "
        "written).",
        show_default=False,
    ),
]


def _version(value: bool) -> None:
    if value:
        typer.echo(f"csckpi {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    """Children's services performance indicators, from workbook to report."""


def _completion_store(ctx: typer.Context) -> Any:
    """The store a command line being completed names (or the default); None if unreadable."""
    location = expand(ctx.params.get("store") or os.environ.get("CSCKPI_STORE") or DEFAULT_STORE)
    try:
        from csckpi.store import open_store

        return open_store(str(location))
    except Exception:  # completion never fails: it offers nothing
        return None


def complete_indicator(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    """Shell completion for --indicator: the store's codes (written without spaces, so the
    shell needs no quotes) with their titles."""
    store = _completion_store(ctx)
    if store is None:
        return []
    try:
        catalogue = store.catalogue()
    except Exception:
        return []
    typed = incomplete.replace(" ", "").upper()
    return [
        (i.code.replace(" ", ""), i.title)
        for i in catalogue
        if i.code.replace(" ", "").upper().startswith(typed)
    ]


def complete_period(ctx: typer.Context, incomplete: str) -> list[str]:
    """Shell completion for --period: the store's months (newest first), quarters and years."""
    store = _completion_store(ctx)
    if store is None:
        return []
    try:
        from csckpi.periods import periods_held

        held = periods_held(store.load().monthly.get_column("month").unique().to_list())
    except Exception:
        return []
    return [p for p in held if p.lower().startswith(incomplete.lower())]


StoreOption = Annotated[
    str,
    typer.Option(
        "--store",
        envvar="CSCKPI_STORE",
        metavar="<path>",
        help="The store: an SQLite file, or a postgresql:// URL (~ and $VARS expanded).",
        show_default=True,
        callback=expand,
    ),
]
WorkbookOption = Annotated[
    Path | None,
    typer.Option(
        "--workbook",
        "-w",
        help="Read this workbook directly instead of the store (nothing is stored).",
        callback=expand,
    ),
]
PeriodOption = Annotated[
    str | None,
    typer.Option(
        "--period",
        "-p",
        metavar="<period>",
        help="A month (2020-12, Dec-20), quarter (Q3 2020/21, Q3 20/21, or Q3 alone for the "
        "latest year's), year to date (2020/21 YTD, YTD) or financial year (2020/21, 2020-21, "
        "FY 20/21).",
        autocompletion=complete_period,
    ),
]
IndicatorOption = Annotated[
    list[str] | None,
    typer.Option(
        "--indicator",
        "-i",
        metavar="<code>",
        help="An indicator code (any spelling); repeatable.",
        autocompletion=complete_indicator,
    ),
]
SectionOption = Annotated[
    list[str] | None,
    typer.Option(
        "--section",
        "-s",
        metavar="<section>",
        help="A section name (or part of one); repeatable.",
    ),
]


SpcRulesOption = Annotated[
    str | None,
    typer.Option(
        "--spc-rules",
        metavar="NAME",
        help="Statistical process control: the rule set for signals — mdc (NHS England's "
        "Making Data Count, the default), mdc-tools or western-electric (docs/spc.md) — or "
        "none.",
        show_default=False,
    ),
]
SpcBaselineOption = Annotated[
    str | None,
    typer.Option(
        "--spc-baseline",
        metavar="FIRST..LAST",
        help="Control limits from these months (Apr-19..Mar-20, 12 or more) for every "
        "indicator, applied to every later month; used in place of the workbook's Baseline "
        "column (its new processes still start new limits).",
    ),
]
SpcShiftOption = Annotated[
    int | None,
    typer.Option(
        "--spc-shift", metavar="N", help="Points in a row on one side of the mean: 6, 7 or 8."
    ),
]
SpcTrendOption = Annotated[
    int | None,
    typer.Option("--spc-trend", metavar="N", help="Points in a row rising or falling: 6, 7 or 8."),
]

PublishOption = Annotated[
    bool,
    typer.Option(
        "--publish",
        help="For publication: counts from 1 to 5 are written c, and so is every figure one "
        "could be worked out from; z not applicable, x not available; a note says what was "
        "suppressed and why (docs/publishing.md).",
    ),
]
SuppressBelowOption = Annotated[
    int | None,
    typer.Option(
        "--suppress-below",
        metavar="N",
        help="With --publish (which it implies): counts from 1 to N are suppressed, not 1 to 5.",
        show_default=False,
    ),
]


def publish_threshold(publish: bool, suppress_below: int | None) -> int | None:
    """The threshold ``--publish`` suppresses counts up to, or None when not publishing."""
    if suppress_below is not None:
        if suppress_below < 1:
            from csckpi.cli.usage import PlainUsageError

            raise PlainUsageError(
                f"--suppress-below takes a count of at least 1, not {suppress_below}."
            )
        return suppress_below
    if not publish:
        return None
    from csckpi.disclosure import THRESHOLD  # its records and enums only when publishing

    return THRESHOLD


def publish_note(figures: int, comments: int = 0, *, written: str = "suppressed (c)") -> str:
    """What ``--publish`` left out, for the closing message on stderr: "10 figures suppressed
    (c), 2 service comments left out: docs/publishing.md" (the file's note says why)."""
    from csckpi.render.problems import count

    said = f"{count(figures, 'figure')} {written}"
    if comments:
        said += f", {count(comments, 'service comment')} left out"
    return f"{said}: docs/publishing.md"


def spc_options(
    rules: str | None, baseline: str | None, shift: int | None, trend: int | None
) -> Any:
    """The one SPC record (``spc.SpcOptions``) from the options every command shares;
    a value that cannot be used is a usage error naming what is allowed."""
    from csckpi.spc import SpcError, options

    try:
        return options(rules, baseline=baseline, shift=shift, trend=trend)
    except SpcError as exc:
        raise typer.BadParameter(str(exc), param_hint="--spc-*") from None


def format_option(
    formats: Formats[Any], help: str | None = None, *, show_default: bool = True
) -> Any:
    """``--format`` / ``-f``: one of a family's formats (csckpi.render.outputs), which give its
    choices; ``help`` is written from them too (by default, the formats listed)."""

    def parse(value: str) -> str:
        if value not in formats:
            raise typer.BadParameter(formats.unknown(value))
        return value

    parse.choices = formats.names  # type: ignore[attr-defined]  # said when one is wrong

    return typer.Option(
        "--format",
        "-f",
        parser=parse,
        metavar=formats.metavar,
        help=f"{formats.listing()}." if help is None else help,
        show_default=show_default,
    )


def output_option(formats: Formats[Any]) -> Any:
    """``--output`` / ``-o`` of a command that writes to standard output unless given a file,
    whose name gives one of ``formats`` (:func:`choose_format`)."""
    return typer.Option(
        "--output",
        "-o",
        callback=expand,
        help="Write to this file instead, replacing it if it exists, as a monthly script "
        f"wants (- for standard output); its name gives the format: "
        f"{formats.suffix_listing()}.",
    )


T = TypeVar("T")


def choose_format(
    formats: Formats[T],
    name: str | None,
    output: Path | None = None,
    *,
    unknown_file: str | None = None,
) -> Format[T]:
    """The format to write: ``--format`` when given, else the one ``output``'s name gives, else
    the family's default (on a terminal or not). A file name that gives no format (said as
    ``unknown_file``, by default "cannot tell which format to write to '<output>'", + which
    names do), or a format that cannot go where it is sent, is a command-line mistake: a usage
    error, exit 2, before any work is done."""
    if unknown_file is None:
        unknown_file = f"cannot tell which format to write to '{output}'"
    if output is not None and str(output) == STDOUT:  # -o -: as if no file were given
        output = None
    if name is not None:
        chosen = formats[name]
    elif output is not None:
        found = formats.for_file(output)
        if found is None:
            raise typer.BadParameter(
                f"{unknown_file}: name the file {formats.suffix_listing()}, or give --format.",
                param_hint="'--output' / '-o'",
            )
        chosen = found
    else:
        chosen = formats.chosen(terminal=stdout_is_terminal())
    if output is None and not chosen.stdout:
        example = f", e.g. -o out{chosen.suffixes[0]}" if chosen.suffixes else ""
        raise typer.BadParameter(
            f"{chosen.name} is written to a file, not to standard output: give --output{example}.",
            param_hint="'--format' / '-f'",
        )
    if output is not None and not chosen.to_file:
        raise typer.BadParameter(
            f"{chosen.name} is for a terminal, not a file: give --format "
            f"{or_list([f.name for f in formats if f.to_file])}.",
            param_hint="'--format' / '-f'",
        )
    return chosen


def load_dataset(store: str, workbook: Path | None = None) -> Any:
    """The figures to work on (:class:`csckpi.api.Performance`): straight from ``workbook``
    when given, else from the store."""
    from csckpi.api import load

    return load(store, workbook=workbook)


def store_ingest(
    found: Any, read: Any, *, dry_run: bool, strict: bool, file: str, force: bool = False
) -> Any:
    """``Store.ingest`` of a workbook or an extract read, saying on stderr when it waits for
    another csckpi to finish with the store; the summary."""
    waiting = f"csckpi: waiting for another csckpi to finish with {found.location} …"
    return found.ingest(
        read, dry_run=dry_run, strict=strict, file=file, on_wait=lambda: err(waiting), force=force
    )


def default_store() -> Path:
    return Path(os.environ.get("CSCKPI_STORE") or DEFAULT_STORE)


F = TypeVar("F", bound=Callable[..., Any])


def handles_errors(func: F) -> F:
    """Turn a :class:`CsckpiError` into its message on stderr and its exit code."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except CsckpiError as exc:
            err(f"csckpi: {exc}")
            raise typer.Exit(exc.exit_code) from None

    return wrapper  # type: ignore[return-value]


def err(message: str) -> None:
    """A message for the user on stderr (results go to stdout)."""
    typer.echo(message, err=True)


def fail_internal(exc: BaseException) -> None:
    sys.stderr.write(
        f"csckpi: internal error ({type(exc).__name__}: {exc}). "
        "This is a bug in csckpi; please report it with the command you ran.\n"
    )
    raise SystemExit(70)
