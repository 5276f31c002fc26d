"""The duplicate queue: list, side-by-side comparison, merge, dismiss, and starting a scan.

Candidates are fetched with ``core.views.get_object_for_user`` / ``ScopedObjectMixin`` through
``DuplicateCandidate.objects.for_user`` (both people must be in the user's area, else 404; then
403 without the permission); the rules are in ``households.services.duplicates``."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.db import transaction
from django.shortcuts import redirect
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView

from core.display import display_value
from core.display import label as field_label
from core.scope import area_of
from core.views import ScopedListView, ScopedObjectMixin, get_object_for_user
from households.duplicate_tasks import scan_duplicates
from households.filtersets import DuplicateCandidateFilterSet
from households.forms.duplicates import DismissForm, MergeForm
from households.models import DuplicateCandidate, Member
from households.models.updates import DuplicateReason, DuplicateStatus
from households.services import duplicates as service
from households.services.duplicates import MERGE_FIELDS, DuplicateError
from households.tables import DuplicateCandidateTable


def _scoped():
    return DuplicateCandidate.objects.select_related(
        "member_a__household__desa", "member_b__household__desa", "decided_by"
    )


class DuplicateListView(ScopedListView):
    permission_required = "households.view_duplicatecandidate"
    table_class = DuplicateCandidateTable
    filterset_class = DuplicateCandidateFilterSet
    template_name = "households/duplicates/list.html"

    def get_base_queryset(self):
        return _scoped()

    def get_filterset_kwargs(self, filterset_class):
        kwargs = super().get_filterset_kwargs(filterset_class)
        if "status" not in self.request.GET:
            # The queue opens on what still waits for a decision.
            data = self.request.GET.copy()
            data["status"] = DuplicateStatus.OPEN
            kwargs["data"] = data
        return kwargs


class DuplicateDetailView(ScopedObjectMixin, TemplateView):
    model = DuplicateCandidate
    permission_required = "households.view_duplicatecandidate"
    template_name = "households/duplicates/detail.html"

    def get_scoped_queryset(self):
        return _scoped()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        candidate = context["candidate"] = self.object
        a, b = candidate.member_a, candidate.member_b
        rows = []
        for name in MERGE_FIELDS:
            label = field_label(Member, name)
            left = display_value(Member, name, getattr(a, name))
            right = display_value(Member, name, getattr(b, name)) if b else None
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
    candidate = get_object_for_user(
        request.user, _scoped(), pk, "households.resolve_duplicatecandidate"
    )
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
    candidate = get_object_for_user(
        request.user, _scoped(), pk, "households.resolve_duplicatecandidate"
    )
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
@permission_required("households.resolve_duplicatecandidate", raise_exception=True)
def start_scan(request):
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
