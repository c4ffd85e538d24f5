"""Every audit action written by core has a label, and life cycles label their moves themselves."""

from __future__ import annotations

import ast
from pathlib import Path

import web.app  # noqa: F401  (imports every area, so each registers its labels)
from core.audit.actions import action_label, entity_label, known_actions, register
from core.states import StateMachine

ROOT = Path(__file__).resolve().parents[2]


def _names(node: ast.AST) -> list[str]:
    """The constant strings an action argument can be (a literal or either branch of an if)."""
    if isinstance(node, ast.IfExp):
        return [*_names(node.body), *_names(node.orelse)]
    return [node.value] if isinstance(node, ast.Constant) and isinstance(node.value, str) else []


def _recorded_actions() -> set[str]:
    """The constant action names passed to core.audit.service.record anywhere in core."""
    found: set[str] = set()
    for path in ROOT.joinpath("core").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and len(node.args) > 1:
                name = getattr(node.func, "id", None) or getattr(node.func, "attr", "")
                if name == "record":
                    found.update(_names(node.args[1]))
    return found


def test_every_recorded_action_has_a_label():
    recorded = _recorded_actions()
    assert {"user.created", "unit.created", "forum.rescheduled", "forum.updated"} <= recorded
    assert not sorted(recorded - set(known_actions())), "add these to core/audit/actions.py"


# The registry only grows and other test files check that every label is translated, so these
# tests register new action names with labels that are already in the catalogue.


def test_a_state_machine_labels_its_moves_and_its_record():
    StateMachine(
        entity="test_report",
        action_prefix="test_report",
        noun="Kuesioner",
        transitions={"draft": frozenset({"final"}), "final": frozenset()},
        labels={"draft": "Dibuat", "final": "Disimpan"},
    )
    assert action_label("test_report.final") == ("Kuesioner", "Disimpan")
    assert entity_label("test_report") == "Kuesioner"


def test_register_adds_and_never_replaces():
    register({"test_thing.done": ("Forum", "Dibuat")})
    register({"test_thing.done": ("Forum", "Diubah")})
    assert action_label("test_thing.done") == ("Forum", "Dibuat")
    assert action_label("no.such") == ("no.such",)
