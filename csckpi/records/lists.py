"""The Ofsted Annex A lists: their numbers, names and the column headings councils write.

Each list is one sheet of an Annex A workbook (or one CSV file of a folder). Each column is a
:class:`Field` with a short id (what definitions and expressions name), a type, the heading the
published Annex A template gives it (August 2019 edition, the one councils' systems still write)
and the variants seen in councils' extracts. Headings are matched after :func:`heading_key`:
case, spacing, punctuation and curly quotes do not matter, so only real variants are listed.

Sources of the headings and variants (see docs/records.md): the Ofsted Annex A template's
Guidance sheet; Social Finance's ``liia-tools`` Annex A schema and merge configuration; the
Children's Services Data Platform Annex A cleaner's ``annex-a-merge.yml``.

The catalogue is plain data, read from ``lists.txt`` (its header says the format; nothing here
imports polars).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from importlib import resources
from typing import Any


class Kind(StrEnum):
    """How a column's cells are read."""

    ID = "id"  # an identifier, kept as text (never shown in a message)
    DATE = "date"  # an Excel date, an Excel serial number or UK text (18/12/2020)
    NUMBER = "number"  # a whole number of things (placements, previous plans)
    TEXT = "text"  # a coded answer or a name


@dataclass(frozen=True)
class Field:
    id: str
    kind: Kind
    heading: str  # as the published template writes it
    variants: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        """How a message names the column: the published heading in lower case, acronyms
        kept (`child unique ID`, `CIN start date`)."""
        words = self.heading.split()
        return " ".join(w if len(w) > 1 and w.isupper() else w.lower() for w in words)


@dataclass(frozen=True)
class OrderRule:
    """A date that may not come before another on the same row (authorisation before start)."""

    earlier: str
    later: str
    kind: str  # the Problem kind


@dataclass(frozen=True)
class AnnexList:
    number: int
    name: str  # "Referrals"
    noun: tuple[str, str]  # one row, many rows: ("referral", "referrals")
    fields: tuple[Field, ...]
    unique: tuple[str, ...]  # fields that identify a row: a repeat is a duplicate
    required: tuple[str, ...] = ()  # dates the template says are never blank
    rules: tuple[OrderRule, ...] = ()
    aliases: tuple[str, ...] = ()  # sheet names without "List N" that mean this list

    @property
    def title(self) -> str:
        return f"List {self.number}"

    @property
    def identifier(self) -> str:
        """The field naming whom a row is about (the child, or for List 11 the adopter)."""
        return next(f.id for f in self.fields if f.kind is Kind.ID)

    def field(self, field_id: str) -> Field | None:
        for field in self.fields:
            if field.id == field_id:
                return field
        return None

    def rows(self, count: int) -> str:
        """`1 referral`, `12 referrals`."""
        return f"{count:,} {self.noun[0] if count == 1 else self.noun[1]}"


def _field(line: str) -> Field:
    """`id | kind | heading | variant; variant` (lists.txt)."""
    field_id, kind, heading, *variants = (part.strip() for part in line.split("|"))
    also = tuple(v.strip() for v in variants[0].split(";")) if variants else ()
    return Field(field_id, Kind(kind), heading, also)


def _read(text: str) -> tuple[AnnexList, ...]:
    """The catalogue from lists.txt (its header says the format)."""
    groups: dict[str, list[Field]] = {}
    lists: list[dict[str, Any]] = []
    fields: list[Field] = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        key, _, rest = (part.strip() for part in line.partition("|"))
        if line.startswith("group "):
            fields = groups.setdefault(line.removeprefix("group ").strip(), [])
        elif key.startswith("list "):
            name, one, many = (part.strip() for part in rest.split("|"))
            fields = []
            lists.append(
                {"number": int(key.removeprefix("list ")), "name": name, "noun": (one, many)}
            )
            lists[-1]["fields"] = fields
        elif key in ("unique", "required"):
            lists[-1][key] = tuple(rest.split())
        elif key == "rule":
            lists[-1].setdefault("rules", []).append(OrderRule(*rest.split()))
        elif key == "aliases":
            lists[-1][key] = tuple(alias.strip() for alias in rest.split(";"))
        elif line.startswith("+"):
            fields.extend(groups[line[1:]])
        else:
            fields.append(_field(line))
    return tuple(
        AnnexList(
            **{**entry, "fields": tuple(entry["fields"]), "rules": tuple(entry.get("rules", ()))}
        )
        for entry in lists
    )


LISTS: tuple[AnnexList, ...] = _read(
    resources.files("csckpi.records").joinpath("lists.txt").read_text(encoding="utf-8")
)
CHILD: Field = next(f for f in LISTS[0].fields if f.id == "child_id")

BY_NUMBER: dict[int, AnnexList] = {annex.number: annex for annex in LISTS}

_QUOTES = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "\u00a0": " "})
_NOT_WORD = re.compile(r"[^a-z0-9&]+")


def heading_key(text: object) -> str:
    """A heading as matched: `Date of Referral ` = `date of referral` = `DATE_OF_REFERRAL`.

    Case, spaces, underscores, punctuation and quotes are dropped; `&` is kept (C&F).
    """
    cleaned = str(text).translate(_QUOTES).lower().replace("'", "")
    return _NOT_WORD.sub(" ", cleaned).strip()


def _index(annex: AnnexList) -> dict[str, str]:
    index: dict[str, str] = {}
    for field in annex.fields:
        for heading in (field.heading, *field.variants, field.id):
            index.setdefault(heading_key(heading), field.id)
    return index


HEADINGS: dict[int, dict[str, str]] = {annex.number: _index(annex) for annex in LISTS}


def match_heading(number: int, text: object) -> str | None:
    """The field id a heading of list ``number`` names, or None."""
    return HEADINGS[number].get(heading_key(text))


_LIST_NUMBER = re.compile(r"(?:^|[^a-z])list[\s_\-.:]*0*(\d{1,2})(?!\d)", re.IGNORECASE)
#: `Annex A` before a list's own name, as a heading key: `annex a referrals`.
_ANNEX_A = re.compile(r"^annex ?a ")


def list_number(name: str) -> int | None:
    """Which list a sheet or file name is: `List 3`, `List_3`, `List 3 - Referrals`,
    `annex-a-list03.csv` -> 3; a name without `List N` is matched on the list's own name
    (`Referrals`, `Sec47 and ICPC`, `Children in Care`), `Annex A` before it or not."""
    found = _LIST_NUMBER.search(name)
    if found:
        number = int(found.group(1))
        return number if number in BY_NUMBER else None
    key = heading_key(name.rsplit(".", 1)[0] if name.lower().endswith(".csv") else name)
    key = _ANNEX_A.sub("", key)  # `Annex A - Referrals`, `annex_a_children_in_care.csv`
    for annex in LISTS:
        if key in {heading_key(alias) for alias in annex.aliases}:
            return annex.number
    return None
