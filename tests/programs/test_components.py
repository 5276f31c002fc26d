"""PKH components derived from the members, at the age boundaries, and the entitlement."""

import datetime

from households.choices import Relationship, Sex
from programs.services.components import (
    components_end_date,
    entitlement,
    household_components,
)
from tests.households import registry_factory as make
from tests.programs import factories

DAY = datetime.date(2025, 7, 15)


def born(years, days_after=0):
    """Born so that on DAY they are ``years`` old, their birthday ``days_after`` days away
    (0 = birthday today)."""
    return DAY.replace(year=DAY.year - years) + datetime.timedelta(days=days_after)


def kinds(household, day=DAY):
    return sorted(item.component for item in household_components(household, day))


def family_with(child_born, **child):
    household = make.household()
    make.member(household, "Kepala", born=born(40))
    make.member(
        household,
        "Anak",
        born=child_born,
        relationship=Relationship.CHILD,
        **child,
    )
    return household


def test_a_child_turning_7_moves_from_early_childhood_to_primary_school(db):
    household = family_with(born(7), partisipasi_sekolah="masih_sekolah")
    assert kinds(household, DAY - datetime.timedelta(days=1)) == ["anak_usia_dini"]
    assert kinds(household, DAY) == ["anak_sd"]


def test_a_child_turning_7_out_of_school_gives_nothing_more(db):
    household = family_with(born(7))
    assert kinds(household, DAY - datetime.timedelta(days=1)) == ["anak_usia_dini"]
    assert kinds(household, DAY) == []
    assert components_end_date(household, DAY - datetime.timedelta(days=10)) == DAY


def test_school_levels_follow_age_in_school(db):
    for age, expected in ((12, "anak_sd"), (13, "anak_smp"), (15, "anak_smp"), (16, "anak_sma")):
        household = family_with(born(age), partisipasi_sekolah="masih_sekolah")
        assert kinds(household) == [expected], age
    household = family_with(born(19), partisipasi_sekolah="masih_sekolah")
    assert kinds(household) == []


def test_an_elder_turning_60(db):
    household = make.household()
    make.member(household, "Mbah", born=born(60, days_after=1))
    assert kinds(household) == []
    assert kinds(household, DAY + datetime.timedelta(days=1)) == ["lanjut_usia"]
    assert components_end_date(household, DAY + datetime.timedelta(days=1)) is None


def test_a_member_turning_60_before_the_children_leave_school_means_no_end(db):
    household = family_with(born(17), partisipasi_sekolah="masih_sekolah")
    make.member(household, "Nenek", born=born(59), relationship=Relationship.PARENT)
    assert kinds(household) == ["anak_sma"]
    assert components_end_date(household, DAY) is None


def test_a_pregnancy_ending(db):
    household = make.household()
    mother = make.member(household, "Ibu", born=born(28), sex=Sex.FEMALE, hamil=True)
    assert kinds(household) == ["ibu_hamil"]
    assert components_end_date(household, DAY) is None
    mother.hamil = False
    mother.save()
    assert kinds(household) == []
    assert components_end_date(household, DAY) <= DAY


def test_severe_disability_and_the_dead(db):
    household = make.household()
    make.member(household, "Kepala", born=born(45), functional_difficulties={"penglihatan": 1})
    make.member(household, "Almarhum", born=born(70), status="deceased")
    assert kinds(household) == ["disabilitas_berat"]


def test_end_date_is_the_last_childs_19th_birthday(db):
    household = family_with(born(14, days_after=100), partisipasi_sekolah="masih_sekolah")
    assert components_end_date(household, DAY) == born(14, days_after=100).replace(
        year=born(14, days_after=100).year + 19
    )


def test_entitlement_uses_the_years_table_and_counts_four_persons(db):
    factories.benefit_rates(2025)
    household = make.household()
    make.member(household, "Mbah", born=born(70))
    for index, age in enumerate((2, 4, 8, 14)):
        make.member(
            household,
            f"Anak {index}",
            born=born(age, days_after=10),
            relationship=Relationship.CHILD,
            partisipasi_sekolah="masih_sekolah",
        )
    found = entitlement(household_components(household, DAY), 2025)
    assert found.rates_known
    assert found.counted == 4
    # 3.000.000 × 2 (0–6) + 2.400.000 (elderly) + 1.500.000 (SMP); the SD child is the fifth.
    assert found.total == 3_000_000 * 2 + 2_400_000 + 1_500_000
    assert not entitlement(household_components(household, DAY), 2019).rates_known
