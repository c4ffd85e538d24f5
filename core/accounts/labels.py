"""What each role is called on screen (Indonesian msgids of the translation catalogue)."""

from __future__ import annotations

from core.accounts.tables import Role

ROLE_LABELS: dict[str, str] = {
    Role.admin.value: "Administrator",
    Role.operator.value: "Operator unit",
    Role.organizer.value: "Penyelenggara forum",
    Role.inspector.value: "Pemeriksa Inspektorat",
}


def role_label(role: str) -> str:
    """The label of a role code (the code itself only for an unknown one)."""
    return ROLE_LABELS.get(role, role)
