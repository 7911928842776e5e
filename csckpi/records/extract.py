"""An Annex A extract as ``csckpi ingest`` stores it: read, derived, and turned into figures.

    extract = read_extract(Path("annex-a.xlsx"), load_definitions(Path("annex-a.toml")),
                           context=store_context, catalogue=store_catalogue)
    store.ingest(extract)            # an Extract is what Store.ingest takes, as a ReadResult is

The figures are ``Dataset.records``: for each derived code and month its value, numerator and
denominator, with where they were counted from (``"412 rows of List 4 (AA ASMT 45)"``) and the
list's sheet. Nothing in them identifies a child: the extract's file and SHA-256 are kept with
the ingest, the rows never. Indicators the store's catalogue does not have come from the
definitions. The extract date (``as_at``), which Annex A does not record, is the caller's, or
the latest date in the lists that is not after today (:func:`latest_date`), and the summary
says which.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path

import polars as pl

from csckpi.dataset import (
    Dataset,
    benchmark_schema,
    monthly_schema,
    records_schema,
    reported_schema,
)
from csckpi.errors import WorkbookError
from csckpi.model import Context, Indicator, Problem, Severity, column_letter
from csckpi.records.definitions import Definitions
from csckpi.records.derivation import Derived, derive
from csckpi.records.read import Records, read_records

#: How an ingest's layout names an Annex A extract.
LAYOUT = "annex-a"
#: An extract date taken from the lists more than this many days after every other date in
#: them is said to be in doubt (:attr:`Extract.as_at_doubt`).
ALONE_DAYS = 31


@dataclass(frozen=True)
class Extract:
    """An Annex A extract read and derived: what ``Store.ingest`` stores (``dataset`` is None
    when a problem is an error) and what the summary says."""

    path: Path  # as given; ``source`` is the absolute path the store keeps
    dataset: Dataset | None
    problems: tuple[Problem, ...]
    sha256: str
    derived: Derived
    as_at: dt.date
    as_at_given: bool  # False: the latest date in the lists
    ignored: tuple[str, ...] = ()
    layout: str = LAYOUT
    as_at_cell: str = ""  # not given: the cell the latest date is in (`List 4!I8`)
    as_at_alone: int = 0  # not given: days from the next latest date in the lists to it

    @property
    def as_at_doubt(self) -> str:
        """When the extract date was taken from the lists and no other date comes within a
        month of it, what to say: a date typed a year ahead looks like this, and moves every
        month derived."""
        if self.as_at_given or self.as_at_alone <= ALONE_DAYS:
            return ""
        return (
            f"the extract date {self.as_at:%d/%m/%Y} ({self.as_at_cell}) is "
            f"{self.as_at_alone} days after any other date in the lists: if it was typed in "
            "error, give the extract's date with --as-at"
        )

    @property
    def source(self) -> str:
        """Where ``csckpi children`` reads the rows again: the file's absolute path."""
        return str(self.path.resolve())

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity is Severity.ERROR)

    @property
    def notes(self) -> tuple[str, ...]:
        """How the extract was read: its date, what each measure left out, what was not
        derived, and the derivation's own notes."""
        how = "given"
        if not self.as_at_given:
            at = f", {self.as_at_cell}" if self.as_at_cell else ""
            how = f"the latest date in the lists{at} (--as-at to change)"
        lines = [f"extract date {self.as_at:%d/%m/%Y}: {how}"]
        lines += [self.as_at_doubt] if self.as_at_doubt else []
        lines += [f"{s.code} not derived: {s.reason}" for s in self.derived.skipped]
        lines += list(self.derived.notes)
        return tuple(lines)


def latest_date(records: Records, today: dt.date) -> dt.date | None:
    """The latest date in the lists read that is not after ``today`` (a date in the future is
    a mistake, reported as one, not the extract's date)."""
    found = latest_cell(records, today)
    return found[0] if found else None


def next_latest(records: Records, before: dt.date) -> dt.date | None:
    """The latest date in the lists read that is before ``before``."""
    return latest_date(records, before - dt.timedelta(days=1))


def latest_cell(records: Records, today: dt.date) -> tuple[dt.date, str] | None:
    """:func:`latest_date` and the cell it is in (`List 4!I8`, its first), so that a date
    typed a year ahead, which would move the extract date and every month derived, can be
    found."""
    latest: tuple[dt.date, str] | None = None
    for data in records.lists.values():
        for name, dtype in data.frame.schema.items():
            if dtype != pl.Date or name.startswith("_") or name not in data.columns:
                continue
            dates = data.frame.select("_row", name).filter(pl.col(name) <= today)
            if dates.height == 0:
                continue
            row, day = dates.sort([name, "_row"], descending=[True, False]).row(0)
            if latest is None or day > latest[0]:
                cell = f"{data.sheet}!{column_letter(data.columns[name])}{row}"
                latest = (day, cell)
    return latest


def read_extract(
    path: Path,
    definitions: Definitions,
    *,
    as_at: dt.date | None = None,
    since: dt.date | None = None,
    context: Context | None = None,
    catalogue: Iterable[Indicator] = (),
    today: dt.date | None = None,
) -> Extract:
    """Read an Annex A workbook or CSV folder, derive every target's monthly figures, and give
    them as a Dataset of ``records`` figures for the store. ``context`` gives the population
    for rates; ``catalogue`` the indicators the store has (the others are added from the
    definitions; the codes its Indicators sheet maps are added to the definitions' map:
    :meth:`Definitions.with_sheet`). Raises WorkbookError when the file is no Annex A or has
    no date at all."""
    path = Path(path)
    catalogue = tuple(catalogue)
    definitions = definitions.with_sheet(catalogue)
    records = read_records(path, definitions.needs())
    given, cell, alone = as_at is not None, "", 0
    if as_at is None:
        found = latest_cell(records, today or dt.date.today())
        if found is None:
            raise WorkbookError(
                f"{path} has no dates in the lists the measures read, so its extract date "
                "cannot be told.",
                "Check the lists have rows, or give the extract's date with --as-at.",
            )
        as_at, cell = found
        earlier = next_latest(records, as_at)
        alone = (as_at - earlier).days if earlier is not None else 0
    if since is not None and since > as_at:
        raise WorkbookError(
            f"--since {since:%d/%m/%Y} is after the extract date {as_at:%d/%m/%Y}.",
            "Give a month on or before the extract date.",
        )
    derived = derive(records, definitions, as_at=as_at, since=since, population=context)
    problems = derived.problems
    blocked = any(p.severity is Severity.ERROR for p in problems)
    dataset = None if blocked else _dataset(derived, definitions, catalogue, path)
    return Extract(
        path=path,
        dataset=dataset,
        problems=problems,
        sha256=records.sha256,
        derived=derived,
        as_at=as_at,
        as_at_given=given,
        ignored=records.ignored,
        as_at_cell=cell,
        as_at_alone=alone,
    )


#: A records figure's provenance: `412 rows of List 4 (AA ASMT 45), extract date 2021-01-15`;
#: `(AA ASMT 45, year to date)` for a year to date.
PROVENANCE = re.compile(
    r"^(?P<rows>\d+) rows of List (?P<list>\d+) \((?P<measure>[^,)]+)(?P<ytd>, year to date)?\)"
    r", extract date (?P<as_at>\d{4}-\d\d-\d\d)$"
)


@dataclass(frozen=True)
class Provenance:
    """Where a stored records figure was counted from (parsed back from its ``source``)."""

    rows: int
    list: int
    measure: str  # the measure's code: `AA ASMT 45`
    ytd: bool
    as_at: dt.date

    @classmethod
    def parse(cls, source: str | None) -> Provenance | None:
        found = PROVENANCE.match(source or "")
        if found is None:
            return None
        return cls(
            int(found["rows"]),
            int(found["list"]),
            found["measure"],
            bool(found["ytd"]),
            dt.date.fromisoformat(found["as_at"]),
        )


def figures_frame(derived: Derived, definitions: Definitions) -> pl.DataFrame:
    """The derived figures as ``Dataset.records``: counts and where they were counted from
    (:data:`PROVENANCE`)."""
    measures = {
        t.key: t.definition.code + (", year to date" if t.ytd else "") for t in definitions.targets
    }
    figures = derived.figures
    measure = pl.col("key").replace_strict(measures, default=pl.col("code"), return_dtype=pl.String)
    source = pl.format(
        "{} rows of List {} ({}), extract date {}",
        "rows",
        "list",
        measure,
        pl.lit(derived.as_at.isoformat()),
    )
    return figures.select(
        "key", "code", "month", "part", "value", source.alias("source"), "sheet"
    ).cast(pl.Schema(records_schema()))


def _dataset(
    derived: Derived, definitions: Definitions, catalogue: Iterable[Indicator], path: Path
) -> Dataset:
    known = {i.key for i in catalogue}
    last = max((i.order for i in catalogue), default=0)
    added = tuple(
        replace(indicator, order=last + 1 + n)
        for n, indicator in enumerate(i for i in derived.indicators if i.key not in known)
    )
    return Dataset(
        indicators=added,
        monthly=pl.DataFrame(schema=monthly_schema()),
        reported=pl.DataFrame(schema=reported_schema()),
        benchmarks=pl.DataFrame(schema=benchmark_schema()),
        context=Context(),  # the workbook's Context stays the store's
        source=str(path),
        records=figures_frame(derived, definitions),
    )
