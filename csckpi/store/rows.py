"""What a row of the store's tables holds, the same in every backend: an indicator's definition
and a Context sheet (a comment's: :mod:`csckpi.store.comments`).

Each backend names its tables and columns its own way (``ord`` or ``position``; where the key
and the ingest go) and writes its own SQL; the values, their order and how they become records
again are here once.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from csckpi.model import Context, Indicator, Measure, Polarity, Unit

#: An indicator's definition as its row holds it, in this order (each backend names the
#: columns, and puts the indicator's key and the ingest after them).
FIELDS = (
    "code",
    "title",
    "section",
    "unit",
    "polarity",
    "measure",
    "target",
    "tolerance",
    "definition",
    "phrase",
    "decimals",
    "order",
    "pattern",
    "records_measure",
    "records_cell",
    "baseline",
    "new_process",
    "label",
)
#: The fields a row holds as their enum's value.
_ENUMS: dict[str, type[Unit | Polarity | Measure]] = {
    "unit": Unit,
    "polarity": Polarity,
    "measure": Measure,
}


def indicator_row(indicator: Indicator) -> tuple[Any, ...]:
    """An indicator's definition as the values of its row, in :data:`FIELDS`' order."""
    values = ((name, getattr(indicator, name)) for name in FIELDS)
    return tuple(value.value if name in _ENUMS else value for name, value in values)


def indicator_of(row: Sequence[Any]) -> Indicator:
    """The indicator a row gives back: its first values, in :data:`FIELDS`' order (anything
    after them, such as the key, is not read)."""
    values = zip(FIELDS, row[: len(FIELDS)], strict=True)
    fields: dict[str, Any] = {n: _ENUMS[n](v) if n in _ENUMS else v for n, v in values}
    return Indicator(**fields)


def context_of(
    council: str | None,
    items: Iterable[Sequence[Any]],
    population: Iterable[Sequence[Any]],
) -> Context:
    """An ingest's Context sheet from its rows: its items (key, year, value) and its
    population (financial year, population), each in the sheet's order."""
    return Context(
        council=council,
        population=tuple((int(fy), float(p)) for fy, p in population),
        items=tuple((str(k), str(y), str(v)) for k, y, v in items),
    )
