"""INFORMATION for graduation: the dashboard's graduations against target per kecamatan, and
the graduation recap for the ministry. Registered from ``GraduationConfig.ready()``.

The panel goes through ``area_progress`` (``for_user``: a facilitator sees their own caseload),
so it is not kept in the shared cache; the report reads the area as a whole."""

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.areas import region_names
from core.charts import ChartRow, hbar
from core.reports import INTEGER, PERCENT, Column, ReportKind, Sheet, register_report
from graduation.choices import FacilitatorKind, GraduationKind, GraduationStatus
from graduation.models import Facilitator, Graduation
from graduation.services.progress import COUNTS, KECAMATAN_LENGTH, area_progress, targets_for
from households.panels import register_dashboard_panel


def graduation_panel(user) -> dict:
    year = timezone.localdate().year
    rows, total = area_progress(user, year)
    base = reverse("graduation:graduation_list")
    return {
        "year": year,
        "total": total,
        "progress_url": reverse("graduation:progress"),
        "chart": hbar(
            _("Graduasi %(year)d terhadap target") % {"year": year},
            [_("Target"), _("Disetujui")],
            [
                ChartRow(
                    row.label,
                    [row.target, row.approved],
                    base + "?" + urlencode({"year": year, "kecamatan": row.code}),
                )
                for row in rows
            ],
        ),
    }


def _share(done, target):
    return done / target if target else None


def graduation_recap(request):
    """Per kecamatan and per facilitator: target, proposed, verified, approved, share of the
    target, and the approved graduations by kind."""
    facilitators = Facilitator.objects.in_area(request.area).filter(active=True)
    targets = targets_for(facilitators, request.year)
    graduations = Graduation.objects.in_area(request.area).filter(
        graduation_date__range=(request.start, request.end)
    )
    kinds = list(GraduationKind.choices)
    by_kind = {f"kind_{value}": Count("pk", filter=_approved(value)) for value, _l in kinds}
    per_kecamatan = {
        row["household__desa_id"]: row
        for row in graduations.values("household__desa_id").annotate(**COUNTS, **by_kind).order_by()
    }
    kecamatan = {}
    for desa, row in per_kecamatan.items():
        totals = kecamatan.setdefault(desa[:KECAMATAN_LENGTH], {key: 0 for key in row})
        for key, value in row.items():
            if key != "household__desa_id":
                totals[key] += value
    kecamatan_targets = {}
    for pk, area in facilitators.values_list("pk", "area_id"):
        code = area[:KECAMATAN_LENGTH]
        kecamatan_targets[code] = kecamatan_targets.get(code, 0) + targets[pk]
    codes = sorted(set(kecamatan) | set(kecamatan_targets))
    names = region_names(codes)
    counts = [
        Column(_("Diusulkan"), INTEGER, 11),
        Column(_("Diverifikasi"), INTEGER, 12),
        Column(_("Disetujui"), INTEGER, 11),
        Column(_("Capaian target"), PERCENT, 13),
    ]
    yield Sheet(
        _("Per kecamatan"),
        [
            Column(_("Kode kecamatan"), width=12),
            Column(_("Kecamatan"), width=22),
            Column(_("Target"), INTEGER, 10),
            *counts,
            *[Column(str(label), INTEGER, 16) for _v, label in kinds],
        ],
        (
            [
                code,
                names.get(code, ""),
                kecamatan_targets.get(code, 0),
                *[kecamatan.get(code, {}).get(key, 0) for key in COUNTS],
                _share(kecamatan.get(code, {}).get("approved", 0), kecamatan_targets.get(code)),
                *[kecamatan.get(code, {}).get(f"kind_{value}", 0) for value, _l in kinds],
            ]
            for code in codes
        ),
    )
    per_facilitator = {
        row.pop("facilitator_id"): row
        for row in graduations.values("facilitator_id").annotate(**COUNTS).order_by()
    }
    kind_labels = dict(FacilitatorKind.choices)
    yield Sheet(
        _("Per pendamping"),
        [
            Column(_("Pendamping"), width=26),
            Column(_("Jenis"), width=14),
            Column(_("Wilayah"), width=15),
            Column(_("Target"), INTEGER, 10),
            *counts,
        ],
        (
            [
                f"{first} {last}".strip() or username,
                str(kind_labels.get(kind, kind)),
                area,
                targets[pk],
                *[per_facilitator.get(pk, {}).get(key, 0) for key in COUNTS],
                _share(per_facilitator.get(pk, {}).get("approved", 0), targets[pk]),
            ]
            for pk, area, kind, username, first, last in facilitators.order_by(
                "area_id", "user__username"
            ).values_list(
                "pk", "area_id", "kind", "user__username", "user__first_name", "user__last_name"
            )
        ),
    )


def _approved(kind):
    return Q(status=GraduationStatus.APPROVED, kind=kind)


def register():
    register_dashboard_panel(
        key="graduation_charts",
        title=gettext_lazy("Graduasi"),
        template="graduation/dashboard_charts.html",
        context=graduation_panel,
        permission="graduation.view_graduation",
        order=60,
    )
    register_report(
        ReportKind(
            key="graduation_recap",
            title=gettext_lazy("Rekap graduasi"),
            description=gettext_lazy(
                "Graduasi dalam periode per kecamatan dan per pendamping terhadap target, "
                "menurut jenis graduasi."
            ),
            permission="graduation.view_graduation",
            build=graduation_recap,
            order=70,
        )
    )
