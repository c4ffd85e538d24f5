"""Who may do what: the single place where permissions are decided."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from core.accounts.tables import Role
from core.errors import NotFound, PermissionDenied


class Action(StrEnum):
    """Everything a permission can be asked for."""

    view_unit = "view_unit"
    create_unit = "create_unit"
    edit_unit = "edit_unit"
    edit_unit_contact = "edit_unit_contact"
    manage_services = "manage_services"
    import_units = "import_units"
    manage_users = "manage_users"
    view_audit = "view_audit"
    view_plugins = "view_plugins"
    manage_cycles = "manage_cycles"
    reopen_cycle = "reopen_cycle"
    enter_responses = "enter_responses"
    view_responses = "view_responses"
    void_responses = "void_responses"
    correct_responses = "correct_responses"
    view_recap = "view_recap"
    view_forums = "view_forums"
    manage_forums = "manage_forums"
    manage_stakeholders = "manage_stakeholders"
    view_deliveries = "view_deliveries"
    view_findings = "view_findings"
    manage_findings = "manage_findings"
    respond_findings = "respond_findings"
    review_signals = "review_signals"
    self_assess = "self_assess"
    view_plans = "view_plans"
    manage_plans = "manage_plans"
    review_reports = "review_reports"
    review_indicators = "review_indicators"
    manage_evaluation = "manage_evaluation"


_INSPECTORATE = frozenset({Action.manage_findings, Action.review_signals, Action.review_indicators})

# Actions allowed on every unit, per role. Operators get their scoped actions below.
_GLOBAL: dict[Role, frozenset[Action]] = {
    # Findings are the inspectorate's own: only inspectors record and settle them, only the unit
    # answers, and only inspectors mark integrity signals reviewed.
    Role.admin: frozenset(Action) - _INSPECTORATE - {Action.respond_findings},
    Role.inspector: frozenset(
        {
            Action.view_unit,
            Action.view_audit,
            Action.view_recap,
            Action.view_forums,
            Action.view_findings,
            *_INSPECTORATE,
            Action.view_plans,
            Action.view_responses,
        }
    ),
    Role.organizer: frozenset(
        {
            Action.view_unit,
            Action.view_forums,
            Action.manage_forums,
            Action.manage_stakeholders,
            Action.view_deliveries,
            Action.view_plans,
        }
    ),
    Role.operator: frozenset(),
}
# Actions an operator may take on the units in their scope.
_SCOPED: dict[Role, frozenset[Action]] = {
    Role.operator: frozenset(
        {
            Action.view_unit,
            Action.edit_unit_contact,
            Action.manage_services,
            Action.manage_cycles,
            Action.enter_responses,
            Action.view_responses,
            Action.void_responses,
            Action.correct_responses,
            Action.view_forums,
            Action.view_findings,
            Action.respond_findings,
            Action.self_assess,
            Action.view_plans,
            Action.manage_plans,
        }
    ),
}


@dataclass(frozen=True)
class Actor:
    """The signed-in user (or the system) on whose behalf a service function runs."""

    user_id: int | None
    username: str
    role: Role
    unit_ids: frozenset[int] = field(default_factory=frozenset)

    @classmethod
    def system(cls) -> Actor:
        """The command line and background jobs act as the system administrator."""
        return cls(user_id=None, username="system", role=Role.admin)

    @property
    def is_scoped(self) -> bool:
        """True when this actor only sees the units it is assigned to."""
        return self.role == Role.operator


def can(actor: Actor | None, action: Action, unit_id: int | None = None) -> bool:
    """Whether actor may take action (on unit_id when the action concerns one unit)."""
    if actor is None:
        return False
    if action in _GLOBAL.get(actor.role, frozenset()):
        return True
    scoped = _SCOPED.get(actor.role, frozenset())
    return action in scoped and unit_id is not None and unit_id in actor.unit_ids


def require(actor: Actor | None, action: Action, unit_id: int | None = None) -> Actor:
    """Raise unless actor may take action; a unit outside an operator's scope is 'not found'."""
    if actor is None:
        raise PermissionDenied("Silakan masuk terlebih dahulu.")
    if can(actor, action, unit_id):
        return actor
    if unit_id is not None and not can(actor, Action.view_unit, unit_id):
        raise NotFound("Unit tidak ditemukan.")
    raise PermissionDenied("Anda tidak berwenang melakukan tindakan ini.")


def visible_unit_ids(actor: Actor) -> frozenset[int] | None:
    """Units the actor may see: None means all of them."""
    if can(actor, Action.view_unit):
        return None
    return actor.unit_ids
