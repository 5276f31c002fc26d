"""Report jobs: ask, build (in the worker), prune, and the monthly recap.

The web request only writes a queued ``Report`` and sends its id after the commit; the worker
claims it (queued → running, one UPDATE, so a second delivery does nothing), streams the sheets
of the registered kind to a file and marks it done or failed."""

import datetime
import logging
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import StaffProfile
from core.models import Region, RegionLevel
from core.reports import ReportRequest, period_bounds, report_kind
from information.choices import ReportStatus
from information.models import Report
from information.xlsx import write_report

log = logging.getLogger(__name__)

BUILD_TASK = "information.build_report"


def _expiry(now):
    return now + datetime.timedelta(days=settings.REPORT_KEEP_DAYS)


def request_report(user, kind: str, area: Region, year: int, month: int | None) -> Report:
    """A queued report (the caller has checked the kind, the area and the period)."""
    now = timezone.now()
    report = Report.objects.create(
        kind=kind,
        area=area,
        year=year,
        month=month or None,
        requested_by=user,
        created_at=now,
        expires_at=_expiry(now),
    )
    _send(report)
    return report


def _send(report):
    from information.tasks import build_report

    transaction.on_commit(lambda: build_report.delay(report.pk))


def _facts(report, kind, generated):
    asker = report.requested_by
    who = (asker.get_full_name() or asker.username) if asker else _("Sistem (rekap bulanan)")
    start, end = period_bounds(report.year, report.month)
    return [
        (_("Laporan"), kind.title),
        (_("Wilayah"), f"{report.area.name} ({report.area_id})"),
        (
            _("Periode"),
            f"{date_format(start, 'SHORT_DATE_FORMAT')} – {date_format(end, 'SHORT_DATE_FORMAT')}",
        ),
        (_("Dibuat"), date_format(timezone.localtime(generated), "SHORT_DATETIME_FORMAT")),
        (_("Diminta oleh"), who),
        (_("Sumber"), "Terpadu"),
    ]


def build(report_id: int) -> bool:
    """Build one queued report; False when another worker has it or it is gone."""
    started = timezone.now()
    claimed = Report.objects.filter(pk=report_id, status=ReportStatus.QUEUED).update(
        status=ReportStatus.RUNNING, started_at=started
    )
    if not claimed:
        return False
    report = Report.objects.select_related("area", "requested_by").get(pk=report_id)
    kind = report_kind(report.kind)
    try:
        if kind is None:
            raise LookupError(report.kind)
        start, end = period_bounds(report.year, report.month)
        request = ReportRequest(report.area_id, start, end, report.year, report.month)

        def progress(rows):
            Report.objects.filter(pk=report_id).update(rows_written=rows)

        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / f"{report.kind}-{report.area_id}-{report.period_label}.xlsx"
            path = path.with_name(path.name.replace("/", "-"))
            rows = write_report(
                path, kind.title, _facts(report, kind, started), kind.build(request), progress
            )
            with path.open("rb") as handle:
                report.file.save(path.name, File(handle), save=False)
    except Exception as error:
        log.exception("report %s failed", report_id)
        Report.objects.filter(pk=report_id).update(
            status=ReportStatus.FAILED, error=str(error)[:2000], finished_at=timezone.now()
        )
        return False
    Report.objects.filter(pk=report_id).update(
        status=ReportStatus.DONE,
        file=report.file.name,
        rows_written=rows,
        finished_at=timezone.now(),
    )
    return True


def prune(now=None) -> int:
    """Delete the reports past their 30 days, files first."""
    now = now or timezone.now()
    expired = list(Report.objects.filter(expires_at__lte=now))
    for report in expired:
        if report.file:
            report.file.delete(save=False)
    Report.objects.filter(pk__in=[r.pk for r in expired]).delete()
    return len(expired)


def recap_areas() -> list[Region]:
    """The districts that have staff, and each of their kecamatan."""
    districts = {
        code[:5] for code in StaffProfile.objects.values_list("area_code", flat=True) if code
    }
    return list(Region.objects.filter(code__in=districts, level=RegionLevel.KABUPATEN)) + list(
        Region.objects.filter(parent_id__in=districts, level=RegionLevel.KECAMATAN)
    )


def monthly_recap(today: datetime.date | None = None) -> int:
    """Last month's monthly kinds for each district and kecamatan, once (a second run the same
    month adds nothing)."""
    from core.reports import report_kinds

    today = today or timezone.localdate()
    last = today.replace(day=1) - datetime.timedelta(days=1)
    now = timezone.now()
    made = 0
    kinds = [kind.key for kind in report_kinds() if kind.monthly]
    for area in recap_areas():
        for kind in kinds:
            exists = Report.objects.filter(
                kind=kind, area=area, year=last.year, month=last.month, requested_by=None
            ).exists()
            if exists:
                continue
            with transaction.atomic():
                report = Report.objects.create(
                    kind=kind,
                    area=area,
                    year=last.year,
                    month=last.month,
                    created_at=now,
                    expires_at=_expiry(now),
                )
                _send(report)
            made += 1
    return made


def warm_dashboard() -> int:
    """The dashboard figures of each district and kecamatan, ready before people ask."""
    from core.reports import warm_figures

    return warm_figures(area.code for area in recap_areas())
