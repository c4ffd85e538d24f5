"""The hook contract stays documented, typed, tested and in sync with docs/plugins.md."""

from __future__ import annotations

import inspect
import re
import typing
from pathlib import Path

import pytest

from core import hookspecs

ROOT = Path(__file__).resolve().parents[2]
TESTS = ROOT / "tests"
DOC = ROOT / "docs" / "plugins.md"

HOOKS = sorted(
    name
    for name, obj in vars(hookspecs).items()
    if name.startswith("suara_") and inspect.isfunction(obj)
)


def test_hooks_are_found():
    assert "suara_event" in HOOKS
    assert len(HOOKS) >= 7


@pytest.mark.parametrize("name", HOOKS)
def test_hookspec_is_marked_documented_and_typed(name):
    spec = getattr(hookspecs, name)
    assert hasattr(spec, "suara_spec"), f"{name} lacks the @hookspec marker"
    assert (inspect.getdoc(spec) or "").strip(), f"{name} has no docstring"
    signature = inspect.signature(spec)
    for param in signature.parameters.values():
        assert param.annotation is not inspect.Parameter.empty, f"{name}({param.name}) untyped"
    assert signature.return_annotation is not inspect.Signature.empty, f"{name} has no return type"
    hints = typing.get_type_hints(spec)  # every annotation resolves to a real type
    assert set(hints) == {*signature.parameters, "return"}


def _test_sources() -> dict[Path, str]:
    this = Path(__file__).resolve()
    return {
        path: path.read_text(encoding="utf-8")
        for path in TESTS.rglob("test_*.py")
        if path.resolve() != this
    }


def test_every_hook_has_a_test():
    sources = _test_sources()
    untested = [
        name
        for name in HOOKS
        if not any(re.search(rf"\b{name}\b", text) for text in sources.values())
    ]
    assert not untested, f"hooks no test file under tests/ mentions: {untested}"


def test_docs_list_exactly_the_hooks():
    text = DOC.read_text(encoding="utf-8")
    headings = re.findall(r"^###\s+`?(suara_\w+)", text, flags=re.MULTILINE)
    assert sorted(headings) == HOOKS, "docs/plugins.md needs one '### suara_…' heading per hook"
    assert len(headings) == len(set(headings)), "a hook is documented twice"
    # Hook implementations shown in the examples must name real hooks too.
    implemented = set(re.findall(r"\bdef\s+(suara_\w+)\s*\(", text))
    assert implemented <= set(HOOKS), f"docs implement unknown hooks: {implemented - set(HOOKS)}"


def test_readme_lists_every_hook() -> None:
    """The README's hook list matches core/hookspecs.py exactly."""
    import re
    from pathlib import Path

    from core import hookspecs

    readme = (Path(__file__).parents[2] / "README.md").read_text()
    section = readme.split("## Writing a plugin", 1)[1]
    listed = set(re.findall(r"`(suara_[a-z_]+)\(", section))
    specs = {name for name in dir(hookspecs) if name.startswith("suara_")}
    assert listed == specs
