"""What only a server store has: roles, a connection killed by the server, credentials from
libpq's places, passwords kept out of messages, the readable tables, another application's
tables, migrations of the server's tables. (Everything a store does is tested on both
backends by the other store tests, through the ``place`` fixture.)"""

from __future__ import annotations

import dataclasses
import os
import re
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit

import polars as pl
import pytest
from conftest import ROOT
from example_says import without_example
from stores import POSTGRES, PostgresPlace, postgres_url, with_option
from test_store import FakeRead, assert_same_dataset, make_dataset
from test_store_safety import wait_for
from typer.testing import CliRunner

from csckpi.cli import app
from csckpi.errors import StoreError
from csckpi.model import Indicator
from csckpi.store import open_store
from csckpi.store.ingest import PAUSE_HOOK
from csckpi.store.server import tables

DOC = ROOT / "docs" / "team-store.md"
DEC = ("2020-10", "2020-11", "2020-12")
runner = CliRunner()


@pytest.fixture
def server() -> str:
    return postgres_url()


@pytest.fixture
def pg(server):
    found = PostgresPlace(server, "t" + uuid.uuid4().hex[:12])
    try:
        yield found
    finally:
        found.drop()


def csckpi(*args: str, **env: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "csckpi", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, **env},
    )


def credentials(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return parts.username or "", parts.password or ""


def as_role(url: str, user: str, password: str | None, schema: str) -> str:
    """``url`` for another role (with or without its password), in ``schema``."""
    parts = urlsplit(url)
    login = user if password is None else f"{user}:{password}"
    netloc = f"{login}@{parts.hostname}:{parts.port}"
    return with_option(parts._replace(netloc=netloc).geturl(), "options", f"-csearch_path={schema}")


def test_without_a_server_these_tests_skip_with_the_reason_and_fail_under_ci(monkeypatch):
    monkeypatch.delenv(POSTGRES, raising=False)
    monkeypatch.delenv("CI", raising=False)
    reason = "no PostgreSQL server: set CSCKPI_TEST_POSTGRES (bash .ci/postgres start prints one)"
    with pytest.raises(pytest.skip.Exception, match=re.escape(reason)):
        postgres_url()
    monkeypatch.setenv("CI", "true")
    with pytest.raises(
        pytest.fail.Exception, match=re.escape(f"CI must test the PostgreSQL store, but {reason}")
    ):
        postgres_url()


# -- roles: the SQL of docs/team-store.md, as written -------------------------------------------


def roles_sql() -> str:
    text = DOC.read_text(encoding="utf-8")
    marker = "<!-- the test suite runs this block as written (tests/test_store_postgres.py) -->"
    return re.search(r"```sql\n(.*?)```", text[text.index(marker) :], re.S).group(1)  # type: ignore[union-attr]


@pytest.fixture
def roles(pg):
    """The docs' two roles (renamed for this test) on a new schema: (writer URL, reader URL)."""
    suffix = uuid.uuid4().hex[:8]
    names = {
        "csckpi_writer": f"w_{suffix}",
        "csckpi_reader": f"r_{suffix}",
        "csckpi": f"s_{suffix}",
    }
    passwords = {"change me": f"pw-{suffix}-w", "change me too": f"pw-{suffix}-r"}
    sql = roles_sql()
    for old, new in passwords.items():
        sql = sql.replace(f"'{old}'", f"'{new}'")
    sql = re.sub(r"\b(csckpi_writer|csckpi_reader|csckpi)\b", lambda m: names[m.group(1)], sql)
    for statement in filter(None, (s.strip() for s in sql.split(";"))):
        pg.run(statement)
    schema = names["csckpi"]
    writer = as_role(pg.admin, names["csckpi_writer"], passwords["change me"], schema)
    reader = as_role(pg.admin, names["csckpi_reader"], passwords["change me too"], schema)
    try:
        yield writer, reader, names
    finally:
        pg.run(f'DROP SCHEMA "{schema}" CASCADE')
        for role in (names["csckpi_writer"], names["csckpi_reader"]):
            pg.run(f'DROP OWNED BY "{role}"')
            pg.run(f'DROP ROLE "{role}"')


def test_the_docs_roles_one_ingests_the_other_reads_and_cannot_ingest(
    roles, example_workbook, tmp_path, monkeypatch
):
    writer, reader, names = roles
    monkeypatch.chdir(tmp_path)
    done = runner.invoke(app, ["ingest", str(example_workbook), "--store", writer])
    assert done.exit_code == 0, done.output
    compute = runner.invoke(app, ["compute", "-p", "Q3 2020/21", "-f", "csv", "--store", writer])
    assert compute.exit_code == 0

    for command in (
        ["compute", "-p", "Q3 2020/21", "-f", "csv"],
        ["compare", "-i", "CSC 038", "-p", "Q3 2020/21"],
        ["narrate", "-p", "Q3 2020/21"],
        ["changes"],
        ["history", "-i", "CSC 038"],
        ["report", "-p", "Q3 2020/21", "-o", "report.html"],
        ["export", "-o", "exported", "--format", "csv"],
    ):
        read = runner.invoke(app, [*command, "--store", reader])
        assert read.exit_code == 0, (command, read.output)
    copied = runner.invoke(app, ["store", "copy", reader, "copy.db"])
    assert copied.exit_code == 0, copied.output
    assert open_store("copy.db").contents().digest() == open_store(writer).contents().digest()
    assert len(Path("exported/figures.csv").read_text().splitlines()) == 1 + 586
    assert (
        runner.invoke(app, ["compute", "-p", "Q3 2020/21", "-f", "csv", "--store", reader]).stdout
        == compute.stdout
    )
    assert Path("report.html").stat().st_size > 10_000

    before = open_store(writer).figures()
    december = tmp_path / "december.xlsx"
    from test_cli_ingest import changed_copy

    changed_copy(example_workbook, december, Monthly_J11=82.0)
    refused = runner.invoke(app, ["ingest", str(december), "--store", reader])
    assert refused.exit_code == 1
    password = credentials(reader)[1]
    assert without_example(refused.stderr).startswith(
        f"csckpi: Nothing was written to {open_store(reader).location}: the role "
        f"{names['csckpi_reader']} may not write to it; it lacks the privilege INSERT on the "
        "table ingests (and 11 more privileges). Use a role that may write; "
        "docs/team-store.md gives the SQL for both roles."
    ), refused.stderr
    assert password not in refused.stderr and "Traceback" not in refused.stderr
    assert open_store(writer).figures().equals(before)
    assert len(open_store(writer).ingests()) == 1


def test_a_role_that_may_not_create_the_tables_is_told_so(roles, pg):
    _, reader, names = roles
    with pytest.raises(StoreError) as caught:
        open_store(reader).ingest(FakeRead(make_dataset()))
    assert caught.value.message == (
        f"Nothing was written to {open_store(reader).location}: the role {names['csckpi_reader']} "
        "may not write to it; it lacks the privilege create tables in its schema."
    )


def test_a_schema_that_does_not_exist_is_named_when_reading_and_ingesting(pg):
    url = with_option(pg.admin, "options", f"-csearch_path={pg.schema}_missing")
    shown = open_store(url).location
    reason = (
        "the schema its URL names (in options=-csearch_path=...) does not exist, or the role "
        "may not use it."
    )
    with pytest.raises(StoreError) as read:
        open_store(url).load()
    assert read.value.message == f"Cannot read the store {shown}: {reason}"
    with pytest.raises(StoreError) as written:
        open_store(url).ingest(FakeRead(make_dataset()))
    assert written.value.message == f"Nothing was written to {shown}: {reason}"
    assert "CREATE SCHEMA" in (read.value.hint or "") and not pg.exists()


# -- a connection the server ends mid-ingest --------------------------------------------------


def test_a_connection_killed_by_the_server_mid_ingest_leaves_the_store_row_for_row(
    pg, example_workbook, tmp_path
):
    from test_cli_ingest import changed_copy

    assert (
        runner.invoke(app, ["ingest", str(example_workbook), "--store", pg.location]).exit_code == 0
    )
    before = pg.state()
    december = changed_copy(example_workbook, tmp_path / "december.xlsx", Monthly_J11=82.0)
    flag, release = tmp_path / "in-transaction", tmp_path / "release"
    name = f"csckpi-{uuid.uuid4().hex[:8]}"
    location = with_option(pg.location, "application_name", name)
    pause = {PAUSE_HOOK: str(flag), PAUSE_HOOK + "_UNTIL": str(release)}
    killed = csckpi("ingest", str(december), "--store", location, **pause)
    wait_for(flag, killed)
    [(pid, state)] = pg.run(
        "SELECT pid, state FROM pg_stat_activity WHERE application_name = %s", (name,)
    )
    assert state == "idle in transaction"  # written, not committed
    assert pg.run("SELECT pg_terminate_backend(%s)", (pid,)) == [(True,)]
    release.touch()  # the ingest goes on to commit, on a connection the server has closed
    out, err = killed.communicate(timeout=120)
    assert killed.returncode == 1, (out, err)
    assert without_example(err).startswith(
        f"csckpi: Nothing was written to {open_store(location).location}: "
    )
    assert "terminating connection" in err and "Traceback" not in err
    assert credentials(pg.admin)[1] not in err
    assert pg.state() == before
    assert [r.value for r in open_store(pg.location).history("CSC 038", "Oct-20")] == [81.5]


# -- credentials and messages -------------------------------------------------------------------


def test_a_wrong_password_is_refused_without_showing_it(pg):
    user, _ = credentials(pg.admin)
    wrong = as_role(pg.admin, user, "Not-The-Password-42", pg.schema)
    for call in (lambda s: s.load(), lambda s: s.ingest(FakeRead(make_dataset()))):
        with pytest.raises(StoreError) as caught:
            call(open_store(wrong))
        text = str(caught.value)
        assert text.startswith(f"Cannot connect to the store {open_store(wrong).location}: ")
        assert "password authentication failed" in text
        assert "Not-The-Password-42" not in text and ":***@" in text
    assert not pg.exists()


@pytest.mark.parametrize("where", ["PGPASSWORD", "PGPASSFILE", "service file"])
def test_credentials_come_from_libpqs_places(pg, tmp_path, monkeypatch, where):
    user, password = credentials(pg.admin)
    parts = urlsplit(pg.admin)
    if where == "PGPASSWORD":
        monkeypatch.setenv("PGPASSWORD", password)
        url = as_role(pg.admin, user, None, pg.schema)
    elif where == "PGPASSFILE":
        passfile = tmp_path / "pgpass"
        passfile.write_text(f"{parts.hostname}:{parts.port}:*:{user}:{password}\n")
        passfile.chmod(0o600)
        monkeypatch.setenv("PGPASSFILE", str(passfile))
        url = as_role(pg.admin, user, None, pg.schema)
    else:
        services = tmp_path / "services"
        services.write_text(
            f"[kpi]\nhost={parts.hostname}\nport={parts.port}\nuser={user}\n"
            f"password={password}\ndbname={parts.path.lstrip('/')}\n"
        )
        monkeypatch.setenv("PGSERVICEFILE", str(services))
        url = with_option("postgresql://?service=kpi", "options", f"-csearch_path={pg.schema}")
    assert password not in url
    summary = open_store(url).ingest(FakeRead(make_dataset()))
    assert summary.written and password not in summary.store
    assert_same_dataset(open_store(pg.location).load(), make_dataset())


def test_tls_options_reach_the_driver(pg):
    """The test server has no TLS: asking for it in the URL is refused by libpq, which shows
    the option was passed through."""
    url = with_option(pg.location, "sslmode", "require")
    with pytest.raises(StoreError, match="server does not support SSL"):
        open_store(url).load()


def test_without_the_driver_the_message_says_how_to_install_it(pg, monkeypatch):
    monkeypatch.setitem(sys.modules, "psycopg", None)
    with pytest.raises(StoreError) as caught:
        open_store(pg.location).load()
    assert str(caught.value) == (
        f"The store {open_store(pg.location).location} is on a PostgreSQL server, and csckpi's "
        'PostgreSQL driver is not installed. Install it: pip install "csckpi[postgres]".'
    )


def test_text_is_bound_as_parameters_never_spliced_into_sql(pg):
    """Every value reaches the server as a parameter (or in bulk copy): text with quotes,
    semicolons and SQL comes back exactly and runs nothing."""
    hostile = "CSC 038'); DROP TABLE figures; --"
    plain = make_dataset()
    first, second = plain.indicators
    from csckpi.dataset import Dataset
    from csckpi.model import Indicator

    dataset = Dataset(
        (Indicator(**{**first.__dict__, "title": hostile, "phrase": 'a "quoted"\nline'}), second),
        plain.monthly.with_columns(cell=pl.lit("C3'--")),
        plain.reported,
        plain.benchmarks.with_columns(source=pl.lit("LAIT; DELETE FROM ingests")),
        plain.context,
        plain.source,
    )
    store = open_store(pg.location)
    store.ingest(FakeRead(dataset), file="book'; DROP TABLE ingests; --.xlsx")
    assert_same_dataset(store.load(), dataset)
    assert store.ingests()[0]["file"] == "book'; DROP TABLE ingests; --.xlsx"
    assert set(pg.tables()) == {t for t in tables.TABLES if not t.startswith("current_")}


# -- the tables a BI tool reads -------------------------------------------------------------------


def test_the_readable_tables_hold_what_the_store_gives(pg):
    store = open_store(pg.location)
    store.ingest(FakeRead(make_dataset(), sha256="1" * 64), file="nov.xlsx")
    dec = make_dataset(
        months=("2020-10", "2020-11", "2020-12"), changed={("CSC 038", "2020-10", "value"): 85.2}
    )
    store.ingest(FakeRead(dec, sha256="2" * 64), file="dec.xlsx")
    view = pg.run(
        "SELECT indicator, kind, period, part, figure, value, sheet, cell, ingest, workbook, "
        "title FROM current_figures"
    )
    latest = store.figures().filter(pl.col("current"))
    assert sorted(view, key=repr) == sorted(
        (
            r["key"],
            r["kind"],
            r["period"],
            r["part"],
            r["figure"],
            r["value"],
            r["sheet"],
            r["cell"],
            r["ingest_id"],
            r["file"],
            f"Indicator {r['code']}",
        )
        for r in latest.iter_rows(named=True)
    )
    table = pg.run("SELECT ingest, indicator, period, part, value, is_current FROM figures")
    everything = store.figures()
    assert sorted(table) == sorted(
        everything.select("ingest_id", "key", "period", "part", "value", "current")
        .with_columns(pl.col("current").cast(pl.Int64()))
        .rows()
    )
    assert pg.run(
        "SELECT value, is_current FROM figures WHERE indicator = 'CSC038' "
        "AND period = '2020-10' AND part = 'value' ORDER BY ingest"
    ) == [(10.0, 0), (85.2, 1)]
    assert pg.run("SELECT id, workbook, added, revised FROM ingests ORDER BY id") == [
        (1, "nov.xlsx", 16, 0),
        (2, "dec.xlsx", 6, 1),
    ]


# -- stores that are not csckpi's, and older versions ------------------------------------------


def test_another_applications_tables_are_refused_and_left_alone(pg):
    pg.run("CREATE TABLE figures (id INTEGER, amount DOUBLE PRECISION)")
    pg.run("INSERT INTO figures VALUES (1, 2.5)")
    before = pg.state()
    message = (
        f"The database at {open_store(pg.location).location} has tables named figures that "
        "are not a csckpi store."
    )
    for call in (lambda s: s.load(), lambda s: s.ingest(FakeRead(make_dataset()))):
        with pytest.raises(StoreError) as caught:
            call(open_store(pg.location))
        assert caught.value.message == message
    assert pg.state() == before


def test_a_version_1_store_is_migrated_and_gains_its_snapshot(pg):
    """Version 1 had no snapshot: the first command migrates it (under the lock), reads the
    current rows meanwhile, and the next ingest writes the snapshot."""
    store = open_store(pg.location)
    store.ingest(FakeRead(make_dataset(), sha256="1" * 64))
    pg.run("DROP TABLE snapshot")
    pg.run("DROP VIEW current_comments")  # version 1 had no commentary either
    pg.run("DROP TABLE comments")
    for column in ("baseline", "new_process"):  # nor each indicator's SPC settings
        pg.run(f"ALTER TABLE indicators DROP COLUMN {column}")
    pg.set_version(1)
    assert_same_dataset(store.load(), make_dataset())
    assert pg.run("SELECT version FROM store_version") == [(tables.SCHEMA_VERSION,)] == [(6,)]
    assert pg.run("SELECT count(*) FROM snapshot") == [(0,)]
    dec = make_dataset(months=DEC, changed={("CSC 038", "2020-10", "value"): 85.2})
    summary = store.ingest(FakeRead(dec, sha256="2" * 64))
    assert (summary.added, summary.revised) == (6, 1)
    assert pg.run("SELECT ingest FROM snapshot") == [(2,)]
    assert_same_dataset(store.load(), dec)


def test_a_version_5_store_gains_the_label_column(pg):
    """Version 6 keeps each indicator's short name: the first command adds the column (empty)
    to a version 5 store."""
    store = open_store(pg.location)
    store.ingest(FakeRead(make_dataset(), sha256="1" * 64))
    pg.run("ALTER TABLE indicators DROP COLUMN label")
    pg.set_version(5)
    assert [i.label for i in store.load().indicators] == ["", ""]
    assert pg.run("SELECT version FROM store_version") == [(6,)]
    assert_same_dataset(store.load(), make_dataset())


def test_a_stale_snapshot_is_never_used(pg):
    store = open_store(pg.location)
    store.ingest(FakeRead(make_dataset(), sha256="1" * 64))
    dec = make_dataset(months=DEC, changed={("CSC 038", "2020-10", "value"): 85.2})
    store.ingest(FakeRead(dec, sha256="2" * 64))
    pg.run("UPDATE snapshot SET ingest = 1")  # as if written by the first ingest
    assert_same_dataset(store.load(), dec)


def test_a_version_4_store_gains_each_indicator_s_baseline_and_new_process(pg):
    store = open_store(pg.location)
    store.ingest(FakeRead(make_dataset(), sha256="1" * 64))
    for column in ("baseline", "new_process"):
        pg.run(f"ALTER TABLE indicators DROP COLUMN {column}")
    pg.set_version(4)
    assert [(i.baseline, i.new_process) for i in store.load().indicators] == [("", ""), ("", "")]
    assert pg.run("SELECT version FROM store_version") == [(tables.SCHEMA_VERSION,)]
    first, second = make_dataset().indicators
    declared = Indicator(
        **{**second.__dict__, "baseline": "Apr-19..Mar-20", "new_process": "Apr-20"}
    )
    dataset = dataclasses.replace(make_dataset(), indicators=(first, declared))
    store.ingest(FakeRead(dataset, sha256="2" * 64))
    assert [(i.baseline, i.new_process) for i in store.load().indicators][1] == (
        "Apr-19..Mar-20",
        "Apr-20",
    )


def test_each_migration_runs_once_under_the_lock(pg, monkeypatch):
    """A later csckpi's MIGRATIONS[n] runs once, on the first command that opens the store,
    and the figures survive it."""
    store = open_store(pg.location)
    store.ingest(FakeRead(make_dataset()))
    ran: list[int] = []
    later = tables.SCHEMA_VERSION + 1

    def step(dialect, con) -> None:
        ran.append(later)
        dialect.execute(con, "ALTER TABLE ingests ADD COLUMN note TEXT")

    monkeypatch.setattr(tables, "SCHEMA_VERSION", later)
    monkeypatch.setitem(tables.MIGRATIONS, later - 1, step)
    assert_same_dataset(store.load(), make_dataset())
    assert store.load() is not None and ran == [later]
    assert pg.run("SELECT version FROM store_version") == [(later,)]
    columns = pg.run(
        "SELECT column_name FROM information_schema.columns WHERE table_schema = %s "
        "AND table_name = 'ingests'",
        (pg.schema,),
    )
    assert "note" in {r[0] for r in columns}
    summary = store.ingest(FakeRead(make_dataset(months=DEC), sha256="2" * 64))
    assert (summary.added, ran) == (6, [later])


def test_two_stores_in_one_database_do_not_wait_for_each_other(pg, tmp_path):
    other = pg.sibling("other")
    flag = tmp_path / "in-transaction"
    from test_store_safety import spawn

    slow = spawn(pg.location, "1", ("2020-10",), 1.0, **{PAUSE_HOOK: str(flag)})
    try:
        wait_for(flag, slow)
        started = time.monotonic()
        waited: list[str] = []
        summary = open_store(other.location, lock_timeout=5).ingest(
            FakeRead(make_dataset()), on_wait=lambda: waited.append("waited")
        )
        assert summary.written and waited == []
        assert time.monotonic() - started < 5
    finally:
        slow.kill()
        slow.communicate(timeout=30)


def test_a_version_3_store_gains_the_records_measure_columns(pg):
    """Version 4 keeps each indicator's Annex A measure and its cell: the first command adds
    the columns (empty) to a version 3 store, and an ingest fills them."""
    store = open_store(pg.location)
    store.ingest(FakeRead(make_dataset(), sha256="1" * 64))
    pg.run("ALTER TABLE indicators DROP COLUMN records_measure")
    pg.run("ALTER TABLE indicators DROP COLUMN records_cell")
    pg.set_version(3)
    assert [i.records_measure for i in store.load().indicators] == ["", ""]
    assert pg.run("SELECT version FROM store_version") == [(tables.SCHEMA_VERSION,)]
    assert_same_dataset(store.load(), make_dataset())
