"""The initial schema: every table, as it stood when the migrations were squashed (2026-12-01).

Independent of application code on purpose: the tables below are a frozen copy written with the
plain Piccolo column API, not imports of core's Table classes (those go on changing; a migration
must keep creating what it created). Columns' ``choices`` are left out: they validate values in
Python and are not part of the database schema. Composite unique indexes follow in the next
migration, as raw SQL. tests/integration/test_migrations.py checks the migrated database against
core's Table classes.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns import (
    JSON,
    BigInt,
    Boolean,
    Date,
    ForeignKey,
    Integer,
    SmallInt,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.table import Table

ID = "2026-12-01T00:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "initial schema"


class Unit(Table, tablename="unit"):
    code = Varchar(length=40, unique=True, index=True)
    name = Varchar(length=200)
    kind = Varchar(length=20)
    parent = ForeignKey("self")
    address = Text()
    phone = Varchar(length=40)
    email = Varchar(length=200)
    active = Boolean(default=True)
    created_at = Timestamptz()
    updated_at = Timestamptz()


class Service(Table, tablename="unit_service"):
    unit = ForeignKey(Unit, null=False, index=True)
    code = Varchar(length=40)
    name = Varchar(length=200)
    active = Boolean(default=True)
    created_at = Timestamptz()
    updated_at = Timestamptz()


class User(Table, tablename="app_user"):
    username = Varchar(length=60, unique=True, index=True)
    full_name = Varchar(length=200)
    email = Varchar(length=200)
    password_hash = Varchar(secret=True)
    role = Varchar(length=20)
    active = Boolean(default=True)
    created_at = Timestamptz()
    last_login_at = Timestamptz(default=None, null=True)


class UserUnit(Table, tablename="app_user_unit"):
    user = ForeignKey(User, null=False, index=True)
    unit = ForeignKey(Unit, null=False, index=True)


class ApiToken(Table, tablename="api_token"):
    token_hash = Varchar(length=64, unique=True, index=True)
    user = ForeignKey(User, null=False, index=True)
    created_at = Timestamptz()
    expires_at = Timestamptz()


class LoginFailure(Table, tablename="login_failure"):
    key = Varchar(length=200, index=True)
    at = Timestamptz()


class AuditEvent(Table, tablename="audit_event"):
    at = Timestamptz()
    actor = Varchar(length=60)
    action = Varchar(length=60, index=True)
    entity = Varchar(length=40, index=True)
    entity_id = Varchar(length=60, index=True)
    unit_id = BigInt(default=None, null=True, index=True)
    before = JSON(default=None, null=True)
    after = JSON(default=None, null=True)
    prev_hash = Varchar(length=64)
    hash = Varchar(length=64, unique=True)


class OutboxJob(Table, tablename="outbox_job"):
    kind = Varchar(length=60, index=True)
    payload = JSON()
    created_at = Timestamptz()
    relayed_at = Timestamptz(default=None, null=True, index=True)
    done_at = Timestamptz(default=None, null=True, index=True)
    attempts = Integer()
    last_error = Text()


class QuestionnaireVersion(Table, tablename="questionnaire_version"):
    unit = ForeignKey(Unit, null=False, index=True)
    number = Integer()
    items = JSON()
    created_at = Timestamptz()
    created_by = Varchar(length=60)


class SurveyCycle(Table, tablename="survey_cycle"):
    unit = ForeignKey(Unit, null=False, index=True)
    year = Integer(index=True)
    period_type = Varchar(length=12)
    start_date = Date()
    end_date = Date()
    population = Integer()
    channels = JSON()
    scoring_method = Varchar(length=40)
    status = Varchar(length=12, index=True)
    questionnaire = ForeignKey(QuestionnaireVersion)
    public_token = Varchar(length=40, default=None, null=True, unique=True)
    kiosk_token = Varchar(length=40, default=None, null=True, unique=True)
    opened_at = Timestamptz(default=None, null=True)
    closed_at = Timestamptz(default=None, null=True)
    created_at = Timestamptz()
    updated_at = Timestamptz()


class CycleService(Table, tablename="survey_cycle_service"):
    cycle = ForeignKey(SurveyCycle, null=False, index=True)
    service = ForeignKey(Service, null=False, index=True)
    population = Integer(default=None, null=True)


class ImportBatch(Table, tablename="survey_import_batch"):
    cycle = ForeignKey(SurveyCycle, null=False, index=True)
    file_hash = Varchar(length=64)
    filename = Varchar()
    rows = Integer()
    imported_by = ForeignKey(User)
    created_at = Timestamptz()


class Response(Table, tablename="survey_response"):
    cycle = ForeignKey(SurveyCycle, null=False, index=True)
    service = ForeignKey(Service, index=True)
    questionnaire = ForeignKey(QuestionnaireVersion, null=False)
    channel = Varchar(length=12)
    entered_by = ForeignKey(User)
    import_batch = ForeignKey(ImportBatch)
    submission_token = Varchar(length=64, unique=True)
    source_key = Varchar(length=32, index=True)
    u1 = SmallInt(default=None, null=True)
    u2 = SmallInt(default=None, null=True)
    u3 = SmallInt(default=None, null=True)
    u4 = SmallInt(default=None, null=True)
    u5 = SmallInt(default=None, null=True)
    u6 = SmallInt(default=None, null=True)
    u7 = SmallInt(default=None, null=True)
    u8 = SmallInt(default=None, null=True)
    u9 = SmallInt(default=None, null=True)
    jenis_kelamin = Varchar(length=1)
    usia = SmallInt(default=None, null=True)
    pendidikan = Varchar(length=10)
    pekerjaan = Varchar(length=20)
    pekerjaan_lain = Varchar(length=100)
    filled_on = Date(default=None, null=True)
    filled_time = Varchar(length=5)
    saran = Text()
    created_at = Timestamptz(index=True)


class ExtraAnswer(Table, tablename="survey_extra_answer"):
    response = ForeignKey(Response, null=False, index=True)
    code = Varchar(length=8)
    value = SmallInt()


class Stakeholder(Table, tablename="stakeholder"):
    name = Varchar(length=200)
    organisation = Varchar(length=200)
    position = Varchar(length=200)
    group = Varchar(length=30, index=True)
    vulnerable = JSON(default='[]')
    email = Varchar(length=200, index=True)
    phone = Varchar(length=40, index=True)
    consent = Boolean()
    consent_at = Timestamptz(default=None, null=True)
    active = Boolean(default=True)
    created_at = Timestamptz()
    updated_at = Timestamptz()


class StakeholderUnit(Table, tablename="stakeholder_unit"):
    stakeholder = ForeignKey(Stakeholder, null=False, index=True)
    unit = ForeignKey(Unit, null=False, index=True)


class Forum(Table, tablename="forum"):
    title = Varchar(length=250)
    purpose = Varchar(length=30)
    cycle = ForeignKey(SurveyCycle, index=True)
    format = Varchar(length=20)
    venue = Varchar(length=250)
    link = Varchar(length=500)
    start_at = Timestamptz(index=True)
    end_at = Timestamptz()
    timezone = Varchar(length=40, default='Asia/Jakarta')
    capacity = Integer(default=None, null=True)
    status = Varchar(length=20, index=True)
    status_reason = Text()
    narasumber = Text()
    moderator = Varchar(length=200)
    notulis = Varchar(length=200)
    notulen = Text()
    no_agreement_statement = Text()
    locked = Boolean()
    berita_acara_sha256 = Varchar(length=64)
    created_by = ForeignKey(User)
    created_at = Timestamptz()
    updated_at = Timestamptz()


class ForumUnit(Table, tablename="forum_unit"):
    forum = ForeignKey(Forum, null=False, index=True)
    unit = ForeignKey(Unit, null=False, index=True)


class AgendaItem(Table, tablename="forum_agenda_item"):
    forum = ForeignKey(Forum, null=False, index=True)
    position = Integer()
    title = Varchar(length=250)
    speaker = Varchar(length=200)
    duration_minutes = Integer()


class Invitation(Table, tablename="forum_invitation"):
    forum = ForeignKey(Forum, null=False, index=True)
    stakeholder = ForeignKey(Stakeholder, null=False, index=True)
    token = Varchar(length=48, unique=True)
    rsvp = Varchar(length=20, default='pending')
    representative = Varchar(length=200)
    waitlisted = Boolean()
    answered_at = Timestamptz(default=None, null=True)
    reminded_3d_at = Timestamptz(default=None, null=True)
    reminded_1d_at = Timestamptz(default=None, null=True)
    created_at = Timestamptz()


class Attendance(Table, tablename="forum_attendance"):
    forum = ForeignKey(Forum, null=False, index=True)
    stakeholder = ForeignKey(Stakeholder, null=False, index=True)
    invitation = ForeignKey(Invitation)
    method = Varchar(length=10)
    checked_in_at = Timestamptz()
    checked_in_by = ForeignKey(User)


class Agreement(Table, tablename="forum_agreement"):
    forum = ForeignKey(Forum, null=False, index=True)
    number = Integer()
    text = Text()
    owner_unit = ForeignKey(Unit)
    owner_person = Varchar(length=200)
    due_date = Date(default=None, null=True)
    status = Varchar(length=20, default='open')
    cycle = ForeignKey(SurveyCycle)
    created_at = Timestamptz()


class ForumDocument(Table, tablename="forum_document"):
    forum = ForeignKey(Forum, null=False, index=True)
    kind = Varchar(length=20)
    filename = Varchar()
    media_type = Varchar(length=100)
    path = Varchar(length=500)
    sha256 = Varchar(length=64)
    size = Integer()
    uploaded_by = ForeignKey(User)
    uploaded_at = Timestamptz()


class Delivery(Table, tablename="notification_delivery"):
    event = Varchar(length=60, index=True)
    channel = Varchar(length=30, index=True)
    recipient = Varchar(length=250)
    subject = Varchar(length=250)
    body = Text()
    data = JSON()
    status = Varchar(length=12, index=True)
    attempts = Integer()
    error = Text()
    created_at = Timestamptz(index=True)
    sent_at = Timestamptz(default=None, null=True)


class InboxMessage(Table, tablename="inbox_message"):
    user = ForeignKey(User, null=False, index=True)
    subject = Varchar(length=250)
    body = Text()
    link = Varchar(length=500)
    read = Boolean()
    created_at = Timestamptz(index=True)


class ChannelChoice(Table, tablename="notification_channel_choice"):
    user = ForeignKey(User, null=False, index=True)
    channel = Varchar(length=30)
    enabled = Boolean(default=True)

TABLES: list[type[Table]] = [
    Unit,
    Service,
    User,
    UserUnit,
    ApiToken,
    LoginFailure,
    AuditEvent,
    OutboxJob,
    QuestionnaireVersion,
    SurveyCycle,
    CycleService,
    ImportBatch,
    Response,
    ExtraAnswer,
    Stakeholder,
    StakeholderUnit,
    Forum,
    ForumUnit,
    AgendaItem,
    Invitation,
    Attendance,
    Agreement,
    ForumDocument,
    Delivery,
    InboxMessage,
    ChannelChoice,
]


async def forwards() -> MigrationManager:
    """Create every table (Piccolo orders them by their foreign keys)."""
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
