"""Direct corrections by the office: every change in the history with old → new, optimistic
locking, NIK checks on the form, area scope and permissions."""

import pytest

from households.choices import ChangeAction, ChangeSource, NikFlag, Relationship, Sex
from households.models import ChangeLog, Household, KKHistory, Member
from households.nik import make_nik
from households.services.registry import StaleVersion, update_household
from tests.conftest import DESA_A1, DESA_A2, DESA_B1, KEC_A, KEC_B, client_for
from tests.households import registry_factory as make

pytestmark = pytest.mark.django_db


@pytest.fixture
def family(db):
    return make.family(desil=3)


def household_form(household, **changes):
    data = {
        "no_kk": household.no_kk,
        "kecamatan": household.desa_id[:8],
        "desa": household.desa_id,
        "alamat": household.alamat,
        "rt": household.rt,
        "rw": household.rw,
        "dusun": household.dusun,
        "desil": household.desil or "",
        "status": household.status,
        "last_verified": "",
        "data_source": household.data_source,
        "status_rumah": household.status_rumah,
        "luas_lantai": "",
        "daya_listrik": "",
        "pbi_nas": "unknown",
        "pbi_pemda": "unknown",
        "version": household.version,
    }
    for name in Household._meta.get_field("jenis_lantai"), Household._meta.get_field("jenis_atap"):
        data[name.name] = ""
    data.update(changes)
    return data


def member_form(member, **changes):
    data = {
        "nik": member.nik or "",
        "nama": member.nama,
        "jenis_kelamin": member.jenis_kelamin,
        "tempat_lahir": member.tempat_lahir,
        "tanggal_lahir": member.tanggal_lahir.isoformat(),
        "hubungan_keluarga": member.hubungan_keluarga,
        "status_kawin": member.status_kawin,
        "status": member.status,
        "version": member.version,
    }
    data.update(changes)
    return data


def edit_url(household):
    return f"/data/keluarga/{household.pk}/ubah/"


def test_edit_saves_and_logs_old_and_new_values(family, district_admin):
    response = client_for(district_admin).post(
        edit_url(family), household_form(family, desil="2", alamat="Jl. Kenanga 5")
    )
    assert response.status_code == 302
    family.refresh_from_db()
    assert (family.desil, family.alamat, family.version) == (2, "Jl. Kenanga 5", 2)
    log = ChangeLog.objects.get(household=family)
    assert log.action == ChangeAction.UPDATE and log.source == ChangeSource.FORM
    assert log.user == district_admin
    assert log.changes == {"desil": [3, 2], "alamat": ["", "Jl. Kenanga 5"]}
    page = client_for(district_admin).get(f"/data/keluarga/{family.pk}/").content.decode()
    assert "<del>3</del> → <ins>2</ins>" in page


def test_saving_without_changes_logs_nothing(family, district_admin):
    client_for(district_admin).post(edit_url(family), household_form(family))
    family.refresh_from_db()
    assert family.version == 1
    assert not ChangeLog.objects.exists()


def test_moving_to_another_desa_uses_the_region_picker(family, district_admin):
    data = household_form(family, kecamatan=KEC_B, desa=DESA_B1)
    assert client_for(district_admin).post(edit_url(family), data).status_code == 302
    family.refresh_from_db()
    assert family.desa_id == DESA_B1
    assert ChangeLog.objects.get().changes == {"desa": [DESA_A1, DESA_B1]}


def test_desa_outside_the_kecamatan_is_a_field_error(family, district_admin):
    data = household_form(family, kecamatan=KEC_A, desa=DESA_B1)
    response = client_for(district_admin).post(edit_url(family), data)
    assert response.status_code == 400
    assert response.context["form"].errors["desa"]


def test_someone_else_saved_meanwhile_warns_instead_of_overwriting(family, district_admin):
    client = client_for(district_admin)
    opened = household_form(family)  # the form as the first user opened it (version 1)
    update_household(family, {"desil": 1}, district_admin, expected_version=1)

    response = client.post(edit_url(family), {**opened, "desil": "5", "alamat": "Jl. Baru"})
    assert response.status_code == 409
    body = response.content.decode()
    assert "sudah diubah orang lain" in body
    family.refresh_from_db()
    assert (family.desil, family.alamat) == (1, "")  # nothing overwritten
    form = response.context["form"]
    assert form.initial["desil"] == 1 and form.initial["version"] == 2
    typed = {str(row["label"]): row["mine"] for row in response.context["typed"]}
    assert typed["Desil"] == 5 and typed["Alamat"] == "Jl. Baru"

    # Saving again from the refreshed form works.
    assert client.post(edit_url(family), household_form(family, desil="5")).status_code == 302


def test_service_refuses_a_stale_version(family, district_admin):
    update_household(family, {"desil": 1}, district_admin, expected_version=1)
    with pytest.raises(StaleVersion):
        update_household(family, {"desil": 4}, district_admin, expected_version=1)


def test_invalid_values_are_shown_on_the_fields_in_indonesian(family, district_admin):
    response = client_for(district_admin).post(
        edit_url(family), household_form(family, desil="11", no_kk="3.50701E+15", rt="12345")
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert "rusak oleh Excel" in errors["no_kk"][0]
    assert "10" in errors["desil"][0]
    assert errors["rt"]
    assert "Periksa lagi isian" in response.content.decode()


def test_no_kk_change_moves_the_kk_history_along(family, district_admin):
    client_for(district_admin).post(
        edit_url(family), household_form(family, no_kk="3507010101250099")
    )
    history = list(KKHistory.objects.filter(household=family).order_by("valid_from"))
    assert [h.no_kk for h in history] == [history[0].no_kk, "3507010101250099"]
    assert history[0].valid_to is not None and history[1].valid_to is None


def test_no_kk_of_another_active_household_is_a_field_error(family, district_admin):
    other = make.household(desa=DESA_A2)
    response = client_for(district_admin).post(
        edit_url(family), household_form(family, no_kk=other.no_kk)
    )
    assert response.status_code == 400
    assert "sudah dipakai" in response.context["form"].errors["no_kk"][0]


def test_member_edit_checks_the_nik_and_logs(family, district_admin):
    wife = family.members.get(hubungan_keluarga=Relationship.SPOUSE)
    url = f"/data/anggota/{wife.pk}/ubah/"
    client = client_for(district_admin)

    bad = client.post(url, member_form(wife, nik="350701450785000"))
    assert bad.status_code == 400
    assert "harus 16 angka" in bad.context["form"].errors["nik"][0]

    impossible = client.post(url, member_form(wife, nik="3507019913850001"))
    assert "bukan tanggal yang mungkin" in impossible.context["form"].errors["nik"][0]

    # A NIK encoding another birth date is saved with a warning flag, not refused.
    other_date = make_nik(KEC_A, wife.tanggal_lahir.replace(day=1), Sex.FEMALE, 4242)
    saved = client.post(
        url, member_form(wife, nik=other_date, nama="Sri Wahyuningsih"), follow=True
    )
    assert saved.status_code == 200
    assert "menyebut tanggal lahir" in saved.content.decode()
    wife.refresh_from_db()
    assert wife.nik == other_date and wife.nik_flags == [NikFlag.BIRTHDATE_MISMATCH]
    log = ChangeLog.objects.get(member=wife)
    assert log.changes["nama"] == ["Sri Wahyuni", "Sri Wahyuningsih"]
    assert log.changes["nik_flags"] == [[], [NikFlag.BIRTHDATE_MISMATCH]]


def test_member_nik_of_someone_else_is_a_field_error(family, district_admin):
    wife = family.members.get(hubungan_keluarga=Relationship.SPOUSE)
    other = make.family(desa=DESA_B1)
    taken = other.members.get(hubungan_keluarga=Relationship.SPOUSE).nik
    response = client_for(district_admin).post(
        f"/data/anggota/{wife.pk}/ubah/", member_form(wife, nik=taken)
    )
    assert response.status_code == 400
    assert "sudah terdaftar" in response.context["form"].errors["nik"][0]


def test_member_stale_version_warns(family, district_admin):
    child = family.members.get(hubungan_keluarga=Relationship.CHILD)
    opened = member_form(child)
    Member.objects.filter(pk=child.pk).update(version=2, nama="Rizky P.")
    response = client_for(district_admin).post(
        f"/data/anggota/{child.pk}/ubah/", {**opened, "nama": "Rizky Pratama Putra"}
    )
    assert response.status_code == 409
    child.refresh_from_db()
    assert child.nama == "Rizky P."


def test_add_member_without_nik_is_flagged_missing(family, district_admin):
    response = client_for(district_admin).post(
        f"/data/keluarga/{family.pk}/anggota/tambah/",
        {
            "nik": "",
            "nama": "Bayi Baru",
            "jenis_kelamin": Sex.FEMALE,
            "tanggal_lahir": make.years_old(0).isoformat(),
            "hubungan_keluarga": Relationship.CHILD,
            "status": "alive",
        },
    )
    assert response.status_code == 302
    baby = family.members.get(nama="Bayi Baru")
    assert baby.nik is None and baby.nik_flags == [NikFlag.MISSING]
    log = ChangeLog.objects.get(member=baby)
    assert log.action == ChangeAction.CREATE and log.changes["nama"] == [None, "Bayi Baru"]


def test_future_birth_date_is_refused(family, district_admin):
    child = family.members.get(hubungan_keluarga=Relationship.CHILD)
    response = client_for(district_admin).post(
        f"/data/anggota/{child.pk}/ubah/", member_form(child, tanggal_lahir="2999-01-01")
    )
    assert "masa depan" in response.context["form"].errors["tanggal_lahir"][0]


def test_operator_may_look_but_not_correct(family, operator_a):
    client = client_for(operator_a)
    assert client.get(edit_url(family)).status_code == 403
    assert client.post(edit_url(family), household_form(family, desil="1")).status_code == 403
    family.refresh_from_db()
    assert family.desil == 3


def test_edit_outside_the_area_is_404_even_with_the_permission(family, operator_b, outsider_admin):
    member = family.members.first()
    for user in (operator_b, outsider_admin):
        client = client_for(user)
        assert client.get(edit_url(family)).status_code == 404
        assert client.post(edit_url(family), household_form(family, desil="1")).status_code == 404
        assert client.get(f"/data/anggota/{member.pk}/ubah/").status_code == 404
        assert client.get(f"/data/keluarga/{family.pk}/anggota/tambah/").status_code == 404
    family.refresh_from_db()
    assert family.desil == 3


def test_kecamatan_admin_cannot_move_a_household_out_of_the_area(family, operator_a):
    from accounts.roles import Role
    from accounts.services import set_role

    set_role(operator_a, Role.ADMIN_DINAS, KEC_A)
    data = household_form(family, kecamatan=KEC_B, desa=DESA_B1)
    response = client_for(operator_a).post(edit_url(family), data)
    assert response.status_code == 400
    family.refresh_from_db()
    assert family.desa_id == DESA_A1
