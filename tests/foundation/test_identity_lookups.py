"""Lookups of one NIK or No KK (registry search, Puskesos intake) are recorded in the access log
with the number masked, and limited per staff member (TERPADU_IDENTITY_LOOKUP_RATE), so a whole
registry cannot be probed number by number."""

import pytest
from django.urls import reverse

from core.models import AccessKind, AccessLog
from tests.conftest import client_for
from tests.households import registry_factory as make
from tests.referrals import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def low_rate(settings):
    settings.IDENTITY_LOOKUP_RATE = "2/h"


def nik_of(household):
    return household.members.get(hubungan_keluarga=1).nik


def test_registry_searches_by_nik_are_recorded_then_limited(district_admin, low_rate):
    family = make.family(head="Slamet Riyadi")
    client = client_for(district_admin)
    for _ in range(2):
        answer = client.post("/data/?_search=1", {"q": nik_of(family)})
        assert "s=" in answer["Location"]
    lines = AccessLog.objects.filter(kind=AccessKind.IDENTITY_SEARCH, user=district_admin)
    assert lines.count() == 2
    assert all(nik_of(family) not in line.object_ref for line in lines)
    assert lines.first().object_ref.endswith(nik_of(family)[-4:])

    refused = client.post("/data/?_search=1", {"q": nik_of(family)}, follow=True)
    assert refused.redirect_chain[0] == ("/data/", 303)
    assert "Terlalu banyak pencarian NIK/No KK" in refused.content.decode()
    # A search by name is not an identity lookup: it goes on.
    assert "s=" in client.post("/data/?_search=1", {"q": "Slamet"})["Location"]


def test_the_limit_is_per_staff_member(district_admin, head_of_office, low_rate):
    family = make.family()
    for _ in range(3):
        client_for(district_admin).post("/data/?_search=1", {"q": nik_of(family)})
    answer = client_for(head_of_office).post("/data/?_search=1", {"q": nik_of(family)})
    assert "s=" in answer["Location"]


def test_puskesos_intake_searches_are_recorded_then_limited(puskesos_a, low_rate):
    f.service_point(name="Puskesos Desa Satu")
    member = f.resident(name="Sri Wahyuni")
    client = client_for(puskesos_a)
    url = reverse("referrals:intake_add")
    for _ in range(2):
        found = client.post(url, {"action": "search", "q": member.nik})
        assert "Sri Wahyuni" in found.content.decode()
    refused = client.post(url, {"action": "search", "q": member.nik}).content.decode()
    assert "Terlalu banyak pencarian NIK/No KK" in refused and "Sri Wahyuni" not in refused
    assert AccessLog.objects.filter(user=puskesos_a, kind=AccessKind.IDENTITY_SEARCH).count() == 3
