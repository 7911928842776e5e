"""Published statistics in: the Department's files and the benchmarking tool's export.

    result = import_published(Path("c1_children_in_need.csv"), Path("cin-2020.toml"))
    result.errors, result.warnings      # every problem, each with its file, row and column
    result.benchmarks                   # England, region, statistical neighbours: each with
                                        #   its data year (2019/20) and release
    result.standings                    # the council's rank and quartile, indicator by year
    result.frame()                      # the benchmarks as rows beside the workbook's own

Two layouts are read (:data:`~csckpi.published.importer.LAYOUTS`): the Department for
Education's published statistics files (one row per geography and year) and the national
benchmarking tool's (LAIT) download (councils as rows, years as columns). A map (TOML,
:mod:`csckpi.published.mapping`) says which column is which indicator, which council the
import is for and where its statistical-neighbour list is. The rules are in
docs/benchmarks.md.

Nothing here writes anything: the result is plain frozen data for the store and the
comparison to take.
"""

from __future__ import annotations

from csckpi.published.importer import LAYOUTS, import_published
from csckpi.published.mapping import IndicatorMap, NeighbourSource, PublishedMap, read_map
from csckpi.published.records import (
    Council,
    ImportResult,
    NeighbourBasis,
    PublishedBenchmark,
    Release,
    Standing,
)
from csckpi.published.symbols import SYMBOLS
from csckpi.published.years import DataYear, YearKind

__all__ = [
    "LAYOUTS",
    "SYMBOLS",
    "Council",
    "DataYear",
    "ImportResult",
    "IndicatorMap",
    "NeighbourBasis",
    "NeighbourSource",
    "PublishedBenchmark",
    "PublishedMap",
    "Release",
    "Standing",
    "YearKind",
    "import_published",
    "read_map",
]
