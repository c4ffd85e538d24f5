"""The report reads a cycle's responses once: processing table, saran and data mentah agree."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from core.accounts.policy import Actor
from core.reports.content import cycle_report_content
from core.reports.exports import raw_rows
from core.reports.public_report import public_content
from core.reports.workbook import report_workbook
from core.surveys.corrections import CorrectionIn, VoidIn, correct_response, void_response
from core.surveys.cycles import create_cycle, open_cycle
from core.surveys.questionnaires import save_questionnaire, standard_items
from core.surveys.responses import enter_response
from core.surveys.schemas import CycleIn, ResponseIn, UnsurItem
from core.surveys.tallies import Scope, tally
from tests.factories import make_unit

pytestmark = pytest.mark.db

SYSTEM = Actor.system()
U10 = UnsurItem(
    code="U10",
    name="Kebersihan",
    question="Kebersihan ruang pelayanan",
    labels=["Kotor", "Kurang bersih", "Bersih", "Sangat bersih"],
)
CODES = [f"U{n}" for n in range(1, 11)]
REASON = "koreksi data entri kertas"


async def _cycle(hooks) -> tuple[int, list[int]]:
    """A cycle with U10: eight responses (blanks in U3 and U10), one voided, one corrected."""
    await make_unit("PKM-R", "puskesmas", services=("UMUM", "KIA"))
    await save_questionnaire(SYSTEM, hooks, "PKM-R", [*standard_items(hooks), U10])
    data = CycleIn(unit="PKM-R", period_type="tw1", year=2026, population=40, services=["UMUM"])
    cycle_id = await create_cycle(SYSTEM, hooks, data)
    await open_cycle(SYSTEM, hooks, cycle_id)
    ids = []
    for i in range(8):
        answers = {f"U{n}": 1 + (i + n) % 4 for n in range(1, 10)}
        answers |= {"U3": None} if i % 3 == 0 else {}
        answers["U10"] = None if i % 4 == 0 else 1 + i % 4
        saran = ('=HYPERLINK("http://x")', " Antrean panjang ", "")[i % 3]
        profile = {"jenis_kelamin": "LP"[i % 2], "usia": 20 + i, "pekerjaan": "Lainnya"}
        profile["pekerjaan_lain"] = "@nelayan" if i == 1 else ""
        response = ResponseIn(answers=answers, service="UMUM", profile=profile, saran=saran)
        ids.append((await enter_response(SYSTEM, cycle_id, response)).id)
    await void_response(SYSTEM, cycle_id, ids[2], VoidIn(reason=REASON))
    corrected = {f"U{n}": 2 for n in range(1, 11)}
    await correct_response(
        SYSTEM, cycle_id, ids[5], CorrectionIn(answers=corrected, reason=REASON, service="UMUM")
    )
    return cycle_id, ids


async def test_one_read_feeds_processing_saran_and_data_mentah(db, hooks, settings):
    cycle_id, _ = await _cycle(hooks)
    content = await cycle_report_content(SYSTEM, settings, hooks, cycle_id)
    t = content.processing
    assert t.codes == CODES
    # counted only (the voided one and the corrected one's old version are not), oldest first,
    # the corrected version last; U10 from the extra answers, blanks as None
    assert len(t.rows) == 7 and t.rows[-1] == (2,) * 10
    assert [row[9] for row in t.rows] == [None, 2, 4, None, 3, 4, 2]
    assert [row[2] for row in t.rows] == [None, 1, None, 4, None, 3, 2]
    # the footer equals the scoring service: Σ value × count of the cycle's tally per unsur
    counts = (await tally(Scope.cycle(cycle_id))).tally
    assert t.jumlah == [sum(v * n for v, n in counts.get(c, {}).items()) for c in CODES]
    assert t.nrr == [u.nrr for u in content.unsur] and t.sum_tertimbang == content.ikm
    assert content.saran == ['=HYPERLINK("http://x")', "Antrean panjang"] * 3

    header, raw = raw_rows(content)
    assert header[:3] == ["no", "layanan", "metode"] and header[-11:] == [*CODES, "saran"]
    assert [row[0] for row in raw] == list(range(1, 8))
    assert [tuple(row[10:20]) for row in raw] == t.rows
    assert raw[1][1] == "UMUM" and raw[1][6] == 21 and raw[1][9] == "@nelayan"

    book = load_workbook(io.BytesIO(report_workbook(content)))
    mentah = list(book["Data mentah"].iter_rows(values_only=True))
    assert list(mentah[0]) == header and len(mentah) == 8
    assert mentah[1][10:20] == t.rows[0] and mentah[2][6] == 21  # numbers stay numbers
    assert mentah[2][9] == "'@nelayan" and mentah[1][-1] == '\'=HYPERLINK("http://x")'
    pengolahan = list(book["Pengolahan"].iter_rows(values_only=True))
    assert [row[1:11] for row in pengolahan[1:8]] == t.rows
    assert pengolahan[8][1:11] == tuple(t.jumlah)
    saran = [row[1] for row in book["Saran"].iter_rows(min_row=2, values_only=True)]
    assert saran == ['\'=HYPERLINK("http://x")', "Antrean panjang"] * 3


async def test_fingerprint_follows_the_counted_responses(db, hooks, settings):
    cycle_id, ids = await _cycle(hooks)
    before = await cycle_report_content(SYSTEM, settings, hooks, cycle_id)
    again = await cycle_report_content(SYSTEM, settings, hooks, cycle_id)
    assert before.fingerprint() == again.fingerprint()
    await void_response(SYSTEM, cycle_id, ids[3], VoidIn(reason=REASON))
    voided = await cycle_report_content(SYSTEM, settings, hooks, cycle_id)
    assert voided.fingerprint() != before.fingerprint()
    await correct_response(
        SYSTEM,
        cycle_id,
        ids[4],
        CorrectionIn(answers={c: 3 for c in CODES}, reason=REASON, service="UMUM"),
    )
    corrected = await cycle_report_content(SYSTEM, settings, hooks, cycle_id)
    assert corrected.fingerprint() not in {before.fingerprint(), voided.fingerprint()}


async def test_public_content_holds_no_response(db, hooks, settings):
    cycle_id, _ = await _cycle(hooks)
    content = await public_content(settings, hooks, cycle_id)
    assert content.responses == [] and content.processing.rows == [] and content.saran == []
