"""The duplicate queue: list, side-by-side comparison, merge, dismiss, and starting a scan.

Candidates are fetched through ``DuplicateCandidate.objects.for_user`` (both people must be in
the user's area, else 404); the rules are in ``households.services.duplicates``."""

import django_tables2 as tables
from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.urls import path
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django.views.generic import DetailView
from django_filters.views import FilterView
from django_tables2.views import SingleTableMixin

from core.scope import area_of
from households.duplicate_tasks import scan_duplicates
from households.forms.duplicates import DismissForm, DuplicateCandidateFilterSet, MergeForm
from households.models import DuplicateCandidate, Member
from households.models.updates import DuplicateReason, DuplicateStatus
from households.services import duplicates as service
from households.services.duplicates import MERGE_FIELDS, DuplicateError

STATUS_BADGES = {
    DuplicateStatus.OPEN: "badge-warn",
    DuplicateStatus.MERGED: "badge-ok",
    DuplicateStatus.DISMISSED: "badge-muted",
}


def _scoped(user):
    return DuplicateCandidate.objects.for_user(user).select_related(
        "member_a__household__desa", "member_b__household__desa", "decided_by"
    )


def _require(user, permission):
    # After the scoped lookup: outside the area stays a 404 whatever the permission.
    if not user.has_perm(permission):
        raise PermissionDenied


def _member_cell(member):
    if member is None:
        return format_html('<span class="muted">{}</span>', _("(baris impor ditolak)"))
    return format_html(
        '{}<br><small class="muted">{} · {} · {}</small>',
        member.nama,
        member.nik or _("tanpa NIK"),
        member.household.registry_id,
        member.household.desa.name,
    )


class DuplicateCandidateTable(tables.Table):
    pk = tables.Column(verbose_name="#", linkify=("households:duplicate_detail", [tables.A("pk")]))
    reason = tables.Column(verbose_name=gettext_lazy("Alasan"))
    member_a = tables.Column(verbose_name=gettext_lazy("Data A"), orderable=False)
    member_b = tables.Column(verbose_name=gettext_lazy("Data B"), orderable=False, empty_values=())
    birth = tables.Column(
        verbose_name=gettext_lazy("Tanggal lahir"),
        accessor="member_a__tanggal_lahir",
        orderable=False,
    )
    score = tables.Column(verbose_name=gettext_lazy("Kemiripan"))
    found_at = tables.DateTimeColumn(verbose_name=gettext_lazy("Ditemukan"), short=True)
    status = tables.Column(verbose_name=gettext_lazy("Status"))

    class Meta:
        model = DuplicateCandidate
        fields = ["pk", "reason", "member_a", "member_b", "birth", "score", "found_at", "status"]
        order_by = "-score"
        attrs = {"class": "table"}
        empty_text = gettext_lazy("Tidak ada kandidat duplikat.")
        default = "–"

    def render_pk(self, value):
        return f"#{value}"

    def render_reason(self, record):
        short = {
            DuplicateReason.SAME_NIK: _("NIK sama"),
            DuplicateReason.SIMILAR_NAME: _("Nama mirip"),
        }
        return format_html(
            '<span title="{}">{}</span>', record.get_reason_display(), short[record.reason]
        )

    def render_member_a(self, value):
        return _member_cell(value)

    def render_member_b(self, record):
        return _member_cell(record.member_b)

    def render_birth(self, value):
        return date_format(value, "SHORT_DATE_FORMAT")

    def render_score(self, value):
        return f"{value:.0%}"

    def render_status(self, record):
        return format_html(
            '<span class="badge {}">{}</span>',
            STATUS_BADGES[record.status],
            record.get_status_display(),
        )


class DuplicateListView(PermissionRequiredMixin, SingleTableMixin, FilterView):
    permission_required = "households.view_duplicatecandidate"
    table_class = DuplicateCandidateTable
    filterset_class = DuplicateCandidateFilterSet
    template_name = "households/duplicates/list.html"
    # The table paginates; ListView's own pagination would count the rows a second time.
    table_pagination = {"per_page": 25}

    def get_queryset(self):
        return _scoped(self.request.user)

    def get_filterset_kwargs(self, filterset_class):
        kwargs = super().get_filterset_kwargs(filterset_class)
        if "status" not in self.request.GET:
            # The queue opens on what still waits for a decision.
            data = self.request.GET.copy()
            data["status"] = DuplicateStatus.OPEN
            kwargs["data"] = data
        return kwargs


def _value(member, name):
    value = getattr(member, name)
    field = Member._meta.get_field(name)
    if value is None or value == "" or value == {}:
        return "–"
    if field.choices:
        return getattr(member, f"get_{name}_display")()
    if isinstance(value, bool):
        return _("Ya") if value else _("Tidak")
    if hasattr(value, "strftime"):
        return date_format(value, "SHORT_DATE_FORMAT")
    return str(value)


class DuplicateDetailView(DetailView):
    template_name = "households/duplicates/detail.html"
    context_object_name = "candidate"

    def get_queryset(self):
        return _scoped(self.request.user)

    def get_object(self, queryset=None):
        candidate = super().get_object(queryset)
        _require(self.request.user, "households.view_duplicatecandidate")
        return candidate

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        candidate = self.object
        a, b = candidate.member_a, candidate.member_b
        rows = []
        for name in MERGE_FIELDS:
            label = capfirst(Member._meta.get_field(name).verbose_name)
            left = _value(a, name)
            right = _value(b, name) if b else None
            if left == "–" and right in ("–", None):
                continue
            rows.append((label, left, right, b is not None and left != right))
        context.update(
            {
                "rows": rows,
                "links_a": service.link_counts(a),
                "links_b": service.link_counts(b) if b else [],
                "incoming_rows": candidate.details.get("rows", []),
                "can_resolve": candidate.status == DuplicateStatus.OPEN
                and self.request.user.has_perm("households.resolve_duplicatecandidate"),
                "merge_form": MergeForm(candidate=candidate) if b else None,
                "dismiss_form": DismissForm(),
                "same_nik": candidate.reason == DuplicateReason.SAME_NIK,
            }
        )
        return context


@require_POST
def merge_candidate(request, pk):
    candidate = get_object_or_404(_scoped(request.user), pk=pk)
    _require(request.user, "households.resolve_duplicatecandidate")
    form = MergeForm(request.POST, candidate=candidate)
    if not form.is_valid():
        messages.error(request, _("Pilih data yang dipertahankan."))
        return redirect("households:duplicate_detail", pk=pk)
    keep = candidate.member_a if form.cleaned_data["keep"] == candidate.member_a_id else None
    keep = keep or candidate.member_b
    try:
        kept = service.merge(candidate, keep, request.user)
    except DuplicateError as error:
        messages.error(request, str(error))
        return redirect("households:duplicate_detail", pk=pk)
    messages.success(
        request,
        _("Data digabung: %(name)s dipertahankan, semua tautan dipindahkan.") % {"name": kept.nama},
    )
    return redirect("households:duplicate_list")


@require_POST
def dismiss_candidate(request, pk):
    candidate = get_object_or_404(_scoped(request.user), pk=pk)
    _require(request.user, "households.resolve_duplicatecandidate")
    form = DismissForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        service.dismiss(candidate, request.user, note)
    except DuplicateError as error:
        messages.error(request, str(error))
        return redirect("households:duplicate_detail", pk=pk)
    messages.success(
        request, _("Ditandai bukan duplikat; pasangan ini tidak akan ditanyakan lagi.")
    )
    return redirect("households:duplicate_list")


@require_POST
def start_scan(request):
    _require(request.user, "households.resolve_duplicatecandidate")
    area = area_of(request.user) or ""
    # Duplicates are looked for across the whole kabupaten; the queue still shows only the
    # pairs inside the user's own area.
    kabupaten = area[:5]
    transaction.on_commit(lambda: scan_duplicates.delay(kabupaten))
    messages.info(
        request, _("Pencarian duplikat berjalan di latar belakang; muat ulang halaman nanti.")
    )
    return redirect("households:duplicate_list")


urlpatterns = [
    path("duplikat/", DuplicateListView.as_view(), name="duplicate_list"),
    path("duplikat/pindai/", start_scan, name="duplicate_scan"),
    path("duplikat/<int:pk>/", DuplicateDetailView.as_view(), name="duplicate_detail"),
    path("duplikat/<int:pk>/gabung/", merge_candidate, name="duplicate_merge"),
    path("duplikat/<int:pk>/bukan-duplikat/", dismiss_candidate, name="duplicate_dismiss"),
]
