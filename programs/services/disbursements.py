"""Recording disbursements (penyaluran), one row per enrolment and period (year, tahap).

``check_disbursement`` is the whole rule as a pure function of plain values, so that the
form, the distribution-file import (per row) and the tests apply exactly the same checks;
``record_disbursement`` re-reads the enrolment under lock, checks again and writes — or
writes nothing and raises ``ValidationError`` with every message.

The ceiling: no single payment of any program here comes near Rp 100.000.000 (a PKH family
with every component gets well under Rp 20.000.000 a year, a KUBE group's capital aid is tens
of millions), so an amount above ``MAX_AMOUNT`` is a typing or spreadsheet error (an extra
zero, a NIK pasted into the amount column) and is refused rather than stored.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from programs.choices import DisbursementStatus, EnrolmentStatus
from programs.models import Disbursement, Enrolment

MAX_AMOUNT = 100_000_000
MIN_YEAR = 2000

CLOSED_STATUSES = {EnrolmentStatus.GRADUATED, EnrolmentStatus.EXITED}


def check_disbursement(
    enrolment_status: str,
    program,
    year: int | None,
    period: int | None,
    amount: int | None,
    today: datetime.date,
    status: str = DisbursementStatus.DISBURSED,
    disbursed_on: datetime.date | None = None,
) -> list[str]:
    """Every reason the disbursement may not be recorded (empty list: it may).

    ``program`` needs only ``periods_per_year``. Payments stop when an enrolment is closed
    (graduated, exited) or suspended; a proposed enrolment can only have a planned one."""
    errors = []
    if enrolment_status in CLOSED_STATUSES:
        errors.append(
            _("Kepesertaan ini sudah %(status)s: tidak bisa menerima penyaluran.")
            % {"status": EnrolmentStatus(enrolment_status).label.lower()}
        )
    elif enrolment_status == EnrolmentStatus.SUSPENDED:
        errors.append(_("Kepesertaan ini ditangguhkan: penyaluran dihentikan sementara."))
    elif enrolment_status == EnrolmentStatus.PROPOSED and status != DisbursementStatus.PLANNED:
        errors.append(
            _("Kepesertaan ini masih diusulkan: hanya penyaluran berstatus direncanakan.")
        )
    if year is None:
        errors.append(_("Tahun wajib diisi."))
    elif year < MIN_YEAR:
        errors.append(_("Tahun %(year)d terlalu lama.") % {"year": year})
    elif year > today.year + 1:
        errors.append(
            _("Tahun %(year)d melewati tahun depan (%(next)d).")
            % {"year": year, "next": today.year + 1}
        )
    if period is None:
        errors.append(_("Tahap wajib diisi."))
    elif period < 1 or period > program.periods_per_year:
        errors.append(
            _("Tahap %(period)d tidak ada: program ini punya %(n)d tahap per tahun.")
            % {"period": period, "n": program.periods_per_year}
        )
    if amount is None:
        errors.append(_("Nilai wajib diisi."))
    elif amount < 0:
        errors.append(_("Nilai tidak boleh negatif."))
    elif amount > MAX_AMOUNT:
        errors.append(
            _("Nilai Rp %(amount)s melebihi batas Rp 100.000.000 per penyaluran; periksa angkanya.")
            % {"amount": f"{amount:,}".replace(",", ".")}
        )
    if disbursed_on is not None and disbursed_on > today:
        errors.append(_("Tanggal salur tidak boleh di masa depan."))
    return errors


FIELDS = ("amount", "kind", "channel", "status", "disbursed_on", "reference")


@transaction.atomic
def record_disbursement(
    enrolment: Enrolment,
    *,
    year: int,
    period: int,
    amount: int,
    kind: str,
    channel: str,
    status: str,
    disbursed_on: datetime.date | None = None,
    reference: str = "",
    editing: Disbursement | None = None,
    today: datetime.date | None = None,
) -> Disbursement:
    """Record the disbursement of ``enrolment`` for (year, period), or change ``editing``.

    A second row for the same period is refused unless the caller is explicitly editing that
    row (``editing``); nothing is written when a check fails."""
    today = today or timezone.localdate()
    locked = Enrolment.objects.select_for_update().select_related("program").get(pk=enrolment.pk)
    errors = check_disbursement(
        locked.status, locked.program, year, period, amount, today, status, disbursed_on
    )
    same_period = Disbursement.objects.filter(enrolment=locked, year=year, period=period)
    if editing is not None:
        same_period = same_period.exclude(pk=editing.pk)
    if same_period.exists():
        errors.append(
            _(
                "Penyaluran tahun %(year)d tahap %(period)d untuk kepesertaan ini sudah ada; "
                "ubah data yang ada, jangan dicatat dua kali."
            )
            % {"year": year, "period": period}
        )
    if errors:
        raise ValidationError(errors)
    values = {
        "amount": amount,
        "kind": kind,
        "channel": channel,
        "status": status,
        "disbursed_on": disbursed_on,
        "reference": reference,
    }
    if editing is None:
        return Disbursement.objects.create(enrolment=locked, year=year, period=period, **values)
    row = Disbursement.objects.select_for_update().get(pk=editing.pk, enrolment=locked)
    for name, value in {**values, "year": year, "period": period}.items():
        setattr(row, name, value)
    row.updated_at = timezone.now()
    row.save()
    return row
