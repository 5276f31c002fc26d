"""A resident files a complaint on a phone-sized screen, without an account; an officer triages
and resolves it; the resident reads the answer on the status page."""

import re

import pytest

from complaints.models import Complaint
from tests.complaints import factories
from tests.conftest import DESA_A1

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}


@pytest.fixture
def category(transactional_db):
    return factories.category()


def test_file_on_a_phone_then_officer_resolves_then_resident_reads(
    browser, live_server, login_page, page, complaints_a, category, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    phone = browser.new_context(viewport=PHONE, java_script_enabled=False, is_mobile=True)
    resident = phone.new_page()
    resident.goto(f"{live_server.url}/pengaduan/lapor/")
    resident.select_option("#id_category", label="Bantuan belum diterima")
    resident.select_option("#id_desa", value=DESA_A1)
    resident.fill("#id_description", "Bantuan sembako bulan Mei belum saya terima.")
    resident.fill("#id_complainant_name", "Sumarni")
    resident.fill("#id_complainant_contact", "081234567890")
    resident.get_by_role("button", name="Kirim pengaduan").click()
    resident.wait_for_url("**/pengaduan/lapor/terkirim/")
    ticket = resident.locator("#ticket").inner_text()
    code = resident.locator("#tracking-code").inner_text()
    assert re.match(r"^ADU-\d{4}-\d{6}$", ticket) and len(code) == 10
    complaint = Complaint.objects.get()
    assert complaint.ticket == ticket

    officer = login_page(complaints_a)
    officer.goto(f"{live_server.url}/pengaduan/")
    officer.get_by_role("link", name=ticket).click()
    officer.wait_for_url(f"**/pengaduan/{complaint.pk}/")
    officer.get_by_role("button", name="Simpan telaah").click()
    officer.wait_for_url(f"**/pengaduan/{complaint.pk}/")
    assert "Ditelaah" in officer.locator("#complaint-status").inner_text()
    officer.get_by_role("button", name="Mulai tangani").click()
    officer.wait_for_url(f"**/pengaduan/{complaint.pk}/")
    form = officer.locator("#resolve-form")
    form.locator("select[name=decision]").select_option("upheld")
    form.locator("textarea[name=public_reply]").fill("Bantuan Anda disalurkan ulang minggu ini.")
    form.get_by_role("button", name="Selesaikan pengaduan").click()
    officer.wait_for_url(f"**/pengaduan/{complaint.pk}/")
    assert "Selesai ditangani" in officer.locator("#complaint-status").inner_text()

    resident.goto(f"{live_server.url}/pengaduan/cek/")
    resident.fill("#id_ticket", ticket)
    resident.fill("#id_code", code.lower())
    resident.get_by_role("button", name="Cek status").click()
    result = resident.locator("#status-result")
    result.wait_for()
    text = result.inner_text()
    assert "Selesai ditangani" in text and "disalurkan ulang minggu ini" in text
    assert "Sumarni" not in text and "0812" not in text
    assert "cek" in resident.url and code not in resident.url

    resident.fill("#id_code", "SALAHKODE1")
    resident.fill("#id_ticket", ticket)
    resident.get_by_role("button", name="Cek status").click()
    assert "Pengaduan tidak ditemukan" in resident.locator("#status-not-found").inner_text()
    phone.close()
