"""Enrolling, the justification a broken rule needs, status steps and who may make them."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from households.models import Household
from programs.choices import EligibilityIssue, EnrolmentSource, EnrolmentStatus
from programs.models import Enrolment, EnrolmentStatusChange
from programs.services import enrolments as service
from tests.conftest import DESA_B1
from tests.households import registry_factory as make
from tests.programs import factories


@pytest.fixture
def program(db):
    return factories.program(max_desil=4)


def test_enrol_records_a_proposal_and_its_first_step(program, operator_a):
    household = make.family(desil=2)
    enrolment = service.enrol(program=program, household=household, user=operator_a)
    assert enrolment.status == EnrolmentStatus.PROPOSED
    assert enrolment.source == EnrolmentSource.HOUSEHOLD_PAGE
    assert enrolment.flags == [] and enrolment.created_by == operator_a
    change = EnrolmentStatusChange.objects.get(enrolment=enrolment)
    assert (change.from_status, change.to_status, change.by) == ("", "proposed", operator_a)


def test_a_second_open_enrolment_is_refused_and_nothing_written(program, operator_a):
    household = make.family(desil=2)
    service.enrol(program=program, household=household, user=operator_a)
    with pytest.raises(ValidationError, match="Sudah terdaftar"):
        service.enrol(program=program, household=household, user=operator_a)
    assert Enrolment.objects.count() == 1


def test_a_broken_rule_needs_a_justification_and_is_flagged(program, operator_a):
    household = make.family(desil=7)
    with pytest.raises(service.JustificationNeeded) as refused:
        service.enrol(program=program, household=household, user=operator_a)
    assert [f.issue for f in refused.value.findings] == [EligibilityIssue.ABOVE_CEILING]
    assert not Enrolment.objects.exists()
    enrolment = service.enrol(
        program=program, household=household, user=operator_a, justification="  SK Kemensos  "
    )
    assert enrolment.flags == [EligibilityIssue.ABOVE_CEILING]
    assert enrolment.justification == "SK Kemensos"


def test_outside_the_area_is_refused(program, operator_a):
    with pytest.raises(PermissionDenied):
        service.enrol(program=program, household=make.family(desa=DESA_B1), user=operator_a)


def test_member_programs_need_a_member_of_that_family(operator_a):
    program = factories.program(beneficiary_unit="member")
    household = make.family()
    other = make.family()
    with pytest.raises(ValidationError):
        service.enrol(program=program, household=household, user=operator_a)
    with pytest.raises(ValidationError):
        service.enrol(
            program=program, household=household, member=other.members.first(), user=operator_a
        )
    child = household.members.order_by("tanggal_lahir").last()
    assert service.enrol(program=program, household=household, member=child, user=operator_a)
    # Another member of the same family may hold their own place.
    head = household.members.order_by("tanggal_lahir").first()
    assert service.enrol(program=program, household=household, member=head, user=operator_a)


def test_only_managers_activate_suspend_graduate(program, operator_a, district_admin):
    enrolment = service.enrol(program=program, household=make.family(), user=operator_a)
    with pytest.raises(PermissionDenied):
        service.change_status(enrolment, "activate", operator_a)
    assert service.change_status(enrolment, "activate", district_admin)
    enrolment.refresh_from_db()
    assert enrolment.status == "active" and enrolment.start_date
    with pytest.raises(ValidationError):
        service.change_status(enrolment, "suspend", district_admin, reason=" ")
    # A step updates the object in hand too: the next step needs no reload.
    assert service.change_status(enrolment, "suspend", district_admin, reason="Tidak hadir P2K2")
    assert enrolment.status == "suspended"
    assert service.change_status(enrolment, "resume", district_admin)
    assert service.change_status(enrolment, "graduate", district_admin, reason="Mandiri")
    enrolment.refresh_from_db()
    assert enrolment.status == "graduated" and enrolment.end_date
    steps = list(enrolment.changes.values_list("from_status", "to_status"))
    assert steps == [
        ("", "proposed"),
        ("proposed", "active"),
        ("active", "suspended"),
        ("suspended", "active"),
        ("active", "graduated"),
    ]
    with pytest.raises(PermissionDenied):
        service.change_status(enrolment, "resume", district_admin)


def test_a_stale_step_changes_nothing(program, operator_a, district_admin):
    enrolment = service.enrol(program=program, household=make.family(), user=operator_a)
    stale = Enrolment.objects.get(pk=enrolment.pk)
    assert service.change_status(enrolment, "activate", district_admin)
    # The second click still sees "proposed": the conditional update refuses it.
    assert not service.change_status(stale, "exit", district_admin, reason="dobel")
    assert Enrolment.objects.get(pk=enrolment.pk).status == "active"


def test_the_proposer_may_withdraw_their_proposal(program, operator_a, facilitator_a):
    enrolment = service.enrol(program=program, household=make.family(), user=facilitator_a)
    assert [t.key for t in service.transitions_for(operator_a, enrolment)] == []
    assert [t.key for t in service.transitions_for(facilitator_a, enrolment)] == ["exit"]
    assert service.change_status(enrolment, "exit", facilitator_a, reason="salah pilih")


def test_bulk_enrol_counts_flags_and_scope(program, operator_a):
    eligible = [make.family(desil=2) for _ in range(3)]
    above = make.family(desil=9)
    elsewhere = make.family(desa=DESA_B1, desil=1)
    service.enrol(program=program, household=eligible[0], user=operator_a)
    everything = Household.objects.all()
    preview = service.bulk_preview(program, everything & Household.objects.for_user(operator_a))
    assert (preview.selected, preview.already, preview.flagged) == (4, 1, 1)
    with pytest.raises(service.JustificationNeeded):
        service.bulk_enrol(program, everything, user=operator_a)
    assert Enrolment.objects.count() == 1
    result = service.bulk_enrol(program, everything, user=operator_a, justification="Musdes")
    assert (result.created, result.already, result.flagged) == (3, 1, 1)
    enrolled = set(Enrolment.objects.values_list("household_id", flat=True))
    assert elsewhere.pk not in enrolled
    assert enrolled == {h.pk for h in eligible} | {above.pk}
    flagged = Enrolment.objects.get(household=above)
    assert flagged.flags == ["above_ceiling"] and flagged.justification == "Musdes"
    assert flagged.source == "registry_list"
    assert EnrolmentStatusChange.objects.count() == 4


def test_bulk_on_a_household_rule_is_set_based_and_flags_like_the_evaluation(
    program, operator_a, django_assert_max_num_queries
):
    moved = make.family(desil=2, status="moved")
    unknown = make.family(desil=None)
    above = make.family(desil=5)
    fine = make.family(desil=4)
    households = Household.objects.filter(pk__in=[moved.pk, unknown.pk, above.pk, fine.pk])
    # Counting, then one INSERT ... SELECT of enrolments and first steps, whatever the number.
    with django_assert_max_num_queries(6):
        result = service.bulk_enrol(program, households, user=operator_a, justification="SK")
    assert (result.created, result.flagged) == (4, 3)
    assert result.findings == {"household_inactive": 1, "no_desil": 1, "above_ceiling": 1}
    for household in (moved, unknown, above, fine):
        enrolment = Enrolment.objects.get(household=household)
        expected = [f.issue for f in service.evaluate(program, household)]
        assert enrolment.flags == expected
        assert enrolment.justification == ("SK" if expected else "")
        assert list(enrolment.changes.values_list("from_status", "to_status", "by")) == [
            ("", "proposed", operator_a.pk)
        ]


def test_bulk_on_a_member_rule_evaluates_each_household(operator_a):
    pkh = factories.pkh()
    with_toddler = make.family(desil=2)
    make.member(with_toddler, "Nabila", make.years_old(3))
    adults_only = make.household(desil=2)
    make.member(adults_only, "Parman", make.years_old(40))
    households = Household.objects.filter(pk__in=[with_toddler.pk, adults_only.pk])
    preview = service.bulk_preview(pkh, households)
    assert (preview.created, preview.flagged) == (2, 1)
    assert preview.findings == {EligibilityIssue.NO_COMPONENT: 1}
    service.bulk_enrol(pkh, households, user=operator_a, justification="Verifikasi lapangan")
    assert Enrolment.objects.get(household=with_toddler).flags == []
    assert Enrolment.objects.get(household=adults_only).flags == ["no_component"]
