"""The synergy views on a small known dataset: exact households, exact arithmetic, scope."""

import datetime

import pytest
from django.urls import reverse

from households.models import ExportLog
from programs.models import (
    EmpowermentGroup,
    Enrolment,
    GroupMembership,
    GroupProgress,
    ProgramTarget,
)
from programs.services import synergy
from tests.conftest import DESA_A1, DESA_A2, DESA_B1, KAB, KEC_A, KEC_B, client_for, make_persona
from tests.households import registry_factory as make
from tests.programs import factories


def enrol(program, household, status="active", **fields):
    return Enrolment.objects.create(
        program=program, household=household, status=status, source="system", **fields
    )


@pytest.fixture
def world(db):
    pkh = factories.pkh()
    sembako = factories.program("SEMBAKO", max_desil=4)
    kube = factories.program("KUBE", kind="pemberdayaan", cluster="pemberdayaan_masyarakat")
    h = {
        "two": make.family(desil=1),  # PKH + SEMBAKO
        "one": make.family(desil=3),  # SEMBAKO
        "none_poor": make.family(desil=2),  # eligible, in nothing → exclusion
        "none_rich": make.family(desil=8),  # not eligible, in nothing
        "rich_in": make.family(desil=7),  # SEMBAKO above ceiling → inclusion
        "moved_in": make.family(desil=2, status="moved"),  # PKH but moved → inclusion
        "grad_follow": make.family(desil=3, desa=DESA_A2),  # graduated PKH, then KUBE
        "grad_alone": make.family(desil=3, desa=DESA_A2),  # graduated PKH, nothing after
        "b_poor": make.family(desil=1, desa=DESA_B1),  # kecamatan B, in nothing
        "b_in": make.family(desil=1, desa=DESA_B1),  # kecamatan B, PKH
    }
    enrol(pkh, h["two"])
    enrol(sembako, h["two"])
    enrol(sembako, h["one"])
    enrol(sembako, h["rich_in"])
    enrol(pkh, h["moved_in"])
    enrol(pkh, h["b_in"])
    graduated_on = datetime.date(2025, 3, 1)
    enrol(pkh, h["grad_follow"], status="graduated", end_date=graduated_on)
    enrol(pkh, h["grad_alone"], status="graduated", end_date=graduated_on)
    follow = enrol(kube, h["grad_follow"])
    Enrolment.objects.filter(pk=follow.pk).update(
        created_at=datetime.datetime(2025, 4, 1, tzinfo=datetime.UTC)
    )
    return {"pkh": pkh, "sembako": sembako, "kube": kube, "h": h}


def ids(queryset):
    return {household.pk for household in queryset}


def test_programs_per_household(world, district_admin, operator_a):
    # Active households of the district: two(2), one(1), rich_in(1), b_in(1), grad_follow(KUBE 1),
    # none_poor, none_rich, grad_alone, b_poor (0); moved_in is not active.
    assert synergy.programs_per_household(district_admin) == [(0, 4), (1, 4), (2, 1), (3, 0)]
    assert synergy.programs_per_household(operator_a) == [(0, 3), (1, 3), (2, 1), (3, 0)]
    two = synergy.households_with_program_count(district_admin, 2)
    assert ids(two) == {world["h"]["two"].pk}


def test_possible_exclusion(world, district_admin, operator_a):
    h = world["h"]
    assert ids(synergy.possible_exclusion(district_admin)) == {
        h["none_poor"].pk,
        h["grad_follow"].pk,
        h["grad_alone"].pk,
        h["b_poor"].pk,
    }
    assert ids(synergy.possible_exclusion(operator_a, world["pkh"])) == {
        h["one"].pk,
        h["none_poor"].pk,
        h["grad_follow"].pk,
        h["grad_alone"].pk,
    }


def test_possible_inclusion(world, district_admin, operator_b):
    h = world["h"]
    found = {e.household_id for e in synergy.possible_inclusion(district_admin)}
    assert found == {h["rich_in"].pk, h["moved_in"].pk}
    assert not synergy.possible_inclusion(operator_b).exists()


def test_coverage_arithmetic(world, district_admin, operator_a):
    pkh = world["pkh"]
    ProgramTarget.objects.create(program=pkh, year=2025, region_id=KAB, planned=10)
    ProgramTarget.objects.create(program=pkh, year=2025, region_id=KEC_A, planned=4)
    rows = {row.code: row for row in synergy.coverage(district_admin, pkh, 2025)}
    # Active PKH: two, moved_in (kecamatan A), b_in (kecamatan B).
    assert (rows[KAB].planned, rows[KAB].realised, rows[KAB].percent, rows[KAB].gap) == (
        10,
        3,
        30.0,
        7,
    )
    assert (rows[KEC_A].planned, rows[KEC_A].realised, rows[KEC_A].percent) == (4, 2, 50.0)
    assert (rows[KEC_B].planned, rows[KEC_B].realised, rows[KEC_B].percent) == (None, 1, None)
    mine = {row.code for row in synergy.coverage(operator_a, pkh, 2025)}
    assert KEC_B not in mine and KAB not in mine and KEC_A in mine
    with_desa = {row.code: row for row in synergy.coverage(district_admin, pkh, 2025, KEC_A)}
    assert with_desa[DESA_A1].realised == 2 and with_desa[DESA_A1].planned is None
    ProgramTarget.objects.filter(region_id=KEC_A).update(planned=0)
    zero = {row.code: row for row in synergy.coverage(district_admin, pkh, 2025)}
    assert zero[KEC_A].percent is None


def test_graduated_with_and_without_follow_up(world, district_admin):
    h = world["h"]
    assert synergy.graduation_summary(district_admin) == {"households": 2, "followed": 1}
    followed = synergy.graduated_households(district_admin, followed=True)
    assert {e.household_id for e in followed} == {h["grad_follow"].pk}
    alone = synergy.graduated_households(district_admin, followed=False)
    assert {e.household_id for e in alone} == {h["grad_alone"].pk}


def test_concentration_and_unreached_desa(world, district_admin):
    make_persona("pendamping_a1", "pendamping", DESA_A1)
    make_persona("pendamping_kec_a", "pendamping", KEC_A)
    rows = {row["code"]: row for row in synergy.concentration(district_admin)}
    assert rows[DESA_A1]["programs"] == 2 and rows[DESA_A1]["households"] == 4
    assert rows[DESA_A1]["facilitators"] == 2
    assert rows[DESA_A2]["programs"] == 1 and rows[DESA_A2]["facilitators"] == 1
    unreached = [code for code, row in rows.items() if row["programs"] == 0]
    assert DESA_A1 not in unreached and len(unreached) > 0


def test_productive_groups_and_families(world, district_admin):
    group = EmpowermentGroup.objects.create(
        name="KUBE Mawar", desa_id=DESA_A1, business_type="Jahit"
    )
    idle = EmpowermentGroup.objects.create(name="KUBE Melati", desa_id=DESA_A1, business_type="Kue")
    GroupProgress.objects.create(group=group, is_active=True, monthly_turnover=2_000_000)
    GroupProgress.objects.create(group=idle, is_active=False, monthly_turnover=0)
    for household in (world["h"]["two"], world["h"]["one"]):
        GroupMembership.objects.create(group=group, member=household.members.first())
    rows = synergy.productive_per_desa(district_admin)
    assert rows == [
        {"code": DESA_A1, "name": rows[0]["name"], "groups": 2, "productive": 1, "families": 2}
    ]


def test_pages_per_persona_and_export(world, district_admin, operator_b, puskesos_a, provider):
    pages = [
        "programs:synergy",
        "programs:synergy_programs",
        "programs:synergy_exclusion",
        "programs:synergy_inclusion",
        "programs:synergy_coverage",
        "programs:synergy_concentration",
        "programs:synergy_graduated",
        "programs:synergy_productive",
    ]
    for name in pages:
        assert client_for(district_admin).get(reverse(name)).status_code == 200, name
        assert client_for(provider).get(reverse(name)).status_code == 403, name
    page = client_for(operator_b).get(reverse("programs:synergy_inclusion")).content.decode()
    assert world["h"]["rich_in"].no_kk not in page
    exported = client_for(district_admin).get(
        reverse("programs:synergy_exclusion"), {"export": "csv"}
    )
    body = b"".join(exported.streaming_content).decode()
    assert world["h"]["none_poor"].no_kk in body and world["h"]["one"].no_kk not in body
    assert ExportLog.objects.filter(user=district_admin, row_count=4).exists()
    refused = client_for(puskesos_a).get(reverse("programs:synergy_exclusion"), {"export": "xlsx"})
    assert refused.status_code == 302 and not ExportLog.objects.filter(user=puskesos_a).exists()


def test_index_queries_stay_bounded(world, district_admin, django_assert_max_num_queries):
    client = client_for(district_admin)
    with django_assert_max_num_queries(25):
        client.get(reverse("programs:synergy"))
    with django_assert_max_num_queries(25):
        client.get(reverse("programs:synergy_inclusion"))


def test_headline_figures_are_cached_per_area(world, settings, district_admin, operator_a):
    from django.core.cache import cache

    settings.SYNERGY_CACHE_SECONDS = 600
    for key in ("programs", "exclusion", "inclusion", "graduation"):
        for area in ("35.07", "35.07.01"):
            cache.delete(f"synergy:{key}:{area}:")
    first = client_for(district_admin).get(reverse("programs:synergy"))
    assert first.context["exclusion"] == 4
    make.family(desil=1)  # one more household not in any program
    cached = client_for(district_admin).get(reverse("programs:synergy"))
    assert cached.context["exclusion"] == 4
    # Another area has its own figures.
    assert client_for(operator_a).get(reverse("programs:synergy")).context["exclusion"] == 4
    settings.SYNERGY_CACHE_SECONDS = 0
    assert client_for(district_admin).get(reverse("programs:synergy")).context["exclusion"] == 5
