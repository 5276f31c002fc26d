"""The household page ("360"): identity, members with ages and flags, housing, panels of other
apps, and the history; outside the area it does not exist."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from households import panels
from households.choices import ChangeAction, ChangeSource, NikFlag, Relationship, Sex
from households.history import log_change
from households.models import KKHistory
from tests.conftest import DESA_B1, client_for
from tests.households import registry_factory as make

pytestmark = pytest.mark.django_db


@pytest.fixture
def family(db):
    household = make.household(
        desil=2,
        jenis_lantai="Tanah",
        luas_lantai="24.50",
        daya_listrik=900,
        assets={"sepeda_motor": True, "lemari_es": False},
        livestock={"kambing": 3, "sapi": 0},
    )
    make.member(household, "Slamet Riyadi", make.years_old(64), Sex.MALE, Relationship.HEAD)
    make.member(
        household,
        "Siti Aminnah",
        make.years_old(38),
        Sex.FEMALE,
        Relationship.SPOUSE,
        hamil=True,
        penyakit_kronis="Hipertensi",
        nik_flags=[NikFlag.SEX_MISMATCH],
    )
    make.member(
        household,
        "Nabila",
        make.years_old(2),
        Sex.FEMALE,
        Relationship.CHILD,
        with_nik=False,
        nik_flags=[NikFlag.MISSING],
        disabilitas="Disabilitas fisik",
    )
    return household


def page(user, household, **params):
    return client_for(user).get(f"/data/keluarga/{household.pk}/", params)


def test_page_shows_identity_address_members_with_ages_and_flags(family, operator_a):
    response = page(operator_a, family)
    assert response.status_code == 200
    body = response.content.decode()
    assert family.registry_id in body and family.no_kk in body
    assert "Tulungrejo" in body and "Donomulyo" in body and "Kabupaten Malang" in body
    assert "Keluarga Slamet Riyadi" in body
    for label in [
        "Lansia 60+",
        "Hamil",
        "Penyakit kronis",
        "Jenis kelamin tidak cocok dengan NIK",
        "Tanpa NIK",
        "Disabilitas",
        "Anak di bawah 6 tahun",
    ]:
        assert label in body, label
    ages = {m.nama: m.age_today for m in response.context["members"]}
    assert ages == {"Slamet Riyadi": 64, "Siti Aminnah": 38, "Nabila": 2}


def test_page_shows_housing_assets_and_livestock(family, operator_a):
    body = page(operator_a, family).content.decode()
    assert "Tanah" in body and "24,5" in body and "900" in body
    assert "Sepeda motor" in body and "Lemari es" not in body
    assert "Kambing" in body and "Sapi" not in body


def test_no_kk_history_is_listed_when_the_number_changed(family, operator_a):
    KKHistory.objects.create(household=family, no_kk="3507019999990001", reason="Pecah KK")
    body = page(operator_a, family).content.decode()
    assert "Riwayat No. KK" in body and "3507019999990001" in body and "Pecah KK" in body


def test_history_shows_who_when_fields_old_new_and_source(family, operator_a, district_admin):
    log_change(
        household=family,
        action=ChangeAction.UPDATE,
        changes={"desil": [3, 2], "status_rumah": ["kontrak_sewa", "milik_sendiri"]},
        user=district_admin,
        source=ChangeSource.FORM,
    )
    body = page(operator_a, family).content.decode()
    assert "District Admin" in body
    assert "<del>3</del> → <ins>2</ins>" in body
    assert "<del>Kontrak/sewa</del> → <ins>Milik sendiri</ins>" in body
    assert "Formulir" in body


def test_long_history_is_cut_with_a_show_all_link(family, operator_a, district_admin):
    for desil in range(15):
        log_change(
            household=family,
            action=ChangeAction.UPDATE,
            changes={"desil": [desil, desil + 1]},
            user=district_admin,
            source=ChangeSource.FORM,
        )
    short = page(operator_a, family)
    assert len(short.context["history"]) == 10
    assert "Tampilkan semua riwayat" in short.content.decode()
    full = page(operator_a, family, riwayat="semua")
    assert len(full.context["history"]) == 15


def test_panels_of_other_apps_are_rendered(family, operator_a, monkeypatch):
    monkeypatch.setattr(panels, "_household_panels", {})
    panels.register_household_panel(
        key="programs",
        title="Program",
        template="core/region_options.html",
        context=lambda household, user: {"seen": (household.pk, user.username)},
        permission="households.view_household",
    )
    response = page(operator_a, family)
    [(panel, context)] = response.context["panels"]
    assert panel.key == "programs"
    assert context == {"seen": (family.pk, "operator_a")}


def test_household_outside_the_area_is_404(family, operator_b, outsider_admin, provider):
    for user in (operator_b, outsider_admin, provider):
        assert page(user, family).status_code == 404


def test_edit_links_only_for_users_who_may_correct(family, operator_a, district_admin):
    assert f"/data/keluarga/{family.pk}/ubah/" not in page(operator_a, family).content.decode()
    assert f"/data/keluarga/{family.pk}/ubah/" in page(district_admin, family).content.decode()


def test_query_count_does_not_grow_with_members_or_history(family, district_admin):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert page(district_admin, family).status_code == 200
        return len(captured)

    before = queries()
    for index in range(5):
        make.member(
            family, f"Cucu {index}", make.years_old(1), relationship=Relationship.GRANDCHILD
        )
        log_change(
            household=family,
            action=ChangeAction.UPDATE,
            changes={"desil": [1, 2]},
            user=district_admin,
            source=ChangeSource.FORM,
        )
    assert queries() == before


def test_other_area_household_of_the_same_name_is_not_shown(family, operator_a):
    other = make.household(desa=DESA_B1)
    assert page(operator_a, other).status_code == 404
