"""Piccolo tables for questionnaires, survey cycles, responses and file imports.

Answers to the nine standard unsur live in the columns u1..u9 of a response (NULL = blank), so a
tally is one pass over the responses; unit-specific unsur (U10…) live in ExtraAnswer rows. A voided
response and the earlier version of a corrected one are kept but never counted (COUNTED_SQL).
"""

from enum import StrEnum
from typing import Any

from piccolo.columns import (
    JSON,
    Boolean,
    Date,
    ForeignKey,
    Integer,
    OnDelete,
    SmallInt,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.table import Table

from core.accounts.tables import User
from core.units.tables import Service, Unit


class CycleStatus(StrEnum):
    """Where a survey cycle is in its life."""

    draft = "draft"
    open = "open"
    closed = "closed"
    reported = "reported"
    published = "published"


class Channel(StrEnum):
    """How a response was collected."""

    online = "online"
    kiosk = "kiosk"
    paper = "paper"
    interview = "interview"
    import_file = "import"


class Method(StrEnum):
    """How the questionnaire was administered (the collection methods of PermenPAN-RB 14/2017)."""

    tatap_muka = "tatap_muka"
    mandiri = "mandiri"
    elektronik = "elektronik"
    fgd = "fgd"
    wawancara_mendalam = "wawancara_mendalam"


class QuestionnaireVersion(Table, tablename="questionnaire_version"):
    """A frozen list of unsur (code, name, question, four answer labels) for one unit."""

    unit = ForeignKey(Unit, null=False, index=True)
    number = Integer()
    items = JSON()
    created_at = Timestamptz()
    created_by = Varchar(length=60)


class SurveyCycle(Table, tablename="survey_cycle"):
    """One SKM period of one unit."""

    unit = ForeignKey(Unit, null=False, index=True)
    year = Integer(index=True)
    period_type = Varchar(length=12)
    start_date = Date()
    end_date = Date()
    population = Integer()
    channels = JSON()
    scoring_method = Varchar(length=40)
    status = Varchar(length=12, choices=CycleStatus, index=True)
    questionnaire = ForeignKey(QuestionnaireVersion, null=True)
    public_token = Varchar(length=40, null=True, default=None, unique=True)
    opened_at = Timestamptz(null=True, default=None)
    closed_at = Timestamptz(null=True, default=None)
    created_at = Timestamptz()
    updated_at = Timestamptz()


class CycleService(Table, tablename="survey_cycle_service"):
    """A jenis layanan covered by a cycle, with its own population when known."""

    cycle = ForeignKey(SurveyCycle, null=False, index=True)
    service = ForeignKey(Service, null=False, index=True)
    population = Integer(null=True, default=None)


class ImportBatch(Table, tablename="survey_import_batch"):
    """One imported file; its hash stops the same file being imported twice into a cycle."""

    cycle = ForeignKey(SurveyCycle, null=False, index=True)
    file_hash = Varchar(length=64)
    filename = Varchar(length=255)
    rows = Integer()
    imported_by = ForeignKey(User, null=True)
    created_at = Timestamptz()


class Response(Table, tablename="survey_response"):
    """One filled questionnaire. No personal identifiers are collected."""

    cycle = ForeignKey(SurveyCycle, null=False, index=True)
    service = ForeignKey(Service, null=True, index=True)
    questionnaire = ForeignKey(QuestionnaireVersion, null=False)
    channel = Varchar(length=12, choices=Channel)
    method = Varchar(length=20, choices=Method, default="")
    entered_by = ForeignKey(User, null=True)
    import_batch = ForeignKey(ImportBatch, null=True)
    submission_token = Varchar(length=64, unique=True)
    source_key = Varchar(length=32, default="")  # indexed with cycle, created_at (0870)
    u1 = SmallInt(null=True, default=None)
    u2 = SmallInt(null=True, default=None)
    u3 = SmallInt(null=True, default=None)
    u4 = SmallInt(null=True, default=None)
    u5 = SmallInt(null=True, default=None)
    u6 = SmallInt(null=True, default=None)
    u7 = SmallInt(null=True, default=None)
    u8 = SmallInt(null=True, default=None)
    u9 = SmallInt(null=True, default=None)
    jenis_kelamin = Varchar(length=1, default="")
    usia = SmallInt(null=True, default=None)
    pendidikan = Varchar(length=10, default="")
    pekerjaan = Varchar(length=20, default="")
    pekerjaan_lain = Varchar(length=100, default="")
    filled_on = Date(null=True, default=None)
    filled_time = Varchar(length=5, default="")
    saran = Text(default="")
    created_at = Timestamptz(index=True)
    voided_at = Timestamptz(null=True, default=None)
    voided_by = ForeignKey(User, null=True, on_delete=OnDelete.set_null)
    void_reason = Text(default="")
    superseded_by = ForeignKey("self", null=True, on_delete=OnDelete.set_null, index=True)
    sealed = Boolean(default=False)  # counted in the cycle's kept tallies; partial index (0880)


COUNTED_SQL = "r.voided_at IS NULL AND r.superseded_by IS NULL"
"""The responses that count (not voided, not an earlier version of a corrected one), on alias r."""


def counted() -> Any:
    """The Piccolo condition of COUNTED_SQL, for queries on Response."""
    return Response.voided_at.is_null() & Response.superseded_by.is_null()


class ExtraAnswer(Table, tablename="survey_extra_answer"):
    """An answer to a unit-specific unsur (U10 and up)."""

    response = ForeignKey(Response, null=False, index=True)
    code = Varchar(length=8)
    value = SmallInt()


class KioskDevice(Table, tablename="kiosk_device"):
    """A counter kiosk enrolled by a unit's staff, with its own revocable token (only its
    SHA-256 is stored; the token is shown once, at enrolment)."""

    unit = ForeignKey(Unit, null=False, index=True)
    name = Varchar(length=100)
    token_hash = Varchar(length=64, unique=True, index=True)
    created_at = Timestamptz()
    created_by = ForeignKey(User, null=True)
    revoked_at = Timestamptz(null=True, default=None)
    revoked_by = ForeignKey(User, null=True)


class KeptTally(Table, tablename="survey_kept_tally"):
    """The counts of a cycle's sealed responses, kept so figures read O(cycles), not O(responses).

    Per cycle × service (NULL: answered without one): a row with code '' holding the counted
    respondents (n) and the nine standard unsur's value counts (u1_1 … u9_4, the columns a live
    tally has); a row per extra unsur (U10…) and value with its count in n. Rewritten when the
    cycle is sealed, deleted when it is unsealed (``core.surveys.kept``).
    """

    cycle = ForeignKey(SurveyCycle, null=False, index=True, on_delete=OnDelete.cascade)
    service = ForeignKey(Service, null=True, on_delete=OnDelete.cascade)
    code = Varchar(length=8)
    value = SmallInt()
    n = Integer()
    u1_1, u1_2, u1_3, u1_4 = Integer(), Integer(), Integer(), Integer()
    u2_1, u2_2, u2_3, u2_4 = Integer(), Integer(), Integer(), Integer()
    u3_1, u3_2, u3_3, u3_4 = Integer(), Integer(), Integer(), Integer()
    u4_1, u4_2, u4_3, u4_4 = Integer(), Integer(), Integer(), Integer()
    u5_1, u5_2, u5_3, u5_4 = Integer(), Integer(), Integer(), Integer()
    u6_1, u6_2, u6_3, u6_4 = Integer(), Integer(), Integer(), Integer()
    u7_1, u7_2, u7_3, u7_4 = Integer(), Integer(), Integer(), Integer()
    u8_1, u8_2, u8_3, u8_4 = Integer(), Integer(), Integer(), Integer()
    u9_1, u9_2, u9_3, u9_4 = Integer(), Integer(), Integer(), Integer()
