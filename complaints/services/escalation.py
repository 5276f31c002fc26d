"""The daily jobs: escalate overdue complaints and send each officer one digest.

Escalation: an open complaint past its due date goes to the kecamatan level; still open
``DISTRICT_AFTER_WORKING_DAYS`` working days after its due date, to the district level. Each
step is claimed (``escalation_level`` still the old value), so a second run the same day does
nothing, and the officers of the level get one notification per area and day (a notification
key), not one per complaint."""

import datetime
from collections import defaultdict

from django.db import transaction
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import ngettext

from complaints.choices import OPEN_STATUSES, EscalationLevel, EventKind, SlaState
from complaints.models import Complaint, ComplaintEvent
from complaints.services import officers
from complaints.services.intake import district_code_of
from core.notifications import notify
from core.workdays import WorkCalendar

DISTRICT_AFTER_WORKING_DAYS = 3


def _area_of_level(desa_code: str, level: int) -> str:
    parts = 3 if level == EscalationLevel.KECAMATAN else 2
    return ".".join(desa_code.split(".")[:parts])


def _list_url(**query) -> str:
    from urllib.parse import urlencode

    return f"{reverse('complaints:complaint_list')}?{urlencode(query)}"


def _escalate(queryset, level: int, today: datetime.date) -> dict[str, int]:
    """Raise ``queryset`` (open, overdue, one level below) to ``level``; counts per area."""
    now = timezone.now()
    with transaction.atomic():
        rows = list(
            queryset.filter(escalation_level=level - 1)
            .select_for_update(skip_locked=True)
            .values_list("pk", "desa_id")
        )
        Complaint.objects.filter(pk__in=[pk for pk, _desa in rows]).update(
            escalation_level=level, escalated_at=now, updated_at=now
        )
        label = EscalationLevel(level).label
        ComplaintEvent.objects.bulk_create(
            ComplaintEvent(
                complaint_id=pk,
                kind=EventKind.ESCALATED,
                text=str(label),
                at=now,
            )
            for pk, _desa in rows
        )
    per_area: dict[str, int] = defaultdict(int)
    for _pk, desa in rows:
        per_area[_area_of_level(desa, level)] += 1
    for area, count in per_area.items():
        notify(
            officers.officers_of_area(area),
            ngettext(
                "%(count)d pengaduan lewat batas waktu dieskalasi ke tingkat %(level)s.",
                "%(count)d pengaduan lewat batas waktu dieskalasi ke tingkat %(level)s.",
                count,
            )
            % {"count": count, "level": label},
            url=_list_url(sla=SlaState.OVERDUE, eskalasi=level),
            key=f"complaints:escalated:{level}:{area}:{today.isoformat()}",
        )
    return dict(per_area)


def escalate_overdue(today: datetime.date | None = None) -> dict[str, int]:
    """Both steps; returns how many complaints went up to each level."""
    today = today or timezone.localdate()
    overdue = Complaint.objects.filter(status__in=OPEN_STATUSES, due_date__lt=today)
    to_kecamatan = _escalate(overdue, EscalationLevel.KECAMATAN, today)
    # Overdue by more than DISTRICT_AFTER_WORKING_DAYS: due + n working days is before today.
    calendars = {}

    def calendar(desa: str) -> WorkCalendar:
        district = district_code_of(desa)
        if district not in calendars:
            calendars[district] = WorkCalendar(district)
        return calendars[district]

    long_overdue = [
        pk
        for pk, due, desa in overdue.filter(escalation_level=EscalationLevel.KECAMATAN).values_list(
            "pk", "due_date", "desa_id"
        )
        if calendar(desa).add_working_days(due, DISTRICT_AFTER_WORKING_DAYS) < today
    ]
    to_district = _escalate(overdue.filter(pk__in=long_overdue), EscalationLevel.DISTRICT, today)
    return {
        "kecamatan": sum(to_kecamatan.values()),
        "district": sum(to_district.values()),
    }


def daily_digest(today: datetime.date | None = None) -> int:
    """One notification per officer with overdue complaints assigned to them (not one per
    complaint); a second run the same day sends nothing new. Returns the officers notified."""
    today = today or timezone.localdate()
    counts = (
        Complaint.objects.filter(
            status__in=OPEN_STATUSES, due_date__lt=today, assignee__isnull=False
        )
        .values("assignee")
        .annotate(n=Count("pk"))
    )
    from django.contrib.auth import get_user_model

    users = get_user_model().objects.in_bulk([row["assignee"] for row in counts])
    sent = 0
    for row in counts:
        user = users.get(row["assignee"])
        if user is None or not user.is_active:
            continue
        notify(
            [user],
            ngettext(
                "Anda menangani %(count)d pengaduan yang lewat batas waktu.",
                "Anda menangani %(count)d pengaduan yang lewat batas waktu.",
                row["n"],
            )
            % {"count": row["n"]},
            url=_list_url(sla=SlaState.OVERDUE, petugas="saya"),
            key=f"complaints:digest:{today.isoformat()}",
        )
        sent += 1
    return sent
