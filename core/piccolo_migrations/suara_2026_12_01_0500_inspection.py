"""The inspectorate's tables: findings with their thread and evidence, reviewed integrity signals.

A frozen copy written with the plain Piccolo column API (no imports of core); the tables it points
at are named by stand-ins that carry only their table name.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns import JSON, Date, DoublePrecision, ForeignKey, Integer, Text, Timestamptz, Varchar
from piccolo.table import Table

ID = "2026-12-01T05:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "inspection: findings, their thread and evidence, signal reviews, self-assessments"


class Unit(Table, tablename="unit"):
    pass


class User(Table, tablename="app_user"):
    pass


class SurveyCycle(Table, tablename="survey_cycle"):
    pass


class Forum(Table, tablename="forum"):
    pass


class Finding(Table, tablename="inspection_finding"):
    unit = ForeignKey(Unit, null=False, index=True)
    cycle = ForeignKey(SurveyCycle, index=True)
    forum = ForeignKey(Forum, index=True)
    indicator = Varchar(length=8)
    title = Varchar(length=250)
    kondisi = Text()
    kriteria = Text()
    akibat = Text()
    rekomendasi = Text()
    due_date = Date()
    status = Varchar(length=12, index=True)
    created_by = ForeignKey(User)
    created_at = Timestamptz()
    updated_at = Timestamptz()


class FindingEntry(Table, tablename="inspection_finding_entry"):
    finding = ForeignKey(Finding, null=False, index=True)
    kind = Varchar(length=12)
    text = Text()
    author = ForeignKey(User)
    created_at = Timestamptz()


class FindingEvidence(Table, tablename="inspection_finding_evidence"):
    finding = ForeignKey(Finding, null=False, index=True)
    entry = ForeignKey(FindingEntry, null=False, index=True)
    filename = Varchar(length=255)
    media_type = Varchar(length=100)
    path = Varchar(length=500)
    sha256 = Varchar(length=64)
    size = Integer()
    uploaded_by = ForeignKey(User)
    uploaded_at = Timestamptz()


class SignalReview(Table, tablename="inspection_signal_review"):
    cycle = ForeignKey(SurveyCycle, null=False, index=True)
    signal = Varchar(length=30)
    note = Text()
    reviewed_by = ForeignKey(User)
    reviewed_at = Timestamptz()


class SelfAssessment(Table, tablename="inspection_self_assessment"):
    unit = ForeignKey(Unit, null=False, index=True)
    year = Integer(index=True)
    surveys_held = Integer()
    last_ikm = DoublePrecision(default=None, null=True)
    media = JSON(default="[]")
    rtl_done_percent = Integer(default=None, null=True)
    follow_up_months = Integer(default=None, null=True)
    submitted_by = ForeignKey(User)
    submitted_at = Timestamptz()


TABLES = [Finding, FindingEntry, FindingEvidence, SignalReview, SelfAssessment]


async def forwards() -> MigrationManager:
    """Create the inspection tables."""
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
