"""Enrolling in a real browser: one household from its page (a second one above the desil
ceiling only with a justification), then every household of a filtered registry list, and the
enrolments seen on the household page."""

import re

import pytest

from programs.models import Enrolment
from tests.conftest import DESA_A1, DESA_A2, DESA_B1
from tests.households import registry_factory as make
from tests.programs import factories

pytestmark = pytest.mark.browser


@pytest.fixture
def sembako(transactional_db):
    return factories.program("SEMBAKO", name="Program Sembako", max_desil=4)


def test_enrol_from_the_household_page_with_a_justification_when_above_the_ceiling(
    login_page, live_server, operator_a, sembako
):
    poor = make.family(desa=DESA_A1, head="Slamet Riyadi", desil=2)
    better_off = make.family(desa=DESA_A1, head="Hartono", desil=7)
    page = login_page(operator_a)

    page.goto(f"{live_server.url}/data/keluarga/{poor.pk}/")
    page.get_by_role("link", name="Daftarkan ke program").click()
    page.wait_for_url(re.compile(r"/program/.*"))
    page.select_option("#id_program", label="SEMBAKO · Program Sembako")
    page.fill("#id_reason", "Hasil musyawarah desa")
    page.get_by_role("button", name="Daftarkan", exact=True).click()
    page.wait_for_url(f"**/data/keluarga/{poor.pk}/")
    assert "didaftarkan ke SEMBAKO (Diusulkan)" in page.locator("body").inner_text()
    panel = page.locator("body").inner_text()
    assert "SEMBAKO" in panel and "Diusulkan" in panel

    page.goto(f"{live_server.url}/data/keluarga/{better_off.pk}/")
    page.get_by_role("link", name="Daftarkan ke program").click()
    page.select_option("#id_program", label="SEMBAKO · Program Sembako")
    page.get_by_role("button", name="Daftarkan", exact=True).click()
    warning = page.locator(".alert-warning")
    warning.wait_for()
    assert "Keluarga di desil 7; program ini untuk desil 1–4." in warning.inner_text()
    assert not Enrolment.objects.filter(household=better_off).exists()
    page.fill("#id_justification", "SK Kemensos penetapan KPM 2026")
    page.get_by_role("button", name="Daftarkan", exact=True).click()
    page.wait_for_url(f"**/data/keluarga/{better_off.pk}/")
    assert "tidak sesuai aturan" in page.locator("body").inner_text()
    enrolment = Enrolment.objects.get(household=better_off)
    assert (enrolment.flags, enrolment.justification) == (
        ["above_ceiling"],
        "SK Kemensos penetapan KPM 2026",
    )


def test_enrol_a_filtered_registry_list_then_see_it_on_the_household_page(
    login_page, live_server, operator_a, sembako
):
    chosen = [make.family(desa=DESA_A2, head=f"Warga Dua {i}", desil=3) for i in range(3)]
    make.family(desa=DESA_A1, head="Warga Satu", desil=3)
    elsewhere = make.family(desa=DESA_B1, head="Warga Lain", desil=3)
    page = login_page(operator_a)

    page.goto(f"{live_server.url}/data/?desa={DESA_A2}")
    results = page.locator("#registry-results")
    assert "dari 3 keluarga" in results.inner_text()
    results.get_by_role("link", name="Daftarkan ke program").click()
    page.wait_for_url(re.compile(rf"/program/.*desa={re.escape(DESA_A2)}"))
    assert "3 keluarga sesuai filter daftar registri." in page.locator("h1 + p").inner_text()
    page.select_option("#id_program", label="SEMBAKO · Program Sembako")
    page.get_by_role("button", name="Pratinjau").click()
    preview = page.locator("section[role=status]")
    preview.wait_for()
    assert "3 akan didaftarkan" in preview.inner_text()
    assert not Enrolment.objects.exists()
    page.get_by_role("button", name="Daftarkan 3 keluarga").click()
    page.wait_for_url(re.compile(r"/program/.*source=registry_list"))
    assert "3 keluarga didaftarkan ke SEMBAKO" in page.locator("body").inner_text()
    assert set(Enrolment.objects.values_list("household_id", flat=True)) == {
        household.pk for household in chosen
    }
    assert not Enrolment.objects.filter(household=elsewhere).exists()

    page.goto(f"{live_server.url}/data/keluarga/{chosen[0].pk}/")
    panel = page.locator("body").inner_text()
    assert "SEMBAKO" in panel and "Diusulkan" in panel
