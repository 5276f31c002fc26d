"""The head's name and the number of living members stored on each household (database
triggers on households_member; the import refreshes them set-based), so the registry list sorts
by them through an index."""

import pytest

from households.choices import MemberStatus, Relationship, Sex
from households.importer import process
from households.models import Household, Member
from tests.households import registry_factory as make
from tests.imports.files import family, sheet, write_csv

pytestmark = pytest.mark.django_db


def summary(household):
    return Household.objects.values_list("head_name", "member_count").get(pk=household.pk)


def test_members_added_renamed_deceased_and_removed_keep_the_summary():
    home = make.household()
    assert summary(home) == ("", 0)
    make.member(home, "Sri Wahyuni", make.years_old(40), Sex.FEMALE, Relationship.SPOUSE)
    assert summary(home) == ("", 1)  # no head yet
    head = make.member(home, "Budi Santoso")
    child = make.member(home, "Rizky", make.years_old(10), relationship=Relationship.CHILD)
    assert summary(home) == ("Budi Santoso", 3)

    Member.objects.filter(pk=head.pk).update(nama="Budi Santosa")
    assert summary(home) == ("Budi Santosa", 3)
    child.status = MemberStatus.DECEASED
    child.save()
    assert summary(home) == ("Budi Santosa", 2)
    head.delete()
    assert summary(home) == ("", 1)


def test_a_member_moving_to_another_household_updates_both():
    first, second = make.family(head="Ahmad"), make.family(head="Bambang")
    child = Member.objects.get(household=first, hubungan_keluarga=Relationship.CHILD)
    child.household = second
    child.save()
    assert summary(first) == ("Ahmad", 2) and summary(second) == ("Bambang", 4)


def test_a_stale_household_instance_never_writes_its_old_summary_back():
    home = make.family(head="Ahmad")
    stale = Household.objects.get(pk=home.pk)
    make.member(home, "Bayi", make.years_old(0, 30), relationship=Relationship.CHILD)
    stale.desil = 1
    stale.save()
    home.refresh_from_db()
    assert (home.desil, home.member_count, home.head_name) == (1, 4, "Ahmad")


def test_the_import_stores_the_summary_of_new_and_changed_families(tmp_path):
    rows = family(1, size=4) + family(2, size=2)
    process(write_csv(tmp_path / "a.csv", sheet(rows)), dry_run=False)
    stored = dict(Household.objects.values_list("head_name", "member_count"))
    assert stored == {"BUDI SANTOSO 1": 4, "BUDI SANTOSO 2": 2}

    rows[0]["nama"] = "BUDI SANTOSA 1"  # the head's name corrected in the next file
    rows = rows[:3] + rows[4:]  # and the fourth member no longer listed (stays in the registry)
    process(write_csv(tmp_path / "b.csv", sheet(rows)), dry_run=False)
    stored = dict(Household.objects.values_list("head_name", "member_count"))
    assert stored == {"BUDI SANTOSA 1": 4, "BUDI SANTOSO 2": 2}


def test_the_list_sorts_by_the_stored_values(client, district_admin):
    from tests.conftest import client_for

    big = make.family(head="Zainal")
    make.member(big, "Anak Dua", make.years_old(8), relationship=Relationship.CHILD)
    small = make.household()
    make.member(small, "Agus")
    middle = make.family(head="Mulyadi")

    def order(sort):
        response = client_for(district_admin).get("/data/", {"sort": sort})
        return [row.record.pk for row in response.context["table"].page.object_list]

    assert order("head_name") == [small.pk, middle.pk, big.pk]
    assert order("-member_count") == [big.pk, middle.pk, small.pk]
