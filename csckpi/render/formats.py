"""Output formats as data: each output family lists its formats once, in a :class:`Formats`.

A :class:`Format` says how one family's output is written in one format: the file names that
choose it, a few words for ``--help``, and its writer — ``text`` (the output as text, for
standard output or a file), ``save`` (writes a file itself: binary, or with files beside it)
and/or ``show`` (rich output for a terminal). The command line's ``--format`` choices, the
format a file name gives, ``--help`` and the messages that list formats or suffixes all come
from the family's :class:`Formats`; :func:`emit` writes a family's output in a format. The
families themselves are in :mod:`csckpi.render.outputs`.

Only the standard library is imported here: the command line reads these at start-up.
"""

from __future__ import annotations

import dataclasses
import sys
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Generic, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Format(Generic[T]):
    """One way to write a family's output (``T``: the record its writers take)."""

    #: A few words on what it gives, shown in brackets after its name in ``--help``.
    description: str
    #: File names that choose it (``-o q3.html``), lower case; the first is the one messages name.
    suffixes: tuple[str, ...] = ()
    #: The output as text: written to standard output, or into a file.
    text: Callable[[T], str] | None = None
    #: Writes the file itself (binary, or with files beside it) and says what it wrote.
    save: Callable[[T, Path], str] | None = None
    #: Prints rich output for a terminal: there instead of ``text`` (everywhere when no text).
    show: Callable[[T], None] | None = None
    #: For scripts: one document on standard output holding everything, problems included.
    machine: bool = False
    #: Raises before any work is done when the format cannot be written here (no browser);
    #: given the program asked for (``--browser``), or None.
    check: Callable[[str | None], None] | None = None
    #: Its name in ``--format``: the key it is registered under (set by :class:`Formats`).
    name: str = ""

    @property
    def stdout(self) -> bool:
        """Whether it can go to standard output (a terminal or a pipe)."""
        return self.text is not None or self.show is not None

    @property
    def to_file(self) -> bool:
        """Whether it can be written to a file."""
        return self.text is not None or self.save is not None


class Formats(Generic[T]):
    """One output family's formats, by name, in the order ``--help`` and messages list them."""

    def __init__(
        self, formats: Mapping[str, Format[T]], *, default: str, piped: str | None = None
    ) -> None:
        self.by_name: dict[str, Format[T]] = {
            name: dataclasses.replace(found, name=name) for name, found in formats.items()
        }
        self.default = self.by_name[default]
        #: The default when standard output is not a terminal.
        self.piped = self.by_name[piped or default]
        self.by_suffix: dict[str, Format[T]] = {}
        for found in self.by_name.values():
            for suffix in found.suffixes:
                if suffix in self.by_suffix or suffix != suffix.lower():
                    raise ValueError(f"{suffix} is given twice, or not in lower case")
                self.by_suffix[suffix] = found

    def __getitem__(self, name: str) -> Format[T]:
        return self.by_name[name]

    def __contains__(self, name: object) -> bool:
        return name in self.by_name

    def __iter__(self) -> Iterator[Format[T]]:
        return iter(self.by_name.values())

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(self.by_name)

    @property
    def metavar(self) -> str:
        """`<table|text|csv>`: how ``--help`` shows the choices."""
        return "<" + "|".join(self.by_name) + ">"

    def listing(self) -> str:
        """`table (…), csv (…) or json (…)`: every format with its description."""
        return or_list([f"{f.name} ({f.description})" for f in self])

    def suffix_listing(self) -> str:
        """`.html, .xlsx, .md or .pdf`: the file name of each format that writes files."""
        return or_list([f.suffixes[0] for f in self if f.suffixes])

    def for_file(self, path: Path) -> Format[T] | None:
        """The format a file's name gives (`q3.HTML` -> html), or None."""
        return self.by_suffix.get(path.suffix.lower())

    def chosen(self, *, terminal: bool) -> Format[T]:
        """The format to use when none is given, on a terminal or not."""
        return self.default if terminal else self.piped

    def unknown(self, value: str) -> str:
        """The message for a ``--format`` that is not one of these."""
        return f"{value!r} is not one of {', '.join(repr(name) for name in self.by_name)}."


def or_list(items: list[str]) -> str:
    """`a, b or c`."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " or " + items[-1]


def stdout_is_terminal() -> bool:
    """Whether standard output is a terminal (where a format's rich output goes)."""
    return sys.stdout.isatty()


def emit(
    chosen: Format[T],
    data: T,
    output: Path | None = None,
    *,
    terminal: bool | None = None,
    hint: str | None = None,
) -> str:
    """Write ``data`` in ``chosen``: into ``output``, else to standard output (rich output when
    it is a terminal and the format has it). Says what was written, for the closing message; a
    file that cannot be written is an :class:`~csckpi.errors.OutputError` (with ``hint``).
    ``output`` ``-`` is standard output (``-o -``)."""
    if output is not None and str(output) == "-":
        output = None
    if output is None:
        if terminal is None:
            terminal = stdout_is_terminal()
        if chosen.show is not None and (terminal or chosen.text is None):
            chosen.show(data)
        elif chosen.text is not None:
            sys.stdout.write(chosen.text(data))
        else:
            raise ValueError(f"{chosen.name} cannot go to standard output")
        return "standard output"
    try:
        if chosen.save is not None:
            return chosen.save(data, output)
        if chosen.text is None:
            raise ValueError(f"{chosen.name} cannot be written to a file")
        output.write_text(chosen.text(data), encoding="utf-8")
    except OSError as exc:
        from csckpi.errors import OutputError

        raise OutputError(f"Cannot write {output}: {exc.strerror or exc}.", hint) from None
    return str(output)
