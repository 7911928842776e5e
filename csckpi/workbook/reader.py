"""The six sheets of the documented layout -> a Dataset, and every problem found on the way.

Nothing stops at the first problem: each sheet is read as far as it can be, so one run
reports everything wrong with the file. The layout is described in docs/workbook.md.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from csckpi.commentary import Comment
from csckpi.dataset import Dataset, benchmark_schema, target_schema
from csckpi.model import Context
from csckpi.workbook import processes
from csckpi.workbook.benchmarks import BenchmarksReader
from csckpi.workbook.cells import quoted
from csckpi.workbook.commentary import CommentaryReader
from csckpi.workbook.context import ContextReader
from csckpi.workbook.figures import empty_monthly, empty_reported
from csckpi.workbook.indicators import IndicatorsReader
from csckpi.workbook.layout import SHEETS
from csckpi.workbook.monthly import MonthlyReader
from csckpi.workbook.periods import PeriodsReader
from csckpi.workbook.population import check_rates
from csckpi.workbook.problems import and_list, suggestion
from csckpi.workbook.sheet_reader import Layout
from csckpi.workbook.sheets import canon
from csckpi.workbook.targets import TargetsReader


@dataclass(frozen=True)
class Outcome:
    dataset: Dataset | None
    layout: Layout


class Reader(
    IndicatorsReader,
    MonthlyReader,
    PeriodsReader,
    TargetsReader,
    BenchmarksReader,
    ContextReader,
    CommentaryReader,
):
    """Reads one open workbook; collects its problems in ``out``."""

    # -- the whole workbook -----------------------------------------------------------------
    def run(self) -> Outcome:
        titles = self._locate()
        indicators_ok = False
        if "Indicators" in titles:
            indicators_ok = self._indicators(self.book.read(titles["Indicators"]))
        self.lenient = not indicators_ok
        monthly = empty_monthly()
        reported = empty_reported()
        targets = pl.DataFrame(schema=target_schema())
        benchmarks = pl.DataFrame(schema=benchmark_schema())
        context = Context()
        if "Monthly" in titles:
            monthly = self._monthly(self.book.read(titles["Monthly"]))
            processes.check_months(
                self.out, titles.get("Indicators", "Indicators"), self.processes, monthly
            )
        if "Periods" in titles:
            reported = self._periods(self.book.read(titles["Periods"]), monthly)
        if "Targets" in titles:
            targets = self._targets(self.book.read(titles["Targets"]))
        if "Benchmarks" in titles:
            benchmarks = self._benchmarks(self.book.read(titles["Benchmarks"]))
        if "Context" in titles:
            context = self._context(self.book.read(titles["Context"]))
        check_rates(monthly, context, self.population_cells, self.indicators, self.out)
        commentary: tuple[Comment, ...] = ()
        if "Commentary" in titles:
            commentary = self._commentary(self.book.read(titles["Commentary"]))
        if self.out.has_errors:
            return Outcome(None, self.layout)
        dataset = Dataset(
            indicators=tuple(self.indicators.values()),
            monthly=monthly,
            reported=reported,
            benchmarks=benchmarks,
            context=context,
            source=self.source,
            commentary=commentary,
            targets=targets,
        )
        return Outcome(dataset, self.layout)

    def _locate(self) -> dict[str, str]:
        titles: dict[str, str] = {}
        used: set[str] = set()
        missing: list[str] = []  # the required sheets not found so far
        for name, required in SHEETS.items():
            found = self.book.find(name)
            if len(found) > 1:
                self.out.error(
                    found[1],
                    0,
                    0,
                    "duplicate-sheet",
                    f'sheets "{found[0]}" and "{found[1]}" both match {name} — rename one',
                )
            if found:
                titles[name] = found[0]
                used.update(found)
            elif required:
                others = [t for t in self.book.titles if canon(t) not in _sheet_names()]
                close = suggestion(canon(name), {canon(t): t for t in others})
                # its sheets listed once, with the first missing sheet; a book with none of
                # csckpi's sheets (a report's .xlsx, say) is told what a workbook is
                if missing:
                    said = f"the workbook has no {name} sheet either.{close}"
                else:
                    foreign = len(others) == len(self.book.titles)  # none of its sheets
                    what = (
                        " It is not a performance workbook: docs/workbook.md describes one, "
                        "and csckpi template writes an empty one."
                        if foreign and not close
                        else ""
                    )
                    said = (
                        f"the workbook has no {name} sheet (its sheets: "
                        f"{and_list(quoted(t) for t in self.book.titles)}).{close}{what}"
                    )
                missing.append(name)
                self.out.error(name, 0, 0, "missing-sheet", said)
        for title in self.book.titles:
            if title not in used:
                self.out.ignored.append(f'sheet "{title}": not a sheet csckpi reads')
        return titles


def _sheet_names() -> set[str]:
    return {canon(name) for name in SHEETS}
