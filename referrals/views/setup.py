"""Setting up referrals: service points (Puskesos) with their letterheads, the service level of
each sector, and the daily service log a Puskesos reports upward."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import CreateView, UpdateView

from core.spreadsheets import table_response
from core.views import ScopedListView, ScopedObjectMixin
from households.exports import log_export
from referrals import services
from referrals.choices import Need
from referrals.filtersets import ServicePointFilterSet
from referrals.forms import ServiceLevelForm, ServicePointForm
from referrals.models import ServiceLevel, ServicePoint
from referrals.tables import ServicePointTable


class ServicePointListView(ScopedListView):
    permission_required = "referrals.view_servicepoint"
    model = ServicePoint
    filterset_class = ServicePointFilterSet
    table_class = ServicePointTable
    template_name = "referrals/service_point_list.html"

    def get_base_queryset(self):
        return ServicePoint.objects.select_related("region")


class ServicePointCreateView(PermissionRequiredMixin, CreateView):
    permission_required = "referrals.manage_servicepoint"
    model = ServicePoint
    form_class = ServicePointForm
    template_name = "referrals/service_point_form.html"
    success_url = reverse_lazy("referrals:service_point_list")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def form_valid(self, form):
        messages.success(self.request, _("Puskesos disimpan."))
        return super().form_valid(form)


class ServicePointUpdateView(ScopedObjectMixin, UpdateView):
    model = ServicePoint
    permission_required = "referrals.manage_servicepoint"
    form_class = ServicePointForm
    template_name = "referrals/service_point_form.html"
    success_url = reverse_lazy("referrals:service_point_list")

    def get_object(self, queryset=None):
        return self.object

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def form_valid(self, form):
        messages.success(self.request, _("Puskesos disimpan."))
        return super().form_valid(form)


@permission_required("referrals.view_referral", raise_exception=True)
def service_levels(request):
    services.ensure_service_levels()
    levels = {level.need: level for level in ServiceLevel.objects.all()}
    may_edit = request.user.has_perm("referrals.manage_servicepoint")
    forms = [
        (
            need,
            label,
            ServiceLevelForm(
                request.POST if request.method == "POST" and may_edit else None,
                instance=levels[need],
                prefix=need,
            ),
        )
        for need, label in Need.choices
    ]
    if request.method == "POST":
        if not may_edit:
            messages.error(request, _("Anda tidak berhak mengubah batas waktu layanan."))
            return redirect("referrals:service_levels")
        if all(form.is_valid() for _need, _label, form in forms):
            for _need, _label, form in forms:
                form.save()
            messages.success(request, _("Batas waktu layanan disimpan."))
            return redirect("referrals:service_levels")
    return render(
        request,
        "referrals/service_levels.html",
        {"forms": forms, "may_edit": may_edit},
        status=400 if request.method == "POST" else 200,
    )


LOG_HEADERS = [
    gettext_lazy("Waktu"),
    gettext_lazy("Warga"),
    gettext_lazy("Terdaftar"),
    gettext_lazy("Cara datang"),
    gettext_lazy("Kebutuhan"),
    gettext_lazy("Rujukan"),
]


@permission_required("referrals.view_intake", raise_exception=True)
def service_log(request):
    """The day's figures and visitors of one Puskesos of the user's area, exportable."""
    points = ServicePoint.objects.for_user(request.user).order_by("name")
    wanted = request.GET.get("puskesos", "")
    point = (points.filter(pk=wanted).first() if wanted.isdigit() else None) or points.first()
    day = _day(request.GET.get("tanggal"))
    log = services.service_log(point, day) if point else None
    export = request.GET.get("export")
    if log and export in ("xlsx", "csv"):
        if not request.user.has_perm("referrals.export_intake"):
            messages.error(request, _("Anda tidak berhak mengunduh data pribadi."))
            return redirect(f"{reverse('referrals:service_log')}?puskesos={point.pk}")
        rows = [
            [
                timezone.localtime(intake.created_at).strftime("%d/%m/%Y %H:%M"),
                intake.resident_name,
                _("ya") if intake.member_id else _("belum"),
                intake.get_channel_display(),
                ", ".join(str(n.get_need_display()) for n in intake.needs.all()),
                ", ".join(f"{r.reference} ({r.agency.name})" for r in intake.referrals.all()),
            ]
            for intake in log["rows"]
        ]
        log_export(
            request.user,
            request=request,
            what=str(_("Log harian Puskesos")),
            file_format=export,
            filters=f"puskesos={point.pk}&tanggal={day:%d/%m/%Y}",
            row_count=len(rows),
        )
        name = f"log-puskesos-{point.pk}-{day:%Y%m%d}.{export}"
        return table_response(export, name, _("Log harian"), LOG_HEADERS, rows)
    return render(
        request,
        "referrals/service_log.html",
        {"points": points, "point": point, "day": day, "log": log},
    )


def _day(value) -> datetime.date:
    for fmt in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.datetime.strptime(value or "", fmt).date()
        except ValueError:
            continue
    return timezone.localdate()
