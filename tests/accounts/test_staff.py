"""Staff management by the district admin: inside their area only, no escalation, deactivation."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from accounts.roles import ROLE_AREA_LEVELS, ROLE_PERMISSIONS, Role
from accounts.services import set_role
from tests.conftest import (
    DESA_A1,
    DESA_B1,
    KAB,
    KEC_A,
    KEC_B,
    PASSWORD,
    client_for,
    make_persona,
)

User = get_user_model()
LIST_URL = reverse("accounts:staff_list")
CREATE_URL = reverse("accounts:staff_create")
NEW_PASSWORD = "Kenanga-Tujuh-77"


def update_url(user):
    return reverse("accounts:staff_update", args=[user.pk])


def set_active_url(user):
    return reverse("accounts:staff_set_active", args=[user.pk])


def new_staff(**overrides):
    return {
        "username": "siti.operator",
        "first_name": "Siti Aminah",
        "email": "siti@example.test",
        "phone": "081234567890",
        "role": Role.OPERATOR_KECAMATAN,
        "kecamatan": KEC_A,
        "desa": "",
        "password": NEW_PASSWORD,
        "password_confirm": NEW_PASSWORD,
        **overrides,
    }


def listed(response) -> set[str]:
    return {row.record.username for row in response.context["table"].page.object_list}


def test_list_shows_staff_inside_the_area_only(personas):
    superuser = User.objects.create_superuser("root", password=PASSWORD)
    set_role(superuser, Role.ADMIN_DINAS, KAB)

    response = client_for(personas["district_admin"]).get(LIST_URL)

    assert response.status_code == 200
    assert listed(response) == {
        "district_admin",
        "head_of_office",
        "operator_a",
        "operator_b",
        "puskesos_a",
        "facilitator_a",
        "provider",
    }
    html = response.content.decode()
    assert "Donomulyo" in html, "areas are named"
    assert "Operator kecamatan" in html


def test_list_filters(personas):
    client = client_for(personas["district_admin"])
    assert listed(client.get(LIST_URL, {"role": Role.OPERATOR_KECAMATAN})) == {
        "operator_a",
        "operator_b",
    }
    assert listed(client.get(LIST_URL, {"area": KEC_A})) == {
        "operator_a",
        "puskesos_a",
        "facilitator_a",
    }
    assert listed(client.get(LIST_URL, {"q": "Puskesos"})) == {"puskesos_a"}
    personas["operator_b"].is_active = False
    personas["operator_b"].save()
    assert listed(client.get(LIST_URL, {"is_active": "0"})) == {"operator_b"}


def test_create_staff_in_area(district_admin):
    response = client_for(district_admin).post(CREATE_URL, new_staff())

    assert response.status_code == 302
    assert response["Location"] == LIST_URL
    staff = User.objects.get(username="siti.operator")
    assert staff.profile.role == Role.OPERATOR_KECAMATAN
    assert staff.profile.area_code == KEC_A
    assert staff.profile.phone == "081234567890"
    assert staff.profile.created_by == district_admin
    assert staff.check_password(NEW_PASSWORD)
    assert not staff.is_superuser and not staff.is_staff


def test_create_staff_of_one_desa(district_admin):
    data = new_staff(role=Role.PETUGAS_PUSKESOS, kecamatan=KEC_A, desa=DESA_A1)
    assert client_for(district_admin).post(CREATE_URL, data).status_code == 302
    assert User.objects.get(username="siti.operator").profile.area_code == DESA_A1


def test_whole_district_when_no_kecamatan_chosen(district_admin):
    data = new_staff(role=Role.PIMPINAN, kecamatan="")
    assert client_for(district_admin).post(CREATE_URL, data).status_code == 302
    assert User.objects.get(username="siti.operator").profile.area_code == KAB


def test_form_offers_only_the_admins_own_kecamatan_and_desa(district_admin):
    form = client_for(district_admin).get(CREATE_URL).context["form"]
    kecamatan = [code for code, _name in form.fields["kecamatan"].choices if code]
    assert KEC_A in kecamatan and KEC_B in kecamatan
    assert all(code.startswith(KAB + ".") for code in kecamatan)
    desa = [code for _group, options in form.fields["desa"].choices[1:] for code, _ in options]
    assert DESA_A1 in desa and DESA_B1 in desa
    assert all(code.startswith(KAB + ".") for code in desa)


@pytest.mark.parametrize(
    "area",
    [{"kecamatan": "35.08.01"}, {"kecamatan": KEC_A, "desa": "35.08.01.2001"}],
)
def test_refuses_an_area_outside_the_admins(district_admin, area):
    response = client_for(district_admin).post(CREATE_URL, new_staff(**area))

    assert response.status_code == 200
    assert response.context["form"].errors
    assert not User.objects.filter(username="siti.operator").exists()


def test_refuses_a_desa_of_another_kecamatan(district_admin):
    response = client_for(district_admin).post(
        CREATE_URL, new_staff(role=Role.PETUGAS_PUSKESOS, kecamatan=KEC_A, desa=DESA_B1)
    )
    assert response.context["form"].errors["desa"] == [
        "Desa ini tidak ada di kecamatan yang dipilih."
    ]
    assert not User.objects.filter(username="siti.operator").exists()


@pytest.mark.parametrize(
    ("role", "area"),
    [
        (Role.OPERATOR_KECAMATAN, {"kecamatan": ""}),
        (Role.OPERATOR_KECAMATAN, {"desa": DESA_A1}),
        (Role.ADMIN_DINAS, {"kecamatan": KEC_A}),
    ],
)
def test_role_must_fit_the_area_level(district_admin, role, area):
    response = client_for(district_admin).post(CREATE_URL, new_staff(role=role, **area))
    errors = response.context["form"].errors
    assert "harus berwilayah kerja" in errors["role"][0]
    assert not User.objects.filter(username="siti.operator").exists()


def test_superuser_types_a_region_code(db):
    root = User.objects.create_superuser("root", password=PASSWORD)
    client = client_for(root)
    data = new_staff(kecamatan=None, desa=None, area_code="3507010")
    data = {key: value for key, value in data.items() if value is not None}

    response = client.post(CREATE_URL, {**data, "area_code": "99.99.99"})
    assert response.context["form"].errors["area_code"] == ["Kode wilayah 99.99.99 tidak ada."]

    assert client.post(CREATE_URL, {**data, "area_code": "350701"}).status_code == 302
    assert User.objects.get(username="siti.operator").profile.area_code == KEC_A


def test_no_escalation_to_superuser_or_admin_site(district_admin):
    data = new_staff(is_superuser="on", is_staff="on")
    assert client_for(district_admin).post(CREATE_URL, data).status_code == 302
    staff = User.objects.get(username="siti.operator")
    assert not staff.is_superuser and not staff.is_staff


def test_superusers_and_admin_site_accounts_are_not_editable(district_admin):
    for username, extra in [("root", {"is_superuser": True}), ("site", {"is_staff": True})]:
        account = make_persona(username, Role.ADMIN_DINAS, KAB, **extra)
        client = client_for(district_admin)
        assert client.get(update_url(account)).status_code == 404
        assert client.post(update_url(account), new_staff(password="")).status_code == 404
        assert client.post(set_active_url(account), {"active": "0"}).status_code == 404
        account.refresh_from_db()
        assert account.is_active and account.check_password(PASSWORD)


def test_staff_outside_the_area_is_404(district_admin, outsider_admin):
    client = client_for(district_admin)
    assert client.get(update_url(outsider_admin)).status_code == 404
    assert client.post(set_active_url(outsider_admin), {"active": "0"}).status_code == 404
    outsider_admin.refresh_from_db()
    assert outsider_admin.is_active


def test_outsider_admin_cannot_touch_our_staff(outsider_admin, operator_a):
    client = client_for(outsider_admin)
    assert client.get(update_url(operator_a)).status_code == 404
    response = client.post(CREATE_URL, new_staff(kecamatan=KEC_A))
    assert response.context["form"].errors["kecamatan"]


@pytest.mark.parametrize("persona", ["operator_a", "head_of_office", "puskesos_a", "provider"])
def test_non_admins_get_403(personas, persona):
    """Inside their own area non-admins are refused (403); staff outside it stay 404."""
    client = client_for(personas[persona])
    target = personas[persona]  # always inside the persona's own area
    assert client.get(LIST_URL).status_code == 403
    assert client.get(CREATE_URL).status_code == 403
    assert client.post(CREATE_URL, new_staff()).status_code == 403
    assert client.get(update_url(target)).status_code == 403
    assert client.get(update_url(personas["outsider_admin"])).status_code == 404
    assert client.post(set_active_url(target), {"active": "0"}).status_code == 403
    outsider_url = set_active_url(personas["outsider_admin"])
    assert client.post(outsider_url, {"active": "0"}).status_code == 404
    target.refresh_from_db()
    assert target.is_active
    assert not User.objects.filter(username="siti.operator").exists()


@pytest.mark.parametrize("url", [LIST_URL, CREATE_URL])
def test_anonymous_is_sent_to_login(client, url, db):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_edit_changes_role_area_and_groups(district_admin, operator_a):
    data = new_staff(
        username=operator_a.username,
        role=Role.PETUGAS_PUSKESOS,
        desa=DESA_A1,
        password="",
        password_confirm="",
    )
    response = client_for(district_admin).post(update_url(operator_a), data)

    assert response.status_code == 302
    operator_a = User.objects.get(pk=operator_a.pk)
    assert operator_a.profile.role == Role.PETUGAS_PUSKESOS
    assert operator_a.profile.area_code == DESA_A1
    assert list(operator_a.groups.values_list("name", flat=True)) == ["petugas_puskesos"]
    assert not operator_a.has_perm("households.export_household")
    assert operator_a.check_password(PASSWORD), "an empty password field keeps the password"


def test_edit_form_shows_the_current_area(district_admin, puskesos_a):
    form = client_for(district_admin).get(update_url(puskesos_a)).context["form"]
    assert form.initial["kecamatan"] == KEC_A
    assert form.initial["desa"] == DESA_A1
    assert form.fields["username"].disabled


def test_edit_sets_a_new_password(district_admin, operator_a):
    data = new_staff(username=operator_a.username, password=NEW_PASSWORD)
    assert client_for(district_admin).post(update_url(operator_a), data).status_code == 302
    operator_a.refresh_from_db()
    assert operator_a.check_password(NEW_PASSWORD)


def test_admin_cannot_change_own_role_or_area(district_admin):
    data = new_staff(
        username="district_admin",
        first_name="Admin Baru",
        role=Role.PIMPINAN,
        kecamatan=KEC_A,
        password="",
        password_confirm="",
    )
    response = client_for(district_admin).post(update_url(district_admin), data)

    assert response.status_code == 302
    district_admin.refresh_from_db()
    assert district_admin.first_name == "Admin Baru"
    assert district_admin.profile.role == Role.ADMIN_DINAS
    assert district_admin.profile.area_code == KAB


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"username": "OPERATOR_A"}, "username", "Nama pengguna ini sudah dipakai."),
        ({"username": "ada spasi"}, "username", None),
        ({"password_confirm": "lain-lain-123"}, "password_confirm", "Kedua kata sandi tidak sama."),
        ({"password": "", "password_confirm": ""}, "password", None),
        ({"password": "12345678", "password_confirm": "12345678"}, "password", None),
        ({"role": ""}, "role", None),
    ],
)
def test_bad_input_is_explained(district_admin, operator_a, changes, field, message):
    response = client_for(district_admin).post(CREATE_URL, new_staff(**changes))
    assert response.status_code == 200
    errors = response.context["form"].errors[field]
    if message:
        assert errors == [message]
    assert User.objects.count() == 2


def test_role_groups_hold_the_role_permissions(district_admin):
    for role in Role:
        username = f"staff_{role.value}"
        kecamatan = "" if 2 in ROLE_AREA_LEVELS[role] else KEC_A
        data = new_staff(username=username, role=role, kecamatan=kecamatan)
        assert client_for(district_admin).post(CREATE_URL, data).status_code == 302
        staff = User.objects.get(username=username)
        assert list(staff.groups.values_list("name", flat=True)) == [role.value]
        for permission in ROLE_PERMISSIONS[role]:
            assert staff.has_perm(permission), (role, permission)
        assert staff.has_perm("accounts.manage_staff") == (role == Role.ADMIN_DINAS)


def login(client, username, password=PASSWORD):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_deactivated_staff_cannot_log_in(client, district_admin, operator_a):
    assert login(client, "operator_a").status_code == 302
    session_client = client_for(operator_a)
    assert session_client.get(reverse("home")).status_code == 200

    response = client_for(district_admin).post(
        set_active_url(operator_a), {"active": "0", "next": LIST_URL + "?role=operator_kecamatan"}
    )
    assert response.status_code == 302
    assert response["Location"] == LIST_URL + "?role=operator_kecamatan"
    operator_a.refresh_from_db()
    assert not operator_a.is_active

    client.logout()
    response = login(client, "operator_a")
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    # An open session ends at its next request.
    response = session_client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))

    client_for(district_admin).post(set_active_url(operator_a), {"active": "1"})
    assert login(client, "operator_a").status_code == 302


def test_deactivate_ignores_an_outside_next(district_admin, operator_a):
    response = client_for(district_admin).post(
        set_active_url(operator_a), {"active": "0", "next": "https://contoh.test/"}
    )
    assert response["Location"] == LIST_URL


def test_admin_cannot_deactivate_self(district_admin):
    response = client_for(district_admin).post(set_active_url(district_admin), {"active": "0"})
    assert response.status_code == 302
    district_admin.refresh_from_db()
    assert district_admin.is_active


def test_deactivate_needs_post(district_admin, operator_a):
    assert client_for(district_admin).get(set_active_url(operator_a)).status_code == 405


def test_staff_pages_are_indonesian(district_admin, operator_a):
    client = client_for(district_admin)
    html = client.get(LIST_URL).content.decode()
    assert "Tambah petugas" in html and "Nonaktifkan" in html and "Log ekspor data" in html
    html = client.get(CREATE_URL).content.decode()
    assert "Peran dan wilayah kerja" in html and "Ulangi kata sandi" in html
    assert "— seluruh Kabupaten Malang —" in html


def test_list_queries_do_not_grow_with_staff(personas, django_assert_max_num_queries):
    for index in range(30):
        make_persona(f"petugas_{index}", Role.PETUGAS_PUSKESOS, DESA_A1)
    client = client_for(personas["district_admin"])
    client.get(LIST_URL)
    with django_assert_max_num_queries(11):
        response = client.get(LIST_URL)
    assert len(listed(response)) == 37
