"""INFORMATION for complaints: the dashboard's complaints by category this year with the share
resolved within the service level, and the complaint recap. Registered from
``ComplaintsConfig.ready()``."""

from django.db.models import Count, F, Q
from django.db.models.functions import TruncDate
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from complaints.choices import OPEN_STATUSES, ComplaintStatus
from complaints.models import Category, Complaint
from core.charts import ChartRow, hbar
from core.reports import (
    INTEGER,
    PERCENT,
    Column,
    ReportKind,
    Sheet,
    register_figures,
    register_report,
)
from core.reports import figures as panel_figures
from core.scope import area_of
from households.panels import register_dashboard_panel

ANSWERED = (ComplaintStatus.RESOLVED, ComplaintStatus.CLOSED)


def _per_category(complaints):
    """Received, open, answered and answered on time (resolved on or before the due date)."""
    return (
        complaints.values("category_id")
        .annotate(
            received=Count("pk"),
            open=Count("pk", filter=Q(status__in=OPEN_STATUSES)),
            answered=Count("pk", filter=Q(status__in=ANSWERED)),
            on_time=Count(
                "pk",
                filter=Q(status__in=ANSWERED, resolved_at__isnull=False)
                & Q(resolved_on__lte=F("due_date")),
            ),
            rejected=Count("pk", filter=Q(status=ComplaintStatus.REJECTED)),
        )
        .order_by()
    )


def _in_year(area, year):
    return (
        Complaint.objects.in_area(area)
        .filter(received_at__year=year)
        .annotate(resolved_on=TruncDate("resolved_at"))
    )


def complaint_figures(area: str, year: int) -> dict:
    rows = list(_per_category(_in_year(area, year)))
    answered = sum(row["answered"] for row in rows)
    on_time = sum(row["on_time"] for row in rows)
    return {
        "rows": rows,
        "names": dict(Category.objects.values_list("pk", "name")),
        "answered": answered,
        "on_time": on_time,
        "share_on_time": round(100 * on_time / answered) if answered else None,
    }


def complaints_panel(user) -> dict:
    area = area_of(user)
    year = timezone.localdate().year
    figures = panel_figures("complaints", area)
    base = reverse("complaints:complaint_list")
    rows = [
        ChartRow(
            figures["names"].get(row["category_id"], ""),
            [row["received"], row["on_time"]],
            base + "?" + urlencode({"category": row["category_id"]}),
        )
        for row in sorted(figures["rows"], key=lambda row: -row["received"])
    ]
    return {
        "figures": figures,
        "year": year,
        "chart": hbar(
            _("Pengaduan %(year)d per kategori") % {"year": year},
            [_("Diterima"), _("Selesai tepat waktu")],
            rows,
        ),
        "list_url": base,
    }


def complaint_recap(request):
    complaints = (
        Complaint.objects.in_area(request.area)
        .filter(received_at__date__range=(request.start, request.end))
        .annotate(resolved_on=TruncDate("resolved_at"))
    )
    names = dict(Category.objects.values_list("pk", "name"))
    rows = sorted(_per_category(complaints), key=lambda row: names.get(row["category_id"], ""))
    yield Sheet(
        _("Rekap pengaduan"),
        [
            Column(_("Kategori"), width=34),
            Column(_("Diterima"), INTEGER, 11),
            Column(_("Masih ditangani"), INTEGER, 14),
            Column(_("Selesai"), INTEGER, 11),
            Column(_("Selesai tepat waktu"), INTEGER, 16),
            Column(_("Ditolak"), INTEGER, 11),
            Column(_("Tepat waktu (%)"), PERCENT, 14),
        ],
        (
            [
                names.get(row["category_id"], ""),
                row["received"],
                row["open"],
                row["answered"],
                row["on_time"],
                row["rejected"],
                row["on_time"] / row["answered"] if row["answered"] else None,
            ]
            for row in rows
        ),
    )


def this_year_figures(area):
    return complaint_figures(area, timezone.localdate().year)


def register():
    register_figures("complaints", this_year_figures)
    register_dashboard_panel(
        key="complaint_charts",
        title=gettext_lazy("Pengaduan"),
        template="complaints/dashboard_charts.html",
        context=complaints_panel,
        permission="complaints.view_complaint",
        order=50,
    )
    register_report(
        ReportKind(
            key="complaint_recap",
            title=gettext_lazy("Rekap pengaduan"),
            description=gettext_lazy(
                "Pengaduan yang diterima dalam periode per kategori: selesai, tepat waktu, ditolak."
            ),
            permission="complaints.view_complaint",
            build=complaint_recap,
            order=60,
        )
    )
