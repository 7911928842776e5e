"""Compiled once: the methods ``dataclasses`` writes for every record class, kept between runs.

For each ``@dataclass`` Python writes the source of ``__init__``, ``__repr__``, ``__eq__``,
``__hash__`` and, when frozen, ``__setattr__`` and ``__delattr__``, and compiles it while the
module loads. csckpi's records are frozen dataclasses (docs/architecture.md): a report loads
about a hundred of them, and compiling their methods was the largest part of csckpi's own
import time (~1.5 ms of CPU per class, against ~0.3 ms with the code already compiled).

:func:`install` makes ``dataclasses`` compile each distinct source text once per machine: the
code objects are kept in ``__pycache__/dataclasses.<python>.bin`` beside this module, as
Python keeps a module's bytecode, and read back on the next run. The text compiled is the
text ``dataclasses`` wrote, so the methods are the same. Only classes defined in csckpi's own
modules go through the cache: a notebook's or another library's dataclasses are compiled as
they would be without csckpi. Anything unexpected (another Python,
a cache that does not read, a folder one may not write to) falls back to compiling as before.
Like the ``.pyc`` files, nothing is written when ``sys.dont_write_bytecode`` is set.
"""

from __future__ import annotations

import sys

_MAGIC = b"csckpi-dataclasses-1\n"
_MOST = 4096  # entries kept: more (many versions' records) and the file starts again

_code: dict[str, object] = {}
_new: dict[str, object] = {}


def _path() -> str:
    import os

    folder = os.path.join(os.path.dirname(__file__), "__pycache__")
    return os.path.join(folder, f"dataclasses.{sys.implementation.cache_tag}.bin")


def _head() -> bytes:
    """What a file must start with to be read: marshal's format is that of one Python."""
    return _MAGIC + sys.version.encode() + b"\n"


def _read() -> dict[str, object]:
    import marshal

    try:
        with open(_path(), "rb") as handle:
            data = handle.read()
    except OSError:
        return {}
    head = _head()
    if not data.startswith(head):
        return {}
    try:
        found = marshal.loads(data[len(head) :])
    except (EOFError, ValueError, TypeError):
        return {}
    return found if isinstance(found, dict) else {}


def _write() -> None:
    """Add the texts compiled in this run to the file (read again: another run may have
    written it meanwhile), replaced in one step."""
    import contextlib
    import marshal
    import os

    if not _new or sys.dont_write_bytecode:
        return
    kept = _read()
    if len(kept) + len(_new) > _MOST:
        kept = {}
    kept.update(_new)
    path = _path()
    temporary = f"{path}.{os.getpid()}.tmp"
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(temporary, "wb") as handle:
            handle.write(_head() + marshal.dumps(kept))
        os.replace(temporary, path)
    except OSError:
        with contextlib.suppress(OSError):
            os.remove(temporary)


def _exec(source: object, globals: dict[str, object] | None = None, locals: object = None) -> None:
    # Only csckpi's own records: any other dataclass (a notebook's, another library's) is
    # compiled exactly as without csckpi (``globals`` is the class's module's namespace).
    ours = globals is not None and str(globals.get("__name__", "")).startswith("csckpi.")
    if ours and isinstance(source, str):
        code = _code.get(source)
        if code is None:
            if not _new:
                import atexit

                atexit.register(_write)
            code = _code[source] = _new[source] = compile(source, "<string>", "exec")
        source = code
    exec(source, globals, locals)  # type: ignore[arg-type]


def install() -> None:
    """Have ``dataclasses`` compile through the cache (Python 3.11 and 3.12, whose
    ``dataclasses`` compiles each method by calling ``exec`` on its text; elsewhere nothing
    changes)."""
    import dataclasses

    if sys.version_info[:2] not in ((3, 11), (3, 12)) or not hasattr(dataclasses, "_create_fn"):
        return
    if getattr(dataclasses, "exec", None) is _exec:
        return
    _code.update(_read())
    dataclasses.exec = _exec  # type: ignore[attr-defined]
