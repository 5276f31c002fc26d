"""The closed loop in a real browser: a desa Puskesos officer records a resident's health need
on a phone-sized screen and refers it to the puskesmas; the puskesmas accepts and completes it
from its inbox; the officer sees the service given on the household page."""

import re

import pytest

from referrals.models import Referral
from tests.referrals import factories as f

pytestmark = pytest.mark.browser


def test_intake_refer_accept_complete_closed_loop(
    login_page, live_server, page, puskesos_a, provider, transactional_db
):
    point = f.service_point(name="Puskesos Desa Satu")
    f.puskesmas(provider, name="Puskesmas Donomulyo")
    member = f.resident(name="Sri Wahyuni")
    page.set_viewport_size({"width": 390, "height": 844})
    login_page(puskesos_a)

    page.goto(f"{live_server.url}/rujukan/layanan/baru/")
    page.fill("#id_q", member.nik)
    page.get_by_role("button", name="Cari").click()
    page.get_by_role("link", name="Pilih").click()
    page.wait_for_url(re.compile(r"warga="))
    assert page.locator("#id_service_point").input_value() == str(point.pk)
    page.select_option("#id_channel", label="Datang langsung")
    page.get_by_label("Kesehatan").check()
    page.fill("#id_story", "Batuk lama, belum punya BPJS.")
    page.get_by_role("button", name="Simpan layanan").click()
    page.wait_for_url(re.compile(r"/rujukan/layanan/\d+/$"))
    assert "Layanan warga dicatat." in page.locator("body").inner_text()

    page.select_option("select[name$=agency]", label="Puskesmas Donomulyo")
    page.fill("textarea[name$=reason]", "Mohon diperiksa dan dibantu BPJS PBI.")
    page.get_by_role("button", name="Kirim rujukan").click()
    page.wait_for_url(re.compile(r"/rujukan/\d+/$"))
    referral = Referral.objects.get()
    assert referral.reference in page.locator("h1").inner_text()

    page.goto(f"{live_server.url}/rujukan/{referral.pk}/surat/")
    assert referral.reference in page.locator("body").inner_text()

    page.context.clear_cookies()
    login_page(provider)
    page.goto(f"{live_server.url}/rujukan/")
    page.wait_for_url("**/rujukan/masuk/")
    page.get_by_role("link", name="Buka").click()
    page.get_by_role("button", name="Terima").click()
    page.wait_for_url(f"**/rujukan/{referral.pk}/")
    page.fill("#note-complete", "Diperiksa dokter, didaftarkan BPJS PBI.")
    page.get_by_role("button", name="Selesai dilayani").click()
    page.wait_for_url(f"**/rujukan/{referral.pk}/")
    assert "Selesai dilayani" in page.locator("h1").inner_text()

    page.context.clear_cookies()
    login_page(puskesos_a)
    page.goto(f"{live_server.url}/data/keluarga/{member.household_id}/")
    body = page.locator("body").inner_text()
    assert referral.reference in body
    assert "Diperiksa dokter, didaftarkan BPJS PBI." in body
    page.screenshot(path="/tmp/referral_household.png", full_page=True)
