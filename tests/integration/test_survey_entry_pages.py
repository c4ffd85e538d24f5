"""Getting answers in on the staff pages: paper entry (blanks stay blanks, one submission once)
and the spreadsheet import that reports bad rows or imports all, with its templates."""

from __future__ import annotations

import io
import re

from openpyxl import load_workbook

from core.surveys.tables import Response
from tests.conftest import csrf_token, login
from tests.factories import PASSWORD
from tests.integration.survey_data import STANDARD, draft_cycle, opened_cycle, survey_world

# --- paper entry -------------------------------------------------------------------------------


async def test_paper_entry_stores_blanks_as_blanks_once_per_submission(client, db, hooks):
    users = await survey_world()
    cycle_id = await opened_cycle(hooks)
    await login(client, "opr", PASSWORD)
    form = await client.get(f"/cycles/{cycle_id}/entri")
    assert form.status_code == 200
    first_box = re.search(r'<input id="a-U1"[^>]*>', form.text).group(0)
    for attribute in ('inputmode="numeric"', 'maxlength="1"', 'pattern="[1-4]"', "autofocus"):
        assert attribute in first_box
    submission = re.search(r'name="submission_token" value="([^"]+)"', form.text).group(1)
    token = await csrf_token(client, f"/cycles/{cycle_id}/entri")
    answers = {"U1": "4", "U2": "3", "U3": "2", "U4": "4", "U5": "3", "U6": "3", "U7": "4"}
    body = {
        "_csrf_token": token,
        "submission_token": submission,
        **answers,
        "U8": "",
        "U9": "",
        "layanan": "KIA",
        "jenis_kelamin": "P",
        "usia": "29",
        "pendidikan": "SMA",
        "pekerjaan": "Wirausaha",
        "saran": "Ruang tunggu panas",
        "channel": "paper",
        "simpan_kosong": "1",  # U8 and U9 really are blank on this questionnaire
    }
    saved = await client.post(f"/cycles/{cycle_id}/entri", data=body, follow_redirects=False)
    assert saved.status_code in (302, 303), saved.text
    after = await client.get(saved.headers["location"])
    assert "Tersimpan (1 jawaban kertas)" in after.text
    assert re.search(r'<input id="a-U1"[^>]*value=""[^>]*autofocus', after.text)  # empty again
    fresh = re.search(r'name="submission_token" value="([^"]+)"', after.text).group(1)
    assert fresh != submission
    twice = await client.post(f"/cycles/{cycle_id}/entri", data=body)  # a double click
    assert twice.status_code == 200 and "Tersimpan (1 jawaban kertas)" in twice.text
    stored = await Response.select().where(Response.cycle == cycle_id)
    assert len(stored) == 1
    row = stored[0]
    assert row["channel"] == "paper" and row["entered_by"] == users["opr"].user_id
    assert [row[f"u{n}"] for n in range(1, 10)] == [4, 3, 2, 4, 3, 3, 4, None, None]
    assert (
        row["jenis_kelamin"] == "P" and row["usia"] == 29 and row["saran"] == "Ruang tunggu panas"
    )

    wrong = await client.post(
        f"/cycles/{cycle_id}/entri",
        data={**body, "submission_token": fresh, "U2": "7", "usia": "tua", "channel": "interview"},
    )
    assert wrong.status_code == 422
    assert re.search(r'<input id="a-U2"[^>]*value="7"[^>]*aria-invalid="true"', wrong.text)
    assert re.search(r'id="f-usia"[^>]*aria-invalid="true"', wrong.text)
    assert await Response.count().where(Response.cycle == cycle_id) == 1
    interview = await client.post(
        f"/cycles/{cycle_id}/entri",
        data={**body, "submission_token": fresh, "channel": "interview"},
        follow_redirects=False,
    )
    assert interview.status_code in (302, 303)
    channels = sorted(r["channel"] for r in await Response.select(Response.channel))
    assert channels == ["interview", "paper"]


# --- import ------------------------------------------------------------------------------------


async def test_import_page_reports_rows_or_imports_all(client, db, hooks):
    await survey_world()
    cycle_id = await opened_cycle(hooks)
    await login(client, "opr", PASSWORD)
    page = await client.get(f"/cycles/{cycle_id}/impor")
    assert page.status_code == 200 and "U1, U2, U3" in page.text
    token = await csrf_token(client, f"/cycles/{cycle_id}/impor")
    bad = (
        "U1,U2,U3,U4,U5,U6,U7,U8,U9,layanan,metode\n"
        "3,3,3,3,3,3,3,3,3,UMUM,mandiri\n5,3,3,3,3,3,3,3,3,UMUM,mandiri\n"
        "3,3,3,3,3,3,3,3,3,GIGI,tatap muka\n"
    )
    report = await client.post(
        f"/cycles/{cycle_id}/impor",
        data={"_csrf_token": token},
        files={"file": ("salah.csv", bad.encode(), "text/csv")},
    )
    assert report.status_code == 422
    assert "Tidak ada yang diimpor: 2 kesalahan" in report.text
    rows = re.findall(
        r'<td data-label="Baris">([^<]*)</td><td data-label="Kolom">([^<]*)</td>', report.text
    )
    assert rows == [("3", "U1"), ("4", "layanan")]
    assert await Response.count() == 0
    good = bad.replace("5,3", "4,3").replace("GIGI", "KIA")
    done = await client.post(
        f"/cycles/{cycle_id}/impor",
        data={"_csrf_token": token},
        files={"file": ("benar.csv", good.encode(), "text/csv")},
    )
    assert done.status_code == 200 and "Berhasil: 3 kuesioner diimpor." in done.text
    assert await Response.count().where(Response.channel == "import") == 3
    repeat = await client.post(
        f"/cycles/{cycle_id}/impor",
        data={"_csrf_token": token},
        files={"file": ("benar.csv", good.encode(), "text/csv")},
    )
    assert repeat.status_code == 409 and "sudah pernah diimpor" in repeat.text
    assert await Response.count() == 3


async def test_import_templates_download(client, db, hooks):
    await survey_world()
    draft = await draft_cycle(hooks)
    opened = await opened_cycle(hooks, period="tw2")
    await login(client, "opr", PASSWORD)
    for cycle_id in (draft, opened):
        book = await client.get(f"/cycles/{cycle_id}/templat.xlsx")
        assert book.status_code == 200
        assert "spreadsheetml" in book.headers["content-type"]
        sheet = load_workbook(io.BytesIO(book.content)).active
        header = [cell.value for cell in next(sheet.iter_rows(max_row=1))]
        assert header[:9] == STANDARD and "layanan" in header
        text = await client.get(f"/cycles/{cycle_id}/templat.csv")
        assert text.status_code == 200
        assert text.text.splitlines()[0].split(",")[:10] == [*STANDARD, "layanan"]
