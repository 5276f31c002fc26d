"""In the browser: an admin adds a staff member with the region picker and deactivates them."""

import pytest
from django.contrib.auth import get_user_model

from tests.conftest import DESA_A1

pytestmark = pytest.mark.browser


def test_add_then_deactivate_staff(district_admin, login_page, live_server):
    page = login_page(district_admin)
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto(f"{live_server.url}/akun/petugas/tambah/")
    page.fill("input[name=username]", "siti.puskesos")
    page.fill("input[name=first_name]", "Siti Aminah")
    page.select_option("select[name=role]", "petugas_puskesos")
    page.select_option("select[name=kecamatan]", "35.07.01")
    page.select_option("select[name=desa]", DESA_A1)
    page.fill("input[name=password]", "Kenanga-Tujuh-77")
    page.fill("input[name=password_confirm]", "Kenanga-Tujuh-77")
    page.click("form.staff-form button[type=submit]")
    page.wait_for_url(f"{live_server.url}/akun/petugas/")
    assert page.locator(".alert-success").inner_text().startswith("Petugas siti.puskesos")
    staff = get_user_model().objects.get(username="siti.puskesos")
    assert staff.profile.area_code == DESA_A1

    row = page.locator("tr", has_text="siti.puskesos")
    assert "Tulungrejo" in row.inner_text()
    # The deactivation asks first; dismissing it changes nothing.
    page.once("dialog", lambda dialog: dialog.dismiss())
    row.locator("button", has_text="Nonaktifkan").click()
    page.wait_for_timeout(300)
    staff.refresh_from_db()
    assert staff.is_active

    page.once("dialog", lambda dialog: dialog.accept())
    row.locator("button", has_text="Nonaktifkan").click()
    page.wait_for_selector("text=dinonaktifkan dan tidak bisa masuk lagi")
    staff.refresh_from_db()
    assert not staff.is_active
    assert "Nonaktif" in page.locator("tr", has_text="siti.puskesos").inner_text()
