"""The portal's open-data bundle and cache validators (issue 13): stable URLs, a dictionary, a
licence and a last-updated date; ETag/Last-Modified that change when something is published."""

from __future__ import annotations

import csv
import io

from tests.factories import make_unit
from tests.integration.portal_data import (
    SECRET_SARAN,
    answered_cycle,
    close,
    publish,
    report_and_publish,
)


def _rows(body: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))


async def test_bundle_holds_published_aggregates_only(client, hooks):
    await make_unit("PKM-A", "puskesmas", services=("UMUM",))
    await make_unit("DINAS", "opd")
    published = await answered_cycle(hooks, "PKM-A", [4, 3], services=("UMUM",))
    await publish(hooks, published)
    await close(hooks, await answered_cycle(hooks, "DINAS", [1, 1]))

    response = await client.get("/data-terbuka/hasil-skm.csv")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    rows = _rows(response.content)
    assert {r["kode_unit"] for r in rows} == {"PKM-A"}
    whole = [r for r in rows if r["kode_layanan"] == ""]
    service = [r for r in rows if r["kode_layanan"] == "UMUM"]
    assert len(whole) == 9 and len(service) == 9  # one row per unsur, for the cycle and the service
    u1 = next(r for r in whole if r["kode_unsur"] == "U1")
    assert (u1["jumlah_nilai_3"], u1["jumlah_nilai_4"], u1["responden"]) == ("1", "1", "2")
    assert u1["di_bawah_sampel_minimum"] == "0" and u1["mutu"] == "B"
    assert SECRET_SARAN not in response.text

    bundle = (await client.get("/data-terbuka/suara-data-terbuka.json")).json()
    assert bundle["licence"]["url"].startswith("https://creativecommons.org/")
    assert bundle["last_updated"] and len(bundle["results"]) == 18
    assert {d["kolom"] for d in bundle["dictionary"]} >= {"kode_unsur", "jumlah_nilai_4"}
    assert SECRET_SARAN not in str(bundle)

    dictionary = _rows((await client.get("/data-terbuka/kamus-data.csv")).content)
    assert {r["berkas"] for r in dictionary} == {
        "hasil-skm.csv",
        "rencana-tindak-lanjut.csv",
        "forum.csv",
    }
    assert _rows((await client.get("/data-terbuka/forum.csv")).content) == []
    assert _rows((await client.get("/data-terbuka/rencana-tindak-lanjut.csv")).content) == []
    page = (await client.get("/data-terbuka")).text
    assert 'rel="license"' in page and 'id="last-updated"' in page and "jumlah_nilai_1" in page


async def test_validators_change_when_something_is_published(client, hooks):
    await make_unit("PKM-A", "puskesmas")
    first = await answered_cycle(hooks, "PKM-A", [4, 4])
    await publish(hooks, first)
    second = await answered_cycle(hooks, "PKM-A", [2, 2], period="tw2")

    for path in (
        "/",
        "/transparansi/unit/PKM-A",
        "/api/v1/public/units",
        "/data-terbuka/hasil-skm.csv",
    ):
        response = await client.get(path)
        etag, modified = response.headers["etag"], response.headers["last-modified"]
        assert "no-cache" in response.headers["cache-control"]
        again = await client.get(path, headers={"If-None-Match": etag})
        assert again.status_code == 304 and again.content == b""
        since = await client.get(path, headers={"If-Modified-Since": modified})
        assert since.status_code == 304

    before = (await client.get("/api/v1/public/units")).headers["etag"]
    await close(hooks, second)  # closing is not publishing: nothing public changes
    assert (await client.get("/api/v1/public/units")).headers["etag"] == before
    await report_and_publish(second)
    response = await client.get("/api/v1/public/units", headers={"If-None-Match": before})
    assert response.status_code == 200 and response.headers["etag"] != before
    assert response.json()[0]["latest"]["cycle"] == second
