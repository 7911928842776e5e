"""What is wrong with a list's rows, found over whole columns: each a Problem with its cell,
and a flag column that tells the measures which rows to leave out.

Flags added to a list's frame (all booleans, false where nothing is wrong):

``_dup``              the row repeats an earlier one (same child and key date): counted once
``_noid``             no child unique ID (or adopter ID)
``_future_<field>``   a date after the extract date
``_rule_<n>``         the list's n-th order rule broken (authorised before the start ...)

(``_text_<field>``, a cell that is not a date or number, comes from the reader.) Messages name
the column and say what happens to the row; they never quote a child's ID or dates.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from csckpi.model import Problem, Severity
from csckpi.records.lists import AnnexList, Field, Kind
from csckpi.records.read import ListData

LEFT_OUT = "the row is left out of measures that need it"


def article(label: str) -> str:
    return ("an " if label[:1].lower() in "aeiou" else "a ") + label


def check_list(data: ListData, as_at: dt.date) -> tuple[pl.DataFrame, list[Problem]]:
    """The list's frame with its flags, and the problems behind them."""
    annex, frame = data.annex, data.frame
    flags: dict[str, pl.Expr] = {}
    # each problem found: (the rows it flags, its field, kind and message), found in one pass
    found: list[tuple[pl.Expr, Field, str, str]] = []
    present = [f for f in annex.fields if f.id in frame.columns]
    identifier = annex.field(annex.identifier)
    assert identifier is not None
    if identifier.id in frame.columns:
        flags["_noid"] = pl.col(identifier.id).is_null()
        message = f"no {identifier.label} — the row is left out"
        found.append((flags["_noid"], identifier, "missing-id", message))
    for field in present:
        if field.kind is not Kind.DATE:
            continue
        future = pl.col(field.id) > as_at
        flags[f"_future_{field.id}"] = future.fill_null(False)
        message = f"this {field.label} is after the extract date ({as_at:%d/%m/%Y}) — {LEFT_OUT}"
        found.append((future, field, "future-date", message))
        if field.id in annex.required:
            blank = pl.col(field.id).is_null() & _not_text(frame, field.id)
            found.append((blank, field, "missing-date", f"no {field.label} — {LEFT_OUT}"))
    for number, rule in enumerate(annex.rules):
        if rule.earlier not in frame.columns or rule.later not in frame.columns:
            continue
        earlier, later = annex.field(rule.earlier), annex.field(rule.later)
        assert earlier is not None and later is not None
        broken = (pl.col(rule.later) < pl.col(rule.earlier)).fill_null(False)
        flags[f"_rule_{number}"] = broken
        message = (
            f"this {later.label} is before the {earlier.label} on the same row — "
            "the row is left out of measures that need either"
        )
        found.append((broken, later, rule.kind, message))
    problems: list[Problem] = []
    if found:
        rows = frame.select(
            pl.col("_row").filter(flag.fill_null(False)).implode().alias(str(n))
            for n, (flag, *_said) in enumerate(found)
        ).row(0)
        for flagged, (_flag, field, kind, message) in zip(rows, found, strict=True):
            column = data.columns.get(field.id, 0)
            problems.extend(
                Problem(data.sheet, row, column, Severity.WARNING, kind, message) for row in flagged
            )
    frame = frame.with_columns(**flags) if flags else frame
    frame, duplicates = _duplicates(data, frame)
    problems.extend(duplicates)
    return frame, problems


def _not_text(frame: pl.DataFrame, field_id: str) -> pl.Expr:
    """Not already reported as an unreadable cell."""
    flag = f"_text_{field_id}"
    return ~pl.col(flag) if flag in frame.columns else pl.lit(True)


def _duplicates(data: ListData, frame: pl.DataFrame) -> tuple[pl.DataFrame, list[Problem]]:
    annex = data.annex
    keys = [f for f in annex.unique if f in frame.columns]
    if annex.identifier not in keys:
        return frame.with_columns(_dup=pl.lit(False)), []
    complete = pl.all_horizontal(pl.col(k).is_not_null() for k in keys)
    frame = frame.with_columns(_dup=complete & ~pl.struct(keys).is_first_distinct())
    repeats = frame.filter(pl.col("_dup"))
    if repeats.height == 0:
        return frame, []
    firsts = frame.filter(~pl.col("_dup")).select(*keys, _first=pl.col("_row"))
    repeated = repeats.join(firsts, on=keys, how="left").select("_row", "_first").rows()
    fields = _and([f.label for f in annex.fields if f.id in keys])
    column = data.columns.get(annex.identifier, 0)  # the repeated row's ID cell: List 4!A92
    problems = [
        Problem(
            data.sheet,
            row,
            column,
            Severity.WARNING,
            "duplicate-row",
            f"the same {fields} as row {first} — counted once",
        )
        for row, first in repeated
    ]
    return frame, problems


def _and(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def reasons(annex: AnnexList, frame: pl.DataFrame, used: set[str]) -> list[tuple[pl.Expr, str]]:
    """Why a row is left out of a measure reading ``used`` fields, first reason first:
    (flag, words after the list's noun: "without a child unique ID")."""
    out: list[tuple[pl.Expr, str]] = [(pl.col("_dup"), "repeating an earlier row")]
    if "_noid" in frame.columns:
        label = annex.field(annex.identifier).label  # type: ignore[union-attr]
        out.append((pl.col("_noid"), f"without {article(label)}"))
    for field in annex.fields:
        if field.id not in used:
            continue
        if f"_text_{field.id}" in frame.columns:
            what = "a date" if field.kind is Kind.DATE else "a number"
            out.append(
                (pl.col(f"_text_{field.id}"), f"with {article(field.label)} that is not {what}")
            )
        if f"_future_{field.id}" in frame.columns:
            out.append(
                (
                    pl.col(f"_future_{field.id}"),
                    f"with {article(field.label)} after the extract date",
                )
            )
    for number, rule in enumerate(annex.rules):
        flag = f"_rule_{number}"
        if flag in frame.columns and {rule.earlier, rule.later} & used:
            earlier, later = annex.field(rule.earlier), annex.field(rule.later)
            assert earlier is not None and later is not None
            out.append((pl.col(flag), f"with {article(later.label)} before the {earlier.label}"))
    return out
