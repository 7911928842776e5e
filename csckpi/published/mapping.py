"""The map: a small TOML file that says how to read one published file.

    [release]
    name = "Characteristics of children in need 2020"   # the vintage, as sentences cite it
    version = ""                    # optional: `revised` for a later release of the same year
    bare_years = "ending"           # optional: a bare `2020` is the year ending in 2020

    [council]
    old_la_code = "841"             # or new_la_code = "E06000005"
    region = "North East"           # optional: only the benchmarking tool's export needs it

    [neighbours]                    # optional: the statistical-neighbour list
    file = "sn-april-2021.csv"      # relative to this map
    version = "April 2021"          # optional: else the file's name

    [[indicator]]
    code = "CSC 032"
    column = "rereferral_percent"   # the measure column (not for the tool's export)
    where = { category = "Referrals and Re-referrals" }   # optional: pick the rows
    polarity = "down"               # optional: up, down or none
    snapshot = false                # optional: a position at 31 March (children in care)
    scale = 1                       # optional: multiply every figure (0.852 -> 85.2: 100)

Every problem is a :class:`~csckpi.model.Problem` on the map file, with the line it is on
where one can be found.
"""

from __future__ import annotations

import difflib
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from csckpi.model import Polarity, Problem, Severity, allowed, normalise_code, parse_choice
from csckpi.published.records import Release
from csckpi.published.years import BareYears

_KEYS: dict[str, tuple[str, ...]] = {
    "": ("release", "council", "neighbours", "indicator"),
    "release": ("name", "version", "bare_years"),
    "council": ("old_la_code", "new_la_code", "region"),
    "neighbours": ("file", "version"),
    "indicator": ("code", "column", "where", "polarity", "snapshot", "scale"),
}
_EXAMPLE = '[release] name = "Children looked after in England 2020"'


@dataclass(frozen=True)
class IndicatorMap:
    """Which figures in the file are one indicator's."""

    code: str
    column: str | None = None  # the measure column (the Department's layout)
    where: tuple[tuple[str, str], ...] = ()  # (column, value): the rows that are this one's
    polarity: Polarity | None = None
    snapshot: bool = False
    scale: float = 1.0
    line: int = 0  # where `code` is in the map

    @property
    def key(self) -> str:
        return normalise_code(self.code)


@dataclass(frozen=True)
class NeighbourSource:
    path: Path
    version: str  # '' when the map gives none: the file's name is used


@dataclass(frozen=True)
class PublishedMap:
    source: str  # the map's file name, as messages name it
    release: Release
    bare_years: BareYears
    old_la_code: str | None
    new_la_code: str | None
    region: str | None
    neighbours: NeighbourSource | None
    indicators: tuple[IndicatorMap, ...]


class _Reader:
    def __init__(self, path: Path, text: str) -> None:
        self.name = path.name
        self.folder = path.parent
        self.lines = text.splitlines()
        self.problems: list[Problem] = []

    def line_of(self, key: str, value: object = None) -> int:
        """The first line that sets ``key`` (to ``value`` when given), 0 when none does."""
        pattern = re.compile(rf"^\s*{re.escape(key)}\s*=")
        shown = None if value is None else str(value)
        for number, line in enumerate(self.lines, start=1):
            if pattern.match(line) and (shown is None or shown in line):
                return number
        return 0

    def section_line(self, name: str) -> int:
        """The line of ``[name]``, 0 when the map has none."""
        pattern = re.compile(rf"^\s*\[\s*{re.escape(name)}\s*\]")
        return next((n for n, line in enumerate(self.lines, 1) if pattern.match(line)), 0)

    def problem(self, kind: str, message: str, line: int = 0, *, error: bool = True) -> None:
        severity = Severity.ERROR if error else Severity.WARNING
        self.problems.append(Problem(self.name, line, 0, severity, kind, message))

    def table(self, data: dict[str, Any], name: str) -> dict[str, Any] | None:
        value = data.get(name)
        if value is None:
            return None
        if not isinstance(value, dict):
            self.problem("map-value", f"[{name}] must be a table of keys, not {value!r}.")
            return None
        self.unknown(value, name)
        return value

    def unknown(self, data: dict[str, Any], section: str, where: str = "") -> None:
        known = _KEYS[section]
        for key in data:
            if key in known:
                continue
            near = difflib.get_close_matches(key, known, n=1)
            hint = f" Did you mean '{near[0]}'?" if near else f" It knows {', '.join(known)}."
            place = where or (f"[{section}]" if section else "the top level")
            self.problem(
                "map-unknown-key",
                f"'{key}' in {place} is not something the map says.{hint}",
                self.line_of(key),
                error=False,
            )

    def text(self, data: dict[str, Any], key: str, where: str, *, required: bool) -> str | None:
        value = data.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.problem("map-missing", f"{where} has no {key}.", self.line_of(key))
            return None
        if isinstance(value, bool) or not isinstance(value, str | int):
            self.problem(
                "map-value",
                f"{where} {key} must be text in quotes, not {value!r}.",
                self.line_of(key),
            )
            return None
        return str(value).strip()


def read_map(path: Path) -> tuple[PublishedMap | None, tuple[Problem, ...]]:
    """The map at ``path``, or None with the problems that stop it being read."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        return None, (_whole(path, "map-missing", f"the map {path} does not exist."),)
    except (OSError, UnicodeDecodeError) as exc:
        return None, (_whole(path, "map-unreadable", f"the map cannot be read ({exc})."),)
    try:
        data: dict[str, Any] = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        found = re.search(r"at line (\d+), column (\d+)", str(exc))
        line = int(found[1]) if found else 0
        where = f" (line {found[1]}, column {found[2]})" if found else ""
        message = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc))
        return None, (
            Problem(
                path.name,
                line,
                0,
                Severity.ERROR,
                "map-syntax",
                f"the map is not valid TOML: {message}{where}. Write it like {_EXAMPLE}.",
            ),
        )
    reader = _Reader(path, text)
    reader.unknown(data, "")
    release = _release(reader, data)
    council = reader.table(data, "council") or {}
    old = reader.text(council, "old_la_code", "[council]", required=False)
    new = reader.text(council, "new_la_code", "[council]", required=False)
    if (old is None) == (new is None):
        reader.problem(
            "map-council",
            '[council] must name the council by old_la_code (e.g. "841") or new_la_code '
            '(e.g. "E06000005"), one of the two' + (", not both." if old is not None else "."),
            reader.line_of("old_la_code")
            or reader.line_of("new_la_code")
            or reader.section_line("council"),
        )
    region = reader.text(council, "region", "[council]", required=False)
    neighbours = _neighbours(reader, data)
    indicators = _indicators(reader, data)
    problems = tuple(sorted(reader.problems))
    if any(p.severity is Severity.ERROR for p in problems) or release is None:
        return None, problems
    return (
        PublishedMap(
            source=path.name,
            release=release[0],
            bare_years=release[1],
            old_la_code=old,
            new_la_code=new.upper() if new else None,
            region=region,
            neighbours=neighbours,
            indicators=indicators,
        ),
        problems,
    )


def _whole(path: Path, kind: str, message: str) -> Problem:
    return Problem(path.name, 0, 0, Severity.ERROR, kind, message)


def _release(reader: _Reader, data: dict[str, Any]) -> tuple[Release, BareYears] | None:
    table = reader.table(data, "release")
    if table is None:
        reader.problem(
            "map-missing", f"the map has no [release]: name the release, e.g. {_EXAMPLE}."
        )
        return None
    name = reader.text(table, "name", "[release]", required=True)
    version = reader.text(table, "version", "[release]", required=False) or ""
    bare = table.get("bare_years", "ending")
    if bare not in ("ending", "starting"):
        reader.problem(
            "map-value",
            f'[release] bare_years must be "ending" (2020 is the year ending in 2020, '
            f'2019/20) or "starting" (2020 is 2020/21), not {bare!r}.',
            reader.line_of("bare_years"),
        )
        bare = "ending"
    if name is None:
        return None
    return Release(name, version), bare


def _neighbours(reader: _Reader, data: dict[str, Any]) -> NeighbourSource | None:
    table = reader.table(data, "neighbours")
    if table is None:
        return None
    file = reader.text(table, "file", "[neighbours]", required=True)
    version = reader.text(table, "version", "[neighbours]", required=False) or ""
    if file is None:
        return None
    path = Path(file)
    return NeighbourSource(path if path.is_absolute() else reader.folder / path, version)


def _indicators(reader: _Reader, data: dict[str, Any]) -> tuple[IndicatorMap, ...]:
    entries = data.get("indicator")
    if entries is None:
        reader.problem(
            "map-missing",
            'the map names no indicator: add [[indicator]] with code = "CSC 032" and '
            'column = "rereferral_percent".',
        )
        return ()
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        reader.problem("map-value", "indicator must be written [[indicator]], one per indicator.")
        return ()
    out: list[IndicatorMap] = []
    seen: dict[str, str] = {}
    for number, entry in enumerate(entries, start=1):
        where = f"[[indicator]] {number}"
        reader.unknown(entry, "indicator", where)
        code = reader.text(entry, "code", where, required=True)
        if code is None:
            continue
        line = reader.line_of("code", code)
        where = f"indicator {code}"
        if normalise_code(code) in seen:
            reader.problem(
                "map-duplicate",
                f"{where} is in the map twice (also as {seen[normalise_code(code)]}).",
                line,
            )
            continue
        seen[normalise_code(code)] = code
        column = reader.text(entry, "column", where, required=False)
        out.append(
            IndicatorMap(
                code=code,
                column=column,
                where=_where(reader, entry.get("where"), where),
                polarity=_polarity(reader, entry.get("polarity"), where),
                snapshot=_flag(reader, entry.get("snapshot", False), where),
                scale=_scale(reader, entry.get("scale", 1), where),
                line=line,
            )
        )
    return tuple(out)


def _where(reader: _Reader, value: Any, where: str) -> tuple[tuple[str, str], ...]:
    if value is None:
        return ()
    if not isinstance(value, dict) or not all(
        isinstance(v, str | int) and not isinstance(v, bool) for v in value.values()
    ):
        reader.problem(
            "map-value",
            f'{where}: where must be a table of column = "value", e.g. '
            f'where = {{ category = "Referrals and Re-referrals" }}, not {value!r}.',
            reader.line_of("where"),
        )
        return ()
    return tuple((str(k), str(v)) for k, v in value.items())


def _polarity(reader: _Reader, value: Any, where: str) -> Polarity | None:
    if value is None:
        return None
    polarity = parse_choice(Polarity, str(value)) if isinstance(value, str) else None
    if polarity is None:
        reader.problem(
            "map-value",
            f"{where}: polarity must be {allowed(Polarity)}, not {value!r}.",
            reader.line_of("polarity", value),
        )
    return polarity


def _flag(reader: _Reader, value: Any, where: str) -> bool:
    if not isinstance(value, bool):
        reader.problem(
            "map-value",
            f"{where}: snapshot must be true or false, not {value!r}.",
            reader.line_of("snapshot"),
        )
        return False
    return value


def _scale(reader: _Reader, value: Any, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not value > 0:
        reader.problem(
            "map-value",
            f"{where}: scale must be a number above 0 (100 turns 0.852 into 85.2), not {value!r}.",
            reader.line_of("scale"),
        )
        return 1.0
    return float(value)
