"""The hook contract stays documented, typed, tested and in sync with docs/plugins.md."""

from __future__ import annotations

import ast
import inspect
import re
import typing
from pathlib import Path

import pytest

from core import hookspecs

ROOT = Path(__file__).resolve().parents[2]
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


def _imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: set[str] = set()
    for node in ast.walk(tree):  # every import, also those inside functions
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


PLUGIN_SOURCES = sorted(
    [*(ROOT / "plugins").rglob("*.py"), *(ROOT / "tests" / "example_plugin").rglob("*.py")]
)


@pytest.mark.parametrize("path", PLUGIN_SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_plugins_import_only_the_plugin_api_of_the_core(path: Path) -> None:
    """plugins ↛ core except core.plugin_api; plugins ↛ workers; built-in plugins ↛ web."""
    modules = _imported_modules(path)
    core = {m for m in modules if m == "core" or m.startswith("core.")}
    assert core <= {"core.plugin_api"}, f"{path.name} imports {sorted(core - {'core.plugin_api'})}"
    outward = {m for m in modules if m.split(".")[0] in {"workers", "web"}}
    if path.is_relative_to(ROOT / "tests"):  # a route-adding plugin renders with web.context
        outward -= {"web.context"}
    assert not outward, f"{path.name} imports {sorted(outward)}"


def test_the_scoring_method_in_the_docs_works_with_the_core(settings) -> None:
    """The docs' scoring example, run as written, gives results the core accepts."""
    from core.hooks import Hooks
    from core.plugin_api import ScoreResult
    from core.plugins import build_plugin_manager
    text = DOC.read_text(encoding="utf-8").split("## A scoring method", 1)[1]
    code = re.search(r"```python\n(.*?)```", text, flags=re.S).group(1)
    namespace: dict[str, object] = {}
    exec(compile(code, "docs/plugins.md", "exec"), namespace)
    plugin = type("DocsPlugin", (), {"suara_scoring_methods": namespace["suara_scoring_methods"]})
    hooks = Hooks(build_plugin_manager(extra=[plugin], load_entry_points=False), settings)
    method = hooks.scoring_methods()["rata-rata"]
    score = method.score({"U1": {4: 2}, "U2": {2: 1, 3: 1}}, 2)
    assert isinstance(score, ScoreResult) and score.index == (4 + 2.5) / 2
    assert (score.mutu, score.withheld) == ("Tinggi", None)
    withheld = method.score({"U1": {4: 2}, "U2": {}}, 2)
    assert withheld.withheld and withheld.index is None
