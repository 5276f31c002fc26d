"""Pola pengaduan: complaints per category, desa, program and month, with the average and
90th-percentile resolution time and the share resolved within the service level.

Every figure is one grouped query over the (already area-scoped, filtered) queryset; the
resolution time is ``resolved_at - received_at`` of the complaints resolved so far."""

import datetime
from dataclasses import dataclass

from django.db.models import (
    Aggregate,
    Avg,
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    Q,
)
from django.db.models.functions import TruncMonth

RESOLUTION = ExpressionWrapper(F("resolved_at") - F("received_at"), output_field=DurationField())
RESOLVED = Q(resolved_at__isnull=False)
# Resolved on or before the due date (local calendar day of the resolution).
WITHIN_LEVEL = RESOLVED & Q(resolved_at__date__lte=F("due_date"))


class Percentile(Aggregate):
    function = "PERCENTILE_CONT"
    template = "%(function)s(%(fraction)s) WITHIN GROUP (ORDER BY %(expressions)s)"

    def __init__(self, expression, fraction: float, **extra):
        super().__init__(expression, fraction=float(fraction), **extra)


def _figures():
    return {
        "total": Count("pk"),
        "resolved": Count("pk", filter=RESOLVED),
        "within": Count("pk", filter=WITHIN_LEVEL),
        "avg_days": Avg(RESOLUTION, filter=RESOLVED),
        "p90_days": Percentile(RESOLUTION, 0.9, filter=RESOLVED, output_field=DurationField()),
    }


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


def _days(value: datetime.timedelta | None) -> float | None:
    return round(value.total_seconds() / 86400, 1) if value is not None else None


def _rows(queryset, group_by: str, label_of) -> list[Row]:
    grouped = queryset.order_by().values(group_by).annotate(**_figures()).order_by(group_by)
    return [
        Row(
            key=row[group_by],
            label=label_of(row[group_by]),
            total=row["total"],
            resolved=row["resolved"],
            within=row["within"],
            avg_days=_days(row["avg_days"]),
            p90_days=_days(row["p90_days"]),
        )
        for row in grouped
    ]


def overall(queryset) -> Row:
    row = queryset.order_by().aggregate(**_figures())
    return Row(
        key=None,
        label="",
        total=row["total"],
        resolved=row["resolved"],
        within=row["within"],
        avg_days=_days(row["avg_days"]),
        p90_days=_days(row["p90_days"]),
    )


def by_category(queryset) -> list[Row]:
    from complaints.models import Category

    names = dict(Category.objects.values_list("pk", "name"))
    return _rows(queryset, "category", lambda pk: names.get(pk, "–"))


def by_desa(queryset) -> list[Row]:
    from core.models import Region

    rows = _rows(queryset, "desa", str)
    names = {
        region.code: f"{region.name} ({region.parent.name})"
        for region in Region.objects.filter(code__in=[r.key for r in rows]).select_related("parent")
    }
    for row in rows:
        row.label = names.get(row.key, row.key)
    return sorted(rows, key=lambda r: -r.total)


def by_program(queryset) -> list[Row]:
    from programs.models import Program

    rows = _rows(queryset.filter(program__isnull=False), "program", str)
    names = dict(Program.objects.filter(pk__in=[r.key for r in rows]).values_list("pk", "code"))
    for row in rows:
        row.label = names.get(row.key, "–")
    return sorted(rows, key=lambda r: -r.total)


def by_month(queryset) -> list[Row]:
    return _rows(
        queryset.annotate(month=TruncMonth("received_at")),
        "month",
        lambda month: month.strftime("%m/%Y") if month else "–",
    )


GROUPINGS = {
    "kategori": by_category,
    "desa": by_desa,
    "program": by_program,
    "bulan": by_month,
}
