"""Sentence patterns: a paragraph written as plain text with named placeholders.

A pattern is ordinary English with ``{placeholders}``, one sentence after another::

    {headline}. This is {standing}. It is {last_year}.

Each placeholder is a *clause* the engine builds from the data, with the facts behind it.
A sentence of the pattern is left out when any placeholder in it has nothing to say (no
target, no benchmark, no figure for last year), so a pattern never makes csckpi claim what the
data does not support. Placeholders whose name ends in ``_clause`` are the exception: they may
be empty and the sentence still stands (``{value} {phrase} {period_wording}{ytd_clause}.``).

The placeholders are the clause registry's (``csckpi.narrate.registry``), listed in
:data:`PLACEHOLDERS` and documented in ``docs/narrative.md``.
"""

from __future__ import annotations

import difflib
import functools
import re
import string
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from csckpi.errors import CsckpiError
from csckpi.model import normalise_code
from csckpi.narrate.registry import CLAUSES

#: Every placeholder a pattern may use, with what it holds (from the clause registry).
PLACEHOLDERS: dict[str, str] = {name: p.holds for name, p in CLAUSES.items()}

#: The summary paragraph, as the report's Performance Summary writes it.
SUMMARY = (
    "{headline}. {reported}. {comparison}. {target_note}. {benchmark_note}. {ranking}. {caution}."
)

#: The fuller analysis of one indicator.
ANALYSIS = (
    "{headline}. {reported}. {full_comparison}. {target_note}. {benchmark_note}. {ranking}. "
    "{pace}. {basis}. {parts}. {months}. {month_cells}. {runs}. {trend}. {spc}. {caution}."
)

#: What an analysis adds after a user's own summary pattern.
ANALYSIS_EXTRAS = (
    "{target_note}. {benchmark_note}. {ranking}. {pace}. {basis}. It is {previous}. {parts}. "
    "{months}. {month_cells}. {runs}. {trend}. {spc}. {caution}."
)

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


class PatternError(CsckpiError):
    """A sentence pattern names a placeholder csckpi does not know, or is malformed."""


def placeholders(pattern: str) -> list[str]:
    """The placeholder names of ``pattern``, in order; raises :class:`PatternError` on a bad
    one."""
    return list(_placeholders(pattern))


@functools.lru_cache(maxsize=256)  # a report fills the same few patterns many times
def _placeholders(pattern: str) -> tuple[str, ...]:
    names: list[str] = []
    try:
        parsed = list(string.Formatter().parse(pattern))
    except ValueError as exc:
        raise PatternError(
            f"The sentence pattern '{pattern}' is malformed ({exc}).",
            "Write placeholders as {name}; write a literal brace as {{ or }}.",
        ) from None
    for _literal, name, spec, conversion in parsed:
        if name is None:
            continue
        if name not in CLAUSES or spec or conversion:
            known = ", ".join(sorted(CLAUSES))
            near = difflib.get_close_matches(name, list(CLAUSES), n=1)
            guess = f"Did you mean {{{near[0]}}}? " if near else ""
            raise PatternError(
                f"The sentence pattern '{pattern}' uses {{{name}}}, which csckpi does not know.",
                f"{guess}Placeholders: {known}.",
            )
        names.append(name)
    return tuple(names)


def check(pattern: str) -> str:
    """``pattern`` itself when every placeholder is known."""
    placeholders(pattern)
    return pattern


def sentences(pattern: str) -> list[str]:
    """The sentences of a pattern (split after `.`, `!` or `?` and a space)."""
    return list(_sentences(pattern))


@functools.lru_cache(maxsize=256)
def _sentences(pattern: str) -> tuple[str, ...]:
    return tuple(s for s in _SENTENCE_END.split(pattern.strip()) if s)


def optional(name: str) -> bool:
    return name.endswith("_clause")


@dataclass(frozen=True)
class PatternSet:
    """Patterns a user gives in a file: defaults for every indicator and per-indicator ones.

    Per indicator, the workbook's own ``pattern`` column wins over the file.
    """

    summary: str | None = None
    analysis: str | None = None
    by_key: Mapping[str, Mapping[str, str]] = field(default_factory=dict)

    def for_indicator(self, key: str, column: str = "") -> tuple[str, str]:
        """(summary pattern, analysis pattern) for the indicator ``key``."""
        own = self.by_key.get(key, {})
        summary = column or own.get("summary") or self.summary
        analysis = own.get("analysis") or self.analysis
        if analysis is None:
            analysis = f"{summary} {ANALYSIS_EXTRAS}" if summary else ANALYSIS
        return summary or SUMMARY, analysis


def load_patterns(path: Path) -> PatternSet:
    """A patterns file (TOML)::

    summary = "{headline}. This is {standing}."        # every indicator (optional)
    analysis = "..."                                   # optional

    ["CSC 038"]                                        # one indicator, any spelling
    summary = "Year to date {value} {phrase}. This is {standing}."
    """
    import tomllib  # only for a patterns file: most runs never read one

    try:
        data: dict[str, Any] = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise PatternError(f"The patterns file {path} does not exist.") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise PatternError(f"The patterns file {path} cannot be read ({exc}).") from None
    except tomllib.TOMLDecodeError as exc:
        raise PatternError(
            f"The patterns file {path} is not valid TOML ({exc}).",
            'Write e.g. summary = "{headline}. This is {standing}."',
        ) from None
    top: dict[str, str] = {}
    by_key: dict[str, dict[str, str]] = {}
    for name, value in data.items():
        if isinstance(value, dict):
            own: dict[str, str] = {}
            for kind, text in value.items():
                own[_kind(path, kind, f"[{name}]")] = check(_text(path, text, f"{name}.{kind}"))
            by_key[normalise_code(name)] = own
        else:
            top[_kind(path, name, "the top level")] = check(_text(path, value, name))
    return PatternSet(top.get("summary"), top.get("analysis"), by_key)


def _kind(path: Path, kind: str, where: str) -> str:
    if kind not in ("summary", "analysis"):
        raise PatternError(
            f"{path}: '{kind}' in {where} is not a pattern name.",
            "Use summary or analysis.",
        )
    return kind


def _text(path: Path, value: Any, where: str) -> str:
    if not isinstance(value, str):
        raise PatternError(f"{path}: {where} must be text in quotes, not {value!r}.")
    return value
