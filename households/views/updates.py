"""Data-update proposals: propose (per kind), detail, evidence download, the three queues and
the verify / approve / reject actions. Every object is fetched with
``core.views.get_object_for_user`` / ``ScopedObjectMixin`` (404 outside the user's area, then 403
without the permission); what differs per kind of change is in ``households.update_kinds``, the
workflow rules are in ``households.services.updates``."""

from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView

from core.views import ScopedListView, ScopedObjectMixin, get_object_for_user
from households.choices import HouseholdStatus
from households.filtersets import DataUpdateFilterSet
from households.forms.proposals import ProposalForm, RejectForm
from households.forms.updates import NewHouseholdForm, member_row_formset
from households.models import DataUpdate, Household, Member
from households.models.updates import UpdateKind, UpdateStatus
from households.panels import register_dashboard_panel, render_panels, update_panels
from households.services import updates as service
from households.services.update_apply import UpdateError
from households.tables import DataUpdateTable
from households.update_display import Shown
from households.update_kinds import BY_SLUG, spec_for


def _scoped_updates():
    return DataUpdate.objects.select_related(
        "desa", "desa__parent", "household", "member", "proposed_by", "verified_by", "decided_by"
    )


def _flash_saved(request, update, warnings):
    messages.success(
        request,
        _("Usulan #%(id)s tersimpan dan menunggu verifikasi kecamatan.") % {"id": update.pk},
    )
    for warning in warnings:
        messages.warning(request, warning)


# Proposing -------------------------------------------------------------------------------------


def propose_for_household(request, household_pk, slug):
    household = get_object_for_user(
        request.user,
        Household.objects.select_related("desa", "desa__parent"),
        household_pk,
        "households.add_dataupdate",
    )
    spec = BY_SLUG.get(slug)
    if spec is None:
        raise Http404
    if household.status != HouseholdStatus.ACTIVE:
        messages.error(
            request,
            _("Keluarga berstatus %(status)s tidak bisa diusulkan perubahan.")
            % {"status": household.get_status_display()},
        )
        return redirect(household)
    member_id = request.POST.get("anggota") or request.GET.get("anggota")
    member = None
    if member_id:
        member = get_object_or_404(Member.objects.filter(household=household), pk=member_id)
    data = request.POST if request.method == "POST" else None
    change_form = spec.form_for(member)(data, household=household, user=request.user, member=member)
    proposal_form = ProposalForm(data, request.FILES if data is not None else None)
    if data is not None and change_form.is_valid() and proposal_form.is_valid():
        target_member, payload = change_form.proposal()
        try:
            update = service.propose(
                user=request.user,
                kind=spec.kind,
                desa_code=household.desa_id,
                household=household,
                member=target_member,
                payload=payload,
                reason=proposal_form.cleaned_data["reason"],
                evidence=proposal_form.cleaned_data["evidence"],
            )
        except UpdateError as error:
            messages.error(request, str(error))
        else:
            _flash_saved(request, update, change_form.warnings)
            return redirect("households:update_detail", pk=update.pk)
    return render(
        request,
        "households/updates/propose.html",
        {
            "kind": spec.kind,
            "kind_label": spec.label,
            "household": household,
            "member": member,
            "members": household.members.order_by("hubungan_keluarga", "tanggal_lahir"),
            "change_form": change_form,
            "proposal_form": proposal_form,
        },
    )


@permission_required("households.add_dataupdate", raise_exception=True)
def propose_new_household(request):
    data = request.POST if request.method == "POST" else None
    try:
        rows = int(request.GET.get("baris", ""))
    except ValueError:
        rows = None
    household_form = NewHouseholdForm(data, user=request.user)
    formset = member_row_formset(data, user=request.user, **({"rows": rows} if rows else {}))
    proposal_form = ProposalForm(data, request.FILES if data is not None else None)
    valid = [household_form.is_valid(), formset.is_valid(), proposal_form.is_valid()]
    if data is not None and all(valid):
        members, warnings = formset.payload()
        try:
            update = service.propose(
                user=request.user,
                kind=UpdateKind.NEW_HOUSEHOLD,
                desa_code=household_form.cleaned_data["desa"],
                payload={
                    "household": household_form.household_payload(),
                    "members": members,
                    "nik_warnings": warnings,
                },
                reason=proposal_form.cleaned_data["reason"],
                evidence=proposal_form.cleaned_data["evidence"],
            )
        except UpdateError as error:
            messages.error(request, str(error))
        else:
            _flash_saved(request, update, warnings)
            return redirect("households:update_detail", pk=update.pk)
    return render(
        request,
        "households/updates/propose_new_household.html",
        {
            "household_form": household_form,
            "formset": formset,
            "proposal_form": proposal_form,
            "more_rows": min(len(formset.forms) + 4, 20),
        },
    )


# Detail and decisions --------------------------------------------------------------------------


def proposal_rows(update) -> dict:
    """What the detail page shows: rows of (label, now/before, proposed), plus new members."""
    members_by_id = {}
    if update.kind != UpdateKind.NEW_HOUSEHOLD:
        payload = update.payload
        ids = [update.member_id, payload.get("new_head"), *payload.get("members", {})]
        members_by_id = Member.objects.in_bulk([int(i) for i in ids if i])
    view = Shown(update, members_by_id)
    spec_for(update.kind).describe(view)
    return view.as_context()


class UpdateDetailView(ScopedObjectMixin, TemplateView):
    model = DataUpdate
    permission_required = "households.view_dataupdate"
    template_name = "households/updates/detail.html"

    def get_scoped_queryset(self):
        return _scoped_updates()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        update, user = self.object, self.request.user
        context["update"] = update
        context.update(proposal_rows(update))
        not_own = update.proposed_by_id != user.pk
        context["can_verify"] = (
            update.status == UpdateStatus.PROPOSED
            and not_own
            and user.has_perm("households.verify_dataupdate")
        )
        context["can_approve"] = (
            update.status == UpdateStatus.VERIFIED
            and not_own
            and update.verified_by_id != user.pk
            and user.has_perm("households.approve_dataupdate")
        )
        context["own"] = not not_own
        context["reject_form"] = RejectForm()
        context["evidence_name"] = Path(update.evidence.name).name if update.evidence else ""
        context["panels"] = [
            (panel, panel_context)
            for panel, panel_context in render_panels(update_panels(), update, user)
            if panel_context
        ]
        return context


def evidence_download(request, pk):
    """The berita acara, served only to users who may see the proposal (media is not public)."""
    update = get_object_for_user(request.user, DataUpdate, pk, "households.view_dataupdate")
    if not update.evidence:
        raise Http404
    try:
        handle = update.evidence.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    return FileResponse(handle, as_attachment=True, filename=Path(update.evidence.name).name)


def _decide(request, pk, permission, action):
    update = get_object_for_user(request.user, DataUpdate, pk, permission)
    try:
        action(update)
    except UpdateError as error:
        messages.error(request, str(error))
        return False
    return True


@require_POST
def verify_update(request, pk):
    if _decide(
        request,
        pk,
        "households.verify_dataupdate",
        lambda update: service.verify(update, request.user),
    ):
        messages.success(request, _("Usulan diverifikasi dan diteruskan ke kabupaten."))
    return redirect("households:update_detail", pk=pk)


@require_POST
def approve_update(request, pk):
    if _decide(
        request,
        pk,
        "households.approve_dataupdate",
        lambda update: service.approve(update, request.user),
    ):
        messages.success(request, _("Usulan disetujui; data registri sudah diubah."))
    return redirect("households:update_detail", pk=pk)


@require_POST
def reject_update(request, pk):
    form = RejectForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    # The service refuses an empty reason with its own message.
    if _decide(
        request,
        pk,
        "households.view_dataupdate",
        lambda update: service.reject(update, request.user, note),
    ):
        messages.success(request, _("Usulan ditolak; pengusul dapat melihat alasannya."))
    return redirect("households:update_detail", pk=pk)


# Queues ----------------------------------------------------------------------------------------


class UpdateQueueView(ScopedListView):
    table_class = DataUpdateTable
    filterset_class = DataUpdateFilterSet
    template_name = "households/updates/queue.html"
    title = ""
    intro = ""
    queue = ""
    hidden_columns: tuple = ("decision_note",)
    # The service that gives the queue's proposals for a user (a ``for_user`` queryset).
    source = None

    def get_base_queryset(self):
        return self.source(self.request.user).select_related(
            "desa", "household", "member", "proposed_by", "verified_by"
        )

    def get_table_kwargs(self):
        return {"exclude": self.hidden_columns}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update({"title": self.title, "intro": self.intro, "queue": self.queue})
        return context


class VerificationQueueView(UpdateQueueView):
    permission_required = "households.verify_dataupdate"
    title = gettext_lazy("Menunggu verifikasi")
    intro = gettext_lazy(
        "Usulan di wilayah Anda yang menunggu diperiksa kecamatan. Usulan Anda sendiri "
        "diverifikasi operator lain."
    )
    queue = "verify"

    source = staticmethod(service.waiting_verification)


class ApprovalQueueView(UpdateQueueView):
    permission_required = "households.approve_dataupdate"
    title = gettext_lazy("Menunggu persetujuan")
    intro = gettext_lazy(
        "Usulan yang sudah diverifikasi kecamatan. Hanya persetujuan yang mengubah registri."
    )
    queue = "approve"

    source = staticmethod(service.waiting_approval)


class MyUpdatesView(UpdateQueueView):
    permission_required = "households.add_dataupdate"
    title = gettext_lazy("Usulan saya")
    intro = gettext_lazy("Usulan yang Anda ajukan, dengan status dan alasan bila ditolak.")
    queue = "mine"
    hidden_columns = ("proposed_by",)

    source = staticmethod(service.proposed_by)


# Panels ----------------------------------------------------------------------------------------


def dashboard_context(user):
    return {"counts": service.queue_counts(user)}


def register_panels():
    """Called from ``HouseholdsConfig.ready()``."""
    register_dashboard_panel(
        key="data_updates",
        title=gettext_lazy("Usulan perubahan data"),
        template="households/updates/dashboard_panel.html",
        context=dashboard_context,
        permission="households.view_dataupdate",
        order=20,
    )


urlpatterns = [
    path("usulan/", MyUpdatesView.as_view(), name="my_updates"),
    path("usulan/verifikasi/", VerificationQueueView.as_view(), name="update_verify_queue"),
    path("usulan/persetujuan/", ApprovalQueueView.as_view(), name="update_approve_queue"),
    path("usulan/keluarga-baru/", propose_new_household, name="propose_new_household"),
    path("usulan/<int:pk>/", UpdateDetailView.as_view(), name="update_detail"),
    path("usulan/<int:pk>/bukti/", evidence_download, name="update_evidence"),
    path("usulan/<int:pk>/verifikasi/", verify_update, name="update_verify"),
    path("usulan/<int:pk>/setujui/", approve_update, name="update_approve"),
    path("usulan/<int:pk>/tolak/", reject_update, name="update_reject"),
    path(
        "keluarga/<int:household_pk>/usulkan/<slug:slug>/",
        propose_for_household,
        name="propose_update",
    ),
]
