"""Build the small, made-up sample files beside the example workbook, to try the commands
that read something other than the performance workbook.

    python examples/build_samples.py            # writes them into examples/
    python examples/build_samples.py OUT_FOLDER

- ``annex-a-sample.xlsx``: an Ofsted Annex A extract (Lists 1 to 9, about 600 rows, extract
  date 31/12/2020) for `csckpi children` and `csckpi ingest ... --map`. Every child in it is
  invented: IDs run EX00001, EX00002, ...; dates, ages, teams ("Assessment Team 1") and
  workers ("Worker A") are drawn at random. No real person is in it.
- ``published/referrals-sample.csv``, ``published/neighbours-sample.csv`` and
  ``published/map.toml``: published statistics in the Department's layout, for
  `csckpi benchmarks import`. The figures are made up, Darlington's included (the other
  151 councils are "Council 104" and so on); only the layout is the Department's.

Both come from the seeded generators the tests use (tests/annex_a_factory.py,
tests/published_factory.py), so the same run gives byte-identical files;
tests/test_example_samples.py fails when a shipped file differs from a fresh build.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import sys
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType

HERE = Path(__file__).resolve().parent
TESTS = HERE.parent / "tests"
ANNEX_A = "annex-a-sample.xlsx"
PUBLISHED = "published"
ID = "Child Unique ID"


def _module(name: str, path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def build_annex_a(out: Path) -> Path:
    """The made-up Annex A extract, its child IDs replaced by EX00001, EX00002, ... (the
    same child keeps one ID across lists, so re-referrals still count)."""
    factory = _module("annex_a_factory", TESTS / "annex_a_factory.py")
    example = _module("build_example", HERE / "build_example.py")
    extract = factory.generate(
        seed=2020, as_at=dt.date(2020, 12, 31), since=dt.date(2020, 4, 1), rows=600
    )
    ids: dict[str, str] = {}
    for rows in extract.lists.values():
        for row in rows:
            old = row.values.get(ID)
            if old is not None:
                row.values[ID] = ids.setdefault(str(old), f"EX{len(ids) + 1:05d}")
    extract.write_xlsx(out)
    _created(out, example.FIXED_TIME)
    example._normalise(out)
    return out


def _created(path: Path, when: dt.datetime) -> None:
    """The workbook's ``created`` stamp fixed too (the generator's workbook has today's)."""
    import re
    import zipfile

    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    with zipfile.ZipFile(path) as archive:
        entries = [(info, archive.read(info)) for info in archive.infolist()]
    with zipfile.ZipFile(path, "w") as archive:
        for info, data in entries:
            if info.filename == "docProps/core.xml":
                data = re.sub(
                    rb"(<dcterms:created[^>]*>)[^<]*(</dcterms:created>)",
                    rb"\g<1>" + stamp + rb"\g<2>",
                    data,
                )
            archive.writestr(info, data)


def build_published(folder: Path) -> list[Path]:
    """The made-up published statistics, the neighbour list and the map that reads them."""
    factory = _module("published_factory", TESTS / "published_factory.py")
    folder.mkdir(parents=True, exist_ok=True)
    data = factory.make(seed=2020)
    neighbours = factory.write_neighbours(folder, "neighbours-sample.csv")
    lines = neighbours.read_text(encoding="utf-8").splitlines()
    darlington = factory.DARLINGTON.old
    kept = [lines[0], *(line for line in lines[1:] if line.split(",")[0] == darlington)]
    neighbours.write_text("\n".join(kept) + "\n", encoding="utf-8")  # the council's row only
    body = factory.MAP.replace(
        'name = "Characteristics of children in need 2020"',
        'name = "Characteristics of children in need 2020 (made-up sample)"',
    ).replace('file = "sn_april_2021.csv"', f'file = "{neighbours.name}"')
    header = (
        "# Which column of published/referrals-sample.csv is which indicator of the example\n"
        "# workbook (docs/benchmarks.md). The file's figures are made up: try it with\n"
        "#   csckpi benchmarks import examples/published/referrals-sample.csv "
        "-m examples/published/map.toml\n\n"
    )
    return [
        factory.write_dfe(folder, data, "referrals-sample.csv"),
        neighbours,
        factory.write_map(folder, header + body, "map.toml"),
    ]


def build(out: Path = HERE) -> list[Path]:
    """Every sample file, written into ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    return [build_annex_a(out / ANNEX_A), *build_published(out / PUBLISHED)]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", nargs="?", type=Path, default=HERE)
    for path in build(parser.parse_args(argv).out):
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
