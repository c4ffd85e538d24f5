"""The app starts, serves the log-in page and the demo admin reaches the units list."""

from tests.conftest import login


async def test_login_then_units_list(client, demo_regency):
    assert (await client.get("/login")).status_code == 200
    await login(client, "admin", "demo-admin-2026")
    response = await client.get("/units")
    assert response.status_code == 200
    assert "Puskesmas Sukamaju" in response.text
    assert "Dinas Kesehatan" in response.text
