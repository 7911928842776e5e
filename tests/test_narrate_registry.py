"""The clause registry: every placeholder is one function named in one table, and nothing in
narrate dispatches by a string built at run time."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from csckpi.narrate import PatternError, PatternSet, Settings, paragraph, patterns
from csckpi.narrate.context import Context
from csckpi.narrate.records import Clause, Fact
from csckpi.narrate.registry import CLAUSES, Placeholder
from tests.test_narrate import comp, ind

ROOT = Path(__file__).resolve().parent.parent
NARRATE = ROOT / "csckpi" / "narrate"
DOC = ROOT / "docs" / "narrative.md"


def _sources() -> list[Path]:
    return sorted(NARRATE.rglob("*.py"))


@pytest.mark.parametrize("path", _sources(), ids=lambda p: p.name)
def test_no_getattr_dispatch_in_narrate(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    calls = [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
        if node.func.id in ("getattr", "eval", "exec", "globals", "locals", "vars")
    ]
    assert calls == [], f"{path.name} dispatches by name at lines {calls}"


@pytest.mark.parametrize("path", _sources(), ids=lambda p: p.name)
def test_no_narrate_module_over_600_lines(path: Path):
    assert len(path.read_text(encoding="utf-8").splitlines()) <= 600


def test_the_placeholders_are_the_registry():
    assert list(patterns.PLACEHOLDERS) == list(CLAUSES)
    for name, entry in CLAUSES.items():
        assert callable(entry.build), name
        assert entry.holds.strip(), f"{name} says nothing of what it holds"


def test_every_clause_lives_in_its_family_module():
    families = {
        "headline",
        "standing",
        "movement",
        "comparison",
        "runs",
        "control",
        "pace",
        "notes",
        "benchmarks",
    }
    for name, entry in CLAUSES.items():
        module = entry.build.__module__.rsplit(".", 1)[-1]
        assert module in families, f"{{{name}}} is built in {entry.build.__module__}"


def test_every_placeholder_is_documented():
    """docs/narrative.md's placeholder table names every registered clause, and no other."""
    text = DOC.read_text(encoding="utf-8")
    table = text[text.index("| Placeholder | Holds") :]
    table = table[: table.index("\n\n")]
    documented = set(re.findall(r"`\{(\w+)\}`", table))
    assert documented == set(CLAUSES)


def test_every_registered_clause_can_be_used_in_a_pattern():
    """Each placeholder alone in a pattern writes its own clause (the engine looks it up in the
    registry), and a paragraph built from all of them names only facts the clauses gave."""
    c = comp(ind(target=90), value=75.6, ytd=77.7, last_year=70.0, previous=80.0)
    for name, entry in CLAUSES.items():
        if name.endswith("_clause"):
            continue
        expected = entry.build(Context(c, Settings()))
        settings = Settings(patterns=PatternSet(summary=f"{{{name}}}."))
        got = paragraph(c, summary=True, settings=settings)
        if not expected:
            assert got.sentences == (), name
        else:
            said = " ".join(s.text for s in got.sentences)
            assert expected.text.removesuffix(".").lower() in said.lower(), name


def _documented_example() -> tuple[str, str]:
    """The function and the registry line docs/narrative.md shows under "Adding a clause"."""
    text = DOC.read_text(encoding="utf-8")
    section = text[text.index("## Adding a clause") :]
    code = section[section.index("```python") + len("```python") : section.index("```\n\n")]
    function, _, line = code.partition("# csckpi/narrate/registry.py, in CLAUSES")
    return function, line.strip()


def test_adding_a_clause_is_one_function_and_one_registry_line(monkeypatch):
    """The docs' example, run as written: the function, registered by its one line, is a
    placeholder a pattern may use; unregistered, the pattern is refused naming it."""
    from csckpi import numbers
    from csckpi.narrate import standing
    from csckpi.narrate.records import EMPTY

    function, line = _documented_example()
    space = {"Context": Context, "Clause": Clause, "EMPTY": EMPTY, "Fact": Fact}
    space["numbers"] = numbers
    exec(function, space)  # the docs' function, as a user would paste it
    name, entry = line.rstrip(",").split(":", 1)
    name = name.strip().strip('"')
    settings = Settings(patterns=PatternSet(summary=f"{{headline}}. This is {{{name}}} away."))
    c = comp(ind(target=90), value=75.6)
    with pytest.raises(PatternError, match=name):
        paragraph(c, summary=True, settings=settings)

    monkeypatch.setattr(standing, name, space[name], raising=False)
    registered = eval(entry.strip(), {"Placeholder": Placeholder, "standing": standing})
    monkeypatch.setitem(CLAUSES, name, registered)
    patterns._placeholders.cache_clear()
    try:
        got = paragraph(c, summary=True, settings=settings)
        bare = paragraph(comp(ind(), value=75.6), summary=True, settings=settings)
    finally:
        patterns._placeholders.cache_clear()
    assert got.sentences[-1].text == "This is 14.4 percentage points away."
    fact = got.sentences[-1].facts[0]
    assert (fact.value, fact.other, fact.relation) == (75.6, 90, "below")
    # no target: the sentence that needs it is left out
    assert [s.kind for s in bare.sentences] == ["headline"]
