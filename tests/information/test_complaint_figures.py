"""Complaints on the dashboard and in the recap: per category, resolved within the service
level, per area."""

import datetime

from django.utils import timezone

from complaints.choices import ComplaintStatus
from complaints.models import Complaint
from complaints.reports import complaint_figures
from tests.complaints import factories
from tests.conftest import DESA_B1, KEC_A, KEC_B


def _resolved(complaint, days_after_due):
    resolved = timezone.make_aware(
        datetime.datetime.combine(
            complaint.due_date + datetime.timedelta(days=days_after_due), datetime.time(10)
        )
    )
    Complaint.objects.filter(pk=complaint.pk).update(
        status=ComplaintStatus.RESOLVED, resolved_at=resolved
    )


def test_per_category_and_share_on_time(db):
    on_time, _ = factories.submit()
    late, _ = factories.submit()
    factories.submit()  # still open
    factories.submit(code="data-tidak-valid")
    factories.submit(desa=DESA_B1)
    _resolved(on_time, -1)
    _resolved(late, 2)
    year = timezone.localdate().year
    figures = complaint_figures(KEC_A, year)
    rows = {figures["names"][row["category_id"]]: row for row in figures["rows"]}
    aid = rows["Bantuan belum diterima"]
    assert (aid["received"], aid["open"], aid["answered"], aid["on_time"]) == (3, 1, 2, 1)
    assert rows["Data tidak valid"]["received"] == 1
    assert figures["share_on_time"] == 50
    assert sum(row["received"] for row in complaint_figures(KEC_B, year)["rows"]) == 1
