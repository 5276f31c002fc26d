"""Finding a household in a real browser: a misspelled name, the household page with its
members and history, and the kecamatan → desa picker."""

import re

import pytest

from households.choices import ChangeAction, ChangeSource, Relationship, Sex
from households.history import log_change
from tests.conftest import DESA_A1, DESA_A2, KEC_A
from tests.households import registry_factory as make

pytestmark = pytest.mark.browser


@pytest.fixture
def aminah_family(transactional_db, district_admin):
    family = make.household(desa=DESA_A1, desil=2)
    make.member(family, "Slamet Riyadi", make.years_old(50), Sex.MALE, Relationship.HEAD)
    make.member(family, "Siti Aminnah", make.years_old(44), Sex.FEMALE, Relationship.SPOUSE)
    make.member(family, "Nabila", make.years_old(3), Sex.FEMALE, Relationship.CHILD)
    for index in range(30):
        other = make.household(desa=DESA_A2)
        make.member(other, f"Bambang Santoso {index}", make.years_old(40))
    log_change(
        household=family,
        action=ChangeAction.UPDATE,
        changes={"desil": [3, 2]},
        user=district_admin,
        source=ChangeSource.FORM,
    )
    return family


def test_find_a_misspelled_name_and_open_the_household(
    login_page, live_server, operator_a, aminah_family
):
    page = login_page(operator_a)
    page.goto(f"{live_server.url}/data/")
    page.fill("input[name=q]", "Siti Aminah")
    page.click("form.registry-filters button[type=submit]")
    # htmx posts the search and swaps the results; the address holds a key, never the name.
    page.wait_for_url(re.compile(r"/data/\?cari=[\w-]+$"))
    assert "Aminah" not in page.url
    results = page.locator("#registry-results")
    results.get_by_text("Siti Aminnah").wait_for()
    assert "Menampilkan 1–1 dari 1 keluarga" in results.inner_text()

    results.get_by_role("link", name=aminah_family.registry_id).click()
    page.wait_for_url(f"**/data/keluarga/{aminah_family.pk}/")
    assert page.locator("h1").inner_text().startswith("Keluarga Slamet Riyadi")
    members = page.locator("table.members").inner_text()
    for name in ("Slamet Riyadi", "Siti Aminnah", "Nabila"):
        assert name in members
    assert "Anak di bawah 6 tahun" in members
    history = page.locator("#riwayat").inner_text()
    assert "District Admin" in history and "Desil" in history and "Formulir" in history


def test_kecamatan_choice_loads_its_desa(login_page, live_server, district_admin, aminah_family):
    page = login_page(district_admin)
    page.goto(f"{live_server.url}/data/")
    assert page.locator("#id_desa option").count() == 1
    with page.expect_response("**/wilayah/pilihan/**"):
        page.select_option("#id_kecamatan", KEC_A)
    page.wait_for_function("document.querySelectorAll('#id_desa option').length > 5")
    page.select_option("#id_desa", DESA_A1)
    page.click("form.registry-filters button[type=submit]")
    page.wait_for_url(f"**desa={DESA_A1}**")
    assert aminah_family.registry_id in page.locator("#registry-results").inner_text()
    # Back to all kecamatan empties the desa list again.
    with page.expect_response("**/wilayah/pilihan/**"):
        page.select_option("#id_kecamatan", "")
    page.wait_for_function("document.querySelectorAll('#id_desa option').length === 1")
