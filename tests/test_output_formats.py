"""Every output family's formats, as csckpi.render.outputs and outputs_store list them, through
the CLI.

Each registered format of each family is reachable from the command that writes it and writes
something; ``--help`` offers exactly the registered formats and file names; a file's name picks
the format registered for its suffix. A family added to csckpi.render.outputs (or
outputs_store) without a command here fails ``test_every_family_is_tested``.
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from csckpi.cli import app
from csckpi.render import outputs, outputs_store
from csckpi.render.formats import Format, Formats

runner = CliRunner()
ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = str(ROOT / "examples" / "darlington-2020-21-q3.xlsx")


@functools.cache
def _annex_a() -> str:
    """A small generated Annex A extract, written once, for csckpi children."""
    from annex_a_factory import generate

    folder = Path(tempfile.mkdtemp(prefix="csckpi-annex-a-"))
    extract = generate(seed=8, rows=3_000, as_at=dt.date(2020, 12, 31), since=dt.date(2020, 4, 1))
    return str(extract.write_xlsx(folder / "annex-a.xlsx"))


Q3 = "Q3 2020/21"


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory, example_store_file: Path) -> str:
    """The example ingested (a copy of the session's: conftest), for this module's tests."""
    path = tmp_path_factory.mktemp("formats") / "csckpi.db"
    shutil.copyfile(example_store_file, path)
    return str(path)


def _import(store: str) -> list[str]:
    """`csckpi benchmarks import` of a made-up published file (written beside the store)."""
    from published_factory import MAP, make, write_dfe, write_map, write_neighbours

    folder = Path(store).parent
    if not (folder / "c1_referrals.csv").exists():
        write_dfe(folder, make())
        write_neighbours(folder)
        write_map(folder, MAP)
    return [
        "benchmarks",
        "import",
        str(folder / "c1_referrals.csv"),
        "--map",
        str(folder / "map.toml"),
        "--store",
        store,
        "--dry-run",
    ]


#: Each family, and the commands that write it (a store path is filled in where needed).
COMMANDS: dict[str, tuple[Formats, list[Callable[[str], list[str]]]]] = {
    "SCORECARD": (
        outputs.SCORECARD,
        [lambda _s: ["compute", "-w", EXAMPLE, "-p", Q3, "-i", "CSC038", "-i", "CSC036"]],
    ),
    "COMPARISON": (outputs.COMPARISON, [lambda _s: ["compare", "-w", EXAMPLE, "-i", "CSC038"]]),
    "NARRATIVE": (outputs.NARRATIVE, [lambda _s: ["narrate", "-w", EXAMPLE, "-i", "CSC038"]]),
    "REPORT": (outputs.REPORT, [lambda _s: ["report", "-w", EXAMPLE, "-p", Q3]]),
    "INGEST": (outputs_store.INGEST, [lambda s: ["ingest", EXAMPLE, "--store", s, "--dry-run"]]),
    "IMPORT": (outputs_store.IMPORT, [_import]),
    "ROWS": (
        outputs_store.ROWS,
        [
            lambda s: ["history", "-i", "CSC038", "-p", "Dec-20", "--store", s],
            lambda _s: ["indicators", "-w", EXAMPLE],
        ],
    ),
    # the rows behind a figure, from a small generated Annex A extract
    "CHILDREN": (
        outputs_store.CHILDREN,
        [
            lambda s: [
                "children",
                "CSC178",
                "-p",
                "Dec-20",
                "--store",
                s,
                "--records",
                _annex_a(),
                "--map",
                str(ROOT / "examples" / "darlington-annex-a.toml"),
                "--as-at",
                "31/12/2020",
            ]
        ],
    ),
    "CHANGES": (outputs_store.CHANGES, [lambda s: ["changes", "--store", s]]),
    # a folder of files, each format checked file by file in tests/test_export.py
    "EXPORT": (outputs_store.EXPORT, [lambda s: ["export", "-o", "unwritten", "--store", s]]),
}
#: The families whose commands take -o FILE, and those that must have it.
WITH_OUTPUT = {"SCORECARD", "REPORT", "CHANGES"}
OUTPUT_REQUIRED = {"REPORT"}


def _cases() -> list[tuple[str, str, int]]:
    return [
        (family, name, n)
        for family, (formats, commands) in COMMANDS.items()
        for name in formats.names
        for n in range(len(commands))
    ]


def test_every_family_is_tested() -> None:
    registered = [
        name
        for module in (outputs, outputs_store)
        for name, value in vars(module).items()
        if isinstance(value, Formats)
    ]
    assert sorted(registered) == sorted(COMMANDS)  # each family in one module only


@pytest.mark.parametrize(("family", "name", "n"), _cases())
def test_every_format_is_written_from_the_cli(
    family, name, n, store, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    formats, commands = COMMANDS[family]
    chosen: Format = formats[name]
    args = commands[n](store)
    to_stdout = chosen.stdout and family not in OUTPUT_REQUIRED
    if to_stdout:
        result = runner.invoke(app, [*args, "--format", name])
        assert result.exit_code == 0, result.output
        assert result.stdout.strip(), f"{family} {name} wrote nothing"
    if chosen.to_file and family in WITH_OUTPUT:
        if chosen.suffixes:  # the file's name picks the format
            out, given = tmp_path / f"out{chosen.suffixes[0]}", []
        else:
            out, given = tmp_path / "out.dat", ["--format", name]
        if name == "pdf":  # this very command, rendered once for every test of it (conftest)
            assert args == ["report", "-w", EXAMPLE, "-p", Q3] and not given
            rendered = request.getfixturevalue("example_pdf")
            exit_code, output, out = rendered.exit_code, rendered.output, rendered.path
        else:
            result = runner.invoke(app, [*args, "-o", str(out), *given])
            exit_code, output = result.exit_code, result.output
        assert exit_code == 0, output
        assert out.stat().st_size > 0
        if chosen.text is not None and to_stdout:  # the same as on stdout
            shown = runner.invoke(app, [*args, "--format", name])
            assert out.read_text(encoding="utf-8") == shown.stdout


@pytest.mark.parametrize(
    ("family", "name"),
    [(f, x.name) for f, (formats, _) in COMMANDS.items() for x in formats if x.show is not None],
)
def test_rich_formats_draw_on_a_terminal(family, name, store, monkeypatch) -> None:
    _formats, commands = COMMANDS[family]
    monkeypatch.setattr("csckpi.render.formats.stdout_is_terminal", lambda: True)
    result = runner.invoke(app, [*commands[0](store), "--format", name])
    assert result.exit_code == 0, result.output
    assert any(edge in result.stdout for edge in "┏╭"), result.stdout[:300]


@pytest.mark.parametrize("family", list(COMMANDS))
def test_help_offers_exactly_the_registered_formats(family, store) -> None:
    formats, commands = COMMANDS[family]
    for command in commands:
        words = list(itertools.takewhile(str.isidentifier, command(store)))  # `benchmarks import`
        shown = runner.invoke(app, [*words, "--help"]).stdout
        assert f"-f, --format {formats.metavar}" in shown
        assert formats.metavar == "<" + "|".join(f.name for f in formats) + ">"
        squeezed = "".join(shown.split())
        for described in formats:  # each with its description, none other
            assert "".join(f"{described.name} ({described.description})".split()) in squeezed
        if family in WITH_OUTPUT:
            assert "".join(formats.suffix_listing().split()) in squeezed


@pytest.mark.parametrize("family", list(COMMANDS))
def test_an_unknown_format_is_a_usage_error_naming_the_registered_ones(family, store) -> None:
    formats, commands = COMMANDS[family]
    result = runner.invoke(app, [*commands[0](store), "--format", "docx"])
    assert result.exit_code == 2
    message = " ".join(result.stderr.replace("│", " ").split())
    names = list(formats.names)
    choices = ", ".join(names[:-1]) + " or " + names[-1]
    assert message.startswith(f"csckpi: --format takes {choices}, not 'docx'.")
    assert "Invalid value" not in message and "Usage:" not in message


def test_a_file_only_format_without_a_file_is_a_usage_error() -> None:
    result = runner.invoke(app, ["compute", "-w", EXAMPLE, "--format", "xlsx"])
    assert result.exit_code == 2
    message = " ".join(result.stderr.replace("│", " ").split())
    said = "xlsx is written to a file, not to standard output: give --output, e.g. -o out.xlsx."
    assert said in message


def test_format_wins_over_the_files_name(tmp_path: Path) -> None:
    out = tmp_path / "scorecard.xlsx"
    args = ["compute", "-w", EXAMPLE, "-p", Q3, "-i", "CSC038", "-o", str(out), "--format", "csv"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8").startswith("code,key,title,")


def test_every_suffix_picks_its_format_whatever_its_case() -> None:
    for formats, _ in COMMANDS.values():
        for chosen in formats:
            for suffix in chosen.suffixes:
                assert formats.for_file(Path(f"q3{suffix.upper()}")) is formats[chosen.name]
        assert formats.for_file(Path("q3.docx")) is None
    assert outputs.REPORT.for_file(Path("q3.htm")) is outputs.REPORT["html"]
    assert outputs.REPORT.suffix_listing() == ".html, .xlsx, .md or .pdf"


def test_a_suffix_belongs_to_one_format_only() -> None:
    with pytest.raises(ValueError, match=r"\.txt is given twice"):
        Formats(
            {"a": Format("one", (".txt",), text=str), "b": Format("two", (".txt",), text=str)},
            default="a",
        )
