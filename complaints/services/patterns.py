"""Pola pengaduan: complaints per category, desa, program and month, with the average and
90th-percentile resolution time and the share resolved within the service level.

All groupings come from one statement over the (already area-scoped, filtered) queryset:
``GROUP BY GROUPING SETS ((category), (desa), (program), (month), ())`` reads the complaints
once instead of five times. The resolution time is ``resolved_at - received_at`` of the
complaints resolved so far; "within the service level" is resolved on or before the due date
(the local calendar day)."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db import connection, transaction

GROUPS = ("category", "desa", "program", "month")

SQL = """
SELECT s.category_id, s.desa_id, s.program_id, s.month,
       GROUPING(s.category_id, s.desa_id, s.program_id, s.month) AS grouping,
       count(*) AS total,
       count(*) FILTER (WHERE s.resolved_at IS NOT NULL) AS resolved,
       count(*) FILTER (WHERE (s.resolved_at AT TIME ZONE %(zone)s)::date <= s.due_date)
           AS within,
       avg(s.resolved_at - s.received_at) FILTER (WHERE s.resolved_at IS NOT NULL) AS avg_time,
       percentile_cont(0.9) WITHIN GROUP (ORDER BY s.resolved_at - s.received_at)
           FILTER (WHERE s.resolved_at IS NOT NULL) AS p90_time
FROM (
    SELECT c.category_id, c.desa_id, c.program_id, c.received_at, c.resolved_at, c.due_date,
           date_trunc('month', c.received_at AT TIME ZONE %(zone)s) AS month
    FROM ({inner}) c
) s
GROUP BY GROUPING SETS ((s.category_id), (s.desa_id), (s.program_id), (s.month), ())
"""

# GROUPING(category, desa, program, month): a bit set for each column *not* grouped.
GROUPING_OF = {"category": 0b0111, "desa": 0b1011, "program": 0b1101, "month": 0b1110, "": 0b1111}


@dataclass
class Row:
    key: object
    label: str
    total: int
    resolved: int
    within: int
    avg_days: float | None
    p90_days: float | None

    @property
    def within_share(self) -> float | None:
        return self.within / self.resolved * 100 if self.resolved else None


@dataclass
class Patterns:
    overall: Row
    by_category: list[Row]
    by_desa: list[Row]
    by_program: list[Row]
    by_month: list[Row]

    def sections(self, titles: dict) -> list[tuple[str, list[Row]]]:
        return [(titles[name], getattr(self, f"by_{name}")) for name in GROUPS]


def _days(value: datetime.timedelta | None) -> float | None:
    return round(value.total_seconds() / 86400, 1) if value is not None else None


def figures(queryset) -> Patterns:
    columns = queryset.order_by().values(
        "category_id", "desa_id", "program_id", "received_at", "resolved_at", "due_date"
    )
    grouped: dict[str, list[Row]] = {name: [] for name in (*GROUPS, "")}
    try:
        inner, params = columns.query.sql_with_params()
    except EmptyResultSet:  # ``none()``: a user without an area, an invalid filter
        return Patterns(Row(None, "", 0, 0, 0, None, None), [], [], [], [])
    with transaction.atomic(), connection.cursor() as cursor:
        # Five sorts of every complaint (one per grouping, and the percentiles): in memory
        # rather than in temporary files on disk (the default 4 MB holds ~30,000 rows).
        cursor.execute("SET LOCAL work_mem = '64MB'")
        cursor.execute(
            SQL.replace("{inner}", inner).replace("%(zone)s", "%s"),
            [settings.TIME_ZONE, settings.TIME_ZONE, *params],
        )
        for category, desa, program, month, grouping, *numbers in cursor.fetchall():
            name = next(key for key, bits in GROUPING_OF.items() if bits == grouping)
            key = {"category": category, "desa": desa, "program": program, "month": month}.get(name)
            total, resolved, within, avg_time, p90_time = numbers
            grouped[name].append(
                Row(key, "", total, resolved, within, _days(avg_time), _days(p90_time))
            )
    _label(grouped)
    overall = grouped[""][0] if grouped[""] else Row(None, "", 0, 0, 0, None, None)
    return Patterns(
        overall=overall,
        by_category=sorted(grouped["category"], key=lambda r: r.label),
        by_desa=sorted(grouped["desa"], key=lambda r: -r.total),
        by_program=sorted([r for r in grouped["program"] if r.key], key=lambda r: -r.total),
        by_month=sorted(grouped["month"], key=lambda r: r.key),
    )


def _label(grouped):
    from complaints.models import Category
    from core.models import Region
    from programs.models import Program

    categories = dict(Category.objects.values_list("pk", "name"))
    for row in grouped["category"]:
        row.label = categories.get(row.key, "–")
    regions = {
        region.code: f"{region.name} ({region.parent.name})"
        for region in Region.objects.filter(
            code__in=[r.key for r in grouped["desa"]]
        ).select_related("parent")
    }
    for row in grouped["desa"]:
        row.label = regions.get(row.key, row.key)
    programs = dict(
        Program.objects.filter(pk__in=[r.key for r in grouped["program"] if r.key]).values_list(
            "pk", "code"
        )
    )
    for row in grouped["program"]:
        row.label = programs.get(row.key, "–")
    for row in grouped["month"]:
        row.label = row.key.strftime("%m/%Y") if row.key else "–"
