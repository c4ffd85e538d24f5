"""Evaluation windows lock editing by phase (an administrator may reopen a unit, audited);
indicator reviews are a log that asks for re-review when the evidence changes; clarification
threads; a unit that sent nothing scores an explicit zero; the completeness list; reminders."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from core.accounts.policy import Actor
from core.accounts.tables import User
from core.audit.tables import AuditEvent
from core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from core.inspection import clarifications as threads
from core.inspection.compliance import unit_compliance
from core.inspection.evaluation import completeness, queue_evaluation_reminders
from core.inspection.evidence import Upload
from core.inspection.reads import local_today
from core.inspection.review import ReviewIn, review_indicator, review_states
from core.inspection.self_assessment import SelfAssessmentIn, save_self_assessment
from core.inspection.slots import unit_files, upload_evidence
from core.inspection.windows import OverrideIn, WindowIn, grant_override, save_window
from core.notifications.tables import ChannelChoice, Delivery, InboxMessage
from tests.factories import make_user
from tests.integration.inspection_data import build_regency
from tests.integration.test_reports import run_pending

YEAR = 2026
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
async def people(db, hooks):
    await build_regency(hooks)
    return {
        "inspector": await make_user("insp", "inspector"),
        "operator": await make_user("op-a2", "operator", ("PKM-A",)),
        "other": await make_user("op-b", "operator", ("PKM-B",)),
        "admin": await make_user("adm", "admin"),
    }


async def _window(admin: Actor, phase: str) -> None:
    """A window whose today falls in ``phase``."""
    t = local_today()
    day = timedelta(days=1)
    dates = {
        "fill": (t - day, t + 5 * day, t + 10 * day, t + 15 * day),
        "evaluate": (t - 10 * day, t - day, t + 5 * day, t + 10 * day),
        "object": (t - 20 * day, t - 10 * day, t - day, t + 5 * day),
        "final": (t - 30 * day, t - 20 * day, t - 10 * day, t - day),
    }[phase]
    await save_window(admin, YEAR, WindowIn(*dates))


def _claim() -> SelfAssessmentIn:
    return SelfAssessmentIn(year=YEAR, surveys_held=1, media=["cetak"])


async def test_window_dates_checked_and_phases_lock(people, hooks, settings):
    admin, operator = people["admin"], people["operator"]
    t = local_today()
    with pytest.raises(ValidationFailed) as bad:
        await save_window(admin, YEAR, WindowIn(t, t - timedelta(days=1), t, t))
    assert [e.field for e in bad.value.errors] == ["fill_until"]
    with pytest.raises(PermissionDenied):
        await _window(people["inspector"], "fill")

    await _window(admin, "fill")
    await save_self_assessment(operator, "PKM-A", _claim())  # filling: allowed
    with pytest.raises(Conflict):  # inspectors evaluate later
        await review_indicator(
            people["inspector"], hooks, "PKM-A", ReviewIn(YEAR, "6", "approved", "sesuai")
        )
    await _window(admin, "evaluate")
    with pytest.raises(Conflict, match="tahap pengisian"):
        await save_self_assessment(operator, "PKM-A", _claim())
    with pytest.raises(Conflict):
        await upload_evidence(
            operator, settings.data_dir, "PKM-A", YEAR, "foto", Upload("a.png", PNG)
        )
    assert await unit_files(1, YEAR) == []  # nothing half written

    reopen = OverrideIn(unit="PKM-A", until=t + timedelta(days=2), reason="Server unit rusak")
    with pytest.raises(ValidationFailed) as short:
        await grant_override(admin, YEAR, OverrideIn("NOPE", t - timedelta(days=1), "x"))
    assert {e.field for e in short.value.errors} == {"unit", "until", "reason"}
    await grant_override(admin, YEAR, reopen)
    await save_self_assessment(operator, "PKM-A", _claim())
    assert await AuditEvent.exists().where(AuditEvent.action == "evaluation.override_granted")
    with pytest.raises(Conflict):  # only PKM-A was reopened
        await save_self_assessment(people["other"], "PKM-B", _claim())


async def test_review_log_and_re_review_after_evidence_changes(people, hooks, settings):
    inspector, operator = people["inspector"], people["operator"]
    with pytest.raises(ValidationFailed) as bad:
        await review_indicator(inspector, hooks, "PKM-A", ReviewIn(YEAR, "x", "maybe", ""))
    assert {e.field for e in bad.value.errors} == {"indicator", "verdict", "note"}
    with pytest.raises(PermissionDenied):
        await review_indicator(
            people["admin"], hooks, "PKM-A", ReviewIn(YEAR, "fkp2", "approved", "lengkap")
        )
    await review_indicator(
        inspector, hooks, "PKM-A", ReviewIn(YEAR, "fkp2", "approved", "Tiga unsur hadir")
    )
    row = await unit_compliance(inspector, hooks, YEAR, "PKM-A")
    states = await review_states(row, 1, YEAR, await unit_files(1, YEAR))
    assert not states["fkp2"].needs_review and states["fkp2"].latest.verdict == "approved"
    assert states["6"].needs_review and states["6"].latest is None

    await upload_evidence(operator, settings.data_dir, "PKM-A", YEAR, "foto", Upload("f.png", PNG))
    files = await unit_files(1, YEAR)
    states = await review_states(row, 1, YEAR, files)
    assert states["fkp2"].changed_since_review and states["fkp2"].needs_review
    assert not states["6"].changed_since_review  # a photo of the forum is not indicator 6's

    await review_indicator(
        inspector, hooks, "PKM-A", ReviewIn(YEAR, "fkp2", "rejected", "Foto tanpa keterangan")
    )
    states = await review_states(row, 1, YEAR, files)
    assert [r.verdict for r in states["fkp2"].log] == ["rejected", "approved"]
    assert not states["fkp2"].needs_review


async def test_clarification_thread(people):
    inspector, operator, other = people["inspector"], people["operator"], people["other"]
    ask = threads.ThreadIn(YEAR, "7", "Bukti cetak", "Mohon unggah foto papan pengumuman.")
    with pytest.raises(PermissionDenied):
        await threads.open_thread(operator, "PKM-A", ask, "question")
    thread = await threads.open_thread(inspector, "PKM-A", ask, "question")
    with pytest.raises(NotFound):
        await threads.reply(other, thread, "bukan unit saya")
    await threads.reply(operator, thread, "Sudah kami unggah di slot publikasi.")
    with pytest.raises(PermissionDenied):
        await threads.resolve(operator, thread, "selesai")
    await threads.resolve(inspector, thread, "Diterima, terima kasih.")
    (found,) = await threads.threads_of(operator, "PKM-A", YEAR)
    assert found.status == "resolved"
    assert [e.kind for e in found.entries] == ["question", "answer", "resolved"]
    with pytest.raises(Conflict):
        await threads.reply(operator, thread, "lagi")
    objection = threads.ThreadIn(YEAR, "6", "Keberatan", "Siklus kami sudah ditutup.")
    await _window(people["admin"], "evaluate")
    with pytest.raises(Conflict, match="masa sanggah"):
        await threads.open_thread(operator, "PKM-A", objection, "objection")
    await _window(people["admin"], "object")
    objected = await threads.open_thread(operator, "PKM-A", objection, "objection")
    (row, *_) = await threads.threads_of(inspector, "PKM-A", YEAR)
    assert row.id == objected and row.status == "answered"  # waits for the inspector


async def test_nothing_sent_scores_zero_and_completeness(people, hooks, settings):
    inspector, operator = people["inspector"], people["operator"]
    before = await unit_compliance(inspector, hooks, YEAR, "PKM-A")
    assert before.indicators["fkp2"].score == 3
    await _window(people["admin"], "evaluate")  # filling is over
    after = await unit_compliance(inspector, hooks, YEAR, "PKM-A")
    assert not after.submitted
    assert {c.score for c in after.indicators.values()} == {0}
    assert "dari bukti saja: 3" in after.indicators["fkp2"].note
    report = await completeness(inspector, hooks, YEAR, local_today())
    missing = {u.unit: u.missing for u in report.units}["PKM-A"]
    assert "Penilaian mandiri (F-01) belum dikirim" in missing
    assert "Bukti belum ada: Laporan hasil SKM" in missing
    assert "Bukti belum ada: Daftar hadir FKP" not in missing  # the held forum fills it
    assert any("belum ditinjau" in m for m in missing)

    await grant_override(
        people["admin"], YEAR, OverrideIn("PKM-A", local_today(), "Terlambat karena banjir")
    )
    await upload_evidence(operator, settings.data_dir, "PKM-A", YEAR, "foto", Upload("f.png", PNG))
    sent = await unit_compliance(inspector, hooks, YEAR, "PKM-A")
    assert sent.submitted and sent.indicators["fkp2"].score == 3


async def test_reminders_once_per_threshold_by_mail_and_inbox(people, hooks, settings):
    t = local_today()
    await save_window(
        people["admin"],
        YEAR,
        WindowIn(t - timedelta(days=3), t + timedelta(days=5), t + timedelta(days=20),
                 t + timedelta(days=30)),
    )  # fmt: skip
    operator, other = people["operator"].user_id, people["other"].user_id
    await User.update({User.email: "op-a2@contoh.go.id"}).where(User.id == operator)
    await User.update({User.email: "op-b@contoh.go.id"}).where(User.id == other)
    await ChannelChoice.insert(ChannelChoice(user=other, channel="email", enabled=False))

    async def remind(day: date) -> int:
        queued = await queue_evaluation_reminders(day, hooks, settings)
        await run_pending(hooks, settings)
        return queued

    first = await remind(t)
    assert first == await InboxMessage.count() >= 2
    users = {r["user"] for r in await InboxMessage.select(InboxMessage.user)}
    assert {operator, other} <= users and people["inspector"].user_id not in users
    mails = await Delivery.select(Delivery.recipient, Delivery.subject, Delivery.body).where(
        (Delivery.event == "evaluation.reminder") & (Delivery.channel == "email")
    )
    assert [m["recipient"] for m in mails] == ["op-a2@contoh.go.id"]  # op-b turned e-mail off
    assert "batas pengisian penilaian mandiri dan bukti 5 hari lagi" in mails[0]["subject"]
    assert f"/evaluasi/{YEAR}" in mails[0]["body"]
    assert await remind(t) == 0  # the beat runs again: nothing new
    assert await remind(t + timedelta(days=4)) == first  # one day before
    assert await remind(t + timedelta(days=4)) == 0
    assert await Delivery.count().where(Delivery.channel == "email") == 2
    assert await remind(t + timedelta(days=16)) >= 1  # evaluators' turn
    assert await remind(date(2099, 1, 1)) == 0


async def test_reminders_in_english_on_an_english_installation(people, hooks, settings):
    t = local_today()
    english = replace(settings, locale="en")
    await save_window(
        people["admin"],
        YEAR,
        WindowIn(t - timedelta(days=3), t + timedelta(days=1), t + timedelta(days=20),
                 t + timedelta(days=30)),
    )  # fmt: skip
    assert await queue_evaluation_reminders(t, hooks, english) >= 1
    await run_pending(hooks, english)
    message = await InboxMessage.select().where(
        InboxMessage.user == people["operator"].user_id
    ).first()
    assert message["subject"] == (
        f"Evaluation {YEAR}: deadline for the self-assessment and evidence tomorrow"
    )
    assert "Dear " in message["body"] and "batas" not in message["body"], message["body"]
