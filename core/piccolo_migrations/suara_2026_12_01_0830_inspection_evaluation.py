"""The inspectorate's evaluation: indicator reviews (a log), clarification threads, the units'
evidence files (versioned, with a blacked-out copy), dossier links, evaluation windows, their
overrides and the reminders already sent.

A frozen copy written with the plain Piccolo column API (no imports of core); the tables it points
at are named by stand-ins that carry only their table name.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns import Date, ForeignKey, Integer, Text, Timestamptz, Varchar
from piccolo.table import Table

ID = "2026-12-01T08:30:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "inspection: reviews, clarifications, evidence files, dossier links, windows"


class Unit(Table, tablename="unit"):
    pass


class User(Table, tablename="app_user"):
    pass


class IndicatorReview(Table, tablename="inspection_indicator_review"):
    unit = ForeignKey(Unit, null=False, index=True)
    year = Integer(index=True)
    indicator = Varchar(length=8)
    verdict = Varchar(length=12)
    note = Text()
    score = Integer(null=True, default=None)
    evidence_digest = Varchar(length=64)
    reviewed_by = ForeignKey(User)
    reviewed_at = Timestamptz()


class Clarification(Table, tablename="inspection_clarification"):
    unit = ForeignKey(Unit, null=False, index=True)
    year = Integer(index=True)
    indicator = Varchar(length=8)
    kind = Varchar(length=12)
    subject = Varchar(length=250)
    status = Varchar(length=12, index=True)
    created_by = ForeignKey(User)
    created_at = Timestamptz()
    updated_at = Timestamptz()


class ClarificationEntry(Table, tablename="inspection_clarification_entry"):
    clarification = ForeignKey(Clarification, null=False, index=True)
    kind = Varchar(length=12)
    text = Text()
    author = ForeignKey(User)
    created_at = Timestamptz()


class EvidenceFile(Table, tablename="inspection_evidence_file"):
    unit = ForeignKey(Unit, null=False, index=True)
    year = Integer(index=True)
    slot = Varchar(length=30)
    medium = Varchar(length=20, default="")
    version = Integer()
    filename = Varchar(length=255)
    media_type = Varchar(length=100)
    path = Varchar(length=500)
    sha256 = Varchar(length=64)
    size = Integer()
    uploaded_by = ForeignKey(User)
    uploaded_at = Timestamptz()
    redacted_path = Varchar(length=500, default="")
    redacted_sha256 = Varchar(length=64, default="")
    redacted_by = ForeignKey(User)
    redacted_at = Timestamptz(null=True, default=None)


class DossierLink(Table, tablename="inspection_dossier_link"):
    unit = ForeignKey(Unit, null=False, index=True)
    year = Integer()
    nonce = Varchar(length=32, unique=True)
    created_by = ForeignKey(User)
    created_at = Timestamptz()
    revoked_at = Timestamptz(null=True, default=None)
    revoked_by = ForeignKey(User)


class EvaluationWindow(Table, tablename="inspection_evaluation_window"):
    year = Integer(unique=True)
    opens_on = Date()
    fill_until = Date()
    evaluate_until = Date()
    object_until = Date()
    updated_by = ForeignKey(User)
    updated_at = Timestamptz()


class EvaluationOverride(Table, tablename="inspection_evaluation_override"):
    year = Integer(index=True)
    unit = ForeignKey(Unit, null=False, index=True)
    until = Date()
    reason = Text()
    granted_by = ForeignKey(User)
    granted_at = Timestamptz()


class EvaluationReminder(Table, tablename="inspection_evaluation_reminder"):
    key = Varchar(length=120, unique=True)
    sent_at = Timestamptz()


TABLES = [
    IndicatorReview,
    Clarification,
    ClarificationEntry,
    EvidenceFile,
    DossierLink,
    EvaluationWindow,
    EvaluationOverride,
    EvaluationReminder,
]


async def forwards() -> MigrationManager:
    """Create the evaluation tables."""
    manager = MigrationManager(migration_id=ID, app_name="suara", description=DESCRIPTION)
    for table in TABLES:
        name = table.__name__
        manager.add_table(class_name=name, tablename=table._meta.tablename)
        for column in table._meta.non_default_columns:
            params = dict(column._meta.params)
            if isinstance(column, ForeignKey):
                params["references"] = column._foreign_key_meta.resolved_references
            manager.add_column(
                table_class_name=name,
                tablename=table._meta.tablename,
                column_name=column._meta.name,
                db_column_name=column._meta.db_column_name,
                column_class_name=type(column).__name__,
                column_class=type(column),
                params=params,
            )
    return manager
