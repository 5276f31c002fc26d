"""The working-day calendar shared by referrals and complaints."""

from datetime import date

import pytest

from core.models import Holiday
from core.workdays import WorkCalendar, add_working_days, is_working_day, working_days_between
from tests.conftest import DESA_A1, DESA_B1, KAB, KEC_A, OTHER_KAB

PLAIN = WorkCalendar(extra_days=[])


def test_weekends_are_not_working_days():
    assert PLAIN.is_working_day(date(2026, 12, 4))  # Friday
    assert not PLAIN.is_working_day(date(2026, 12, 5))  # Saturday
    assert not PLAIN.is_working_day(date(2026, 12, 6))  # Sunday


def test_national_holidays_are_not_working_days():
    assert not PLAIN.is_working_day(date(2026, 8, 17))  # Hari Kemerdekaan, a Monday
    assert not PLAIN.is_working_day(date(2026, 12, 25))  # Natal, a Friday
    assert not PLAIN.is_working_day(date(2026, 5, 27))  # Iduladha 2026, a Wednesday


def test_adding_working_days_skips_the_weekend():
    friday = date(2026, 12, 4)
    assert PLAIN.add_working_days(friday, 1) == date(2026, 12, 7)
    assert PLAIN.add_working_days(friday, 5) == date(2026, 12, 11)
    assert PLAIN.add_working_days(date(2026, 12, 5), 1) == date(2026, 12, 7)


def test_adding_working_days_skips_holidays_and_the_weekend_around_them():
    # Thu 24/12 + 1 → Mon 28/12: Christmas Friday, then the weekend.
    assert PLAIN.add_working_days(date(2026, 12, 24), 1) == date(2026, 12, 28)
    # Fri 14/08 + 1 → Tue 18/08: the weekend, then Independence Day on Monday.
    assert PLAIN.add_working_days(date(2026, 8, 14), 1) == date(2026, 8, 18)


def test_zero_days_is_the_same_or_next_working_day():
    assert PLAIN.add_working_days(date(2026, 12, 4), 0) == date(2026, 12, 4)
    assert PLAIN.add_working_days(date(2026, 12, 5), 0) == date(2026, 12, 7)


def test_out_of_range_days_are_refused():
    with pytest.raises(ValueError):
        PLAIN.add_working_days(date(2026, 12, 4), -1)


def test_working_days_between_counts_after_start_up_to_end():
    assert PLAIN.working_days_between(date(2026, 12, 4), date(2026, 12, 11)) == 5
    assert PLAIN.working_days_between(date(2026, 12, 11), date(2026, 12, 4)) == -5
    assert PLAIN.working_days_between(date(2026, 12, 4), date(2026, 12, 4)) == 0
    assert PLAIN.working_days_between(date(2026, 12, 24), date(2026, 12, 28)) == 1


def test_the_district_days_off_count_in_its_own_area_only(db):
    Holiday.objects.create(date=date(2026, 12, 7), name="Cuti bersama", region_id=KAB)
    Holiday.objects.create(date=date(2026, 12, 8), name="Hari jadi kecamatan", region_id=KEC_A)
    assert not is_working_day(date(2026, 12, 7), DESA_A1)
    assert not is_working_day(date(2026, 12, 8), DESA_A1)
    assert not is_working_day(date(2026, 12, 7), DESA_B1)
    assert is_working_day(date(2026, 12, 8), DESA_B1)
    assert is_working_day(date(2026, 12, 7), OTHER_KAB + ".01.2001")
    # Fri 04/12 + 1 in desa A1: Mon 7 and Tue 8 are off → Wed 9.
    assert add_working_days(date(2026, 12, 4), 1, DESA_A1) == date(2026, 12, 9)
    assert add_working_days(date(2026, 12, 4), 1, DESA_B1) == date(2026, 12, 8)
    assert working_days_between(date(2026, 12, 4), date(2026, 12, 9), DESA_A1) == 1


def test_a_day_without_region_counts_everywhere(db):
    Holiday.objects.create(date=date(2026, 12, 9), name="Pilkada")
    assert not is_working_day(date(2026, 12, 9), DESA_A1)
    assert not is_working_day(date(2026, 12, 9), OTHER_KAB)
    assert not is_working_day(date(2026, 12, 9))
