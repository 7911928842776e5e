"""The store on datasets built by hand: round trip, revisions, refusals, versions."""

from __future__ import annotations

import datetime as dt
import hashlib
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from csckpi.dataset import Dataset, benchmark_schema, monthly_schema, reported_schema
from csckpi.errors import StoreError, UnknownIndicator
from csckpi.model import Context, Indicator, Measure, Polarity, Problem, Severity, Unit
from csckpi.store import Change, Outcome, copy_store, open_store
from csckpi.store.figures import incoming_figures
from csckpi.store.server import SCHEMA_VERSION as SERVER_VERSION
from csckpi.store.sqlite import SCHEMA_VERSION

MONTHS = ("2020-10", "2020-11")
DEC = (*MONTHS, "2020-12")


def make_dataset(
    codes: tuple[str, ...] = ("CSC 038", "CSC 201"),
    months: tuple[str, ...] = MONTHS,
    changed: dict[tuple[str, str, str], float] | None = None,
    dropped: frozenset[tuple[str, str, str]] = frozenset(),
    context: Context | None = None,
    title_suffix: str = "",
) -> Dataset:
    """Indicators with value/numerator/denominator per month, a reported and a benchmark figure.

    ``changed[(code, month, part)]`` overrides one figure; ``dropped`` leaves figures out.
    """
    changed = changed or {}
    indicators = tuple(
        Indicator(
            code=code,
            title=f"Indicator {code}{title_suffix}",
            section="Referrals",
            unit=Unit.PERCENT,
            polarity=Polarity.UP,
            measure=Measure.RATIO,
            target=80.0 + n,
            tolerance=5.0,
            definition="def",
            phrase="of referrals",
            decimals=1,
            order=n,
        )
        for n, code in enumerate(codes)
    )
    rows = []
    for n, code in enumerate(codes):
        key = code.replace(" ", "").upper()
        for m, month in enumerate(months):
            year, mon = (int(x) for x in month.split("-"))
            for p, part in enumerate(("value", "numerator", "denominator")):
                if (code, month, part) in dropped:
                    continue
                value = changed.get((code, month, part), 10.0 * (n + 1) + m + p / 10)
                cell = f"{'CDE'[p]}{3 + n * 3 + m}"
                rows.append((key, code, dt.date(year, mon, 1), part, value, "Monthly", cell))
    monthly = pl.DataFrame(rows, schema=monthly_schema(), orient="row")
    reported = pl.DataFrame(
        [
            (
                c.replace(" ", "").upper(),
                c,
                "2019/20",
                "value",
                "value",
                50.0 + n,
                "Periods",
                f"C{n}",
            )
            for n, c in enumerate(codes)
        ],
        schema=reported_schema(),
        orient="row",
    )
    benchmarks = pl.DataFrame(
        [
            (
                codes[0].replace(" ", "").upper(),
                codes[0],
                "england",
                88.5,
                "LAIT 2020",
                "2019/20",
                "Benchmarks",
                "C2",
            ),
            (
                codes[0].replace(" ", "").upper(),
                codes[0],
                "region",
                80.0,
                None,
                None,
                "Benchmarks",
                "C3",
            ),
        ],
        schema=benchmark_schema(),
        orient="row",
    )
    if context is None:
        context = Context(
            council="Darlington",
            population=((2020, 22450.0),),
            items=(("council", "", "Darlington"), ("population_0_17", "2020/21", "22450")),
        )
    return Dataset(indicators, monthly, reported, benchmarks, context, "nov.xlsx")


@dataclass(frozen=True)
class FakeRead:
    """What csckpi.workbook.read returns, enough for the store."""

    dataset: Dataset | None
    sha256: str = "a" * 64
    layout: str = "wide"
    problems: tuple[Problem, ...] = ()
    ignored: tuple[str, ...] = field(default=())

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity is Severity.ERROR)

    @property
    def warnings(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity is Severity.WARNING)


WARNING = Problem("Monthly", 14, 11, Severity.WARNING, "not-a-number", '"n/a" is not a number')
ERROR = Problem("Indicators", 5, 4, Severity.ERROR, "bad-unit", '"pct" is not a unit')


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def sorted_frame(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.sort(frame.columns, nulls_last=True)


def assert_same_dataset(a: Dataset, b: Dataset) -> None:
    assert a.indicators == b.indicators
    assert a.context == b.context
    for name in ("monthly", "reported", "benchmarks"):
        assert_frame_equal(sorted_frame(getattr(a, name)), sorted_frame(getattr(b, name)))


# -- round trip --------------------------------------------------------------------------------


def test_load_after_ingest_gives_the_same_frames(place):
    dataset = make_dataset()
    summary = open_store(place.location).ingest(FakeRead(dataset))
    assert summary.outcome is Outcome.WRITTEN
    assert (summary.added, summary.revised, summary.unchanged, summary.kept) == (16, 0, 0, 0)
    assert (summary.indicators, summary.months) == (2, 2)
    assert (summary.first_month, summary.last_month) == ("2020-10", "2020-11")
    assert_same_dataset(open_store(place.location).load(), dataset)


def figures_table(path: Path | str, where: pl.Expr | None = None) -> pl.DataFrame:
    """Every value every figure has had, as :meth:`Store.figures` gives it (``current`` as 0/1)."""
    frame = open_store(path).figures()
    if where is not None:
        frame = frame.filter(where)
    return frame.drop("file", "ingested_at").with_columns(pl.col("current").cast(pl.Int64()))


def test_the_store_keeps_every_figure_with_its_code_source_sheet_and_cell(place):
    store_path = place.location
    store = open_store(store_path)
    dataset = make_dataset()
    store.ingest(FakeRead(dataset, sha256="1" * 64))
    dec = make_dataset(months=(*MONTHS, "2020-12"), changed={("CSC 038", "2020-10", "value"): 85.2})
    summary = store.ingest(FakeRead(dec, sha256="2" * 64))
    assert (summary.added, summary.revised) == (dec.monthly.height - dataset.monthly.height, 1)
    first = figures_table(store_path, pl.col("ingest_id") == 1).drop("ingest_id", "current")
    assert_frame_equal(sorted_frame(first), sorted_frame(incoming_figures(dataset)))
    # the second ingest writes only its added and revised figures, each with its cell
    second = figures_table(store_path, pl.col("ingest_id") == 2).drop("ingest_id", "current")
    identity = ["kind", "key", "period", "part", "figure"]
    new = incoming_figures(dec).join(
        incoming_figures(dataset).select(*identity, "value"), on=[*identity, "value"], how="anti"
    )
    assert new.height == summary.added + summary.revised
    assert_frame_equal(sorted_frame(second), sorted_frame(new))
    current = figures_table(store_path, pl.col("current")).drop("ingest_id", "current")
    assert_frame_equal(sorted_frame(current), sorted_frame(incoming_figures(dec)))
    assert figures_table(store_path)["source"].drop_nulls().len() > 0  # benchmarks keep theirs


def test_empty_store_loads_nothing_but_needs_a_file(place):
    nothing = {"sqlite": "There is no store at", "postgres": "holds nothing yet"}
    with pytest.raises(StoreError, match=nothing[place.backend]):
        open_store(place.location).load()
    assert not place.exists()


def test_an_empty_file_is_an_empty_store_and_reading_it_writes_nothing(store_path):
    store_path.touch()
    with pytest.raises(StoreError, match="holds nothing yet"):
        open_store(store_path).load()
    assert store_path.read_bytes() == b""
    assert open_store(store_path).ingest(FakeRead(make_dataset())).outcome is Outcome.WRITTEN


@pytest.mark.parametrize("where", ["folder", "missing/csckpi.db"])
def test_a_store_path_that_cannot_be_a_store_is_explained(tmp_path, where):
    (tmp_path / "folder").mkdir()
    path = tmp_path / where
    expected = (
        f"The store {path} is a folder, not a file."
        if where == "folder"
        else f"Cannot create the store {path}: the folder {path.parent} does not exist."
    )
    with pytest.raises(StoreError) as caught:
        open_store(path).ingest(FakeRead(make_dataset()))
    assert caught.value.message == expected
    assert sorted(p.name for p in tmp_path.iterdir()) == ["folder"]


def test_blank_values_are_not_stored(place):
    store_path = place.location
    dataset = make_dataset()
    blanked = dataset.monthly.with_columns(
        value=pl.when(pl.col("cell") == "C3").then(None).otherwise(pl.col("value"))
    )
    with_blank = Dataset(
        dataset.indicators, blanked, dataset.reported, dataset.benchmarks, dataset.context
    )
    summary = open_store(store_path).ingest(FakeRead(with_blank))
    assert summary.added == 15
    assert open_store(store_path).load().monthly.height == 11


def test_the_same_file_twice_changes_nothing(place):
    store = open_store(place.location)
    store.ingest(FakeRead(make_dataset()))
    before = place.state()
    again = store.ingest(FakeRead(make_dataset(title_suffix=" renamed")))
    assert again.outcome is Outcome.ALREADY
    assert (again.ingest_id, again.unchanged, again.added) == (1, 16, 0)
    assert place.state() == before
    assert len(store.ingests()) == 1


# -- revisions --------------------------------------------------------------------------------


def test_a_changed_figure_is_a_revision_and_both_values_are_kept(place):
    store = open_store(place.location)
    store.ingest(FakeRead(make_dataset(), sha256="1" * 64), file="nov.xlsx")
    dec = make_dataset(months=(*MONTHS, "2020-12"), changed={("CSC 038", "2020-10", "value"): 85.2})
    summary = store.ingest(FakeRead(dec, sha256="2" * 64), file="dec.xlsx")
    assert (summary.added, summary.revised, summary.unchanged, summary.kept) == (6, 1, 15, 0)
    assert summary.changes == (
        Change("monthly", "CSC 038", "2020-10", "value", "value", 10.0, 85.2, "Monthly", "C3"),
    )

    revisions = store.history("csc038", "Oct-20")
    values = [(r.part, r.value, r.file, r.location, r.current) for r in revisions]
    assert values == [
        ("value", 10.0, "nov.xlsx", "Monthly!C3", False),
        ("value", 85.2, "dec.xlsx", "Monthly!C3", True),
        ("numerator", 10.1, "nov.xlsx", "Monthly!D3", True),
        ("denominator", 10.2, "nov.xlsx", "Monthly!E3", True),
    ]
    latest = store.load().monthly.filter(
        (pl.col("key") == "CSC038") & (pl.col("month") == dt.date(2020, 10, 1))
    )
    assert latest.filter(pl.col("part") == "value").get_column("value").to_list() == [85.2]
    assert_same_dataset(store.load(), dec)


def test_a_value_that_comes_back_is_a_new_revision(place):
    """Setting a figure back to a value a later ingest revised is refused as stale (nothing
    written); --force takes it, as a new revision."""
    store = open_store(place.location)
    store.ingest(FakeRead(make_dataset(), sha256="1" * 64))
    store.ingest(
        FakeRead(make_dataset(changed={("CSC 201", "2020-11", "value"): 1.0}), sha256="2" * 64)
    )
    refused = store.ingest(FakeRead(make_dataset(), sha256="3" * 64))
    assert refused.outcome is Outcome.STALE and not refused.ok
    assert refused.stale is not None and len(refused.stale.reverts) == 1
    assert len(store.ingests()) == 2
    third = store.ingest(FakeRead(make_dataset(), sha256="3" * 64), force=True)
    assert third.outcome is Outcome.WRITTEN and third.forced
    assert third.revised == 1
    values = [r.value for r in store.history("CSC201", "2020-11") if r.part == "value"]
    assert values == [21.0, 1.0, 21.0]


def test_a_figure_missing_from_a_later_workbook_is_kept(place):
    store = open_store(place.location)
    store.ingest(FakeRead(make_dataset(), sha256="1" * 64))
    gone = frozenset({("CSC 038", "2020-10", "numerator"), ("CSC 038", "2020-10", "denominator")})
    summary = store.ingest(FakeRead(make_dataset(dropped=gone), sha256="2" * 64))
    assert (summary.added, summary.revised, summary.unchanged, summary.kept) == (0, 0, 14, 2)
    assert store.load().monthly.height == 12


def test_a_later_catalogue_updates_definitions_and_keeps_the_old_indicators(place):
    store = open_store(place.location)
    store.ingest(FakeRead(make_dataset(), sha256="1" * 64))
    store.ingest(FakeRead(make_dataset(codes=("CSC 038",), title_suffix=" (new)"), sha256="2" * 64))
    titles = [(i.code, i.title) for i in store.catalogue()]
    assert titles == [("CSC 038", "Indicator CSC 038 (new)"), ("CSC 201", "Indicator CSC 201")]


def test_a_workbook_without_context_keeps_the_previous_one(place):
    store = open_store(place.location)
    first = make_dataset()
    store.ingest(FakeRead(first, sha256="1" * 64))
    store.ingest(FakeRead(make_dataset(context=Context()), sha256="2" * 64))
    assert store.load().context == first.context


def test_history_of_a_quarter_has_its_months_and_reported_figures(place):
    store = open_store(place.location)
    store.ingest(FakeRead(make_dataset(months=("2020-09", "2020-10"))))
    periods = {(r.kind, r.period) for r in store.history("CSC 038", "Q3 2020/21")}
    assert periods == {("monthly", "2020-10")}
    periods = {(r.kind, r.period) for r in store.history("CSC 038", "2019/20")}
    assert periods == {("reported", "2019/20"), ("benchmark", "2019/20")}
    everything = store.history("CSC 038")
    assert len(everything) == 6 + 1 + 2


def test_an_unknown_code_suggests_the_nearest(place):
    store = open_store(place.location)
    store.ingest(FakeRead(make_dataset()))
    with pytest.raises(UnknownIndicator) as caught:
        store.resolve("CSC 03")
    assert str(caught.value) == (
        f"Indicator 'CSC 03' is not in the store {place.name}. Did you mean 'CSC 038' or 'CSC 201'?"
    )
    assert store.resolve("csc-201").code == "CSC 201"


def test_two_cells_giving_the_same_figure_are_refused(place):
    dataset = make_dataset()
    doubled = Dataset(
        dataset.indicators,
        pl.concat([dataset.monthly, dataset.monthly.head(1).with_columns(cell=pl.lit("K9"))]),
        dataset.reported,
        dataset.benchmarks,
    )
    with pytest.raises(StoreError, match=r"Monthly!C3 and Monthly!K9 both give CSC 038 2020-10"):
        open_store(place.location).ingest(FakeRead(doubled))
    assert not place.exists()


# -- refusals leave everything as it was -----------------------------------------------------------


def test_errors_write_nothing_and_create_no_store(place):
    summary = open_store(place.location).ingest(FakeRead(make_dataset(), problems=(ERROR, WARNING)))
    assert summary.outcome is Outcome.REFUSED
    assert (summary.errors, summary.warnings) == (1, 1)
    assert not place.exists()


def test_a_failed_ingest_leaves_the_store_byte_for_byte_unchanged(place):
    store = open_store(place.location)
    store.ingest(FakeRead(make_dataset(), sha256="1" * 64))
    before = place.state()
    refused = store.ingest(
        FakeRead(
            make_dataset(changed={("CSC 038", "2020-10", "value"): 1.0}),
            sha256="2" * 64,
            problems=(ERROR,),
        )
    )
    assert refused.outcome is Outcome.REFUSED
    assert place.state() == before


def test_strict_makes_warnings_errors(place):
    store = open_store(place.location)
    read = FakeRead(make_dataset(), problems=(WARNING,))
    refused = store.ingest(read, strict=True)
    assert (refused.outcome, refused.errors, refused.warnings) == (Outcome.REFUSED, 1, 0)
    assert not place.exists()
    written = store.ingest(read)
    assert (written.outcome, written.warnings) == (Outcome.WRITTEN, 1)
    assert store.ingests()[0]["warnings"] == 1


def test_a_failure_inside_the_transaction_writes_nothing(place, monkeypatch):
    store = open_store(place.location)
    store.ingest(FakeRead(make_dataset(), sha256="1" * 64))
    before = place.state()

    def broken(*args):
        raise place.driver_error()

    monkeypatch.setattr(place.writer + ".add_context", broken)
    later = make_dataset(months=(*MONTHS, "2020-12"))
    with pytest.raises(StoreError, match="Nothing was written"):
        store.ingest(FakeRead(later, sha256="2" * 64))
    assert place.state() == before
    fresh = place.sibling("fresh")
    with pytest.raises(StoreError, match="Nothing was written"):
        open_store(fresh.location).ingest(FakeRead(later, sha256="2" * 64))
    assert not fresh.exists()


def test_a_dry_run_reports_the_changes_and_writes_nothing(place):
    store = open_store(place.location)
    dry = store.ingest(FakeRead(make_dataset()), dry_run=True)
    assert (dry.outcome, dry.added, dry.ingest_id) == (Outcome.DRY_RUN, 16, None)
    assert not place.exists()
    store.ingest(FakeRead(make_dataset(), sha256="1" * 64))
    before = place.state()
    dec = make_dataset(months=(*MONTHS, "2020-12"), changed={("CSC 038", "2020-10", "value"): 85.2})
    dry = store.ingest(FakeRead(dec, sha256="2" * 64), dry_run=True)
    assert (dry.added, dry.revised, dry.unchanged) == (6, 1, 15)
    assert place.state() == before
    real = store.ingest(FakeRead(dec, sha256="2" * 64))
    assert (real.added, real.revised, real.unchanged) == (dry.added, dry.revised, dry.unchanged)


# -- versions -------------------------------------------------------------------------------------


def test_a_store_from_a_newer_csckpi_is_refused(place):
    supported = {"sqlite": SCHEMA_VERSION, "postgres": SERVER_VERSION}[place.backend]
    open_store(place.location).ingest(FakeRead(make_dataset()))
    place.set_version(supported + 1)
    before = place.state()
    message = (
        f"The store {place.shown} was written by a newer csckpi (store version "
        f"{supported + 1}; this csckpi reads versions up to {supported})."
    )
    with pytest.raises(StoreError) as caught:
        open_store(place.location).load()
    assert caught.value.message == message
    with pytest.raises(StoreError) as caught:
        open_store(place.location).ingest(FakeRead(make_dataset(), sha256="2" * 64))
    assert caught.value.message == message
    assert place.state() == before


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"code,value\nCSC038,85.2\n" * 10, "is not a csckpi store"),
        (None, "is an SQLite database but not a csckpi store"),
    ],
)
def test_a_file_that_is_not_a_store_is_refused(store_path, content, message):
    if content is None:
        con = sqlite3.connect(store_path)
        con.execute("CREATE TABLE people (name TEXT)")
        con.close()
    else:
        store_path.write_bytes(content)
    before = digest(store_path)
    with pytest.raises(StoreError, match=message):
        open_store(store_path).ingest(FakeRead(make_dataset()))
    with pytest.raises(StoreError, match=message):
        open_store(store_path).load()
    assert digest(store_path) == before


VERSION_0 = """
CREATE TABLE ingests (id INTEGER PRIMARY KEY, file TEXT NOT NULL, sha256 TEXT NOT NULL,
    ingested_at TEXT NOT NULL, indicators INTEGER NOT NULL DEFAULT 0,
    months INTEGER NOT NULL DEFAULT 0, added INTEGER NOT NULL DEFAULT 0,
    revised INTEGER NOT NULL DEFAULT 0, unchanged INTEGER NOT NULL DEFAULT 0,
    kept INTEGER NOT NULL DEFAULT 0, warnings INTEGER NOT NULL DEFAULT 0);
CREATE TABLE indicators (key TEXT PRIMARY KEY, code TEXT NOT NULL, title TEXT NOT NULL,
    section TEXT NOT NULL, unit TEXT NOT NULL, polarity TEXT NOT NULL, measure TEXT NOT NULL,
    target REAL, tolerance REAL, definition TEXT NOT NULL DEFAULT '',
    phrase TEXT NOT NULL DEFAULT '', decimals INTEGER, ord INTEGER NOT NULL DEFAULT 0,
    ingest_id INTEGER NOT NULL);
CREATE TABLE figures (id INTEGER PRIMARY KEY, kind TEXT NOT NULL, key TEXT NOT NULL,
    code TEXT NOT NULL, period TEXT NOT NULL, part TEXT NOT NULL, figure TEXT NOT NULL,
    value REAL NOT NULL, source TEXT, sheet TEXT, cell TEXT, ingest_id INTEGER NOT NULL,
    current INTEGER NOT NULL DEFAULT 1);
CREATE UNIQUE INDEX figures_current ON figures (kind, key, period, part, figure)
    WHERE current = 1;
INSERT INTO ingests (id, file, sha256, ingested_at)
    VALUES (1, 'old.xlsx', 'abc', '2020-01-01T00:00:00Z');
INSERT INTO indicators VALUES ('CSC038', 'CSC 038', 'Old title', 'Referrals', 'percent', 'up',
    'ratio', 80, NULL, '', '', NULL, 0, 1);
INSERT INTO figures (kind, key, code, period, part, figure, value, sheet, cell, ingest_id)
    VALUES ('monthly', 'CSC038', 'CSC 038', '2020-10', 'value', 'value', 70.0, 'Monthly', 'C3', 1);
"""


VERSION_3_FIGURES = """
CREATE TABLE figures (
    id        INTEGER PRIMARY KEY,
    kind      TEXT NOT NULL CHECK (kind IN ('monthly', 'reported', 'benchmark')),
    key       TEXT NOT NULL,
    code      TEXT NOT NULL,
    period    TEXT NOT NULL,
    part      TEXT NOT NULL,
    figure    TEXT NOT NULL,
    value     REAL NOT NULL,
    source    TEXT,
    sheet     TEXT,
    cell      TEXT,
    ingest_id INTEGER NOT NULL REFERENCES ingests (id),
    current   INTEGER NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX figures_current ON figures (kind, key, period, part, figure)
    WHERE current = 1;
CREATE INDEX figures_history ON figures (key, kind, period);
"""


def downgrade_to_version_3(path: Path) -> pl.DataFrame:
    """Turn a store into what csckpi wrote at store version 3: one ``figures`` row per value,
    ``current`` marking the latest, no per-ingest frames. Returns the figures as written."""
    figures = open_store(path).figures()
    con = sqlite3.connect(path)
    con.executescript(VERSION_3_FIGURES)
    con.executemany(
        "INSERT INTO figures (kind, key, code, period, part, figure, value, source, sheet, cell, "
        "ingest_id, current) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        figures.drop("file", "ingested_at").iter_rows(),
    )
    con.execute("DROP TABLE ingest_figures")
    con.execute("PRAGMA user_version = 3")
    con.commit()
    con.close()
    return figures


def table_names(path: Path) -> set[str]:
    con = sqlite3.connect(path)
    try:
        return {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    finally:
        con.close()


def test_a_version_3_store_keeps_every_revision_when_migrated(store_path):
    """Version 3 kept one SQL row per figure; version 4 one frame per ingest. Every value, its
    cell, its ingest and which one is current survive the migration, and ingests go on."""
    store = open_store(store_path)
    store.ingest(FakeRead(make_dataset(), sha256="1" * 64))
    revised = {("CSC 038", "2020-10", "value"): 85.2}
    store.ingest(FakeRead(make_dataset(months=DEC, changed=revised), sha256="2" * 64))
    history = store.history("CSC 038")
    latest = store.load()
    written = downgrade_to_version_3(store_path)
    assert written.height == 16 + 6 + 1  # the first ingest's 16, December's 6, the revision
    assert written.get_column("current").sum() == 16 + 6
    assert "ingest_figures" not in table_names(store_path)

    assert store.history("CSC 038") == history
    assert_same_dataset(store.load(), latest)
    assert "figures" not in table_names(store_path)
    assert_frame_equal(store.figures(), written)
    con = sqlite3.connect(store_path)
    assert con.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 8
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    con.close()
    [oct_20] = [r for r in store.history("CSC 038", "Oct-20") if r.part == "value" and r.current]
    assert (oct_20.value, oct_20.ingest_id, oct_20.location) == (85.2, 2, "Monthly!C3")
    again = {("CSC 038", "2020-10", "value"): 90.0}
    summary = store.ingest(FakeRead(make_dataset(months=DEC, changed=again), sha256="3" * 64))
    assert (summary.added, summary.revised) == (0, 1)
    values = [r.value for r in store.history("CSC 038", "Oct-20") if r.part == "value"]
    assert values == [10.0, 85.2, 90.0]


def test_a_version_0_store_is_migrated(store_path):
    con = sqlite3.connect(store_path)
    con.executescript(VERSION_0)
    con.close()
    store = open_store(store_path)
    loaded = store.load()
    assert loaded.monthly.get_column("value").to_list() == [70.0]
    assert loaded.context == Context()
    con = sqlite3.connect(store_path)
    assert con.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert "layout" in {row[1] for row in con.execute("PRAGMA table_info(ingests)")}
    con.close()
    summary = store.ingest(FakeRead(make_dataset()))
    assert (summary.added, summary.revised) == (15, 1)
    assert store.load().context.council == "Darlington"
    assert [r.value for r in store.history("CSC038", "2020-10") if r.part == "value"] == [
        70.0,
        10.0,
    ]


def test_a_version_1_store_without_a_snapshot_is_migrated_and_loads_from_its_figures(store_path):
    store = open_store(store_path)
    first = make_dataset()
    store.ingest(FakeRead(first, sha256="1" * 64))
    downgrade_to_version_3(store_path)
    con = sqlite3.connect(store_path)
    con.execute("DROP TABLE snapshot")
    con.execute("PRAGMA user_version = 1")
    con.commit()
    con.close()
    assert_same_dataset(store.load(), first)  # from its figures: there was no snapshot
    con = sqlite3.connect(store_path)
    assert con.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert con.execute("SELECT ingest_id FROM snapshot").fetchall() == [(1,)]  # now there is
    con.close()
    dec = make_dataset(months=(*MONTHS, "2020-12"), changed={("CSC 038", "2020-10", "value"): 85.2})
    store.ingest(FakeRead(dec, sha256="2" * 64))
    assert_same_dataset(store.load(), dec)


def test_a_stale_snapshot_is_never_used(store_path):
    store = open_store(store_path)
    store.ingest(FakeRead(make_dataset(), sha256="1" * 64))
    dec = make_dataset(months=(*MONTHS, "2020-12"), changed={("CSC 038", "2020-10", "value"): 85.2})
    store.ingest(FakeRead(dec, sha256="2" * 64))
    con = sqlite3.connect(store_path)
    con.execute("UPDATE snapshot SET ingest_id = 1")  # as if written by the first ingest
    con.commit()
    con.close()
    assert_same_dataset(store.load(), dec)


@pytest.mark.parametrize(
    ("field", "given"),
    [
        ("pattern", "{council} looked after {value} children {period_wording}."),
        ("records_measure", "AA ICPC 15"),
        ("records_cell", "Indicators!L14"),
    ],
)
def test_an_indicators_optional_text_is_kept(place, field, given):
    """The Indicators sheet's optional `pattern` and `records_measure` columns (with the
    measure's cell) go into the store and come back."""
    plain = make_dataset()
    first, second = plain.indicators
    dataset = Dataset(
        (first, Indicator(**{**second.__dict__, field: given})),
        plain.monthly,
        plain.reported,
        plain.benchmarks,
        plain.context,
        plain.source,
    )
    store = open_store(place.location)
    store.ingest(FakeRead(dataset))
    assert [getattr(i, field) for i in store.load().indicators] == ["", given]
    assert [getattr(i, field) for i in store.catalogue()] == ["", given]
    # a later workbook without the column empties it
    store.ingest(FakeRead(plain, sha256="2" * 64))
    assert [getattr(i, field) for i in store.load().indicators] == ["", ""]


def test_a_version_5_store_gains_the_records_measure_columns(store_path):
    store = open_store(store_path)
    store.ingest(FakeRead(make_dataset(), sha256="1" * 64))
    con = sqlite3.connect(store_path)
    con.execute("ALTER TABLE indicators DROP COLUMN records_measure")
    con.execute("ALTER TABLE indicators DROP COLUMN records_cell")
    con.execute("PRAGMA user_version = 5")
    con.commit()
    con.close()
    assert [i.records_measure for i in store.load().indicators] == ["", ""]
    con = sqlite3.connect(store_path)
    assert con.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 8
    columns = {row[1] for row in con.execute("PRAGMA table_info(indicators)")}
    assert {"records_measure", "records_cell"} <= columns
    con.close()
    assert_same_dataset(store.load(), make_dataset())


def test_an_indicators_label_is_kept(place):
    """The Indicators sheet's optional `label` goes into the store, comes back, and a later
    workbook without it empties it."""
    plain = make_dataset()
    first, second = plain.indicators
    labelled = Indicator(**{**second.__dict__, "label": "re-referrals"})
    dataset = Dataset(
        (first, labelled),
        plain.monthly,
        plain.reported,
        plain.benchmarks,
        plain.context,
        plain.source,
    )
    store = open_store(place.location)
    store.ingest(FakeRead(dataset))
    assert [i.label for i in store.load().indicators] == ["", "re-referrals"]
    assert [i.label for i in store.catalogue()] == ["", "re-referrals"]
    store.ingest(FakeRead(plain, sha256="2" * 64))
    assert [i.label for i in store.load().indicators] == ["", ""]


def test_a_version_7_store_gains_the_label_column(store_path):
    store = open_store(store_path)
    store.ingest(FakeRead(make_dataset(), sha256="1" * 64))
    con = sqlite3.connect(store_path)
    con.execute("ALTER TABLE indicators DROP COLUMN label")
    con.execute("PRAGMA user_version = 7")
    con.commit()
    con.close()
    assert [i.label for i in store.load().indicators] == ["", ""]
    con = sqlite3.connect(store_path)
    assert con.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert "label" in {row[1] for row in con.execute("PRAGMA table_info(indicators)")}
    con.close()
    assert_same_dataset(store.load(), make_dataset())


def test_a_version_2_store_gains_the_pattern_column(store_path):
    store = open_store(store_path)
    store.ingest(FakeRead(make_dataset(), sha256="1" * 64))
    downgrade_to_version_3(store_path)
    con = sqlite3.connect(store_path)
    con.execute("ALTER TABLE indicators DROP COLUMN pattern")
    con.execute("PRAGMA user_version = 2")
    con.commit()
    con.close()
    assert [i.pattern for i in store.load().indicators] == ["", ""]
    con = sqlite3.connect(store_path)
    assert con.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert "pattern" in {row[1] for row in con.execute("PRAGMA table_info(indicators)")}
    con.close()
    assert_same_dataset(store.load(), make_dataset())


def _with_processes(dataset: Dataset, baseline: str, new_process: str) -> Dataset:
    first, second = dataset.indicators
    changed = Indicator(**{**second.__dict__, "baseline": baseline, "new_process": new_process})
    return Dataset(
        (first, changed),
        dataset.monthly,
        dataset.reported,
        dataset.benchmarks,
        dataset.context,
        dataset.source,
    )


def test_an_indicators_baseline_and_new_process_are_kept(place):
    """The Indicators sheet's `baseline` and `new process from` go into the store, come back
    and are copied with it; a later workbook without them empties them."""
    plain = make_dataset()
    store = open_store(place.location)
    store.ingest(FakeRead(_with_processes(plain, "Apr-19..Mar-20", "Apr-20; Oct-21..Sep-22")))
    for indicators in (store.load().indicators, store.catalogue()):
        assert [(i.baseline, i.new_process) for i in indicators] == [
            ("", ""),
            ("Apr-19..Mar-20", "Apr-20; Oct-21..Sep-22"),
        ]
    target = place.sibling("copy")
    copy_store(store, open_store(target.location))
    copied = open_store(target.location).load().indicators
    assert copied[1].new_process == "Apr-20; Oct-21..Sep-22"
    store.ingest(FakeRead(plain, sha256="2" * 64))
    assert [(i.baseline, i.new_process) for i in store.load().indicators] == [("", ""), ("", "")]


def test_a_version_6_store_gains_the_baseline_and_new_process_columns(store_path):
    store = open_store(store_path)
    store.ingest(FakeRead(make_dataset(), sha256="1" * 64))
    con = sqlite3.connect(store_path)
    con.execute("ALTER TABLE indicators DROP COLUMN baseline")
    con.execute("ALTER TABLE indicators DROP COLUMN new_process")
    con.execute("PRAGMA user_version = 6")
    con.commit()
    con.close()
    assert [(i.baseline, i.new_process) for i in store.load().indicators] == [("", ""), ("", "")]
    con = sqlite3.connect(store_path)
    assert con.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 8
    columns = {row[1] for row in con.execute("PRAGMA table_info(indicators)")}
    assert {"baseline", "new_process"} <= columns
    con.close()
    store.ingest(FakeRead(_with_processes(make_dataset(), "Apr-19..Mar-20", ""), sha256="2" * 64))
    assert store.load().indicators[1].baseline == "Apr-19..Mar-20"
