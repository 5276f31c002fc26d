"""Service levels: due dates in working days and the on track / at risk / overdue badge.

A complaint is *at risk* while it is open and due within ``AT_RISK_WORKING_DAYS`` working days
(today included), *overdue* once its due date has passed. One rule, used by the badge and by the
list filter (which needs it as a date cut-off in SQL)."""

import datetime

from django.db.models import Q
from django.utils import timezone

from complaints.choices import DONE_STATUSES, OPEN_STATUSES, SlaState
from core.workdays import add_working_days

AT_RISK_WORKING_DAYS = 2


def due_date_for(received: datetime.date, service_days: int, area: str = "") -> datetime.date:
    """The ``service_days``-th working day after the day the complaint was received, in the
    calendar of ``area`` (the complaint's desa: its district's days off count too)."""
    return add_working_days(received, service_days, area)


def at_risk_until(today: datetime.date, area: str = "") -> datetime.date:
    """The last due date that is *at risk* today. Lists use the calendar of the user's area."""
    return add_working_days(today, AT_RISK_WORKING_DAYS - 1, area)


def sla_state(
    complaint, today: datetime.date | None = None, risk_until: datetime.date | None = None
) -> SlaState:
    """``risk_until`` (``at_risk_until(today)``) may be given by a caller that badges many."""
    today = today or timezone.localdate()
    if complaint.status in DONE_STATUSES:
        finished = complaint.resolved_at or complaint.closed_at or complaint.updated_at
        finished_on = timezone.localdate(finished) if finished else today
        return SlaState.MET if finished_on <= complaint.due_date else SlaState.LATE
    if complaint.due_date < today:
        return SlaState.OVERDUE
    if complaint.due_date <= (risk_until or at_risk_until(today, complaint.desa_id)):
        return SlaState.AT_RISK
    return SlaState.ON_TRACK


def sla_filter(state: str, today: datetime.date | None = None, area: str = "") -> Q:
    """The condition of ``sla_state(...) == state`` for open states (done ones: all done)."""
    today = today or timezone.localdate()
    risk_until = at_risk_until(today, area)
    is_open = Q(status__in=OPEN_STATUSES)
    if state == SlaState.OVERDUE:
        return is_open & Q(due_date__lt=today)
    if state == SlaState.AT_RISK:
        return is_open & Q(due_date__gte=today, due_date__lte=risk_until)
    if state == SlaState.ON_TRACK:
        return is_open & Q(due_date__gt=risk_until)
    return Q(status__in=DONE_STATUSES)
