"""Agencies and the partner-agency staff linked to them."""

import pytest
from django.urls import reverse

from accounts.roles import Role
from programs.models import Agency, AgencyStaff
from tests.conftest import KAB, KEC_A, KEC_B, OTHER_KAB, client_for, make_persona
from tests.programs.test_catalogue import agency

pytestmark = pytest.mark.django_db


def agency_data(**overrides):
    return {
        "code": "dinsos-malang",
        "name": "Dinas Sosial Kabupaten Malang",
        "kind": "opd",
        "cluster": "bantuan_sosial",
        "region_code": KAB,
        "address": "",
        "phone": "",
        "email": "",
        "active": "on",
        **overrides,
    }


def test_list_shows_national_and_own_agencies_only(operator_a, district_admin):
    national = agency(None, code="nasional", name="Lembaga nasional")
    own = agency(KEC_A, code="puskesmas-a", name="Puskesmas A")
    district = agency(KAB, code="dinsos", name="Dinas Sosial Kab")
    other_kec = agency(KEC_B, code="puskesmas-b", name="Puskesmas B")
    other_kab = agency(OTHER_KAB, code="lain", name="Dinas lain")

    def names(user):
        response = client_for(user).get(reverse("programs:agency_list"))
        assert response.status_code == 200
        return {a.name for a in response.context["filter"].qs}

    assert names(operator_a) == {national.name, own.name, district.name}
    assert names(district_admin) == {national.name, own.name, district.name, other_kec.name}
    assert other_kab.name not in names(district_admin)


def test_list_query_count(district_admin, django_assert_max_num_queries):
    for n in range(30):
        agency(KAB, code=f"l{n}")
    client = client_for(district_admin)
    with django_assert_max_num_queries(10):
        assert client.get(reverse("programs:agency_list")).status_code == 200


def test_admin_creates_an_agency_in_the_area(district_admin):
    response = client_for(district_admin).post(reverse("programs:agency_add"), agency_data())
    assert response.status_code == 302
    created = Agency.objects.get(code="dinsos-malang")
    assert created.region_id == KAB


def test_an_agency_outside_the_area_is_refused(district_admin):
    response = client_for(district_admin).post(
        reverse("programs:agency_add"), agency_data(region_code=OTHER_KAB)
    )
    assert response.status_code == 200
    assert "region_code" in response.context["form"].errors
    assert not Agency.objects.filter(code="dinsos-malang").exists()


def test_edit_own_agency_not_a_national_one(district_admin):
    own = agency(KAB, code="own")
    national = agency(None, code="nasional")
    client = client_for(district_admin)
    response = client.post(
        reverse("programs:agency_edit", args=[own.pk]),
        agency_data(code="own", name="Nama baru"),
    )
    assert response.status_code == 302
    own.refresh_from_db()
    assert own.name == "Nama baru"
    assert client.get(reverse("programs:agency_edit", args=[national.pk])).status_code == 403


@pytest.mark.parametrize("persona", ["operator_b", "outsider_admin"])
def test_an_agency_of_kecamatan_a_is_404_outside(request, persona):
    user = request.getfixturevalue(persona)
    own = agency(KEC_A, code="a")
    for name in ("programs:agency_detail", "programs:agency_edit"):
        assert client_for(user).get(reverse(name, args=[own.pk])).status_code == 404


def test_operator_sees_but_may_not_add(operator_a):
    own = agency(KEC_A, code="a")
    client = client_for(operator_a)
    assert client.get(reverse("programs:agency_detail", args=[own.pk])).status_code == 200
    assert client.get(reverse("programs:agency_add")).status_code == 403


def test_link_and_unlink_a_partner_user_of_the_area(district_admin):
    target = agency(None, code="puskesmas")
    mitra = make_persona("mitra_a", Role.MITRA_LAYANAN, KEC_A)
    client = client_for(district_admin)
    page = client.get(reverse("programs:agency_detail", args=[target.pk]))
    assert mitra in page.context["staff_form"].fields["user"].queryset
    response = client.post(
        reverse("programs:agency_staff_add", args=[target.pk]), {"user": mitra.pk}
    )
    assert response.status_code == 302
    link = AgencyStaff.objects.get(user=mitra)
    assert link.agency == target
    page = client.get(reverse("programs:agency_detail", args=[target.pk]))
    assert [s.user for s in page.context["staff"]] == [mitra]
    # Linked once: not offered again.
    assert mitra not in page.context["staff_form"].fields["user"].queryset
    client.post(reverse("programs:agency_staff_remove", args=[link.pk]))
    assert not AgencyStaff.objects.exists()


def test_staff_outside_the_area_or_of_another_role_cannot_be_linked(district_admin, operator_a):
    target = agency(KAB, code="puskesmas")
    outsider = make_persona("mitra_lain", Role.MITRA_LAYANAN, OTHER_KAB)
    client = client_for(district_admin)
    for user in (outsider, operator_a):
        client.post(reverse("programs:agency_staff_add", args=[target.pk]), {"user": user.pk})
    assert not AgencyStaff.objects.exists()


def test_a_link_of_another_district_is_not_shown_nor_removable(district_admin, outsider_admin):
    shared = agency(None, code="baznas")
    theirs = make_persona("mitra_lain", Role.MITRA_LAYANAN, OTHER_KAB)
    link = AgencyStaff.objects.create(agency=shared, user=theirs)
    client = client_for(district_admin)
    page = client.get(reverse("programs:agency_detail", args=[shared.pk]))
    assert list(page.context["staff"]) == []
    response = client.post(reverse("programs:agency_staff_remove", args=[link.pk]))
    assert response.status_code == 404
    assert AgencyStaff.objects.filter(pk=link.pk).exists()
    # Their own admin does see and may remove it.
    page = client_for(outsider_admin).get(reverse("programs:agency_detail", args=[shared.pk]))
    assert [s.user for s in page.context["staff"]] == [theirs]


def test_operator_may_not_link(operator_a):
    target = agency(KEC_A, code="a")
    mitra = make_persona("mitra_a", Role.MITRA_LAYANAN, KEC_A)
    response = client_for(operator_a).post(
        reverse("programs:agency_staff_add", args=[target.pk]), {"user": mitra.pk}
    )
    assert response.status_code == 403
    assert not AgencyStaff.objects.exists()


def test_admin_site_shows_programs_read_only(client):
    from django.contrib.auth import get_user_model

    root = get_user_model().objects.create_superuser("root", "root@example.org", "x-unused-1")
    client.force_login(root)
    own = agency(KAB, code="own")
    assert client.get("/admin/programs/agency/").status_code == 200
    assert client.get(f"/admin/programs/agency/{own.pk}/change/").status_code == 200
    assert client.post(f"/admin/programs/agency/{own.pk}/change/", {"name": "x"}).status_code == 403
    for model in ("program", "enrolment", "disbursement", "empowermentgroup", "benefitrate"):
        assert client.get(f"/admin/programs/{model}/").status_code == 200
