"""The registry's panel on the home dashboard: counts of the user's area with links to the
filtered list."""

import pytest
from django.conf import settings
from django.core.cache import cache

from households.choices import HouseholdStatus, NikFlag, Relationship, Sex
from households.services.registry import registry_counts
from tests.conftest import DESA_A1, DESA_B1, KAB, client_for
from tests.households import registry_factory as make

pytestmark = pytest.mark.django_db


@pytest.fixture
def area_data(db):
    poorest = make.family(desa=DESA_A1, desil=1)
    poorest.members.filter(hubungan_keluarga=Relationship.CHILD).update(nik_flags=[NikFlag.MISSING])
    make.family(desa=DESA_A1, desil=4)
    moved = make.family(desa=DESA_A1, desil=1, status=HouseholdStatus.MOVED)
    make.member(moved, "Pindahan", make.years_old(30), Sex.MALE, Relationship.OTHER)
    make.family(desa=DESA_B1, desil=2)
    cache.delete(f"registry-counts:{settings.DATABASES['default']['NAME']}:{KAB}")


def test_kecamatan_panel_counts_its_own_area(area_data, operator_a):
    response = client_for(operator_a).get("/")
    [(panel, counts)] = [(p, c) for p, c in response.context["panels"] if p.key == "data"]
    assert counts["households"] == 2  # active only
    assert counts["members"] == 6
    assert [row["count"] for row in counts["by_desil"]] == [1, 0, 0, 1]
    assert (counts["flagged_households"], counts["flagged_members"]) == (1, 1)
    body = response.content.decode()
    assert "Data keluarga" in body
    assert "/data/?status=active&amp;desil=1" in body
    assert "/data/?status=active&amp;nik=any" in body


def test_district_counts_are_kept_for_a_few_minutes(area_data, district_admin):
    first = registry_counts(district_admin)
    assert first["households"] == 3 and "as_of" in first
    make.family(desa=DESA_A1)
    assert registry_counts(district_admin)["households"] == 3
    body = client_for(district_admin).get("/").content.decode()
    assert "diperbarui tiap 5 menit" in body


def test_panel_links_lead_to_the_matching_list(area_data, operator_a):
    response = client_for(operator_a).get("/data/", {"status": "active", "desil": "1"})
    assert response.context["table"].paginator.count == 1
