"""The working-day calendar shared by referrals and complaints (service levels, due dates).

A working day is a weekday that is neither an Indonesian public holiday (the ``holidays``
package's calendar for Indonesia, which includes the moving Islamic, Chinese, Hindu and Buddhist
holidays) nor a day the district added (``core.models.Holiday``: cuti bersama, local holidays).
"""

from datetime import date, timedelta
from functools import lru_cache

import holidays

# How far ahead a service level may reach: 366 working days is more than any service level.
_MAX_DAYS = 366


@lru_cache(maxsize=64)
def national_holidays(year: int) -> dict[date, str]:
    return dict(holidays.country_holidays("ID", years=year, language="id"))


class WorkCalendar:
    """The calendar of one place (a desa, kecamatan or kabupaten code; ``""`` takes only the days
    without a region): its district's days off are loaded once, so a daily job can ask thousands
    of questions of one calendar."""

    def __init__(self, area: str = "", extra_days=None):
        if extra_days is None:
            from core.models import Holiday

            holidays_here = Holiday.objects.filter(region__isnull=True)
            if area:
                holidays_here = Holiday.objects.in_area(area)
            extra_days = holidays_here.values_list("date", flat=True)
        self.extra_days = frozenset(extra_days)

    def is_working_day(self, day: date) -> bool:
        return (
            day.weekday() < 5
            and day not in self.extra_days
            and day not in national_holidays(day.year)
        )

    def add_working_days(self, start: date, days: int) -> date:
        """The ``days``-th working day after ``start`` (``start`` itself does not count); with
        0, ``start`` or the first working day after it."""
        if days < 0 or days > _MAX_DAYS:
            raise ValueError(f"working days out of range: {days}")
        day = start
        if days == 0:
            while not self.is_working_day(day):
                day += timedelta(days=1)
            return day
        counted = 0
        while counted < days:
            day += timedelta(days=1)
            if self.is_working_day(day):
                counted += 1
        return day

    def working_days_between(self, start: date, end: date) -> int:
        """Working days after ``start`` up to and including ``end``; negative when ``end`` is
        before ``start`` (how late something is)."""
        if end < start:
            return -self.working_days_between(end, start)
        count = 0
        day = start + timedelta(days=1)
        while day <= end:
            if self.is_working_day(day):
                count += 1
            day += timedelta(days=1)
        return count


def is_working_day(day: date, area: str = "") -> bool:
    return WorkCalendar(area).is_working_day(day)


def add_working_days(start: date, days: int, area: str = "") -> date:
    return WorkCalendar(area).add_working_days(start, days)


def working_days_between(start: date, end: date, area: str = "") -> int:
    return WorkCalendar(area).working_days_between(start, end)
