"""Natural-graduation candidates: component ends at age boundaries, the stored list, the
command's JSON."""

import datetime
import io
import json

import pytest
from django.core.management import call_command
from django.utils import timezone

from graduation.models import Candidate
from graduation.services.candidates import find_candidates, refresh_candidates
from households.choices import Relationship, Sex
from programs.models import Enrolment
from programs.services.components import birthday
from tests.conftest import DESA_A1, DESA_B1, KEC_A
from tests.graduation import factories
from tests.households import registry_factory as make

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2025, 6, 15)


def pkh_family(child_born, in_school=True, desa=DESA_A1, **child):
    household = make.household(desa=desa)
    make.member(household, "Kepala", datetime.date(1980, 1, 1), Sex.MALE, Relationship.HEAD)
    make.member(
        household,
        "Anak",
        child_born,
        Sex.FEMALE,
        Relationship.CHILD,
        partisipasi_sekolah="masih_sekolah" if in_school else "tidak_sekolah_lagi",
        **child,
    )
    Enrolment.objects.create(
        program=factories.pkh(), household=household, status="active", source="system"
    )
    return household


def found(within_months=0, area=""):
    return {
        row.household_id: row
        for row in find_candidates(area, within_months=within_months, day=TODAY)
    }


def test_a_school_child_counts_until_the_19th_birthday():
    turns_19_today = pkh_family(datetime.date(2006, 6, 15))
    turns_19_tomorrow = pkh_family(datetime.date(2006, 6, 16))
    rows = found()
    assert rows[turns_19_today.pk].from_date == TODAY
    assert "Tidak ada lagi anggota" in rows[turns_19_today.pk].reason
    assert turns_19_tomorrow.pk not in rows
    soon = found(within_months=6)[turns_19_tomorrow.pk]
    assert soon.from_date == datetime.date(2025, 6, 16)
    assert "Anak SMA" in soon.reason and "Anak" in soon.reason


def test_an_early_child_not_in_school_counts_until_the_7th_birthday():
    seventh_today = pkh_family(datetime.date(2018, 6, 15), in_school=False)
    seventh_in_7_months = pkh_family(datetime.date(2019, 1, 15), in_school=False)
    assert found()[seventh_today.pk].from_date == TODAY
    assert seventh_in_7_months.pk not in found(within_months=6)
    assert found(within_months=7)[seventh_in_7_months.pk].from_date == datetime.date(2026, 1, 15)


def test_the_horizon_is_inclusive_in_months():
    last_day = pkh_family(datetime.date(2006, 12, 15))  # turns 19 exactly 6 months on
    day_after = pkh_family(datetime.date(2006, 12, 16))
    rows = found(within_months=6)
    assert rows[last_day.pk].from_date == datetime.date(2025, 12, 15)
    assert day_after.pk not in rows


def test_members_with_no_foreseeable_end_keep_the_household_out():
    pregnant = pkh_family(datetime.date(2000, 1, 1), in_school=False, hamil=True)
    elderly = pkh_family(datetime.date(2000, 1, 1), in_school=False)
    make.member(elderly, "Nenek", datetime.date(1965, 6, 15), Sex.FEMALE, Relationship.PARENT)
    # The child's school component ends on 1 December; the grandfather turns 60 before that.
    turns_60_soon = pkh_family(datetime.date(2006, 12, 1))
    make.member(turns_60_soon, "Kakek", datetime.date(1965, 8, 1), Sex.MALE, Relationship.PARENT)
    disabled = pkh_family(datetime.date(2000, 1, 1), in_school=False, disabilitas="Tunanetra")
    rows = found(within_months=24)
    assert pregnant.pk not in rows
    assert elderly.pk not in rows  # 60 today
    assert turns_60_soon.pk not in rows  # 60 before the child's component ends
    assert disabled.pk not in rows


def test_only_open_pkh_enrolments_in_the_area():
    adult = datetime.date(2000, 1, 1)
    inside = pkh_family(adult, in_school=False)
    outside = pkh_family(adult, in_school=False, desa=DESA_B1)
    ended = pkh_family(adult, in_school=False)
    Enrolment.objects.filter(household=ended).update(status="graduated")
    assert set(found(area=KEC_A)) == {inside.pk}
    assert set(found()) == {inside.pk, outside.pk}


def test_refresh_stores_the_list_and_is_safe_to_rerun():
    adult = datetime.date(2000, 1, 1)
    first = pkh_family(adult, in_school=False)
    refresh_candidates(day=TODAY)
    refresh_candidates(day=TODAY)
    assert list(Candidate.objects.values_list("household_id", flat=True)) == [first.pk]
    Enrolment.objects.filter(household=first).update(status="exited")
    refresh_candidates(day=TODAY)
    assert not Candidate.objects.exists()


def test_command_prints_json(capsys):
    today = timezone.localdate()
    grown = pkh_family(birthday(today, -20), in_school=False)
    soon = pkh_family(birthday(today, -19) + datetime.timedelta(days=30))
    out = io.StringIO()
    call_command("graduation_candidates", "--area", KEC_A, "--format", "json", stdout=out)
    payload = json.loads(out.getvalue())
    rows = {row["registry_id"]: row for row in payload["candidates"]}
    assert set(rows) == {grown.registry_id, soon.registry_id}
    assert rows[grown.registry_id]["no_kk"] == grown.no_kk
    assert rows[grown.registry_id]["from"] <= today.isoformat()
    assert (
        rows[soon.registry_id]["from"]
        == (
            soon.members.get(nama="Anak").tanggal_lahir.replace(
                year=soon.members.get(nama="Anak").tanggal_lahir.year + 19
            )
        ).isoformat()
    )
    assert set(rows[grown.registry_id]) == {"registry_id", "no_kk", "reason", "from"}
    out = io.StringIO()
    call_command("graduation_candidates", "--within-months", "0", stdout=out)
    assert [row["registry_id"] for row in json.loads(out.getvalue())["candidates"]] == [
        grown.registry_id
    ]
