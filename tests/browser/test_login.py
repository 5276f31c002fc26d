"""Logging in, out and changing the password in a real browser, in Indonesian by default."""

import pytest
from django.conf import settings

from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


def submit_login(page, base_url, username, password):
    page.goto(f"{base_url}/masuk/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("main button[type=submit]")


def test_persona_logs_in_and_sees_the_indonesian_home_page(login_page, live_server, operator_a):
    page = login_page(operator_a)

    assert page.locator("html").get_attribute("lang") == "id"
    assert page.locator("h1").inner_text().startswith("Selamat datang")
    assert "Donomulyo" in page.locator("main").inner_text()
    assert "Keluar" in page.locator("header").inner_text()


def test_anonymous_visitor_is_sent_to_the_login_page_and_back(page, live_server, operator_a):
    page.goto(f"{live_server.url}/akun/kata-sandi/")
    assert page.url.startswith(f"{live_server.url}/masuk/?next=/akun/kata-sandi/")
    assert page.locator("h1").inner_text() == "Masuk ke Terpadu"
    assert page.locator("label[for=id_username]").inner_text() == "Nama pengguna"
    assert page.locator("label[for=id_password]").inner_text() == "Kata sandi"

    page.fill("input[name=username]", operator_a.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{live_server.url}/akun/kata-sandi/")


def test_wrong_password_shows_the_indonesian_error_once(page, live_server, operator_a):
    submit_login(page, live_server.url, operator_a.username, "bukan-sandinya")

    errors = page.locator("[role=alert]")
    assert errors.count() == 1
    assert "kata sandi salah" in errors.inner_text()
    assert page.url == f"{live_server.url}/masuk/"


def test_repeated_failures_lock_the_account_even_with_the_right_password(
    page, live_server, operator_a
):
    limit = settings.AXES_FAILURE_LIMIT
    assert limit == 5
    for _attempt in range(limit - 1):
        submit_login(page, live_server.url, operator_a.username, "salah-lagi")
        assert "kata sandi salah" in page.locator("main").inner_text()

    submit_login(page, live_server.url, operator_a.username, "salah-lagi")
    assert page.locator("h1").inner_text() == "Terlalu banyak percobaan masuk"

    submit_login(page, live_server.url, operator_a.username, PASSWORD)
    assert page.locator("h1").inner_text() == "Terlalu banyak percobaan masuk"
    assert page.url.startswith(f"{live_server.url}/masuk/")


def test_lock_is_per_username(page, live_server, operator_a, operator_b):
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        submit_login(page, live_server.url, operator_a.username, "salah-lagi")
    assert page.locator("h1").inner_text() == "Terlalu banyak percobaan masuk"

    submit_login(page, live_server.url, operator_b.username, PASSWORD)
    page.wait_for_url(f"{live_server.url}/")
    assert page.locator("h1").inner_text().startswith("Selamat datang")


def test_logout_returns_to_the_login_page(login_page, live_server, operator_a):
    page = login_page(operator_a)
    page.click("header button:has-text('Keluar')")
    page.wait_for_url(f"{live_server.url}/masuk/")

    page.goto(f"{live_server.url}/")
    assert page.url.startswith(f"{live_server.url}/masuk/")


def test_password_change_in_indonesian(login_page, live_server, operator_a):
    page = login_page(operator_a)
    page.click("header a:has-text('Ubah kata sandi')")
    assert page.locator("h1").inner_text() == "Ubah kata sandi"

    page.fill("input[name=old_password]", "bukan-sandi-lama")
    page.fill("input[name=new_password1]", "sandi-baru-yang-panjang-7")
    page.fill("input[name=new_password2]", "sandi-baru-yang-panjang-7")
    page.click("main button[type=submit]")
    assert "Sandi lama Anda yang dimasukkan salah" in page.locator("main").inner_text()

    page.fill("input[name=old_password]", PASSWORD)
    page.fill("input[name=new_password1]", "sandi-baru-yang-panjang-7")
    page.fill("input[name=new_password2]", "sandi-baru-yang-panjang-7")
    page.click("main button[type=submit]")
    page.wait_for_url(f"{live_server.url}/akun/kata-sandi/selesai/")
    assert page.locator("h1").inner_text() == "Kata sandi sudah diubah"
    operator_a.refresh_from_db()
    assert operator_a.check_password("sandi-baru-yang-panjang-7")


def test_switching_to_english_changes_the_page_language(page, live_server):
    page.goto(f"{live_server.url}/masuk/")
    assert page.locator("label[for=id_username]").inner_text() == "Nama pengguna"

    with page.expect_navigation():
        page.select_option("#language", "en")

    assert page.url == f"{live_server.url}/masuk/"
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("label[for=id_username]").inner_text() == "Username"
    cookies = {c["name"]: c["value"] for c in page.context.cookies()}
    assert cookies[settings.LANGUAGE_COOKIE_NAME] == "en"

    with page.expect_navigation():
        page.select_option("#language", "id")
    assert page.locator("html").get_attribute("lang") == "id"
    assert page.locator("label[for=id_username]").inner_text() == "Nama pengguna"
