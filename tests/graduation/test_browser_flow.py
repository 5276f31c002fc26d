"""On a phone: a facilitator logs a *sejahtera mandiri* graduation with the signed statement,
the kecamatan coordinator verifies it, the district approves, and the facilitator's progress bar
moves."""

import re

import pytest

from graduation.models import Graduation
from programs.models import Enrolment
from tests.graduation import factories

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def progress_value(page, live_server, username) -> str:
    page.goto(f"{live_server.url}/graduasi/capaian/")
    return page.locator(f'[data-facilitator="{username}"] progress').get_attribute("value")


def switch_user(page, login_page, user):
    page.context.clear_cookies()
    return login_page(user)


def test_sejahtera_mandiri_from_phone_to_approval(
    login_page, live_server, tmp_path, facilitator_a, operator_a, district_admin
):
    household = factories.pkh_household()
    factories.assign(factories.facilitator(facilitator_a), household)
    pena = factories.empowerment("PENA")
    statement = tmp_path / "surat-pernyataan.pdf"
    statement.write_bytes(factories.PDF)

    page = login_page(facilitator_a)
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/graduasi/")
    assert household.registry_id in page.locator(".kpm-list").inner_text()
    page.get_by_role("link", name="Usulkan graduasi").first.click()
    page.wait_for_url(re.compile(r"/graduasi/keluarga/\d+/usulkan/"))
    page.select_option("#id_kind", value="sejahtera_mandiri")
    page.fill("#id_reasons", "Warung kelontong sudah mencukupi kebutuhan keluarga")
    page.check("#id_ready_economy")
    page.check("#id_ready_housing")
    page.select_option("#id_next_program", value=str(pena.pk))
    page.set_input_files("#id_statement", str(statement))
    # The page fits the phone: nothing wider than the screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.get_by_role("button", name="Kirim usulan graduasi").click()
    page.wait_for_url(re.compile(r"/graduasi/\d+/$"))
    assert "Diusulkan" in page.locator("h1").inner_text()
    graduation = Graduation.objects.get()
    assert graduation.statement.name.endswith(".pdf")

    page = switch_user(page, login_page, district_admin)
    assert progress_value(page, live_server, facilitator_a.username) == "0"

    page = switch_user(page, login_page, operator_a)
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/graduasi/{graduation.pk}/")
    page.get_by_role("button", name="Verifikasi").click()
    page.wait_for_url(f"**/graduasi/{graduation.pk}/")
    assert "Diverifikasi" in page.locator("h1").inner_text()

    page = switch_user(page, login_page, district_admin)
    page.goto(f"{live_server.url}/graduasi/{graduation.pk}/")
    page.get_by_role("button", name="Setujui graduasi").click()
    page.wait_for_url(f"**/graduasi/{graduation.pk}/")
    assert "Disetujui" in page.locator("h1").inner_text()
    assert progress_value(page, live_server, facilitator_a.username) == "1"
    assert Enrolment.objects.get(household=household, program__code="PKH").status == "graduated"
    assert Enrolment.objects.get(household=household, program=pena).status == "proposed"
