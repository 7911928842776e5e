"""csckpi: children's services performance indicators, from workbook to report.

The package is a library first. For notebooks, the command line's verbs are library calls
(docs/api.md)::

    import csckpi

    kpi = csckpi.load(workbook="performance.xlsx")   # or csckpi.load() for ./csckpi.db
    kpi.compute("Dec-20")                             # a polars frame, one row per indicator
    kpi.narrate("Q3 2020/21")                         # paragraphs of sentences

Underneath, ``csckpi.workbook`` reads a performance workbook, ``csckpi.store`` keeps what
was reported when, ``csckpi.compute`` works out every indicator for a period,
``csckpi.compare`` and ``csckpi.facts`` judge it, ``csckpi.narrate`` says how it is doing,
and ``csckpi.render`` writes tables and reports. ``csckpi.cli`` is a thin Typer shell over
``csckpi.api``.
"""

from __future__ import annotations

from csckpi._codecache import install as _install

__version__ = "0.1.0"

_install()  # the records' dataclass methods compiled once per machine, not on every run

#: What ``import csckpi`` offers, loaded from csckpi.api on first use (so the import is fast).
__all__ = ["DEFAULT_STORE", "Performance", "ingest", "load", "open_store", "read_workbook"]

TYPE_CHECKING = False  # typing is not imported: `import csckpi` stays small
if TYPE_CHECKING:
    from csckpi.api import DEFAULT_STORE, Performance, ingest, load, open_store, read_workbook


def __getattr__(name: str) -> object:
    if name in __all__:
        from csckpi import api

        return getattr(api, name)
    raise AttributeError(f"module 'csckpi' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
