"""What an import of published statistics gives: frozen records, ready to store and to read.

A :class:`PublishedBenchmark` is one comparator's figure (England, the council's region, or
its statistical neighbours' average) for one indicator and one data year, from one release.
A :class:`Standing` is the council's rank and quartile among all councils for that indicator
and year. Neither holds English beyond the ``reason`` a figure or a rank is missing: the
sentences are written where sentences are written.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from csckpi.model import Comparator, Polarity, Problem, Severity
from csckpi.published.years import DataYear

if TYPE_CHECKING:
    import polars as pl

Layout = Literal["dfe", "lait"]


@dataclass(frozen=True, order=True)
class Release:
    """Where figures were published: `Children looked after in England 2020`, `LAIT 2020`.

    A later release of the same year's figure (``version`` `revised`) is a revision of it.
    """

    name: str
    version: str = ""  # `revised`, `provisional`, `v2` ...

    def __str__(self) -> str:
        return f"{self.name} ({self.version})" if self.version else self.name


@dataclass(frozen=True)
class Council:
    """The council the import is for, as the file names it."""

    name: str
    old_la_code: str  # `841`: the three-digit code statistical-neighbour lists use
    new_la_code: str  # `E06000005`: the ONS code ('' in an export that has none)
    region_code: str  # `E12000001` ('' in an export that has none)
    region_name: str  # `North East` ('' when nothing says)


@dataclass(frozen=True)
class NeighbourBasis:
    """How a statistical-neighbour average was made: which of the listed neighbours counted."""

    version: str  # the list's own version: `April 2021`
    listed: int  # neighbours in the list (10)
    with_figure: int  # neighbours whose figure went into the mean
    withheld: tuple[tuple[str, str], ...] = ()  # (neighbour, symbol) for a code in the cell
    missing: tuple[str, ...] = ()  # neighbours with no row for that year

    @property
    def complete(self) -> bool:
        return self.with_figure == self.listed


@dataclass(frozen=True)
class PublishedBenchmark:
    """One comparator's published figure for an indicator and a data year."""

    key: str  # normalised indicator code
    code: str  # as the map writes it
    comparator: Comparator
    name: str  # `England`, `North East`, `statistical neighbours`
    year: DataYear
    release: Release
    value: float | None  # None when the figure is withheld: see symbol and reason
    symbol: str | None = None  # the published code in the cell (`c`) when value is None
    reason: str | None = None  # why there is no value
    where: str = ""  # `file.csv!K14` (England, region); the file (an average of rows)
    basis: NeighbourBasis | None = None  # statistical neighbours only

    @property
    def source(self) -> str:
        """What the Benchmarks sheet calls `source`: the release."""
        return str(self.release)


@dataclass(frozen=True)
class Standing:
    """The council's place among all councils with a figure for an indicator and a year.

    ``rank`` is 1 for the best (polarity up: the highest; down: the lowest); with polarity
    none it is the position from the highest, and there is no quartile. Ties share the
    lowest rank of their group (1, 2, 2, 4). ``quartile`` 1 is the best quarter.
    """

    key: str
    code: str
    year: DataYear
    release: Release
    polarity: Polarity
    value: float | None  # the council's own published figure
    symbol: str | None  # its code when withheld
    rank: int | None  # None: unranked, see reason
    of: int  # councils with a figure that year
    tied: int  # councils sharing this rank (1: no tie)
    quartile: int | None
    withheld: int  # councils whose cell holds a code or is empty
    reason: str | None = None
    where: str = ""

    @property
    def order(self) -> Literal["best first", "highest first"]:
        return "highest first" if self.polarity is Polarity.NONE else "best first"

    def as_dict(self) -> dict[str, object]:
        """The rank for JSON (``csckpi compare``'s ``ranking``)."""
        return {
            "year": self.year.label,
            "release": str(self.release),
            "rank": self.rank,
            "of": self.of,
            "tied": self.tied,
            "quartile": self.quartile,
            "order": self.order,
            "reason": self.reason,
        }


@dataclass(frozen=True)
class ImportResult:
    """What importing one published file found. With errors, nothing is returned as data."""

    source: str  # the file name
    sha256: str
    layout: Layout | None
    release: Release | None
    council: Council | None
    benchmarks: tuple[PublishedBenchmark, ...]
    standings: tuple[Standing, ...]
    problems: tuple[Problem, ...]  # sorted by file, row, column
    notes: tuple[str, ...] = ()  # what was left out and why (for --verbose)
    neighbours: str = ""  # the statistical-neighbour list's version ('' without one)
    years: tuple[DataYear, ...] = field(default=())

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity is Severity.ERROR)

    @property
    def warnings(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity is Severity.WARNING)

    def frame(self) -> pl.DataFrame:
        """The benchmarks with a value, one row each, in the workbook Benchmarks schema
        (key, code, comparator, value, source, year, sheet, cell) and, after it, what a
        benchmark with a time of its own needs: `release`, `version`, `as_at`, `kind`,
        `neighbours` (how many averaged) and `listed`."""
        from csckpi.published.derive import benchmark_frame

        return benchmark_frame(self)
