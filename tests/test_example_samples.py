"""The sample files shipped beside the example workbook (examples/build_samples.py): fresh
builds of the seeded generators, made up (no real child), and read by the commands they are
there to try."""

from __future__ import annotations

import datetime as dt
import importlib.util
import re
import sys
from pathlib import Path

import openpyxl
import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"


def _builder():
    spec = importlib.util.spec_from_file_location("build_samples", EXAMPLES / "build_samples.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def fresh(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("samples")
    _builder().build(out)
    return out


def test_each_shipped_sample_is_a_fresh_build(fresh: Path):
    built = sorted(p.relative_to(fresh) for p in fresh.rglob("*") if p.is_file())
    assert [str(p) for p in built] == [
        "annex-a-sample.xlsx",
        "published/map.toml",
        "published/neighbours-sample.csv",
        "published/referrals-sample.csv",
    ]
    for name in built:
        assert (EXAMPLES / name).read_bytes() == (fresh / name).read_bytes(), (
            f"examples/{name} is stale: run python examples/build_samples.py"
        )


def test_the_annex_a_sample_holds_only_made_up_ids():
    book = openpyxl.load_workbook(EXAMPLES / "annex-a-sample.xlsx", read_only=True)
    ids: set[str] = set()
    for sheet in book.worksheets:
        rows = sheet.iter_rows(values_only=True)
        column = next(rows).index("Child Unique ID")
        ids |= {str(row[column]) for row in rows}
    assert len(ids) > 300
    assert all(re.fullmatch(r"EX\d{5}", i) for i in ids), sorted(ids)[:5]


def test_the_published_sample_says_it_is_made_up():
    text = (EXAMPLES / "published" / "map.toml").read_text(encoding="utf-8")
    assert "made up" in text and "(made-up sample)" in text


def test_the_annex_a_sample_columns_hold_answers_of_their_kind():
    """An analyst opens the sample to see what an extract looks like: Gender held 'a) Yes',
    Ethnicity 'b) No', and a child born in 2016 was 15."""
    book = openpyxl.load_workbook(EXAMPLES / "annex-a-sample.xlsx", read_only=True)
    as_at = dt.date(2020, 12, 31)  # the sample's extract date (examples/build_samples.py)
    rows_seen = 0
    for sheet in book.worksheets:
        rows = sheet.iter_rows(values_only=True)
        heading = next(rows)
        gender, birth, age = (
            heading.index(h) for h in ("Gender", "Date of Birth", "Age of Child (Years)")
        )
        for row in rows:
            rows_seen += 1
            assert row[gender] in {"a) Male", "b) Female", "c) Not known"}, (sheet.title, row[0])
            born = row[birth].date()
            years = as_at.year - born.year - ((as_at.month, as_at.day) < (born.month, born.day))
            assert row[age] == years, (sheet.title, row[0])
            events = [v.date() for v in row if isinstance(v, dt.datetime) and v != row[birth]]
            assert all(born < e for e in events), (sheet.title, row[0])
    assert rows_seen > 500
