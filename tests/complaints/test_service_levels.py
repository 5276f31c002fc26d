"""Service levels: due dates in working days (weekends, Indonesian public holidays and the
district's own days skipped), the SLA badge, escalation and the daily digest."""

import datetime

import pytest

from complaints.choices import EscalationLevel, SlaState
from complaints.models import Complaint
from complaints.services import escalation, handling
from complaints.services.sla import due_date_for, sla_state
from core.models import Holiday, Notification
from tests.complaints import factories
from tests.conftest import DESA_A1, DESA_B1

FRI = datetime.date(2026, 8, 14)  # the day before Hari Kemerdekaan week-end


def test_due_dates_skip_weekends(db):
    monday = datetime.date(2026, 3, 2)
    assert due_date_for(monday, 5) == datetime.date(2026, 3, 9)
    friday = datetime.date(2026, 3, 6)
    assert due_date_for(friday, 1) == datetime.date(2026, 3, 9)


def test_due_dates_skip_public_holidays(db):
    # Mon 17 August 2026 is Independence Day: Friday + 1 working day is Tuesday.
    assert due_date_for(FRI, 1) == datetime.date(2026, 8, 18)
    # 25 December 2026 (Friday) is Christmas.
    assert due_date_for(datetime.date(2026, 12, 24), 1) == datetime.date(2026, 12, 28)


def test_due_dates_skip_days_the_district_adds(db):
    Holiday.objects.create(date=datetime.date(2026, 3, 10), name="Hari jadi kabupaten")
    assert due_date_for(datetime.date(2026, 3, 9), 1) == datetime.date(2026, 3, 11)


def test_sla_badge(db):
    complaint, _code = factories.submit()
    today = datetime.date(2026, 3, 2)  # Monday
    complaint.due_date = datetime.date(2026, 3, 9)
    assert sla_state(complaint, today) == SlaState.ON_TRACK
    assert sla_state(complaint, datetime.date(2026, 3, 6)) == SlaState.AT_RISK
    assert sla_state(complaint, datetime.date(2026, 3, 9)) == SlaState.AT_RISK
    assert sla_state(complaint, datetime.date(2026, 3, 10)) == SlaState.OVERDUE


def overdue_complaint(desa=DESA_A1, due=datetime.date(2026, 3, 2)):
    complaint, _code = factories.submit(desa=desa)
    return factories.received_on(complaint, due - datetime.timedelta(days=7), due)


def test_escalation_goes_to_kecamatan_then_district_and_notifies_once(
    db, operator_a, district_admin, complaints_a
):
    complaint = overdue_complaint()
    on_time = overdue_complaint(due=datetime.date(2026, 3, 20))
    handling.assign(complaint, complaints_a, complaints_a)
    first_day = datetime.date(2026, 3, 3)

    assert escalation.escalate_overdue(first_day) == {"kecamatan": 1, "district": 0}
    assert Complaint.objects.get(pk=complaint.pk).escalation_level == EscalationLevel.KECAMATAN
    assert Complaint.objects.get(pk=on_time.pk).escalation_level == EscalationLevel.NONE
    kecamatan_notes = Notification.objects.filter(user__in=[operator_a, complaints_a])
    assert kecamatan_notes.count() == 2  # both officers of kecamatan A, one message each
    # Run twice the same day: nothing more.
    assert escalation.escalate_overdue(first_day) == {"kecamatan": 0, "district": 0}
    assert kecamatan_notes.count() == 2
    assert not Notification.objects.filter(user=district_admin).exists()

    # Three working days after the due date it is still open: the district hears of it.
    later = datetime.date(2026, 3, 9)
    assert escalation.escalate_overdue(later) == {"kecamatan": 0, "district": 1}
    assert Complaint.objects.get(pk=complaint.pk).escalation_level == EscalationLevel.DISTRICT
    assert Notification.objects.filter(user=district_admin).count() == 1
    assert Complaint.objects.get(pk=complaint.pk).events.filter(kind="escalated").count() == 2


def test_escalation_leaves_resolved_complaints_alone(db, complaints_a):
    complaint = overdue_complaint()
    handling.triage(complaint, complaints_a, category=complaint.category, priority="normal")
    handling.resolve(complaint, complaints_a, decision="upheld", public_reply="Selesai.")
    assert escalation.escalate_overdue(datetime.date(2026, 3, 20)) == {
        "kecamatan": 0,
        "district": 0,
    }


def test_one_digest_per_officer_not_one_per_complaint(db, complaints_a, operator_a, operator_b):
    for _ in range(3):
        handling.assign(overdue_complaint(), complaints_a, operator_a)
    handling.assign(overdue_complaint(desa=DESA_B1), operator_b, operator_b)
    Notification.objects.all().delete()
    today = datetime.date(2026, 3, 5)
    assert escalation.daily_digest(today) == 2
    digest = Notification.objects.get(user=operator_a)
    assert "3 pengaduan" in digest.message
    assert Notification.objects.filter(user=operator_b).count() == 1
    escalation.daily_digest(today)
    assert Notification.objects.count() == 2
    escalation.daily_digest(today + datetime.timedelta(days=1))
    assert Notification.objects.filter(user=operator_a).count() == 2


@pytest.mark.usefixtures("db")
def test_beat_schedule_names_the_tasks():
    from django.conf import settings

    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {"complaints.escalate_overdue", "complaints.daily_digest"} <= tasks
