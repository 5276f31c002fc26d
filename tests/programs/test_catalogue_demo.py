"""The demo programs seeded by ``seed_demo`` through the households demo-seeder seam."""

import pytest
from django.db.models import Q
from django.utils import timezone

from households.demo import _demo_seeders, run_demo_seeders, seed_households
from households.models import Household
from programs.choices import EnrolmentStatus
from programs.models import Disbursement, EmpowermentGroup, Enrolment, Program
from programs.services.disbursements import check_disbursement
from programs.services.groups import productive_groups

pytestmark = pytest.mark.django_db


def test_the_programs_seeder_is_registered():
    assert "programs" in _demo_seeders


def test_demo_programs_are_realistic_and_a_rerun_adds_nothing(district_admin):
    seed_households(600)
    first = run_demo_seeders(district_admin)
    assert any(line.startswith("Program demo:") for line in first)
    counts = (Enrolment.objects.count(), Disbursement.objects.count())
    assert counts[0] > 100
    assert counts[1] > 100

    pkh = Program.objects.get(code="PKH")
    poor = Enrolment.objects.filter(program=pkh).values("household").distinct().count()
    share = poor / Household.objects.filter(desil__lte=4).count()
    assert 0.2 < share < 0.45
    # Above the ceiling only when flagged, with a justification.
    above = Enrolment.objects.filter(program=pkh, household__desil__gt=4)
    assert all(e.flags and e.justification for e in above)
    assert not Enrolment.objects.filter(Q(flags=[]), program=pkh, household__desil__gt=4)

    today = timezone.localdate()
    for row in Disbursement.objects.select_related("enrolment__program")[:2000]:
        status = EnrolmentStatus.ACTIVE  # the rule on the row's values, not on today's status
        errors = check_disbursement(
            status,
            row.enrolment.program,
            row.year,
            row.period,
            row.amount,
            today,
            row.status,
            row.disbursed_on,
        )
        assert errors == [], (row, errors)

    groups = EmpowermentGroup.objects.all()
    assert groups.count() >= 3
    assert all(g.memberships.count() >= 5 for g in groups)
    assert 0 < productive_groups(groups).count() < groups.count()

    second = run_demo_seeders(district_admin)
    assert any("sudah ada" in line for line in second)
    assert (Enrolment.objects.count(), Disbursement.objects.count()) == counts


def test_a_grown_registry_gets_its_new_households_enrolled(district_admin):
    seed_households(300)
    run_demo_seeders(district_admin)
    before = Enrolment.objects.count()
    seed_households(600)
    run_demo_seeders(district_admin)
    grown = Enrolment.objects.count()
    assert grown > before
    run_demo_seeders(district_admin)
    assert Enrolment.objects.count() == grown
