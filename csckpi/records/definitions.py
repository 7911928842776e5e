"""Measures as data: the shipped definitions, a council's own, and the map to its codes.

    definitions = load_definitions()                    # the shipped measures, own codes
    definitions = load_definitions(Path("annex-a.toml"))  # + the council's measures and map

A council's file may hold measure tables of its own (the shipped file's format: a table per
measure, named by its code; one named like a shipped measure replaces it) and a ``[codes]``
table mapping its indicator codes to measures::

    [codes]
    "CSC 178" = "AA ICPC 15"
    "CSC 176" = { measure = "AA ICPC 15", ytd = true }   # the workbook holds a year to date

The Indicators sheet may map codes too, in its optional ``records_measure`` column (a
cumulative indicator's figures are its year to date): :meth:`Definitions.with_sheet` adds them
to the file's map, and a code both map must be mapped alike. With a ``[codes]`` table or a
sheet that maps a code, the figures derived are the mapped codes; without either, every
measure under its own code. Every expression is checked when the file is loaded, against the
fields of the measure's list, so a mistake is reported with its file, measure and column.
"""

from __future__ import annotations

import difflib
import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from csckpi.errors import CsckpiError
from csckpi.model import Indicator, Measure, Polarity, Unit, normalise_code, parse_choice
from csckpi.records.expr import ExpressionError, check
from csckpi.records.lists import BY_NUMBER, AnnexList, Kind

SHIPPED = "definitions.toml"
KINDS = (Measure.FLOW, Measure.RATIO, Measure.SNAPSHOT)
_KEYS = {
    "title",
    "list",
    "kind",
    "unit",
    "polarity",
    "date",
    "open",
    "at",
    "where",
    "numerator",
    "count",
    "guidance",
    "note",
    "decimals",
}


class DefinitionError(CsckpiError):
    """A definitions or map file that cannot be used; the message names the file and measure."""


@dataclass(frozen=True)
class Definition:
    """One measure: which list, which rows, which date puts a row in a month."""

    code: str
    title: str
    list: int
    kind: Measure  # flow, ratio or snapshot
    unit: Unit
    polarity: Polarity
    date: str | None = None  # flow and ratio: the date placing a row in its month
    open: tuple[str, str] | None = None  # snapshot: counted while from <= month end < to
    at_extract: bool = False  # snapshot taken at the extract date only
    where: str = ""  # which placed rows are in the measure ("" = all)
    numerator: str = ""  # percent: which of those count
    count: str = "rows"  # or "children"
    guidance: str = ""
    note: str = ""
    decimals: int | None = None
    source: str = ""  # the file it came from

    @property
    def key(self) -> str:
        return normalise_code(self.code)

    @property
    def annex(self) -> AnnexList:
        return BY_NUMBER[self.list]

    @property
    def placing(self) -> tuple[str, ...]:
        """The date fields that put a row in a month."""
        if self.date:
            return (self.date,)
        return tuple(f for f in self.open or () if f)

    def fields(self) -> frozenset[str]:
        """Every field of its list this measure reads."""
        fields = fields_used(self, self.where) | fields_used(self, self.numerator)
        return frozenset(fields | set(self.placing) | {self.annex.identifier})


def fields_used(definition: Definition, text: str) -> set[str]:
    return set(_fields_used(definition.list, text)) if text else set()


@lru_cache(maxsize=256)
def _fields_used(number: int, text: str) -> frozenset[str]:
    """The fields an expression of list ``number`` names (checked once per expression)."""
    return frozenset(check(text, field_kinds(BY_NUMBER[number])))


def field_kinds(annex: AnnexList) -> dict[str, Kind]:
    return {field.id: field.kind for field in annex.fields}


@dataclass(frozen=True)
class Target:
    """A series of figures to derive: a code and the measure behind it."""

    code: str
    definition: Definition
    ytd: bool = False  # each month's figure is the financial year to date
    #: where the code was mapped, for messages: `annex-a.toml line 22`, `Indicators!N12`
    origin: str = field(default="", compare=False)

    @property
    def key(self) -> str:
        return normalise_code(self.code)

    def indicator(self, order: int = 0) -> Indicator:
        """The indicator the figures belong to, for a catalogue that has not got it."""
        d = self.definition
        measure = Measure.CUMULATIVE if self.ytd else d.kind
        return Indicator(
            code=self.code,
            title=d.title + (" (year to date)" if self.ytd else ""),
            section=f"Annex A {d.annex.title}: {d.annex.name}",
            unit=d.unit,
            polarity=d.polarity,
            measure=measure,
            definition=d.guidance,
            decimals=d.decimals,
            order=order,
        )


@dataclass(frozen=True)
class Definitions:
    measures: Mapping[str, Definition]  # key -> definition
    targets: tuple[Target, ...]
    sources: tuple[str, ...]
    mapped: bool = False  # the targets are a map's codes (else every measure, own code)

    def with_sheet(self, catalogue: Iterable[Indicator]) -> Definitions:
        """These definitions with the codes the Indicators sheet maps (an indicator's
        ``records_measure``; year to date when its measure is cumulative) added to the map.
        A code the map file maps too must be mapped alike, else a DefinitionError names the
        sheet's cell and the file's line."""
        sheet = [_sheet_target(i, self.measures) for i in catalogue if i.records_measure]
        if not sheet:
            return self
        targets = {t.key: t for t in self.targets} if self.mapped else {}
        for target in sheet:
            given = targets.setdefault(target.key, target)
            if _mapping(given) != _mapping(target):
                raise DefinitionError(
                    f"{target.code} is mapped twice, differently: {target.origin} says "
                    f"{_mapping_text(target)}, {given.origin} says {_mapping_text(given)}.",
                    "Make them agree, or clear one of them (the map file's line or the "
                    "sheet's cell).",
                )
        return replace(self, targets=tuple(targets.values()), mapped=True)

    def target(self, code: str) -> Target:
        """The target for a code a user typed (`CSC038`, `AA ASMT 45`)."""
        key = normalise_code(code)
        for target in self.targets:
            if target.key == key:
                return target
        for target in self.targets:
            if target.definition.key == key:
                return target
        if key in self.measures:
            return Target(self.measures[key].code, self.measures[key])
        known = [t.code for t in self.targets] + [d.code for d in self.measures.values()]
        near = difflib.get_close_matches(code, known, n=1)
        raise DefinitionError(
            f"'{code}' is not a measure derived from the Annex A lists.",
            f"Did you mean '{near[0]}'?" if near else "See docs/records.md for the measures.",
        )

    def needs(self, targets: Iterable[Target] | None = None) -> dict[int, frozenset[str]]:
        """Which fields of which lists the targets read: only those are parsed."""
        wanted: dict[int, set[str]] = {}
        for target in self.targets if targets is None else targets:
            d = target.definition
            wanted.setdefault(d.list, set()).update(d.fields())
        return {number: frozenset(fields) for number, fields in sorted(wanted.items())}


def load_definitions(council: Path | None = None) -> Definitions:
    """The shipped measures, with a council's file (its measures and ``[codes]`` map) on top."""
    text = resources.files("csckpi.records").joinpath(SHIPPED).read_text(encoding="utf-8")
    shipped = _parse(text, SHIPPED)
    measures = {
        d.key: d for d in (_definition(code, table, SHIPPED) for code, table in shipped.items())
    }
    sources = [SHIPPED]
    codes: dict[str, Any] = {}
    if council is not None:
        path = Path(council)
        try:
            council_text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise DefinitionError(f"{path} cannot be read: {exc.strerror or exc}.") from None
        table = _parse(council_text, path.name)
        codes = table.pop("codes", {})
        if not isinstance(codes, dict):
            raise DefinitionError(f"{path.name}: [codes] must be a table of code = measure.")
        for code, entry in table.items():
            definition = _definition(code, entry, path.name)
            measures[definition.key] = definition
        sources.append(path.name)
    if codes:
        lines = _code_lines(council_text)
        targets = tuple(
            _target(
                code,
                entry,
                measures,
                f'{sources[-1]}: [codes] "{code}"',
                f"{sources[-1]} line {lines.get(code, '?')}",
            )
            for code, entry in codes.items()
        )
    else:
        targets = tuple(Target(d.code, d) for d in measures.values())
    return Definitions(measures, targets, tuple(sources), mapped=bool(codes))


def _code_lines(text: str) -> dict[str, int]:
    """The line of each code of a map file's ``[codes]`` table, for messages."""
    lines: dict[str, int] = {}
    table = ""
    for number, line in enumerate(text.splitlines(), 1):
        found = _TABLE.match(line)
        if found:
            table = found["name"].strip().strip("\"'")
            continue
        key = _KEY.match(line)
        if table == "codes" and key:
            lines.setdefault(next(k for k in key.groups() if k is not None), number)
    return lines


_TABLE = re.compile(r"^\s*\[(?P<name>[^\]]+)\]")
_KEY = re.compile(r"""^\s*(?:"([^"]*)"|'([^']*)'|([A-Za-z0-9_-]+))\s*=""")


def _sheet_target(indicator: Indicator, measures: Mapping[str, Definition]) -> Target:
    cell = indicator.records_cell or "the Indicators sheet"
    entry = {"measure": indicator.records_measure, "ytd": indicator.measure is Measure.CUMULATIVE}
    where = f"{cell} ({indicator.code}'s records_measure)"
    return _target(indicator.code, entry, measures, where, cell)


def _mapping(target: Target) -> tuple[str, bool]:
    return (target.definition.key, target.ytd)


def _mapping_text(target: Target) -> str:
    return f"'{target.definition.code}'" + (", year to date" if target.ytd else "")


#: A table named with a space and no quotes: `[LA ASMT 20]`, which TOML cannot read.
_UNQUOTED = re.compile(r"^\[[^\"'\]\n]*\s[^\"'\]\n]*\]", re.MULTILINE)


def _parse(text: str, name: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        hint = None
        if _UNQUOTED.search(text):  # [LA ASMT 20]: a name with spaces is quoted
            hint = 'A measure\'s name with spaces is written in quotes: ["LA ASMT 20"].'
        raise DefinitionError(f"{name} is not valid TOML: {exc}.", hint) from None


def _target(
    code: str, entry: Any, measures: Mapping[str, Definition], where: str, origin: str
) -> Target:
    if isinstance(entry, str):
        entry = {"measure": entry}
    if not isinstance(entry, dict) or not isinstance(entry.get("measure"), str):
        raise DefinitionError(f'{where} must name a measure: "{code}" = "AA ASMT 45".')
    unknown = set(entry) - {"measure", "ytd"}
    if unknown:
        raise DefinitionError(f"{where} has {', '.join(sorted(unknown))}: only measure and ytd.")
    definition = measures.get(normalise_code(entry["measure"]))
    if definition is None:
        near = difflib.get_close_matches(entry["measure"], [d.code for d in measures.values()], n=1)
        raise DefinitionError(
            f"{where}: '{entry['measure']}' is not a measure.",
            f"Did you mean '{near[0]}'?" if near else "See docs/records.md for the measures.",
        )
    ytd = entry.get("ytd", False)
    if not isinstance(ytd, bool):
        raise DefinitionError(f"{where}: ytd is true or false.")
    if ytd and (definition.kind is Measure.SNAPSHOT or definition.count == "children"):
        what = "a snapshot" if definition.kind is Measure.SNAPSHOT else "a count of children"
        raise DefinitionError(
            f"{where}: {definition.code} is {what}, which has no year to date.",
            "Leave ytd out: the month's figure is the position."
            if "[codes]" in where
            else "The indicator's measure is cumulative: give it the measure's own.",
        )
    return Target(code, definition, ytd, origin)


def _definition(code: str, table: Any, name: str) -> Definition:
    where = f'{name}: measure "{code}"'
    if not isinstance(table, dict):
        raise DefinitionError(f'{where} must be a table (["{code}"] with its keys below).')
    unknown = sorted(set(table) - _KEYS)
    if unknown:
        raise DefinitionError(
            f"{where} has unknown keys {', '.join(unknown)}.", f"Keys: {', '.join(sorted(_KEYS))}."
        )
    number = table.get("list")
    if not isinstance(number, int) or number not in BY_NUMBER:
        raise DefinitionError(f"{where}: list must be a number from 1 to 11.")
    annex = BY_NUMBER[number]
    kind = _choice(Measure, table.get("kind"), where, "kind")
    if kind not in KINDS:
        raise DefinitionError(f"{where}: kind must be flow, ratio or snapshot.")
    definition = Definition(
        code=code,
        title=_text(table, "title", where, required=True),
        list=number,
        kind=kind,
        unit=_choice(Unit, table.get("unit"), where, "unit"),
        polarity=_choice(Polarity, table.get("polarity", "none"), where, "polarity"),
        date=_text(table, "date", where) or None,
        open=_open(table.get("open"), where),
        at_extract=_at(table.get("at"), where),
        where=_text(table, "where", where),
        numerator=_text(table, "numerator", where),
        count=_text(table, "count", where) or "rows",
        guidance=_text(table, "guidance", where),
        note=_text(table, "note", where),
        decimals=table.get("decimals"),
        source=name,
    )
    _validate(definition, annex, where)
    return definition


def _validate(d: Definition, annex: AnnexList, where: str) -> None:
    if d.count not in ("rows", "children"):
        raise DefinitionError(f'{where}: count is "rows" or "children".')
    if d.decimals is not None and (not isinstance(d.decimals, int) or not 0 <= d.decimals <= 6):
        raise DefinitionError(f"{where}: decimals is a whole number from 0 to 6.")
    if d.kind is Measure.SNAPSHOT:
        if d.date or not (d.open or d.at_extract):
            raise DefinitionError(
                f'{where}: a snapshot has open = [from, to] or at = "extract", not date.'
            )
    elif not d.date or d.open or d.at_extract:
        raise DefinitionError(f'{where}: a {d.kind.value} has date = "..." (and no open or at).')
    if d.unit is Unit.PERCENT and not d.numerator:
        raise DefinitionError(
            f'{where}: a percent has a numerator = "..." saying which of its rows count '
            '(numerator = "working_days(assessment_start, assessment_authorised) <= 20").'
        )
    if d.unit is not Unit.PERCENT and d.numerator:
        raise DefinitionError(
            f"{where}: only a percent has a numerator; this measure's unit is {d.unit.value} "
            '(unit = "percent" for a percentage).'
        )
    if d.kind is Measure.RATIO and d.unit is not Unit.PERCENT:
        raise DefinitionError(f"{where}: a ratio's unit is percent.")
    if d.unit is Unit.NUMBER:
        raise DefinitionError(f"{where}: unit is count, percent or rate.")
    kinds = field_kinds(annex)
    for date_field in d.placing:
        if kinds.get(date_field) is not Kind.DATE:
            dates = [f.id for f in annex.fields if f.kind is Kind.DATE]
            near = difflib.get_close_matches(date_field, dates, n=1)
            raise DefinitionError(
                f"{where}: '{date_field}' is not a date of {annex.title} ({annex.name}).",
                f"Did you mean '{near[0]}'?" if near else f"Its dates: {', '.join(dates)}.",
            )
    for key in ("where", "numerator"):
        text = getattr(d, key)
        if text:
            try:
                check(text, kinds)
            except ExpressionError as exc:
                raise DefinitionError(f"{where}, {key}: {exc.message}", exc.hint) from None


def _text(table: Mapping[str, Any], key: str, where: str, required: bool = False) -> str:
    value = table.get(key, "")
    if not isinstance(value, str) or (required and not value.strip()):
        raise DefinitionError(f"{where}: {key} must be {'non-empty ' if required else ''}text.")
    return value.strip()


def _choice(enum: Any, value: Any, where: str, key: str) -> Any:
    choice = parse_choice(enum, value) if isinstance(value, str) else None
    if choice is None:
        values = ", ".join(e.value for e in enum)
        raise DefinitionError(f"{where}: {key} must be one of {values} (got {value!r}).")
    return choice


def _open(value: Any, where: str) -> tuple[str, str] | None:
    if value is None:
        return None
    if (
        not isinstance(value, list)
        or len(value) != 2
        or not all(isinstance(v, str) and v for v in value)
    ):
        raise DefinitionError(f"{where}: open is [from, to], two date fields of the list.")
    return (value[0], value[1])


def _at(value: Any, where: str) -> bool:
    if value is None:
        return False
    if value != "extract":
        raise DefinitionError(
            f'{where}: at is "extract" (counted at the extract date) or left out.'
        )
    return True
