"""The dataclass methods compiled once and kept (csckpi/_codecache.py): the same methods, a
cache that does not read is ignored, and nothing is written when bytecode is not."""

from __future__ import annotations

import dataclasses
import importlib
import sys
from pathlib import Path

import pytest

from csckpi import _codecache

pytestmark = pytest.mark.skipif(
    sys.version_info[:2] not in ((3, 11), (3, 12)), reason="the cache is for Python 3.11, 3.12"
)


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "__pycache__" / "dataclasses.bin"
    monkeypatch.setattr(_codecache, "_path", lambda: str(path))
    monkeypatch.setattr(_codecache, "_code", {})
    monkeypatch.setattr(_codecache, "_new", {})
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    return path


def _record(name: str, module: str = "csckpi.model") -> type:
    """A frozen record as if defined in ``module`` (one of csckpi's, unless said)."""
    importlib.import_module(module)  # dataclasses reads the module's namespace
    namespace = {
        "__annotations__": {"code": "str", "value": "float | None"},
        "value": None,
        "__module__": module,
    }
    return dataclasses.dataclass(frozen=True)(type(name, (), namespace))


def test_csckpi_has_dataclasses_compile_through_the_cache() -> None:
    import csckpi  # noqa: F401  (installs it)

    assert dataclasses.exec is _codecache._exec  # type: ignore[attr-defined]


def test_methods_compiled_from_the_cache_behave_as_dataclasses_own(cache: Path) -> None:
    first = _record("Figure")
    assert _codecache._new, "compiling a record's methods adds them to the cache"
    _codecache._write()
    assert cache.exists()
    _codecache._code.clear()
    _codecache._new.clear()
    _codecache._code.update(_codecache._read())
    again = _record("Figure")
    assert not _codecache._new, "every method of the same record came from the file"
    a, b = first("CSC 022", 85.2), again("CSC 022", 85.2)
    assert repr(a) == repr(b) == "Figure(code='CSC 022', value=85.2)"
    assert again("CSC 022", 85.2) == b != again("CSC 022", None)
    assert hash(b) == hash(again("CSC 022", 85.2))
    with pytest.raises(dataclasses.FrozenInstanceError):
        b.value = 1.0  # type: ignore[misc]
    assert again("CSC 036").value is None


def test_another_modules_dataclasses_are_compiled_as_without_csckpi(cache: Path) -> None:
    theirs = _record("Reading", module="json")
    assert not _codecache._new and not _codecache._code, "nothing of theirs is kept"
    assert repr(theirs("a", 1.0)) == "Reading(code='a', value=1.0)"
    _record("Figure")
    assert _codecache._new, "csckpi's own are"


@pytest.mark.parametrize("content", [b"", b"not a cache", b"csckpi-dataclasses-1\nanother"])
def test_a_cache_that_does_not_read_is_ignored(cache: Path, content: bytes) -> None:
    cache.parent.mkdir()
    cache.write_bytes(content)
    assert _codecache._read() == {}
    record = _record("Row")
    assert record("a", 1.0).code == "a"


def test_a_cache_from_another_python_is_not_read(cache: Path) -> None:
    _record("Cell")
    _codecache._write()
    data = cache.read_bytes()
    cache.write_bytes(data.replace(sys.version.encode(), b"3.99.0", 1))
    assert _codecache._read() == {}


def test_nothing_is_written_without_bytecode(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    _record("Month")
    _codecache._write()
    assert not cache.exists()


def test_an_unwritable_folder_is_no_error(cache: Path) -> None:
    cache.parent.parent.chmod(0o500)
    try:
        _record("Period")
        _codecache._write()  # no exception: the next run compiles again
    finally:
        cache.parent.parent.chmod(0o700)
    assert not cache.exists() or sys.platform == "win32" or _is_root()


def _is_root() -> bool:
    import os

    return hasattr(os, "geteuid") and os.geteuid() == 0
