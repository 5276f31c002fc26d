"""The daily overdue job, sent through Redis and run by a real Celery worker."""

import datetime

from core.models import Notification
from referrals.models import Referral
from referrals.tasks import mark_overdue
from tests.referrals import factories as f


def test_the_overdue_job_on_a_real_worker(celery_worker_process, puskesos_a, provider):
    point = f.service_point()
    agency = f.puskesmas(provider)
    late = f.referral(puskesos_a, point, agency)
    on_time = f.referral(puskesos_a, point, agency)
    Referral.objects.filter(pk=late.pk).update(due_date=datetime.date(2026, 1, 5))

    result = mark_overdue.delay().get(timeout=60)

    assert result == {"marked": 1, "overdue": 1, "notified": 2}
    late.refresh_from_db()
    on_time.refresh_from_db()
    assert late.overdue_since is not None and on_time.overdue_since is None
    assert Notification.objects.filter(user=provider, url="/rujukan/masuk/").exists()
    # Run twice the same day (a retry, a second beat): nobody is told again.
    assert mark_overdue.delay().get(timeout=60) == {"marked": 0, "overdue": 1, "notified": 0}
