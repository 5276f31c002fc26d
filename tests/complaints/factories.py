"""Complaints for the complaints tests."""

import datetime

from complaints.models import Category, Complaint
from complaints.services import intake
from tests.conftest import DESA_A1

# The seeded categories (complaints/migrations/0002); transactional tests truncate them, so
# each test asks for the one it needs.
SEEDED = {
    "bantuan-belum-diterima": ("Bantuan belum diterima", 5, "linjamsos"),
    "data-tidak-valid": ("Data tidak valid", 10, "data"),
    "pungutan-liar": ("Pemotongan/pungutan liar", 3, "sekretariat"),
}


def category(code="bantuan-belum-diterima") -> Category:
    name, days, unit = SEEDED[code]
    return Category.objects.get_or_create(
        code=code, defaults={"name": name, "service_days": days, "handling_unit": unit}
    )[0]


def submit(desa=DESA_A1, code="bantuan-belum-diterima", **fields) -> tuple[Complaint, str]:
    """A public complaint; returns it with its tracking code."""
    fields.setdefault("description", "Bantuan PKH tahap 2 belum saya terima sampai sekarang.")
    fields.setdefault("complainant_name", "Sumarni")
    fields.setdefault("complainant_contact", "081234567890")
    submitted = intake.submit_public(category=category(code), desa_code=desa, **fields)
    return submitted.complaint, submitted.tracking_code


def received_on(complaint, day: datetime.date, due: datetime.date) -> Complaint:
    """Move a complaint's intake back in time (for overdue and escalation tests)."""
    from django.utils import timezone

    at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))
    Complaint.objects.filter(pk=complaint.pk).update(received_at=at, due_date=due)
    complaint.refresh_from_db()
    return complaint
