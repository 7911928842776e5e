"""House rules that are checked, not remembered: no path of a development machine in the
project, goldens that never write themselves, and no module of the package over 600 lines."""

from __future__ import annotations

import re
from pathlib import Path

import conftest
import pytest
from conftest import assert_golden

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ("csckpi", "tests", "benchmarks", "examples", "docs", ".ci")
#: A home or work folder of some machine, or the folder of material the project doesn't ship.
MACHINE_PATH = re.compile(
    r"(?<![\w.])(/work/|/home/\w|/Users/\w|/root/|[A-Z]:\\\\Users|shared/reference)"
)


def _files() -> list[Path]:
    files = [ROOT / "README.md", ROOT / "pyproject.toml"]
    for folder in SHIPPED:
        files.extend(
            p
            for p in (ROOT / folder).rglob("*")
            if p.is_file()
            and p.suffix in {".py", ".md", ".toml", ".txt", ".csv", ".cfg", ".sh", ""}
            and "__pycache__" not in p.parts
        )
    return sorted(set(files))


def test_no_path_of_a_development_machine():
    me = Path(__file__).resolve()
    found = [
        f"{path.relative_to(ROOT)}:{n}: {line.strip()}"
        for path in _files()
        if path != me
        for n, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), 1)
        if MACHINE_PATH.search(line)
    ]
    assert not found, "paths of a development machine:\n" + "\n".join(found)


def test_the_machine_path_check_can_fail():
    assert MACHINE_PATH.search('Path("/work/shared/reference") / NAME')
    assert MACHINE_PATH.search("see shared/reference/report.txt")
    assert not MACHINE_PATH.search("csckpi/work/flow.py and https://example.org/home/x")


#: The longest a module of the package may be (docs/architecture.md: split by what it holds).
MAX_LINES = 600


def _long_modules(root: Path) -> dict[str, int]:
    lengths = {
        p.relative_to(root).as_posix(): len(p.read_text(encoding="utf-8").splitlines())
        for p in root.rglob("*.py")
    }
    return {name: n for name, n in lengths.items() if n > MAX_LINES}


def test_no_module_over_600_lines():
    assert _long_modules(ROOT / "csckpi") == {}


def test_the_module_length_check_can_fail(tmp_path: Path):
    (tmp_path / "short.py").write_text("x = 1\n" * MAX_LINES)
    (tmp_path / "long.py").write_text("x = 1\n" * (MAX_LINES + 1))
    assert _long_modules(tmp_path) == {"long.py": MAX_LINES + 1}


def test_a_missing_golden_fails_and_is_not_written(monkeypatch: pytest.MonkeyPatch, tmp_path):
    monkeypatch.delenv("CSCKPI_UPDATE_GOLDEN", raising=False)
    monkeypatch.setattr(conftest, "GOLDEN", tmp_path)
    with pytest.raises(pytest.fail.Exception, match="CSCKPI_UPDATE_GOLDEN=1"):
        assert_golden("never-made.txt", "text")
    assert not (tmp_path / "never-made.txt").exists()


def test_the_update_flag_writes_the_golden(monkeypatch: pytest.MonkeyPatch, tmp_path):
    monkeypatch.setenv("CSCKPI_UPDATE_GOLDEN", "1")
    monkeypatch.setattr(conftest, "GOLDEN", tmp_path)
    assert_golden("made.txt", "text")
    assert (tmp_path / "made.txt").read_text(encoding="utf-8") == "text"
