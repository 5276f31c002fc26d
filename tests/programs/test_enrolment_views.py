"""Enrolment pages per persona: list, detail, status steps, enrolling from the household page
and from the filtered registry list, and the household panel."""

import pytest
from django.urls import reverse

from programs.models import Enrolment
from programs.services import enrolments as service
from tests.conftest import DESA_B1, client_for
from tests.households import registry_factory as make
from tests.programs import factories


@pytest.fixture
def program(db):
    return factories.program("SEMBAKO", max_desil=4)


def test_enrol_from_the_household_page(program, operator_a):
    household = make.family(desil=2)
    client = client_for(operator_a)
    url = reverse("programs:enrol_household", args=[household.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"program": program.pk, "reason": "Hasil musdes"})
    assert response.status_code == 302
    enrolment = Enrolment.objects.get()
    assert (enrolment.household, enrolment.status, enrolment.reason) == (
        household,
        "proposed",
        "Hasil musdes",
    )
    page = client.get(reverse("households:household_detail", args=[household.pk]))
    assert "SEMBAKO" in page.content.decode()


def test_a_household_above_the_ceiling_asks_for_a_justification(program, operator_a):
    household = make.family(desil=8)
    client = client_for(operator_a)
    url = reverse("programs:enrol_household", args=[household.pk])
    response = client.post(url, {"program": program.pk})
    assert response.status_code == 200
    assert "desil 8" in response.content.decode().lower()
    assert not Enrolment.objects.exists()
    client.post(url, {"program": program.pk, "justification": "SK Bupati 12/2025"})
    assert Enrolment.objects.get().flags == ["above_ceiling"]


def test_a_duplicate_enrolment_is_a_message_not_a_500(program, operator_a):
    household = make.family(desil=2)
    service.enrol(program=program, household=household, user=operator_a)
    response = client_for(operator_a).post(
        reverse("programs:enrol_household", args=[household.pk]), {"program": program.pk}
    )
    assert response.status_code == 200
    assert "Sudah terdaftar" in response.content.decode()
    assert Enrolment.objects.count() == 1


def test_outside_the_area_is_404_and_without_permission_403(program, operator_a, head_of_office):
    elsewhere = make.family(desa=DESA_B1)
    url = reverse("programs:enrol_household", args=[elsewhere.pk])
    assert client_for(operator_a).get(url).status_code == 404
    own = make.family()
    url = reverse("programs:enrol_household", args=[own.pk])
    assert client_for(head_of_office).get(url).status_code == 403


def test_list_detail_and_steps(program, operator_a, operator_b, district_admin):
    enrolment = service.enrol(program=program, household=make.family(), user=operator_a)
    other = service.enrol(program=program, household=make.family(desa=DESA_B1), user=district_admin)
    listing = client_for(operator_a).get(reverse("programs:enrolment_list"))
    rows = [row.record.pk for row in listing.context["table"].page.object_list]
    assert rows == [enrolment.pk]
    detail = reverse("programs:enrolment_detail", args=[enrolment.pk])
    assert client_for(operator_b).get(detail).status_code == 404
    assert client_for(operator_a).get(detail).status_code == 200
    step = reverse("programs:enrolment_status", args=[enrolment.pk])
    assert client_for(operator_a).post(step, {"action": "activate"}).status_code == 403
    client_for(district_admin).post(step, {"action": "activate"})
    enrolment.refresh_from_db()
    assert enrolment.status == "active"
    response = client_for(district_admin).post(
        step, {"action": "suspend", "reason": ""}, follow=True
    )
    assert "alasan" in response.content.decode().lower()
    enrolment.refresh_from_db()
    assert enrolment.status == "active"
    assert (
        client_for(operator_a)
        .post(reverse("programs:enrolment_status", args=[other.pk]), {"action": "exit"})
        .status_code
        == 404
    )


def test_list_queries_do_not_grow_with_rows(program, district_admin, django_assert_max_num_queries):
    for _ in range(30):
        service.enrol(program=program, household=make.family(), user=district_admin)
    client = client_for(district_admin)
    with django_assert_max_num_queries(14):
        client.get(reverse("programs:enrolment_list"))


def test_filters(program, district_admin):
    flagged = service.enrol(
        program=program, household=make.family(desil=9), user=district_admin, justification="SK"
    )
    service.enrol(program=program, household=make.family(desil=1), user=district_admin)
    client = client_for(district_admin)
    found = client.get(reverse("programs:enrolment_list"), {"flag": "above_ceiling"})
    assert [r.record.pk for r in found.context["table"].page.object_list] == [flagged.pk]
    by_kk = client.get(reverse("programs:enrolment_list"), {"q": flagged.household.no_kk})
    assert [r.record.pk for r in by_kk.context["table"].page.object_list] == [flagged.pk]


def test_bulk_enrol_from_the_filtered_registry_list(program, operator_a):
    in_desil_2 = [make.family(desil=2) for _ in range(2)]
    make.family(desil=6)
    make.family(desa=DESA_B1, desil=2)
    client = client_for(operator_a)
    registry = client.get(reverse("households:household_list"), {"desil": "2"})
    assert reverse("programs:enrol_bulk") + "?desil=2" in registry.content.decode()
    url = reverse("programs:enrol_bulk") + "?desil=2"
    page = client.get(url)
    assert page.context["count"] == 2
    preview = client.post(url, {"program": program.pk, "preview": "1"})
    assert preview.context["preview"].created == 2
    assert not Enrolment.objects.exists()
    done = client.post(url, {"program": program.pk, "confirm": "1"})
    assert done.status_code == 302
    assert set(Enrolment.objects.values_list("household_id", flat=True)) == {
        h.pk for h in in_desil_2
    }
    assert set(Enrolment.objects.values_list("source", flat=True)) == {"registry_list"}


def test_the_bulk_button_shows_only_to_those_who_may_enrol(operator_a, head_of_office):
    make.family()
    button = reverse("programs:enrol_bulk")
    assert (
        button in client_for(operator_a).get(reverse("households:household_list")).content.decode()
    )
    page = client_for(head_of_office).get(reverse("households:household_list"))
    assert button not in page.content.decode()


def test_household_panel_shows_components_and_entitlement(program, operator_a):
    factories.benefit_rates(__import__("datetime").date.today().year)
    household = make.household()
    make.member(household, "Mbah Sumi", born=make.years_old(70))
    page = client_for(operator_a).get(reverse("households:household_detail", args=[household.pk]))
    body = page.content.decode()
    assert "Lanjut usia" in body and "Rp 2.400.000" in body
