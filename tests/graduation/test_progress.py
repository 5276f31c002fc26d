"""Targets and progress per calendar year: per facilitator, per kecamatan, for the district."""

import datetime

import pytest

from graduation.models import Graduation, GraduationTarget
from graduation.services import progress
from tests.conftest import DESA_B1, KEC_A, KEC_B, persona
from tests.graduation import factories

pytestmark = pytest.mark.django_db


def graduation(household, fac, day, status):
    return Graduation.objects.create(
        household=household,
        program=factories.pkh(),
        facilitator=fac,
        kind="alamiah",
        graduation_date=day,
        reasons="Tidak ada komponen",
        status=status,
    )


def test_counting_per_calendar_year(district_admin, facilitator_a):
    fac_a = factories.facilitator(facilitator_a)
    fac_b = factories.facilitator(persona("facilitator_a", "pendamping_b"), area=KEC_B)
    GraduationTarget.objects.create(facilitator=fac_a, year=2025, target=3)
    GraduationTarget.objects.create(facilitator=fac_a, year=2024, target=20)
    for day, status in [
        (datetime.date(2025, 1, 1), "approved"),
        (datetime.date(2025, 12, 31), "approved"),
        (datetime.date(2025, 6, 1), "verified"),
        (datetime.date(2025, 6, 2), "proposed"),
        (datetime.date(2025, 6, 3), "rejected"),
        (datetime.date(2024, 12, 31), "approved"),
        (datetime.date(2026, 1, 1), "approved"),
    ]:
        graduation(factories.pkh_household(enrol=False), fac_a, day, status)
    graduation(
        factories.pkh_household(desa=DESA_B1, enrol=False),
        fac_b,
        datetime.date(2025, 3, 1),
        "approved",
    )

    rows = {row.facilitator_id: row for row in progress.facilitator_progress(district_admin, 2025)}
    a = rows[fac_a.pk]
    assert (a.target, a.proposed, a.verified, a.approved) == (3, 4, 3, 2)
    assert a.percent == 67 and a.bar_value == 2
    b = rows[fac_b.pk]
    assert (b.target, b.approved) == (10, 1)  # the default target
    last_year = {
        row.facilitator_id: row for row in progress.facilitator_progress(district_admin, 2024)
    }
    assert (last_year[fac_a.pk].target, last_year[fac_a.pk].approved) == (20, 1)

    kecamatan, total = progress.area_progress(district_admin, 2025)
    by_code = {row.code: row for row in kecamatan}
    assert (by_code[KEC_A].target, by_code[KEC_A].approved) == (3, 2)
    assert (by_code[KEC_B].target, by_code[KEC_B].approved) == (10, 1)
    assert (total.target, total.proposed, total.approved) == (13, 5, 3)

    operator = persona("operator_b")
    kecamatan, total = progress.area_progress(operator, 2025)
    assert [row.code for row in kecamatan] == [KEC_B] and total.approved == 1


def test_a_full_bar_stops_at_the_target(district_admin, facilitator_a):
    fac = factories.facilitator(facilitator_a)
    GraduationTarget.objects.create(facilitator=fac, year=2025, target=1)
    for day in (datetime.date(2025, 2, 1), datetime.date(2025, 3, 1)):
        graduation(factories.pkh_household(enrol=False), fac, day, "approved")
    row = progress.facilitator_progress(district_admin, 2025)[0]
    assert (row.approved, row.bar_value, row.percent) == (2, 1, 200)
