"""`csckpi comment`: the analyst's own words on an indicator in a period (docs/commentary.md)."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from csckpi.cli.common import DEFAULT_STORE, StoreOption, app, err, format_option, handles_errors
from csckpi.render.outputs_store import ROWS


@app.command()
@handles_errors
def comment(
    code: Annotated[
        str | None, typer.Argument(help="The indicator (any spelling of its code).")
    ] = None,
    text: Annotated[
        str | None,
        typer.Argument(help="What the service says about it; - reads it from stdin."),
    ] = None,
    period: Annotated[
        str | None,
        typer.Option(
            "--period",
            "-p",
            metavar="<period>",
            help="The period it is about: a month (Dec-20), quarter (Q3 2020/21), year to "
            "date (2020/21 YTD) or financial year (2020/21).",
        ),
    ] = None,
    carry: Annotated[
        bool | None,
        typer.Option(
            "--carry/--no-carry",
            help="Offer it again in the periods after, until a later comment (default: as "
            "the comment it replaces, else no).",
            show_default=False,
        ),
    ] = None,
    author: Annotated[
        str | None,
        typer.Option("--author", metavar="<name>", help="Who wrote it (default: your user name)."),
    ] = None,
    remove: Annotated[
        bool, typer.Option("--remove", help="Remove the comment (its history is kept).")
    ] = False,
    listing: Annotated[
        bool,
        typer.Option(
            "--list",
            help="List the comments in force (with --period: those the period shows, "
            "carried ones too; with CODE: that indicator's).",
        ),
    ] = False,
    history: Annotated[
        bool, typer.Option("--history", help="Every version ever written, removals too.")
    ] = False,
    fmt: Annotated[
        str, format_option(ROWS, f"For --list and --history: {ROWS.listing()}.")
    ] = ROWS.default.name,
    store: StoreOption = DEFAULT_STORE,
) -> None:
    """Write, edit, remove or list the service's own commentary on an indicator for a period,
    shown after the generated sentences in narrate and the report."""
    if listing or history:
        if text is not None or remove:
            raise typer.BadParameter(
                "--list and --history show comments; they take no text and no --remove.",
                param_hint="'--list' / '--history'",
            )
        _show(store, code, period, history=history, fmt=fmt)
        return
    if code is None or period is None:
        raise typer.BadParameter(
            'give the indicator and --period (csckpi comment CODE --period P "text"), or --list.',
            param_hint="CODE / '--period'",
        )
    if remove and text is not None:
        raise typer.BadParameter("--remove takes no text.", param_hint="'--remove'")
    if not remove and text is None:
        raise typer.BadParameter(
            'give the comment\'s text: csckpi comment CODE --period P "text" (or - to read '
            "it from stdin), or --remove.",
            param_hint="TEXT",
        )
    _write(store, code, period, text, carry=carry, author=author, remove=remove)


def _write(
    location: str,
    code: str,
    period: str,
    text: str | None,
    *,
    carry: bool | None,
    author: str | None,
    remove: bool,
) -> None:
    from csckpi.commentary import Comment, check_text, period_key
    from csckpi.store import open_store

    store = open_store(location)
    indicator = store.resolve(code)
    key = period_key(period)
    words = ""
    if not remove:
        assert text is not None
        words = (sys.stdin.read() if text == "-" else text).strip()
        problem = check_text(words)
        if problem is not None:
            raise typer.BadParameter(f"{problem}.", param_hint="TEXT")
    before = {c.period: c for c in store.comments(indicator.key)}.get(key)
    if carry is None:  # an edit keeps what the comment it replaces said
        carry = bool(before and before.carry)
    entry = Comment(
        key=indicator.key,
        code=indicator.code,
        period=key,
        text=words,
        carry=carry,
        author=_author() if author is None else author.strip(),
        removed=remove,
    )
    waiting = f"csckpi: waiting for another csckpi to finish with {store.location} …"
    kept = store.comment(entry, on_wait=lambda: err(waiting))
    about = f"{indicator.code} for {entry.period_label}"
    if kept is None:
        err(f"The comment on {about} already says that: nothing changed.")
    elif remove:
        err(
            f"Removed the comment on {about}; its history is kept "
            f"(csckpi comment {indicator.key} --history)."
        )
    else:
        carried = ", offered again in the periods after" if kept.carry else ""
        done = "Wrote a comment" if before is None else "Replaced the comment"
        earlier = "; the earlier one is kept in its history" if before is not None else ""
        err(f"{done} on {about} ({kept.byline}{carried}){earlier}.")


def _show(location: str, code: str | None, period: str | None, *, history: bool, fmt: str) -> None:
    from csckpi.commentary import period_key, period_of, shown
    from csckpi.render import commentary as rows
    from csckpi.render.formats import emit
    from csckpi.render.outputs_store import Rows
    from csckpi.store import open_store

    store = open_store(location)
    key = None if code is None else store.resolve(code).key
    if history:
        versions = store.comments(key, history=True)
        if period is not None:
            wanted = period_key(period)
            versions = [c for c in versions if c.period == wanted]
        table = rows.history_rows(versions)
    elif period is not None:
        when = period_of(period_key(period))
        offered = shown(store.comments(key), when)
        table = rows.comment_rows(list(offered.values()))
    else:
        table = rows.comment_rows(store.comments(key))
    if not table:
        err("csckpi: no comments" + (f" for {period}." if period else "."))
        return
    emit(ROWS[fmt], Rows(table))


def _author() -> str:
    """The user's name as the operating system knows it ("" when it does not)."""
    import getpass

    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return ""
