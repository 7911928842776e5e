"""From children's records to indicators: the Ofsted Annex A lists in, monthly figures out.

    from csckpi.records import load_definitions, read_records, derive, behind

    definitions = load_definitions(Path("annex-a.toml"))     # shipped measures + a council's map
    records = read_records(Path("annex-a.xlsx"), definitions.needs())   # or a folder of CSVs
    derived = derive(records, definitions, as_at=date(2021, 1, 15), population=context)
    derived.figures        # key, code, month, part, value, list, sheet, rows: counts only
    derived.problems       # every bad cell or row, with its Sheet!Cell
    derived.exclusions     # what each measure left out, counted, with the reason

    target = definitions.target("CSC 038")
    rows = behind(records, target, [date(2020, 12, 1)], as_at=..., missed=True)  # personal data

Modules: ``lists`` (the lists and their headings, read from ``lists.txt``), ``read`` (workbook
or CSV folder -> typed frames), ``values`` (cells -> dates and numbers), ``workdays``
(England's working days), ``expr`` (the definitions' small expression language),
``definitions`` (measures as TOML), ``checks`` (bad rows), ``derivation`` (figures: what is
derived and said), ``query`` (every measure of an extract in one polars query), ``drill`` (the
rows behind a figure),
``extract`` (an extract as ``csckpi ingest`` stores it), ``sniff`` (is a file an extract?).
docs/records.md is the user's guide. Records hold personal data and are never stored: only
the derived counts and the file's SHA-256 are.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from csckpi.records.definitions import (
        Definition,
        DefinitionError,
        Definitions,
        Target,
        load_definitions,
    )
    from csckpi.records.derivation import Derived, Exclusion, Skipped, default_since, derive
    from csckpi.records.drill import PERSONAL_DATA_NOTICE, behind, needs_for_drill
    from csckpi.records.expr import ExpressionError
    from csckpi.records.extract import Extract, read_extract
    from csckpi.records.read import ListData, Records, read_records
    from csckpi.records.sniff import looks_like_annex_a

__all__ = [
    "PERSONAL_DATA_NOTICE",
    "Definition",
    "DefinitionError",
    "Definitions",
    "Derived",
    "Exclusion",
    "ExpressionError",
    "Extract",
    "ListData",
    "Records",
    "Skipped",
    "Target",
    "behind",
    "default_since",
    "derive",
    "load_definitions",
    "looks_like_annex_a",
    "needs_for_drill",
    "read_extract",
    "read_records",
]

_HOME = {
    "Definition": "definitions",
    "DefinitionError": "definitions",
    "Definitions": "definitions",
    "Target": "definitions",
    "load_definitions": "definitions",
    "Derived": "derivation",
    "Exclusion": "derivation",
    "Skipped": "derivation",
    "default_since": "derivation",
    "derive": "derivation",
    "PERSONAL_DATA_NOTICE": "drill",
    "behind": "drill",
    "needs_for_drill": "drill",
    "ExpressionError": "expr",
    "Extract": "extract",
    "read_extract": "extract",
    "ListData": "read",
    "Records": "read",
    "looks_like_annex_a": "sniff",
    "read_records": "read",
}


def __getattr__(name: str) -> Any:
    """Import on first use, so importing csckpi.records costs nothing (polars loads later)."""
    module = _HOME.get(name)
    if module is None:
        raise AttributeError(f"module 'csckpi.records' has no attribute {name!r}")
    from importlib import import_module

    return getattr(import_module(f"csckpi.records.{module}"), name)
