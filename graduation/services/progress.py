"""Target and progress for a calendar year: per facilitator, per kecamatan and for the area.

A graduation counts in the year of its graduation date. The funnel: *proposed* counts every
graduation not rejected, *verified* those verified or approved, *approved* the approved ones —
so the bar (approved against target) only moves when the district approves."""

from dataclasses import dataclass

from django.db.models import Count, Q
from django.db.models.functions import Substr

from core.models import Region
from graduation.choices import FacilitatorKind, GraduationStatus, MonitoringRound
from graduation.models import (
    DEFAULT_TARGET,
    Facilitator,
    Graduation,
    GraduationTarget,
    MonitoringVisit,
)

KECAMATAN_LENGTH = 8  # "35.07.01"

COUNTS = {
    "proposed": Count("pk", filter=~Q(status=GraduationStatus.REJECTED)),
    "verified": Count(
        "pk", filter=Q(status__in=[GraduationStatus.VERIFIED, GraduationStatus.APPROVED])
    ),
    "approved": Count("pk", filter=Q(status=GraduationStatus.APPROVED)),
}


@dataclass
class Progress:
    label: str
    target: int = 0
    proposed: int = 0
    verified: int = 0
    approved: int = 0
    code: str = ""
    # Per facilitator: their id, username and kind (plain values: a district has ~1,500).
    facilitator_id: int | None = None
    username: str = ""
    kind: str = ""

    @property
    def percent(self) -> int:
        return round(100 * self.approved / self.target) if self.target else 0

    @property
    def bar_value(self) -> int:
        return min(self.approved, self.target)

    def add(self, counts: dict):
        self.proposed += counts.get("proposed", 0)
        self.verified += counts.get("verified", 0)
        self.approved += counts.get("approved", 0)


def targets_for(facilitators, year: int) -> dict[int, int]:
    """Target of each facilitator in ``year`` (``DEFAULT_TARGET`` when the district set none)."""
    set_targets = dict(
        GraduationTarget.objects.filter(facilitator__in=facilitators, year=year).values_list(
            "facilitator_id", "target"
        )
    )
    return {
        pk: set_targets.get(pk, DEFAULT_TARGET) for pk in facilitators.values_list("pk", flat=True)
    }


def facilitator_progress(user, year: int, facilitators=None) -> list[Progress]:
    facilitators = facilitators if facilitators is not None else Facilitator.objects.for_user(user)
    facilitators = facilitators.filter(active=True)
    targets = targets_for(facilitators, year)
    counts = {
        row.pop("facilitator_id"): row
        for row in Graduation.objects.filter(
            graduation_date__year=year, facilitator__in=facilitators
        )
        .values("facilitator_id")
        .annotate(**COUNTS)
        .order_by()
    }
    kinds = dict(FacilitatorKind.choices)
    rows = []
    for pk, area, kind, username, first, last in facilitators.order_by(
        "area_id", "user__username"
    ).values_list("pk", "area_id", "kind", "user__username", "user__first_name", "user__last_name"):
        row = Progress(
            label=f"{first} {last}".strip() or username,
            target=targets[pk],
            code=area,
            facilitator_id=pk,
            username=username,
            kind=str(kinds.get(kind, kind)),
        )
        row.add(counts.get(pk, {}))
        rows.append(row)
    return rows


def area_progress(user, year: int) -> tuple[list[Progress], Progress]:
    """Per kecamatan of the user's area and the total: graduations of the households there,
    against the targets of the facilitators working there."""
    facilitators = Facilitator.objects.for_user(user).filter(active=True)
    targets = targets_for(facilitators, year)
    rows: dict[str, Progress] = {}

    def row_for(code):
        if code not in rows:
            rows[code] = Progress(label=code, code=code)
        return rows[code]

    for pk, area in facilitators.values_list("pk", "area_id"):
        if len(area) >= KECAMATAN_LENGTH:
            row_for(area[:KECAMATAN_LENGTH]).target += targets[pk]
    total = Progress(label="", target=sum(targets.values()))
    graduations = (
        Graduation.objects.for_user(user)
        .filter(graduation_date__year=year)
        .annotate(kecamatan=Substr("household__desa_id", 1, KECAMATAN_LENGTH))
        .values("kecamatan")
        .annotate(**COUNTS)
        .order_by()
    )
    for counts in graduations:
        row_for(counts.pop("kecamatan")).add(counts)
        total.add(counts)
    names = dict(Region.objects.filter(code__in=list(rows)).values_list("code", "name"))
    for code, row in rows.items():
        row.label = names.get(code, code)
    return sorted(rows.values(), key=lambda row: row.code), total


@dataclass
class MonitoringSummary:
    due: int
    overdue: int
    visited_12: int
    self_reliant_12: int

    @property
    def self_reliant_share(self) -> int | None:
        return round(100 * self.self_reliant_12 / self.visited_12) if self.visited_12 else None


def monitoring_summary(user, today) -> MonitoringSummary:
    """Open visits, overdue ones, and of the 12-month visits made how many found the family
    still self-reliant."""
    visits = MonitoringVisit.objects.for_user(user)
    figures = visits.aggregate(
        due=Count("pk", filter=Q(visited_on__isnull=True)),
        overdue=Count("pk", filter=Q(visited_on__isnull=True, due_on__lt=today)),
        visited_12=Count(
            "pk", filter=Q(round=MonitoringRound.TWELVE_MONTHS, visited_on__isnull=False)
        ),
        self_reliant_12=Count(
            "pk",
            filter=Q(
                round=MonitoringRound.TWELVE_MONTHS,
                visited_on__isnull=False,
                still_self_reliant=True,
            ),
        ),
    )
    return MonitoringSummary(**figures)
