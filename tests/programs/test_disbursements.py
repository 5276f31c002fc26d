"""Disbursements: the rule (table-driven), recording, correcting, the list."""

import datetime
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from programs.choices import DisbursementStatus, EnrolmentStatus
from programs.models import Disbursement
from programs.services.disbursements import MAX_AMOUNT, check_disbursement, record_disbursement
from tests.conftest import DESA_A1, DESA_B1, client_for
from tests.households import registry_factory as make
from tests.programs.test_catalogue import enrol, program

TODAY = datetime.date(2026, 12, 4)
QUARTERLY = SimpleNamespace(periods_per_year=4)


@pytest.mark.parametrize(
    ("status", "year", "period", "amount", "kwargs", "message"),
    [
        ("active", 2026, 1, 750_000, {}, None),
        ("active", 2027, 4, 0, {}, None),
        ("active", 2026, 4, MAX_AMOUNT, {}, None),
        ("exited", 2026, 1, 750_000, {}, "sudah keluar"),
        ("graduated", 2026, 1, 750_000, {}, "sudah graduasi"),
        ("suspended", 2026, 1, 750_000, {}, "ditangguhkan"),
        ("proposed", 2026, 1, 750_000, {}, "masih diusulkan"),
        ("proposed", 2026, 1, 750_000, {"status": DisbursementStatus.PLANNED}, None),
        ("active", 2026, 1, -1, {}, "tidak boleh negatif"),
        ("active", 2026, 1, MAX_AMOUNT + 1, {}, "melebihi batas Rp 100.000.000"),
        ("active", 2026, 1, 3507010101260001, {}, "Rp 3.507.010.101.260.001"),
        ("active", 2028, 1, 750_000, {}, "melewati tahun depan (2027)"),
        ("active", 1999, 1, 750_000, {}, "terlalu lama"),
        ("active", 2026, 5, 750_000, {}, "punya 4 tahap per tahun"),
        ("active", 2026, 0, 750_000, {}, "Tahap 0 tidak ada"),
        ("active", None, None, None, {}, "wajib diisi"),
        (
            "active",
            2026,
            1,
            750_000,
            {"disbursed_on": datetime.date(2026, 12, 5)},
            "masa depan",
        ),
    ],
)
def test_check_disbursement(status, year, period, amount, kwargs, message):
    errors = check_disbursement(status, QUARTERLY, year, period, amount, TODAY, **kwargs)
    if message is None:
        assert errors == []
    else:
        assert any(message in error for error in errors), errors


def test_every_problem_is_reported_at_once():
    errors = check_disbursement("exited", QUARTERLY, 2030, 9, -5, TODAY)
    assert len(errors) == 4


@pytest.fixture
def enrolment(db):
    return enrol(program(periods_per_year=4), make.family(desa=DESA_A1))


def values(**overrides):
    return {
        "year": 2026,
        "period": 1,
        "amount": 750_000,
        "kind": "cash",
        "channel": "bank_kks",
        "status": "disbursed",
        "disbursed_on": datetime.date(2026, 3, 1),
        "reference": "",
        "today": TODAY,
        **overrides,
    }


def test_record_then_a_second_row_for_the_same_period_is_refused(enrolment):
    first = record_disbursement(enrolment, **values())
    with pytest.raises(ValidationError, match="sudah ada"):
        record_disbursement(enrolment, **values(amount=1))
    assert Disbursement.objects.get() == first
    assert first.amount == 750_000


def test_editing_the_row_updates_it(enrolment):
    first = record_disbursement(enrolment, **values())
    changed = record_disbursement(enrolment, **values(amount=800_000), editing=first)
    assert changed.pk == first.pk
    assert Disbursement.objects.get().amount == 800_000


def test_closed_enrolment_writes_nothing(enrolment):
    enrolment.status = EnrolmentStatus.EXITED
    enrolment.save()
    with pytest.raises(ValidationError):
        record_disbursement(enrolment, **values())
    assert not Disbursement.objects.exists()


# Views -----------------------------------------------------------------------------------------


def form_data(**overrides):
    data = {
        "year": "2026",
        "period": "2",
        "amount": "750000",
        "kind": "cash",
        "channel": "bank_kks",
        "status": "disbursed",
        "disbursed_on": "2026-06-01",
        "reference": "SP2D-1",
    }
    return {**data, **overrides}


def test_admin_records_a_disbursement(district_admin, enrolment):
    url = reverse("programs:disbursement_add", args=[enrolment.pk])
    client = client_for(district_admin)
    assert client.get(url).status_code == 200
    response = client.post(url, form_data())
    assert response.status_code == 302
    row = Disbursement.objects.get()
    assert (row.year, row.period, row.amount, row.reference) == (2026, 2, 750_000, "SP2D-1")
    page = client.get(url)
    assert "Rp 750.000" in page.content.decode()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"amount": "-100"}, "tidak boleh negatif"),
        ({"amount": "999999999999"}, "melebihi batas"),
        ({"year": "2099"}, "melewati tahun depan"),
        ({"period": "7"}, "punya 4 tahap per tahun"),
        ({"amount": "sejuta"}, "bilangan"),
    ],
)
def test_bad_input_is_a_message_and_writes_nothing(district_admin, enrolment, overrides, message):
    response = client_for(district_admin).post(
        reverse("programs:disbursement_add", args=[enrolment.pk]), form_data(**overrides)
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Disbursement.objects.exists()


def test_duplicate_period_in_the_form_is_refused(district_admin, enrolment):
    client = client_for(district_admin)
    url = reverse("programs:disbursement_add", args=[enrolment.pk])
    client.post(url, form_data())
    response = client.post(url, form_data(amount="1"))
    assert response.status_code == 400
    assert "sudah ada" in response.content.decode()
    assert Disbursement.objects.get().amount == 750_000


def test_exited_enrolment_is_refused_in_the_form(district_admin, enrolment):
    enrolment.status = EnrolmentStatus.EXITED
    enrolment.save()
    response = client_for(district_admin).post(
        reverse("programs:disbursement_add", args=[enrolment.pk]), form_data()
    )
    assert response.status_code == 400
    assert "sudah keluar" in response.content.decode()
    assert not Disbursement.objects.exists()


def test_edit_changes_the_row(district_admin, enrolment):
    row = record_disbursement(enrolment, **values())
    response = client_for(district_admin).post(
        reverse("programs:disbursement_edit", args=[row.pk]),
        form_data(period="1", status="returned", amount="750000"),
    )
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.status == "returned"
    assert Disbursement.objects.count() == 1


@pytest.mark.parametrize("persona", ["operator_b", "outsider_admin"])
def test_outside_the_area_is_404(request, persona, enrolment):
    user = request.getfixturevalue(persona)
    row = record_disbursement(enrolment, **values())
    client = client_for(user)
    add = reverse("programs:disbursement_add", args=[enrolment.pk])
    assert client.get(add).status_code == 404
    assert client.post(add, form_data(period="3")).status_code == 404
    assert client.get(reverse("programs:disbursement_edit", args=[row.pk])).status_code == 404
    assert Disbursement.objects.count() == 1


@pytest.mark.parametrize("persona", ["operator_a", "head_of_office", "complaints_a"])
def test_roles_without_the_permission_get_403(request, persona, enrolment):
    user = request.getfixturevalue(persona)
    add = reverse("programs:disbursement_add", args=[enrolment.pk])
    assert client_for(user).post(add, form_data()).status_code == 403
    assert not Disbursement.objects.exists()


def test_list_scope_filters_and_query_count(
    district_admin, operator_a, operator_b, django_assert_max_num_queries
):
    prog = program(periods_per_year=12)
    for n in range(30):
        enrolment = enrol(prog, make.household(desa=DESA_A1))
        record_disbursement(enrolment, **values(period=n % 12 + 1, amount=100_000 + n))
    elsewhere = enrol(prog, make.household(desa=DESA_B1))
    record_disbursement(elsewhere, **values(status="failed"))

    def rows(user, **query):
        response = client_for(user).get(reverse("programs:disbursement_list"), query)
        assert response.status_code == 200
        return response.context["filter"].qs

    assert rows(district_admin).count() == 31
    assert rows(operator_a).count() == 30
    assert rows(operator_b).count() == 1
    assert rows(district_admin, status="failed").count() == 1
    assert rows(district_admin, period=3).count() == 3
    assert rows(district_admin, year=2026, program=prog.pk).count() == 31
    assert rows(district_admin, kecamatan="35.07.02", desa=DESA_B1).count() == 1
    client = client_for(district_admin)
    with django_assert_max_num_queries(13):
        response = client.get(reverse("programs:disbursement_list"))
    body = response.content.decode()
    assert "Rp 100.0" in body
    assert "Halaman 1 dari 2" in body


def test_provider_and_facilitator_do_not_see_disbursements(provider, facilitator_a):
    for user in (provider, facilitator_a):
        response = client_for(user).get(reverse("programs:disbursement_list"))
        assert response.status_code == 403


def test_a_huge_list_counts_up_to_a_limit(district_admin, monkeypatch):
    from households import tables as registry_tables

    monkeypatch.setattr(registry_tables, "COUNT_LIMIT", 5)
    prog = program(periods_per_year=12)
    for period in range(1, 9):
        record_disbursement(enrol(prog, make.household(desa=DESA_A1)), **values(period=period))
    response = client_for(district_admin).get(reverse("programs:disbursement_list"))
    assert "Lebih dari 5 penyaluran" in response.content.decode()
