"""INFORMATION for referrals: the dashboard's referrals sent / completed / overdue by month and
the referral service log report. Registered from ``ReferralsConfig.ready()``."""

import datetime

from django.db.models import Count, Q
from django.db.models.functions import TruncMonth
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.areas import region_names
from core.charts import ChartRow, column
from core.reports import (
    DATE,
    INTEGER,
    Column,
    ReportKind,
    Sheet,
    register_figures,
    register_report,
)
from core.reports import figures as panel_figures
from core.scope import area_of
from households.panels import register_dashboard_panel
from referrals.choices import OPEN_STATUSES, ReferralStatus
from referrals.models import Referral

MONTHS_SHOWN = 12


def _first_month(today: datetime.date) -> datetime.date:
    month = today.month - MONTHS_SHOWN + 1
    year = today.year + (month - 1) // 12
    return datetime.date(year, (month - 1) % 12 + 1, 1)


def referral_figures(area: str, today: datetime.date) -> dict:
    referrals = Referral.objects.in_area(area)
    since = _first_month(today)
    per_month = {
        row["month"]: row
        for row in referrals.filter(sent_on__gte=since)
        .annotate(month=TruncMonth("sent_on"))
        .values("month")
        .annotate(
            sent=Count("pk"), completed=Count("pk", filter=Q(status=ReferralStatus.COMPLETED))
        )
        .order_by()
    }
    totals = referrals.aggregate(
        open=Count("pk", filter=Q(status__in=OPEN_STATUSES)),
        overdue=Count("pk", filter=Q(status__in=OPEN_STATUSES, due_date__lt=today)),
        completed=Count("pk", filter=Q(status=ReferralStatus.COMPLETED, sent_on__gte=since)),
        sent=Count("pk", filter=Q(sent_on__gte=since)),
    )
    months = []
    day = since
    while day <= today:
        row = per_month.get(day, {})
        months.append((day, row.get("sent", 0), row.get("completed", 0)))
        day = (day + datetime.timedelta(days=32)).replace(day=1)
    return {"months": months, **totals}


def referrals_panel(user) -> dict:
    area = area_of(user)
    figures = panel_figures("referrals", area)
    rows = [
        ChartRow(date_format(month, "M y"), [sent, completed])
        for month, sent, completed in figures["months"]
    ]
    base = reverse("referrals:referral_list")
    return {
        "figures": figures,
        "chart": column(
            _("Rujukan per bulan (12 bulan)"), [_("Dikirim"), _("Selesai dilayani")], rows
        ),
        "open_url": base + "?" + urlencode({"status": "open"}),
        "overdue_url": base + "?" + urlencode({"terlambat": "on"}),
        "completed_url": base + "?" + urlencode({"status": ReferralStatus.COMPLETED}),
    }


def service_log(request):
    """Every referral sent in the period: where from, to whom, for what, and how it ended."""
    today = timezone.localdate()
    referrals = (
        Referral.objects.in_area(request.area)
        .filter(sent_on__range=(request.start, request.end))
        .select_related("need", "agency", "service_point")
        .order_by("sent_on", "pk")
    )
    codes = set(referrals.values_list("desa_id", flat=True).distinct())
    names = region_names(codes | {code[:8] for code in codes})

    def rows():
        for referral in referrals.iterator(chunk_size=2000):
            late = referral.is_open and referral.due_date < today
            yield [
                referral.reference,
                referral.sent_on,
                names.get(referral.desa_id[:8], ""),
                names.get(referral.desa_id, ""),
                referral.service_point.name if referral.service_point else "",
                referral.need.get_need_display(),
                referral.agency.name,
                referral.get_status_display(),
                referral.due_date,
                (today - referral.due_date).days if late else 0,
            ]

    yield Sheet(
        _("Log layanan rujukan"),
        [
            Column(_("Nomor"), width=22),
            Column(_("Tanggal kirim"), DATE, 13),
            Column(_("Kecamatan"), width=20),
            Column(_("Desa/kelurahan"), width=22),
            Column(_("Puskesos"), width=24),
            Column(_("Kebutuhan"), width=20),
            Column(_("Dirujuk ke"), width=28),
            Column(_("Status"), width=20),
            Column(_("Batas waktu"), DATE, 13),
            Column(_("Hari terlambat"), INTEGER, 12),
        ],
        rows(),
    )


def todays_figures(area):
    return referral_figures(area, timezone.localdate())


def register():
    register_figures("referrals", todays_figures)
    register_dashboard_panel(
        key="referral_charts",
        title=gettext_lazy("Rujukan"),
        template="referrals/dashboard_charts.html",
        context=referrals_panel,
        permission="referrals.view_referral",
        order=40,
    )
    register_report(
        ReportKind(
            key="referral_log",
            title=gettext_lazy("Log layanan rujukan"),
            description=gettext_lazy(
                "Setiap rujukan yang dikirim dalam periode: asal, tujuan, kebutuhan, status, "
                "keterlambatan."
            ),
            permission="referrals.view_referral",
            build=service_log,
            order=40,
        )
    )
