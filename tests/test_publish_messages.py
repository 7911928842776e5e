"""`--publish` says on stderr what it left out, as the file's note does: `report`, `compute`
and `narrate` count the figures written `c` (or withheld) and the service's comments the
output would have shown, each count read back from what was written."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from csckpi.cli import app

runner = CliRunner()
PERIOD = "Q3 2020/21"


@pytest.fixture
def commented(example_store: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The example's store with a comment Q3 shows (CSC 038) and one it does not (CSC 022,
    Q2, not carried)."""
    monkeypatch.chdir(example_store.parent)
    for code, period, text in (
        ("CSC 038", PERIOD, "Two assessments were late over Christmas."),
        ("CSC 022", "Q2 2020/21", "Referrals were slow in the summer."),
    ):
        done = runner.invoke(app, ["comment", code, "-p", period, text])
        assert done.exit_code == 0, done.output
    return example_store


def _note_counts(note: str) -> tuple[int, int]:
    """The figures written `c` and the comments left out, as a note says them."""
    figures = re.search(r"(\d+) figures? (?:is|are) written c", note)
    comments = re.search(r"commentary \((\d+) comments?\) is left out", note)
    return (
        int(figures.group(1)) if figures else 0,
        int(comments.group(1)) if comments else 0,
    )


def test_report_publish_says_what_it_left_out(commented: Path) -> None:
    out = commented.parent / "q3-public.md"
    done = runner.invoke(app, ["report", "-p", PERIOD, "--publish", "-o", str(out)])
    assert done.exit_code == 0, done.output
    text = out.read_text(encoding="utf-8")
    figures, comments = _note_counts(text)
    cells = len(re.findall(r"\|\s*c\s*(?=\|)", text))  # the tables' cells written c
    assert figures > 0 and cells > 0 and comments == 1
    assert "Two assessments were late" not in text
    assert done.stderr.strip().endswith(
        f"42 indicators; {figures} figures suppressed (c), 1 service comment left out: "
        "docs/publishing.md)."
    ), done.stderr


def test_report_without_publish_says_nothing_of_it(commented: Path) -> None:
    out = commented.parent / "q3.md"
    done = runner.invoke(app, ["report", "-p", PERIOD, "-o", str(out)])
    assert done.exit_code == 0, done.output
    assert "Two assessments were late" in out.read_text(encoding="utf-8")
    assert "suppressed" not in done.stderr and "left out" not in done.stderr


def test_a_report_with_no_comment_shown_counts_none(example_store: Path) -> None:
    out = example_store.parent / "q3-public.html"
    done = runner.invoke(
        app, ["report", "-p", PERIOD, "--publish", "-o", str(out), "--store", str(example_store)]
    )
    assert done.exit_code == 0, done.output
    figures, comments = _note_counts(out.read_text(encoding="utf-8"))
    assert comments == 0 and "commentary" not in out.read_text(encoding="utf-8")
    assert done.stderr.strip().endswith(
        f"; {figures} figures suppressed (c): docs/publishing.md)."
    ), done.stderr


def test_compute_publish_says_what_it_suppressed(commented: Path) -> None:
    out = commented.parent / "scorecard.json"
    done = runner.invoke(app, ["compute", "-p", PERIOD, "--publish", "-o", str(out)])
    assert done.exit_code == 0, done.output
    doc = json.loads(out.read_text(encoding="utf-8"))
    rows = doc["indicators"]
    written_c = sum(value == "c" for row in rows for value in row.values())
    assert written_c == doc["disclosure"]["suppressed"] > 0
    assert done.stderr == (
        f"Wrote 42 indicators for {PERIOD} to {out}; {written_c} figure"
        f"{'s' * (written_c != 1)} suppressed (c): docs/publishing.md.\n"
    )
    table = runner.invoke(app, ["compute", "-p", PERIOD, "--publish", "-f", "csv"])
    assert table.exit_code == 0 and table.stdout.startswith("code,")
    assert table.stderr == (
        f"Published 42 indicators for {PERIOD}: {written_c} figure"
        f"{'s' * (written_c != 1)} suppressed (c): docs/publishing.md.\n"
    )
    plain = runner.invoke(app, ["compute", "-p", PERIOD, "-f", "csv"])
    assert plain.exit_code == 0 and plain.stderr == ""


@pytest.mark.parametrize(
    ("extra", "comments"), [((), 1), (("-i", "CSC 022"), 0)], ids=["all", "CSC 022"]
)
def test_narrate_publish_says_what_it_withheld(
    commented: Path, extra: tuple[str, ...], comments: int
) -> None:
    done = runner.invoke(app, ["narrate", "-p", PERIOD, "--publish", "-f", "json", *extra])
    assert done.exit_code == 0, done.output
    doc = json.loads(done.stdout)
    note = doc["disclosure"]
    assert _note_counts(note["note"])[1] == comments
    withheld = note["suppressed"]
    said = f"{comments} service comment left out" if comments else ""
    assert done.stderr == (
        f"Published {len(doc['paragraphs'])} paragraphs for {PERIOD}: {withheld} figure"
        f"{'s' * (withheld != 1)} withheld (no sentence states them)"
        + (f", {said}" if said else "")
        + ": docs/publishing.md.\n"
    )
