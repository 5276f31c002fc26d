"""Duplicate candidates: the scan, the import's NIK conflicts, merge (every link moves) and
dismiss (never asked again)."""

import datetime

import pytest
from django.db import connection
from django.urls import reverse
from psycopg.types.json import Jsonb

from households.choices import ChangeAction, ChangeSource, HouseholdStatus, Relationship, Sex
from households.models import ChangeLog, DataUpdate, DuplicateCandidate, Member
from households.models.updates import DuplicateReason, DuplicateStatus, UpdateKind
from households.nik import forget_region_codes
from households.services import duplicates as service
from households.services.duplicates import DuplicateError, reverse_foreign_keys
from tests.conftest import DESA_A1, DESA_A2, DESA_B1, client_for
from tests.households.update_factories import evidence, make_household, make_member

BORN = datetime.date(1985, 9, 12)


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    forget_region_codes()


def person(desa, name, born=BORN, with_nik=True, relationship=Relationship.HEAD):
    household = make_household(desa, people=[])
    return make_member(household, name, Sex.FEMALE, born, relationship, with_nik=with_nik)


@pytest.fixture
def pair(db):
    """The same woman registered twice in kecamatan A: once with NIK, once without."""
    first = person(DESA_A1, "Siti Aminah")
    second = person(DESA_A2, "Siti Aminnah", with_nik=False)
    second.tempat_lahir = "Malang"
    second.pekerjaan = "Petani"
    second.save()
    service.scan_similar_names("35.07")
    return first, second, DuplicateCandidate.objects.get()


# Scan ------------------------------------------------------------------------------------------


def test_scan_finds_similar_names_with_the_same_birth_date(pair):
    first, second, candidate = pair
    assert {candidate.member_a_id, candidate.member_b_id} == {first.pk, second.pk}
    assert candidate.reason == DuplicateReason.SIMILAR_NAME
    assert candidate.status == DuplicateStatus.OPEN
    assert candidate.score >= 0.6


def test_scan_ignores_other_birth_dates_other_names_and_other_kabupaten(db):
    person(DESA_A1, "Siti Aminah")
    person(DESA_A2, "Siti Aminah", born=datetime.date(1985, 9, 13))
    person(DESA_A2, "Bambang Hermawan")
    person("35.08.01.2001", "Siti Aminah")
    assert service.scan_similar_names() == 0
    assert not DuplicateCandidate.objects.exists()


def test_scanning_again_adds_nothing(pair):
    assert service.scan_similar_names("35.07") == 0
    assert DuplicateCandidate.objects.count() == 1


def test_a_dismissed_pair_is_not_proposed_again(pair, operator_a):
    _first, _second, candidate = pair
    service.dismiss(candidate, operator_a, "kembar")
    assert service.scan_similar_names() == 0
    candidate.refresh_from_db()
    assert candidate.status == DuplicateStatus.DISMISSED
    assert candidate.details["note"] == "kembar"
    assert DuplicateCandidate.objects.count() == 1


def test_scan_limited_to_an_area(db):
    person(DESA_A1, "Siti Aminah")
    person(DESA_A2, "Siti Aminnah")
    assert service.scan_similar_names("35.07.02") == 0
    assert service.scan_similar_names("35.07.01") == 1


# NIK conflicts from imports --------------------------------------------------------------------


def refuse(member, **row):
    """Queue one refused import row of ``member``'s NIK, as the importer does (set-based)."""
    data = {"row": 12, "nik": member.nik, "kode_desa": member.household.desa_id, **row}
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMP TABLE IF NOT EXISTS refused (member_id bigint, row_no int, data jsonb)"
        )
        cursor.execute("TRUNCATE refused")
        cursor.execute(
            "INSERT INTO refused VALUES (%s, %s, %s)", [member.pk, data["row"], Jsonb(data)]
        )
    return service.record_refused_rows("refused")


def test_a_refused_row_is_queued_once_and_respects_dismissal(db, operator_a):
    existing = person(DESA_A1, "Siti Aminah")
    row = {"nama": "Siti Aminah", "no_kk": "3507010000000999", "tanggal_lahir": "1985-09-12"}
    refuse(existing, **row)
    candidate = DuplicateCandidate.objects.get()
    assert candidate.reason == DuplicateReason.SAME_NIK and candidate.member_b is None
    assert candidate.details["rows"][0]["row"]["tanggal_lahir"] == BORN.isoformat()
    refuse(existing, **row)
    assert DuplicateCandidate.objects.get().details == candidate.details
    service.dismiss(candidate, operator_a)
    refuse(existing, **row)
    assert DuplicateCandidate.objects.count() == 1
    refuse(existing, **{**row, "row": 13, "no_kk": "3507010000000998"})
    assert DuplicateCandidate.objects.filter(status=DuplicateStatus.OPEN).count() == 1
    assert DuplicateCandidate.objects.count() == 2


def test_a_refused_row_joins_the_open_candidate_of_its_member(db):
    existing = person(DESA_A1, "Siti Aminah")
    refuse(existing, nama="A")
    refuse(existing, row=20, nama="B")
    candidate = DuplicateCandidate.objects.get()
    assert [entry["row"]["nama"] for entry in candidate.details["rows"]] == ["A", "B"]


def test_a_nik_conflict_cannot_be_merged(db, operator_a):
    existing = person(DESA_A1, "Siti Aminah")
    refuse(existing)
    with pytest.raises(DuplicateError):
        service.merge(DuplicateCandidate.objects.get(), existing, operator_a)


# Merge -----------------------------------------------------------------------------------------


def test_merge_moves_every_link_and_keeps_the_removed_record_in_history(pair, operator_a):
    first, second, candidate = pair
    removed_household = second.household
    removed_id = second.pk
    # Links to the member that will be merged away: a proposal about it and its history.
    proposal = DataUpdate.objects.create(
        kind=UpdateKind.DEATH,
        household=removed_household,
        member=second,
        desa_id=removed_household.desa_id,
        reason="x",
        evidence=evidence(),
        proposed_by=operator_a,
    )
    old_log = ChangeLog.objects.create(
        household=removed_household,
        member=second,
        action=ChangeAction.CREATE,
        changes={},
        source=ChangeSource.IMPORT,
    )
    links_before = {
        relation.related_model: relation.related_model._base_manager.filter(
            **{relation.field.name: second}
        ).count()
        for relation in reverse_foreign_keys()
        if relation.related_model is not DuplicateCandidate
    }

    kept = service.merge(candidate, first, operator_a)

    assert kept == first
    assert not Member.objects.filter(pk=removed_id).exists()
    proposal.refresh_from_db()
    old_log.refresh_from_db()
    assert proposal.member == first
    assert old_log.member == first
    # Whatever model points to Member (today's and those later apps add), nothing is left on
    # the removed id and the kept member gained every link.
    for relation in reverse_foreign_keys():
        rows = relation.related_model._base_manager.filter(**{relation.field.name: removed_id})
        assert not rows.exists(), relation
    for model, count in links_before.items():
        field = next(r.field.name for r in reverse_foreign_keys() if r.related_model is model)
        assert model._base_manager.filter(**{field: first}).count() >= count
    first.refresh_from_db()
    assert first.tempat_lahir == "Malang" and first.pekerjaan == "Petani"
    assert first.nama == "Siti Aminah"


def test_merge_writes_both_histories_and_closes_an_empty_household(pair, operator_a):
    first, second, candidate = pair
    removed_household = second.household
    service.merge(candidate, first, operator_a)
    kept_log = ChangeLog.objects.get(household=first.household, source=ChangeSource.MERGE)
    assert kept_log.user == operator_a
    assert kept_log.changes["pekerjaan"] == ["", "Petani"]
    assert kept_log.changes["digabung_dengan"][1]["nama"] == "Siti Aminnah"
    removed_logs = ChangeLog.objects.filter(household=removed_household, source=ChangeSource.MERGE)
    deleted = removed_logs.get(action=ChangeAction.DELETE)
    assert deleted.changes["nama"] == ["Siti Aminnah", None]
    assert deleted.changes["tempat_lahir"] == ["Malang", None]
    removed_household.refresh_from_db()
    assert removed_household.status == HouseholdStatus.MERGED
    assert removed_household.merged_into == first.household
    candidate.refresh_from_db()
    assert candidate.status == DuplicateStatus.MERGED
    assert candidate.decided_by == operator_a
    assert candidate.details["removed"] == second.pk


def test_keeping_the_record_without_nik_takes_over_the_nik(pair, operator_a):
    first, second, candidate = pair
    nik = first.nik
    kept = service.merge(candidate, second, operator_a)
    kept.refresh_from_db()
    assert kept.nik == nik
    assert not Member.objects.filter(pk=first.pk).exists()


def test_a_pair_is_merged_only_once(pair, operator_a, district_admin):
    first, _second, candidate = pair
    service.merge(candidate, first, operator_a)
    with pytest.raises(DuplicateError):
        service.merge(candidate, first, district_admin)


def test_other_pairs_of_the_removed_member_follow_the_kept_one(pair, operator_a):
    first, second, candidate = pair
    third = person(DESA_A1, "Siti Aminnah")
    service.scan_similar_names("35.07")
    assert DuplicateCandidate.objects.count() == 3
    service.merge(candidate, first, operator_a)
    open_pairs = DuplicateCandidate.objects.filter(status=DuplicateStatus.OPEN)
    assert [{c.member_a_id, c.member_b_id} for c in open_pairs] == [{first.pk, third.pk}]


# Scope and pages -------------------------------------------------------------------------------


def test_a_pair_across_two_kecamatan_is_hidden_from_both_operators(
    db, operator_a, operator_b, district_admin
):
    person(DESA_A1, "Siti Aminah")
    person(DESA_B1, "Siti Aminnah")
    service.scan_similar_names("35.07")
    candidate = DuplicateCandidate.objects.get()
    for user in (operator_a, operator_b):
        response = client_for(user).get(reverse("households:duplicate_detail", args=[candidate.pk]))
        assert response.status_code == 404
        with pytest.raises(DuplicateError):
            service.dismiss(candidate, user)
    response = client_for(district_admin).get(
        reverse("households:duplicate_detail", args=[candidate.pk])
    )
    assert response.status_code == 200


def test_operator_of_another_kecamatan_gets_404(pair, operator_b):
    _first, _second, candidate = pair
    client = client_for(operator_b)
    assert (
        client.get(reverse("households:duplicate_detail", args=[candidate.pk])).status_code == 404
    )
    response = client.post(reverse("households:duplicate_merge", args=[candidate.pk]), {"keep": 1})
    assert response.status_code == 404
    assert "Siti" not in client.get(reverse("households:duplicate_list")).content.decode()


def test_compare_page_and_merge_through_it(pair, operator_a):
    first, second, candidate = pair
    client = client_for(operator_a)
    listing = client.get(reverse("households:duplicate_list")).content.decode()
    assert "Siti Aminnah" in listing
    page = client.get(reverse("households:duplicate_detail", args=[candidate.pk])).content.decode()
    assert "Siti Aminah" in page and "Siti Aminnah" in page and "Petani" in page
    response = client.post(
        reverse("households:duplicate_merge", args=[candidate.pk]), {"keep": first.pk}
    )
    assert response.status_code == 302
    assert not Member.objects.filter(pk=second.pk).exists()


def test_dismiss_through_the_page(pair, operator_a):
    _first, _second, candidate = pair
    client_for(operator_a).post(
        reverse("households:duplicate_dismiss", args=[candidate.pk]), {"note": "orang berbeda"}
    )
    candidate.refresh_from_db()
    assert candidate.status == DuplicateStatus.DISMISSED
    listing = client_for(operator_a).get(reverse("households:duplicate_list")).content.decode()
    assert "Siti Aminnah" not in listing


def test_resolving_needs_the_permission(pair, puskesos_a, head_of_office):
    _first, _second, candidate = pair
    response = client_for(head_of_office).post(
        reverse("households:duplicate_dismiss", args=[candidate.pk])
    )
    assert response.status_code == 403
    assert client_for(puskesos_a).get(reverse("households:duplicate_list")).status_code == 403
    candidate.refresh_from_db()
    assert candidate.status == DuplicateStatus.OPEN


@pytest.mark.parametrize("name", ["duplicate_merge", "duplicate_dismiss"])
def test_decisions_only_accept_post(pair, operator_a, name):
    _first, _second, candidate = pair
    response = client_for(operator_a).get(reverse(f"households:{name}", args=[candidate.pk]))
    assert response.status_code == 405
    candidate.refresh_from_db()
    assert candidate.status == DuplicateStatus.OPEN


def test_starting_a_scan_needs_the_permission_and_a_post(puskesos_a, operator_a):
    url = reverse("households:duplicate_scan")
    assert client_for(operator_a).get(url).status_code == 405
    assert client_for(puskesos_a).post(url).status_code == 403
