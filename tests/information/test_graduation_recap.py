"""Graduations against target in the recap for the ministry and on the dashboard."""

import datetime

import pytest
from django.urls import reverse

from core.reports import ReportRequest
from graduation.models import Graduation, GraduationTarget
from graduation.reports import graduation_recap
from tests.conftest import DESA_B1, KEC_A, KEC_B, client_for, persona
from tests.graduation import factories

pytestmark = pytest.mark.django_db


def graduate(household, fac, day, status, kind="alamiah"):
    return Graduation.objects.create(
        household=household,
        program=factories.pkh(),
        facilitator=fac,
        kind=kind,
        graduation_date=day,
        reasons="Tidak ada komponen",
        status=status,
    )


def test_recap_per_kecamatan_and_facilitator(facilitator_a):
    fac_a = factories.facilitator(facilitator_a)
    fac_b = factories.facilitator(persona("facilitator_a", "pendamping_b"), area=KEC_B)
    GraduationTarget.objects.create(facilitator=fac_a, year=2025, target=4)
    for status, kind in [
        ("approved", "alamiah"),
        ("approved", "sejahtera_mandiri"),
        ("verified", "alamiah"),
        ("rejected", "alamiah"),
    ]:
        graduate(
            factories.pkh_household(enrol=False), fac_a, datetime.date(2025, 5, 1), status, kind
        )
    graduate(
        factories.pkh_household(desa=DESA_B1, enrol=False),
        fac_b,
        datetime.date(2025, 5, 1),
        "approved",
    )
    request = ReportRequest("35.07", datetime.date(2025, 1, 1), datetime.date(2025, 12, 31), 2025)
    kecamatan, facilitators = graduation_recap(request)
    rows = {row[0]: row for row in kecamatan.rows}
    assert rows[KEC_A][2:7] == [4, 3, 3, 2, 0.5]
    assert rows[KEC_A][7:] == [1, 1, 0]
    assert rows[KEC_B][2:7] == [10, 1, 1, 1, 0.1]
    per_person = {row[2]: row for row in facilitators.rows}
    assert per_person[KEC_A][3:] == [4, 3, 3, 2, 0.5]
    only_a = ReportRequest(KEC_A, datetime.date(2025, 1, 1), datetime.date(2025, 12, 31), 2025)
    assert [row[0] for row in next(graduation_recap(only_a)).rows] == [KEC_A]


def test_dashboard_panel_shows_target_and_approved(district_admin, facilitator_a):
    factories.facilitator(facilitator_a)
    page = client_for(district_admin).get(reverse("home")).content.decode()
    assert "panel-graduation_charts" in page and f"kecamatan={KEC_A}" in page
