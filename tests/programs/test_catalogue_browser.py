"""The Program section in a real browser: an admin adds a district agency and a program it
runs, finds it in the catalogue; an operator forms a group, picks a member and records progress
until the group counts as productive."""

import pytest

from programs.models import EmpowermentGroup
from tests.conftest import DESA_A1, KEC_A
from tests.households import registry_factory as make

pytestmark = pytest.mark.browser

# The form's own button (the top bar has the logout and language buttons).
SUBMIT = ".form-actions button[type=submit]"


def test_admin_adds_an_agency_and_a_program(login_page, live_server, district_admin):
    page = login_page(district_admin)
    page.goto(f"{live_server.url}/program/lembaga/tambah/")
    page.fill("input[name=code]", "dinsos-malang")
    page.fill("input[name=name]", "Dinas Sosial Kabupaten Malang")
    page.select_option("select[name=kind]", "opd")
    page.click(SUBMIT)
    page.get_by_role("heading", name="Dinas Sosial Kabupaten Malang").wait_for()

    page.goto(f"{live_server.url}/program/program/tambah/")
    page.fill("input[name=code]", "lansia-kab")
    page.fill("input[name=name]", "Bantuan Lansia Kabupaten")
    page.select_option("select[name=kind]", "bansos")
    page.select_option("select[name=cluster]", "bantuan_sosial")
    page.select_option("select[name=agency]", label="Dinas Sosial Kabupaten Malang")
    page.select_option("select[name=funding_source]", "apbd_kabupaten")
    page.fill("input[name=max_desil]", "11")
    page.check("input[value=lanjut_usia]")
    page.click(SUBMIT)
    assert "Desil maksimal harus 1 sampai 10." in page.inner_text("section.card form")
    page.fill("input[name=max_desil]", "3")
    page.click(SUBMIT)
    page.get_by_role("heading", name="Bantuan Lansia Kabupaten · LANSIA-KAB").wait_for()
    rule = page.inner_text("#program-rule + ul")
    assert "Desil 1 sampai 3." in rule and "Lanjut usia" in rule

    page.goto(f"{live_server.url}/program/?q=lansia")
    assert "LANSIA-KAB" in page.inner_text("table")


def test_operator_forms_a_group_until_it_is_productive(login_page, live_server, operator_a):
    family = make.household(desa=DESA_A1)
    make.member(family, "Sulastri", make.years_old(38))
    page = login_page(operator_a)
    page.goto(f"{live_server.url}/program/kelompok/tambah/")
    page.fill("input[name=name]", "KUBE Mawar")
    assert page.input_value("select[name=kecamatan]") == KEC_A
    page.select_option("select[name=desa]", DESA_A1)
    page.fill("input[name=business_type]", "Keripik")
    page.fill("input[name=capital_aid]", "20000000")
    page.click(SUBMIT)
    page.get_by_role("heading", name="KUBE Mawar").wait_for()
    assert "Rp 20.000.000" in page.content()

    page.get_by_role("link", name="Tambah anggota").click()
    page.select_option("select[name=member]", label=f"Sulastri · {family.registry_id}")
    page.click(SUBMIT)
    page.get_by_text("Sulastri bergabung dengan kelompok.").wait_for()

    page.get_by_role("link", name="Catat perkembangan").click()
    page.fill("input[name=monthly_turnover]", "1500000")
    page.click(SUBMIT)
    page.get_by_text("Perkembangan kelompok dicatat.").wait_for()
    assert "Produktif" in page.inner_text("h1")
    assert EmpowermentGroup.objects.get().memberships.count() == 1
