"""The graduation status machine and who may act; approval ends PKH and proposes the
empowerment enrolment; monitoring due dates; bad input writes nothing."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from graduation.models import Graduation, GraduationStatusChange, MonitoringVisit
from graduation.services import graduations as service
from programs.models import Enrolment
from tests.conftest import persona
from tests.graduation import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def setting(facilitator_a, operator_a, district_admin):
    household = factories.pkh_household()
    fac = factories.facilitator(facilitator_a)
    factories.assign(fac, household)
    return household, fac


def test_full_path_ends_pkh_and_proposes_empowerment(
    setting, facilitator_a, operator_a, district_admin
):
    household, fac = setting
    pena = factories.empowerment("PENA")
    graduation = factories.propose(household, facilitator_a, next_program=pena)
    assert graduation.status == "proposed" and graduation.facilitator == fac
    assert graduation.statement.name.endswith(".pdf")
    assert service.take_step(graduation, "verify", operator_a)
    assert service.take_step(graduation, "approve", district_admin)
    graduation.refresh_from_db()
    assert graduation.status == "approved"
    assert graduation.approved_on == timezone.localdate()
    pkh = Enrolment.objects.get(household=household, program__code="PKH")
    assert pkh.status == "graduated" and pkh.end_date == timezone.localdate()
    assert pkh.changes.last().to_status == "graduated"
    follow_up = Enrolment.objects.get(household=household, program=pena)
    assert follow_up.status == "proposed" and graduation.next_enrolment == follow_up
    assert list(
        GraduationStatusChange.objects.filter(graduation=graduation).values_list(
            "to_status", flat=True
        )
    ) == ["proposed", "verified", "approved"]
    rounds = dict(graduation.visits.values_list("round", "due_on"))
    assert set(rounds) == {6, 12}


def test_who_may_make_which_step(
    setting, facilitator_a, operator_a, district_admin, head_of_office
):
    household, _fac = setting
    graduation = factories.propose(household, facilitator_a)
    assert [s.key for s in service.steps_for(facilitator_a, graduation)] == []
    assert [s.key for s in service.steps_for(head_of_office, graduation)] == []
    assert [s.key for s in service.steps_for(operator_a, graduation)] == ["verify", "reject"]
    assert [s.key for s in service.steps_for(district_admin, graduation)] == ["reject"]
    with pytest.raises(PermissionDenied):
        service.take_step(graduation, "approve", facilitator_a)
    with pytest.raises(PermissionDenied):
        service.take_step(graduation, "verify", facilitator_a)
    with pytest.raises(PermissionDenied):
        service.take_step(graduation, "approve", district_admin)  # not verified yet
    service.take_step(graduation, "verify", operator_a)
    assert [s.key for s in service.steps_for(operator_a, graduation)] == []
    assert [s.key for s in service.steps_for(district_admin, graduation)] == ["approve", "reject"]
    with pytest.raises(PermissionDenied):
        service.take_step(graduation, "approve", operator_a)


def test_a_stale_step_does_nothing(setting, facilitator_a, operator_a):
    household, _fac = setting
    graduation = factories.propose(household, facilitator_a)
    stale = Graduation.objects.get(pk=graduation.pk)
    assert service.take_step(graduation, "verify", operator_a)
    other_operator = persona("operator_a", "operator_a2")
    assert not service.take_step(stale, "verify", other_operator)
    assert graduation.changes.count() == 2


def test_reject_needs_a_reason_and_frees_the_household(setting, facilitator_a, operator_a):
    household, _fac = setting
    graduation = factories.propose(household, facilitator_a)
    with pytest.raises(ValidationError):
        service.take_step(graduation, "reject", operator_a, "")
    assert service.take_step(graduation, "reject", operator_a, "Usaha belum stabil")
    graduation.refresh_from_db()
    assert graduation.rejection_reason == "Usaha belum stabil"
    assert Enrolment.objects.get(household=household).status == "active"
    again = factories.propose(household, facilitator_a)  # may be proposed again
    assert again.pk != graduation.pk


def test_bad_input_writes_nothing(setting, facilitator_a):
    household, fac = setting
    not_in_pkh = factories.pkh_household(enrol=False)
    factories.assign(fac, not_in_pkh)
    with pytest.raises(ValidationError, match="bukan peserta aktif PKH"):
        factories.propose(not_in_pkh, facilitator_a)
    with pytest.raises(ValidationError, match="masa depan"):
        factories.propose(
            household,
            facilitator_a,
            graduation_date=timezone.localdate() + datetime.timedelta(days=1),
        )
    with pytest.raises(ValidationError, match="surat pernyataan"):
        factories.propose(household, facilitator_a, statement=None)
    with pytest.raises(ValidationError, match="pemberdayaan"):
        factories.propose(household, facilitator_a, next_program=factories.pkh())
    assert not Graduation.objects.exists()
    factories.propose(household, facilitator_a)
    with pytest.raises(ValidationError, match="sudah diusulkan"):
        factories.propose(household, facilitator_a, kind="alamiah")
    assert Graduation.objects.count() == 1


def test_a_facilitator_cannot_propose_outside_the_caseload(setting, facilitator_a):
    stranger = factories.pkh_household()
    with pytest.raises(PermissionDenied):
        factories.propose(stranger, facilitator_a)


def test_approval_fails_whole_when_pkh_ended_meanwhile(
    setting, facilitator_a, operator_a, district_admin
):
    household, _fac = setting
    graduation = factories.propose(household, facilitator_a, next_program=factories.empowerment())
    service.take_step(graduation, "verify", operator_a)
    Enrolment.objects.filter(household=household).update(status="exited")
    with pytest.raises(ValidationError, match="sudah tidak aktif"):
        service.take_step(graduation, "approve", district_admin)
    graduation.refresh_from_db()
    assert graduation.status == "verified"
    assert not MonitoringVisit.objects.exists()
    assert Enrolment.objects.filter(household=household).count() == 1


@pytest.mark.parametrize(
    ("approved", "six", "twelve"),
    [
        (datetime.date(2025, 1, 15), datetime.date(2025, 7, 15), datetime.date(2026, 1, 15)),
        (datetime.date(2025, 8, 31), datetime.date(2026, 2, 28), datetime.date(2026, 8, 31)),
        (datetime.date(2023, 8, 31), datetime.date(2024, 2, 29), datetime.date(2024, 8, 31)),
    ],
)
def test_monitoring_due_dates(approved, six, twelve):
    assert service.visit_due(approved, 6) == six
    assert service.visit_due(approved, 12) == twelve


def test_recording_a_visit(setting, facilitator_a, operator_a, district_admin):
    household, _fac = setting
    graduation = factories.propose(household, facilitator_a)
    service.take_step(graduation, "verify", operator_a)
    service.take_step(graduation, "approve", district_admin)
    visit = graduation.visits.get(round=6)
    assert visit.due_on == service.visit_due(timezone.localdate(), 6)
    with pytest.raises(ValidationError, match="masa depan"):
        service.record_visit(
            visit,
            facilitator_a,
            visited_on=timezone.localdate() + datetime.timedelta(days=1),
            still_self_reliant=True,
        )
    with pytest.raises(PermissionDenied):
        service.record_visit(
            visit, operator_a, visited_on=timezone.localdate(), still_self_reliant=True
        )
    service.record_visit(
        visit,
        facilitator_a,
        visited_on=timezone.localdate(),
        still_self_reliant=False,
        income_source="Buruh tani",
        needs="Modal usaha",
    )
    visit.refresh_from_db()
    assert visit.still_self_reliant is False and visit.recorded_by == facilitator_a
