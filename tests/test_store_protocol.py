"""The Store protocol is the store's whole surface, the SQLite backend implements it, and every
command reaches a store through open_store (checked on the source)."""

from __future__ import annotations

import ast
import inspect
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from example_says import without_example
from typer.testing import CliRunner

from csckpi.cli import app
from csckpi.errors import StoreError
from csckpi.store import BACKENDS, Store, open_store
from csckpi.store.postgres import secrets_in
from csckpi.store.server import ServerStore
from csckpi.store.sqlite import SqliteStore

PACKAGE = Path(__file__).resolve().parent.parent / "csckpi"
CLI = sorted((PACKAGE / "cli").glob("*.py"))
#: Every backend class: each is checked against the protocol.
BACKENDS_TESTED = [SqliteStore, ServerStore]
OUTSIDE_THE_STORE = sorted(
    p for p in PACKAGE.rglob("*.py") if "store" not in p.relative_to(PACKAGE).parts
)


def members(protocol: type) -> dict[str, object]:
    """The protocol's own public members (methods and properties)."""
    return {
        name: value
        for name, value in vars(protocol).items()
        if not name.startswith("_") and (callable(value) or isinstance(value, property))
    }


def public_methods(cls: type) -> set[str]:
    """A class's public methods and properties: its own and those it inherits (a backend's
    from ``store.backend.Backend``), not object's."""
    return {
        name
        for owner in cls.__mro__
        if owner is not object
        for name, value in vars(owner).items()
        if not name.startswith("_") and (callable(value) or isinstance(value, property))
    }


def shape(func: Callable[..., object]) -> list[tuple[object, ...]]:
    """A signature as comparable data: each parameter's name, kind, default and annotation."""
    signature = inspect.signature(func)
    parameters: list[tuple[object, ...]] = [
        (p.name, p.kind, p.default, p.annotation) for p in signature.parameters.values()
    ]
    return [*parameters, ("return", signature.return_annotation)]


def test_the_protocol_names_every_verb_the_commands_use():
    assert set(members(Store)) == {
        "location",
        "ingest",
        "load",
        "catalogue",
        "resolve",
        "history",
        "figures",
        "ingests",
        "contents",
        "receive",
        "comments",
        "comment",
    }


@pytest.mark.parametrize("backend", BACKENDS_TESTED, ids=lambda c: c.__name__)
@pytest.mark.parametrize("name", sorted(members(Store)))
def test_a_backend_has_each_member_with_the_protocols_signature(backend, name):
    expected = members(Store)[name]
    actual = inspect.getattr_static(backend, name, None)
    assert actual is not None, f"{backend.__name__} has no {name}"
    if isinstance(expected, property):
        assert isinstance(actual, property), f"{backend.__name__}.{name} is not a property"
        assert shape(actual.fget) == shape(expected.fget)
    else:
        assert shape(actual) == shape(expected), f"{backend.__name__}.{name} differs"


@pytest.mark.parametrize("backend", BACKENDS_TESTED, ids=lambda c: c.__name__)
def test_a_backend_offers_nothing_the_protocol_does_not_name(backend):
    assert public_methods(backend) == set(members(Store))


def test_open_store_gives_the_sqlite_backend_for_a_path(tmp_path):
    for location in (tmp_path / "csckpi.db", str(tmp_path / "csckpi.db"), "csckpi.db"):
        store = open_store(location)
        assert isinstance(store, SqliteStore)
        assert store.location == str(Path(location))
    assert isinstance(open_store("C:\\councils\\csckpi.db"), SqliteStore)  # a drive letter
    assert open_store(tmp_path / "x.db", lock_timeout=0.2).lock_timeout == 0.2  # type: ignore[attr-defined]
    assert not (tmp_path / "csckpi.db").exists()  # opening reads and creates nothing


@pytest.mark.parametrize("scheme", ["postgresql", "postgres", "PostgreSQL"])
def test_a_server_url_opens_the_server_backend_and_its_password_is_never_shown(scheme):
    url = f"{scheme}://ann:s3cret@db.example.org:5432/kpi?password=hunter2&sslmode=require"
    store = open_store(url)
    assert isinstance(store, ServerStore)
    assert store.location == (
        f"{scheme.lower()}://ann:***@db.example.org:5432/kpi?password=***&sslmode=require"
    )
    assert "s3cret" not in repr(store) and "hunter2" not in repr(store)


def test_an_unknown_scheme_is_refused_by_name():
    with pytest.raises(StoreError, match=r"knows no mysql:// stores") as caught:
        open_store("mysql://ann:s3cret@db/kpi")
    assert "s3cret" not in str(caught.value)


def test_a_backend_is_one_entry_in_the_registry(monkeypatch, tmp_path):
    opened: list[tuple[str, float]] = []

    def fake(location: str, lock_timeout: float) -> Store:
        opened.append((location, lock_timeout))
        return SqliteStore(tmp_path / "fake.db")

    monkeypatch.setitem(BACKENDS, "fake", fake)
    store = open_store("fake://somewhere/kpi", lock_timeout=5)
    assert opened == [("fake://somewhere/kpi", 5)]
    assert isinstance(store, SqliteStore)


@pytest.mark.parametrize("command", [["compute"], ["ingest", "book.xlsx"], ["indicators"]])
def test_the_cli_says_a_server_cannot_be_reached_without_a_traceback_or_password(
    command, example_workbook, monkeypatch, tmp_path
):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "book.xlsx").write_bytes(example_workbook.read_bytes())
    url = "postgresql://ann:s3cret@127.0.0.1:1/kpi?connect_timeout=5"
    result = CliRunner().invoke(app, [*command, "--store", url])
    by_env = CliRunner().invoke(app, command, env={"CSCKPI_STORE": url})
    for done in (result, by_env):
        assert done.exit_code == 1, done.output
        said = without_example(done.stderr) if command[0] == "ingest" else done.stderr
        assert said.startswith(
            "csckpi: Cannot connect to the store postgresql://ann:***@127.0.0.1:1/kpi"
            "?connect_timeout=5: "
        )
        assert "Traceback" not in done.stderr and "s3cret" not in done.stderr
        assert "?." not in done.stderr  # libpq's question ends where the message goes on
    assert sorted(p.name for p in tmp_path.iterdir()) == ["book.xlsx"]


def test_a_url_too_broken_to_parse_never_shows_its_password():
    """libpq repeats a URL it cannot parse in its message: the passwords are taken out of it
    even when urllib cannot split the URL either."""
    url = "postgresql://ann:s3cret@[db.example.org/kpi?password=hunter2"
    assert secrets_in(url) == ("hunter2", "s3cret")
    result = CliRunner().invoke(app, ["compute", "--store", url])
    assert result.exit_code == 1
    assert result.stderr.startswith("csckpi: Cannot connect to the store postgresql://***: ")
    assert "IPv6" in result.stderr  # libpq's own reason, with the URL in it masked
    assert "s3cret" not in result.stderr and "hunter2" not in result.stderr


# -- the CLI opens stores only through open_store (checked on the source) ---------------------


def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("path", CLI, ids=lambda p: p.name)
def test_the_cli_imports_nothing_of_the_store_but_open_store(path):
    for node in ast.walk(_tree(path)):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("csckpi.store"):
            names = [alias.name for alias in node.names]
            assert node.module == "csckpi.store" and set(names) <= {"open_store", "copy_store"}, (
                f"{path.name}:{node.lineno} imports {names} from {node.module}"
            )
        if isinstance(node, ast.Import):
            for alias in node.names:
                assert not alias.name.startswith(("csckpi.store", "sqlite3")), (
                    f"{path.name}:{node.lineno} imports {alias.name}"
                )


def _store_uses(path: Path) -> list[tuple[int, str]]:
    """Every attribute read on a store that ``open_store(...)`` gave: directly
    (``open_store(x).load()``) or through a name it was assigned to in the same function."""
    uses: list[tuple[int, str]] = []

    def is_open(node: ast.AST) -> bool:
        return (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id == "open_store"
        )

    for func in ast.walk(_tree(path)):
        if not isinstance(func, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        names = {
            target.id
            for node in ast.walk(func)
            if isinstance(node, ast.Assign) and is_open(node.value)
            for target in node.targets
            if isinstance(target, ast.Name)
        }
        for node in ast.walk(func):
            if isinstance(node, ast.Attribute) and (
                is_open(node.value) or (isinstance(node.value, ast.Name) and node.value.id in names)
            ):
                uses.append((node.lineno, node.attr))
    return uses


def test_commands_use_only_what_the_protocol_names():
    uses = {
        (path.relative_to(PACKAGE).as_posix(), line, attr)
        for path in OUTSIDE_THE_STORE
        for line, attr in _store_uses(path)
    }
    assert {attr for _, _, attr in uses} >= {"ingest", "load", "history", "ingests"}  # it sees
    outside = sorted(use for use in uses if use[2] not in members(Store))
    assert not outside, f"store members the protocol does not name: {outside}"


def test_no_module_outside_the_store_builds_a_backend():
    for path in OUTSIDE_THE_STORE:
        for node in ast.walk(_tree(path)):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                assert node.func.id not in {"SqliteStore", "ServerStore", "Store"}, (
                    f"{path.relative_to(PACKAGE)}:{node.lineno} calls {node.func.id}(...); "
                    "use csckpi.store.open_store"
                )
            if isinstance(node, ast.Import | ast.ImportFrom):
                module = getattr(node, "module", None) or ""
                names = [alias.name for alias in node.names]
                assert not module.startswith(
                    ("csckpi.store.sqlite", "csckpi.store.server", "csckpi.store.postgres")
                ) and not {"sqlite3", "psycopg"} & {module.split(".")[0], *names}, (
                    f"{path.relative_to(PACKAGE)}:{node.lineno} reaches a backend"
                )


# -- the server store's SQL is portable (issue 19: SQL Server would be one more dialect) -------

#: What only PostgreSQL (or only some servers) understands: its own functions and catalogue,
#: COPY, casts with ::, its placeholders, LIMIT (SQL Server says TOP), upserts, identity and
#: serial columns, BOOLEAN and BYTEA columns, IF [NOT] EXISTS, RETURNING.
NOT_PORTABLE = re.compile(
    r"\bpg_\w+|\bCOPY\b|::\s*\w|%s|\bILIKE\b|\bLIMIT\b|\bON CONFLICT\b|\bRETURNING\b"
    r"|\bSERIAL\b|\bGENERATED\b|\bIDENTITY\b|\bBOOLEAN\b|\bBYTEA\b|\bIF (?:NOT )?EXISTS\b"
    r"|\bset_config\b|\bhas_\w+_privilege\b|\bcurrent_(?:schema|user)\b|\bnow\(\)"
    r"|\bstring_agg\b|\bjsonb?\b",
    re.IGNORECASE,
)
PORTABLE = sorted((PACKAGE / "store" / "server").glob("*.py"))


def _sql_texts(path: Path) -> list[tuple[int, str]]:
    """Every string in a module's code (its docstrings aside), with its line."""
    tree = _tree(path)
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in docstrings
    ]


def _not_portable(path: Path) -> list[str]:
    return [
        f"{path.relative_to(PACKAGE)}:{line}: {found.group(0)}"
        for line, text in _sql_texts(path)
        for found in NOT_PORTABLE.finditer(text)
    ]


@pytest.mark.parametrize("path", PORTABLE, ids=lambda p: p.name)
def test_the_server_stores_sql_is_portable(path):
    assert not _not_portable(path), "PostgreSQL's own SQL belongs in csckpi/store/postgres.py"


def test_the_portability_check_sees_postgresqls_own_sql():
    found = " ".join(_not_portable(PACKAGE / "store" / "postgres.py"))
    for word in ("COPY", "pg_try_advisory_xact_lock", "has_table_privilege", "%s"):
        assert word in found
