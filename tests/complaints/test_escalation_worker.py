"""The daily escalation job through Redis and a real Celery worker."""

import datetime

from django.utils import timezone

from complaints.choices import EscalationLevel
from complaints.models import Complaint
from complaints.tasks import escalate_overdue
from core.models import Notification
from tests.complaints import factories


def test_escalation_task_on_a_real_worker(celery_worker_process, operator_a):
    complaint, _code = factories.submit()
    due = timezone.localdate() - datetime.timedelta(days=1)
    factories.received_on(complaint, due - datetime.timedelta(days=7), due)

    result = escalate_overdue.delay()
    counts = result.get(timeout=60)

    assert counts["kecamatan"] == 1
    assert Complaint.objects.get(pk=complaint.pk).escalation_level >= EscalationLevel.KECAMATAN
    assert Notification.objects.filter(user=operator_a).count() == 1
    # A second run (a retried or doubled beat) changes nothing and notifies nobody again.
    assert escalate_overdue.delay().get(timeout=60) == {"kecamatan": 0, "district": 0}
    assert Notification.objects.filter(user=operator_a).count() == 1
