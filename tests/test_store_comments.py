"""Commentary in the store, on every backend: kept with its history and who/when, carried
across re-ingests (the later word wins), copied with the store, and migrated into older ones."""

from __future__ import annotations

import sqlite3
from dataclasses import replace

import pytest
from test_store import FakeRead, make_dataset

from csckpi.commentary import Comment, Origin
from csckpi.errors import StoreError
from csckpi.store import copy_store, open_store
from csckpi.store.sqlite import SCHEMA_VERSION

ROW = Comment(
    key="CSC038",
    code="CSC 038",
    period="Q3 2020/21",
    text="Recalled to custody.",
    carry=True,
    author="A. Analyst",
    file="nov.xlsx",
    sheet="Commentary",
    cell="C2",
)
OTHER = Comment(
    key="CSC201",
    code="CSC 201",
    period="2020-12",
    text="Four children came into care together.",
    file="nov.xlsx",
    sheet="Commentary",
    cell="C3",
)


def with_rows(*rows: Comment, sha: str) -> FakeRead:
    return FakeRead(replace(make_dataset(), commentary=rows), sha256=sha * 64)


def typed(text: str, *, period: str = "Q3 2020/21", removed: bool = False) -> Comment:
    return Comment(
        key="CSC038", code="CSC 038", period=period, text=text, author="B. Typist", removed=removed
    )


def test_an_ingest_keeps_the_commentary_rows_and_load_gives_them(place):
    store = open_store(place.location)
    summary = store.ingest(with_rows(ROW, OTHER, sha="1"))
    assert summary.comments == 2 and summary.as_dict()["comments"] == 2
    kept = store.comments()
    assert [(c.code, c.period, c.text, c.carry, c.author) for c in kept] == [
        ("CSC 038", "Q3 2020/21", "Recalled to custody.", True, "A. Analyst"),
        ("CSC 201", "2020-12", "Four children came into care together.", False, ""),
    ]
    first = kept[0]
    assert (first.origin, first.ingest_id, first.location, first.file) == (
        Origin.WORKBOOK,
        1,
        "Commentary!C2",
        "nov.xlsx",
    )
    assert first.written == summary.ingested_at and first.id == 1
    assert open_store(place.location).load().commentary == tuple(kept)
    assert store.comments("csc 201") == [kept[1]]


def test_a_dry_run_counts_the_rows_and_keeps_none(place):
    store = open_store(place.location)
    store.ingest(with_rows(sha="1"))
    assert store.ingest(with_rows(ROW, sha="2"), dry_run=True).comments == 1
    assert store.comments(history=True) == []


def test_a_typed_comment_survives_a_reingest_of_a_revised_workbook(place):
    store = open_store(place.location)
    store.ingest(with_rows(ROW, OTHER, sha="1"))
    over = store.comment(typed("Typed over it."))
    assert over is not None and (over.origin, over.author, over.ingest_id) == (
        Origin.TYPED,
        "B. Typist",
        1,
    )
    revised = replace(make_dataset(changed={("CSC 038", "2020-10", "value"): 99.0}))
    summary = store.ingest(FakeRead(replace(revised, commentary=(ROW, OTHER)), sha256="2" * 64))
    assert (summary.revised, summary.comments) == (1, 0)
    assert [c.text for c in store.comments("CSC038")] == ["Typed over it."]
    assert store.load().commentary[-1].text == "Typed over it."


def test_a_row_changed_in_the_workbook_is_later_and_wins_and_history_keeps_both(place):
    store = open_store(place.location)
    store.ingest(with_rows(ROW, sha="1"))
    store.comment(typed("Typed over it."))
    changed = replace(ROW, text="Recalled to custody; two since released.")
    assert store.ingest(with_rows(changed, sha="2")).comments == 1
    assert [c.text for c in store.comments()] == ["Recalled to custody; two since released."]
    history = store.comments(history=True)
    assert [(c.id, c.origin.value, c.text, c.ingest_id) for c in history] == [
        (1, "workbook", "Recalled to custody.", 1),
        (2, "typed", "Typed over it.", 1),
        (3, "workbook", "Recalled to custody; two since released.", 2),
    ]
    # and a comment typed after that is later again
    store.comment(typed("Typed last."))
    assert [c.text for c in store.comments()] == ["Typed last."]


def test_a_removal_is_a_version_and_a_reingest_does_not_bring_the_row_back(place):
    store = open_store(place.location)
    store.ingest(with_rows(ROW, sha="1"))
    gone = store.comment(typed("", removed=True))
    assert gone is not None and gone.removed and gone.text == ""
    assert store.comments() == [] and store.load().commentary == ()
    store.ingest(with_rows(ROW, sha="2"))
    assert store.comments() == []
    assert [c.removed for c in store.comments(history=True)] == [False, True]
    with pytest.raises(StoreError, match="There is no comment on CSC 038 for Q3 2020/21"):
        store.comment(typed("", removed=True))


def test_typing_what_is_in_force_writes_nothing(place):
    store = open_store(place.location)
    store.ingest(with_rows(sha="1"))
    assert store.comment(typed("Once.")) is not None
    before = place.state()
    assert store.comment(typed("Once.")) is None
    assert place.state() == before


def test_since_an_ingest_lists_what_was_written_after_it(place):
    store = open_store(place.location)
    store.ingest(with_rows(ROW, sha="1"))
    store.comment(typed("Typed between."))
    store.ingest(with_rows(OTHER, sha="2"))
    store.comment(typed("Typed after.", period="2020-12"))
    assert [c.text for c in store.comments(since=1)] == [
        "Typed between.",
        "Four children came into care together.",
        "Typed after.",
    ]
    assert [c.text for c in store.comments(since=2)] == ["Typed after."]
    assert all(c.written for c in store.comments(since=0))


def test_a_comment_needs_a_store_that_holds_an_ingest(place):
    with pytest.raises(StoreError, match="Load a workbook first"):
        open_store(place.location).comment(typed("Too early."))
    assert not place.exists()


def test_comments_are_copied_with_the_store(place, tmp_path):
    store = open_store(place.location)
    store.ingest(with_rows(ROW, OTHER, sha="1"))
    store.comment(typed("Typed over it."))
    target = place.sibling("copy")
    done = copy_store(store, open_store(target.location))
    assert done.counts["comments"] == 3
    assert open_store(target.location).comments(history=True) == store.comments(history=True)


def test_store_copy_says_how_many_comment_versions_it_copied(tmp_path):
    from typer.testing import CliRunner

    from csckpi.cli import app

    source = tmp_path / "a.db"
    store = open_store(str(source))
    store.ingest(with_rows(ROW, sha="1"))
    store.comment(typed("Typed over it."))
    done = CliRunner().invoke(app, ["store", "copy", str(source), str(tmp_path / "b.db")])
    assert done.exit_code == 0, done.output
    assert "1 Context sheet, 2 comment versions." in done.stdout


def test_a_version_4_sqlite_store_gains_the_comments_table(store_path):
    store = open_store(str(store_path))
    store.ingest(with_rows(sha="1"))
    con = sqlite3.connect(store_path)
    con.execute("DROP TABLE comments")
    con.execute("PRAGMA user_version = 4")
    con.commit()
    con.close()
    assert store.comments() == []
    assert store.comment(typed("After the migration.")) is not None
    con = sqlite3.connect(store_path)
    assert con.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    con.close()


def test_an_older_server_store_gains_the_comments_table_and_its_view(pg_place):
    store = open_store(pg_place.location)
    store.ingest(with_rows(ROW, sha="1"))
    pg_place.run("DROP VIEW current_comments")
    pg_place.run("DROP TABLE comments")
    pg_place.set_version(2)  # version 3 brought the commentary
    assert store.comments() == []
    store.ingest(with_rows(ROW, sha="2"))
    store.comment(typed("Typed over it."))
    rows = pg_place.run("SELECT code, period, body, author FROM current_comments")
    assert rows == [("CSC 038", "Q3 2020/21", "Typed over it.", "B. Typist")]
