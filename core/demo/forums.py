"""Demo forums for Kabupaten Contoh: stakeholders of all five groups, a past SKM follow-up forum
with published minutes, and upcoming forums with invitations."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from core.accounts.policy import Actor
from core.clock import frozen_at
from core.demo.days import at, office_day
from core.forums import service
from core.forums.schemas import (
    AgendaIn,
    AgreementIn,
    AttendanceIn,
    ForumIn,
    InvitationsIn,
    MinutesIn,
    StakeholderIn,
)
from core.forums.stakeholders import create_stakeholder
from core.surveys.tables import CycleStatus, SurveyCycle
from core.units.tables import Unit

STAKEHOLDERS: tuple[tuple[str, str, str, str], ...] = (
    # (name, organisation, group, e-mail)
    ("Siti Aminah", "Warga Kel. Sukamaju", "pengguna_layanan", "siti.aminah@contoh.id"),
    ("Joko Santoso", "Warga Desa Mekarsari", "pengguna_layanan", "joko.santoso@contoh.id"),
    ("Rina Marlina", "Kader Posyandu Melati", "pengguna_layanan", "rina.marlina@contoh.id"),
    ("Dr. Hendra Wijaya", "Universitas Contoh", "akademisi", "hendra.wijaya@contoh.ac.id"),
    ("Ns. Dewi Lestari", "Ikatan Perawat Kab. Contoh", "akademisi", "dewi.lestari@contoh.id"),
    ("Agus Setiawan", "BPJS Kesehatan Cabang Contoh", "instansi_terkait", "agus.s@contoh.go.id"),
    ("Lina Kusuma", "Dinas Kesehatan", "instansi_terkait", "lina.kusuma@contoh.go.id"),
    ("Bambang Pratama", "LSM Peduli Sehat", "organisasi_masyarakat", "bambang@pedulisehat.or.id"),
    (
        "Ustaz Ahmad Fauzi",
        "Tokoh masyarakat Sukamaju",
        "organisasi_masyarakat",
        "ahmad.fauzi@contoh.id",
    ),
    ("Maya Sari", "Radio Suara Contoh FM", "media", "redaksi@suaracontoh.fm"),
)
AGREEMENTS = (
    "Menambah satu loket pendaftaran pada jam sibuk (07.30–10.00).",
    "Memasang papan alur pelayanan dan perkiraan waktu tunggu di ruang tunggu.",
    "Membuka kanal pengaduan WhatsApp dan menanggapi setiap aduan paling lambat 3 hari kerja.",
)


async def _plan_past_forum(
    system: Actor,
    day: date,
    zone: str,
    cycle: dict[str, Any] | None,
    agenda: list[AgendaIn],
    people: list[int],
) -> int:
    """The SKM follow-up forum, planned, everyone invited and scheduled."""
    forum_id = await service.create_forum(
        system,
        ForumIn(
            title="Forum Konsultasi Publik: tindak lanjut hasil SKM Puskesmas Sukamaju",
            purpose="tindak_lanjut_skm" if cycle else "lainnya",
            units=["PKM-SUKAMAJU"],
            format="tatap_muka",
            venue="Aula Puskesmas Sukamaju",
            start=at(day, 9, 0, zone),
            end=at(day, 12, 0, zone),
            cycle=cycle["id"] if cycle else None,
            capacity=40,
            narasumber="Kepala Puskesmas Sukamaju",
            moderator="Camat Sukamaju",
            notulis="Staf TU",
            agenda=agenda,
        ),
    )
    await service.invite(system, forum_id, InvitationsIn(stakeholders=people))
    await service.schedule_forum(system, forum_id)
    return forum_id


async def _record_outcome(system: Actor, forum_id: int, day: date) -> None:
    """The agreements and the notulen written after the forum."""
    for text in AGREEMENTS:
        await service.add_agreement(
            system,
            forum_id,
            AgreementIn(text=text, owner_unit="PKM-SUKAMAJU", due_date=day + timedelta(days=90)),
        )
    await service.save_minutes(
        system,
        forum_id,
        MinutesIn(
            notulen=(
                "Forum dibuka pukul 09.00 oleh Camat Sukamaju. Kepala Puskesmas memaparkan hasil "
                "SKM; unsur terendah adalah **penanganan pengaduan** dan **waktu penyelesaian**."
                "\n\nPeserta menyampaikan antrean panjang pada pagi hari dan belum jelasnya "
                "saluran pengaduan."
            )
        ),
    )


async def seed_forums(today: date, zone: str = "Asia/Jakarta") -> int:
    """Stakeholders and three forums (one with published minutes); call inside atomic()."""
    system = Actor.system()
    people = []
    for name, organisation, group, email in STAKEHOLDERS:
        stakeholder = await create_stakeholder(
            system,
            StakeholderIn(
                name=name,
                organisation=organisation,
                group=group,
                email=email,
                consent=True,
                units=["PKM-SUKAMAJU"] if group != "media" else [],
            ),
        )
        people.append(stakeholder.id)
    unit = await Unit.select(Unit.id).where(Unit.code == "PKM-SUKAMAJU").first()
    cycle = (
        await SurveyCycle.select(SurveyCycle.id, SurveyCycle.end_date, SurveyCycle.closed_at)
        .where((SurveyCycle.unit == unit["id"]) & (SurveyCycle.status == CycleStatus.closed.value))
        .order_by(SurveyCycle.end_date, ascending=False)
        .first()
    )
    agenda = [
        AgendaIn("Paparan hasil SKM", "Kepala Puskesmas", 30),
        AgendaIn("Diskusi unsur terendah", "Moderator", 60),
        AgendaIn("Perumusan kesepakatan", "Notulis", 30),
    ]
    past_day = cycle["end_date"] + timedelta(days=20) if cycle else today - timedelta(days=30)
    past_day = office_day(min(past_day, today - timedelta(days=3)), step=-1)
    planned = at(past_day - timedelta(days=10), 10, 0, zone)
    if cycle:  # a follow-up forum is planned once its cycle is closed
        planned = max(planned, cycle["closed_at"] + timedelta(hours=1))
    with frozen_at(planned):
        past = await _plan_past_forum(system, past_day, zone, cycle, agenda, people)
    invitations = (await service.list_invitations(system, past))[:8]
    for n, invitation in enumerate(invitations):  # at the door during the first half hour
        with frozen_at(at(past_day, 9, 2 + 3 * n, zone)):
            await service.check_in(system, past, AttendanceIn(invitation_token=invitation.token))
    with frozen_at(at(past_day, 12, 0, zone)):
        await service.hold_forum(system, past)
    with frozen_at(at(past_day, 13, 30, zone)):
        await _record_outcome(system, past, past_day)
    with frozen_at(at(office_day(past_day + timedelta(days=1)), 10, 0, zone)):
        await service.publish_minutes(system, past)

    upcoming_day = office_day(today + timedelta(days=10))
    upcoming = await service.create_forum(
        system,
        ForumIn(
            title="Peninjauan Standar Pelayanan Puskesmas Sukamaju",
            purpose="standar_pelayanan",
            units=["PKM-SUKAMAJU", "DINKES"],
            format="hybrid",
            venue="Aula Dinas Kesehatan",
            link="https://rapat.contoh.go.id/standar-pkm",
            start=at(upcoming_day, 9, 0, zone),
            end=at(upcoming_day, 12, 0, zone),
            capacity=30,
            moderator="Sekretaris Dinkes",
            agenda=agenda[:2],
        ),
    )
    await service.invite(system, upcoming, InvitationsIn(stakeholders=people))
    await service.schedule_forum(system, upcoming)

    await service.create_forum(
        system,
        ForumIn(
            title="Penyusunan Maklumat Pelayanan Disdukcapil",
            purpose="maklumat",
            units=["DISDUKCAPIL"],
            format="daring",
            link="https://rapat.contoh.go.id/maklumat",
            start=at(office_day(today + timedelta(days=24)), 13, 0, zone),
            end=at(office_day(today + timedelta(days=24)), 15, 0, zone),
        ),
    )
    return 3
