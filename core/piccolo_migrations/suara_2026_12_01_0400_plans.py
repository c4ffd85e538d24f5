"""Improvement action plans (RTL): plans, items, their history, evidence, comments and links.

Written by hand with the plain Piccolo column API (no import of core), after
``suara_2026_12_01_0002_composite_unique``. The referenced tables are named by stubs carrying only
their table names.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns import (
    JSON,
    Date,
    DoublePrecision,
    ForeignKey,
    Integer,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.engine.finder import engine_finder
from piccolo.table import Table

ID = "2026-12-01T04:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "improvement action plans"


class Unit(Table, tablename="unit"):
    """The existing table, named for the foreign keys."""


class User(Table, tablename="app_user"):
    """The existing table, named for the foreign keys."""


class SurveyCycle(Table, tablename="survey_cycle"):
    """The existing table, named for the foreign keys."""


class Forum(Table, tablename="forum"):
    """The existing table, named for the foreign keys."""


class Agreement(Table, tablename="forum_agreement"):
    """The existing table, named for the foreign keys."""


class Plan(Table, tablename="plan"):
    unit = ForeignKey(Unit, null=False, index=True)
    cycle = ForeignKey(SurveyCycle, null=False, unique=True)
    status = Varchar(length=12, index=True)
    forum = ForeignKey(Forum, null=True)
    source = JSON(default="{}")
    unmatched_saran = JSON(default="[]")
    drafted_at = Timestamptz(null=True, default=None)
    published_at = Timestamptz(null=True, default=None)
    closed_at = Timestamptz(null=True, default=None)
    created_at = Timestamptz()
    updated_at = Timestamptz()


class PlanItem(Table, tablename="plan_item"):
    plan = ForeignKey(Plan, null=False, index=True)
    parent = ForeignKey("self", null=True, index=True)
    position = Integer()
    unsur_code = Varchar(length=8)
    unsur_name = Varchar(length=200, default="")
    nrr = DoublePrecision(null=True, default=None)
    konversi = DoublePrecision(null=True, default=None)
    mutu = Varchar(length=4, default="")
    saran = JSON(default="[]")
    program = Text(default="")
    quarter = Varchar(length=4, default="")
    due_date = Date(null=True, default=None)
    pj_name = Varchar(length=200, default="")
    pj_position = Varchar(length=200, default="")
    pj_user = ForeignKey(User, null=True, index=True)
    indicator = Text(default="")
    status = Varchar(length=12, index=True)
    progress = Integer(default=0)
    realised_on = Date(null=True, default=None)
    hambatan = Text(default="")
    drop_reason = Text(default="")
    edited = JSON(default="[]")
    created_at = Timestamptz()
    updated_at = Timestamptz()


class PlanItemChange(Table, tablename="plan_item_change"):
    item = ForeignKey(PlanItem, null=False, index=True)
    at = Timestamptz()
    actor = Varchar(length=60)
    changes = JSON()


class PlanEvidence(Table, tablename="plan_evidence"):
    item = ForeignKey(PlanItem, null=False, index=True)
    milestone_on = Date()
    title = Varchar(length=250, default="")
    url = Varchar(length=500, default="")
    filename = Varchar(length=255, default="")
    media_type = Varchar(length=100, default="")
    path = Varchar(length=500, default="")
    sha256 = Varchar(length=64, default="")
    size = Integer(default=0)
    added_by = ForeignKey(User, null=True)
    added_at = Timestamptz()


class PlanComment(Table, tablename="plan_comment"):
    item = ForeignKey(PlanItem, null=False, index=True)
    author = Varchar(length=60)
    text = Text()
    at = Timestamptz()


class PlanItemAgreement(Table, tablename="plan_item_agreement"):
    item = ForeignKey(PlanItem, null=False, index=True)
    agreement = ForeignKey(Agreement, null=False, index=True)


TABLES: list[type[Table]] = [
    Plan,
    PlanItem,
    PlanItemChange,
    PlanEvidence,
    PlanComment,
    PlanItemAgreement,
]
STATEMENTS = (
    "CREATE UNIQUE INDEX plan_item_agreement_pair ON plan_item_agreement (item, agreement)",
)


async def forwards() -> MigrationManager:
    """Create the plan tables with their indexes, then the composite unique index.

    One raw step (Piccolo runs raw steps before its own table steps, so the unique index could
    not follow an ``add_table``): each table is created with its indexes, in order.
    """
    manager = MigrationManager(migration_id=ID, app_name="suara", description=DESCRIPTION)

    async def create_tables() -> None:
        for table in TABLES:
            await table.create_table().run()  # with its single-column indexes
        engine = engine_finder()
        for statement in STATEMENTS:
            await engine.run_ddl(statement)

    manager.add_raw(create_tables)
    return manager
