"""Data-update proposals: propose (per kind), detail, evidence download, the three queues and
the verify / approve / reject actions. Every object is fetched through
``DataUpdate.objects.for_user`` (404 outside the user's area); the workflow rules are in
``households.services.updates``."""

from pathlib import Path

import django_tables2 as tables
from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
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

from households.choices import HouseholdStatus, MemberStatus, Relationship
from households.forms.updates import (
    FORMS_BY_KIND,
    CorrectHouseholdForm,
    CorrectMemberForm,
    DataUpdateFilterSet,
    NewHouseholdForm,
    ProposalForm,
    RejectForm,
    member_row_formset,
)
from households.history import plain
from households.models import DataUpdate, Household, Member, Region
from households.models.updates import UpdateKind, UpdateStatus
from households.panels import register_dashboard_panel
from households.services import updates as service
from households.services.updates import HOUSEHOLD_ADDRESS_FIELDS, RemovalReason, UpdateError

# URL slugs of the kinds proposed from a household's page.
KIND_SLUGS = {
    "tambah-anggota": UpdateKind.ADD_MEMBER,
    "keluarkan-anggota": UpdateKind.REMOVE_MEMBER,
    "ganti-kepala": UpdateKind.CHANGE_HEAD,
    "pindah": UpdateKind.MOVE,
    "pecah-kk": UpdateKind.SPLIT,
    "perbaikan": UpdateKind.CORRECT,
    "kematian": UpdateKind.DEATH,
    "tinjau-desil": UpdateKind.DECILE_REVIEW,
}
STATUS_BADGES = {
    UpdateStatus.PROPOSED: "badge-warn",
    UpdateStatus.VERIFIED: "",
    UpdateStatus.APPROVED: "badge-ok",
    UpdateStatus.REJECTED: "badge-error",
}


def _require(user, permission):
    # Called after the scoped lookup: outside the area is a 404 even without the permission.
    if not user.has_perm(permission):
        raise PermissionDenied


def _scoped_updates(user):
    return DataUpdate.objects.for_user(user).select_related(
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
    household = get_object_or_404(
        Household.objects.for_user(request.user).select_related("desa", "desa__parent"),
        pk=household_pk,
    )
    kind = KIND_SLUGS.get(slug)
    if kind is None:
        raise Http404
    _require(request.user, "households.add_dataupdate")
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
    if kind == UpdateKind.CORRECT:
        form_class = CorrectMemberForm if member else CorrectHouseholdForm
    else:
        form_class = FORMS_BY_KIND[kind]
    data = request.POST if request.method == "POST" else None
    change_form = form_class(data, household=household, user=request.user, member=member)
    proposal_form = ProposalForm(data, request.FILES if data is not None else None)
    if data is not None and change_form.is_valid() and proposal_form.is_valid():
        target_member, payload = change_form.proposal()
        try:
            update = service.propose(
                user=request.user,
                kind=kind,
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
            "kind": kind,
            "kind_label": UpdateKind(kind).label,
            "household": household,
            "member": member,
            "members": household.members.order_by("hubungan_keluarga", "tanggal_lahir"),
            "change_form": change_form,
            "proposal_form": proposal_form,
        },
    )


def propose_new_household(request):
    _require(request.user, "households.add_dataupdate")
    data = request.POST if request.method == "POST" else None
    try:
        rows = int(request.GET.get("baris", ""))
    except ValueError:
        rows = None
    household_form = NewHouseholdForm(data, user=request.user)
    formset = member_row_formset(data, **({"rows": rows} if rows else {}))
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


def _display(model, name, value):
    """A stored (JSON) value as a person reads it: choice labels, dd/mm/yyyy, Ya/Tidak, –."""
    if value is None or value == "":
        return "–"
    if name in ("desa", "desa_id"):
        region = Region.objects.filter(code=value).first()
        return f"{region.name} ({value})" if region else value
    field = model._meta.get_field(name)
    python_value = field.to_python(value)
    if field.choices:
        return dict(field.flatchoices).get(python_value, value)
    if isinstance(python_value, bool):
        return _("Ya") if python_value else _("Tidak")
    if hasattr(python_value, "strftime"):
        return date_format(python_value, "SHORT_DATE_FORMAT")
    return str(python_value)


def _label(model, name):
    return capfirst(model._meta.get_field(name).verbose_name)


def _member_name(member_id, members_by_id):
    member = members_by_id.get(int(member_id)) if member_id else None
    return member.nama if member else "–"


def proposal_rows(update) -> dict:
    """What the detail page shows: rows of (label, now/before, proposed), plus new members."""
    payload = update.payload
    household = update.household
    rows, new_members, stale = [], [], []
    ids = [update.member_id, payload.get("new_head"), *payload.get("members", {})]
    members_by_id = {}
    if update.kind != UpdateKind.NEW_HOUSEHOLD:
        members_by_id = Member.objects.in_bulk([int(i) for i in ids if i])
    kind = update.kind
    if kind == UpdateKind.NEW_HOUSEHOLD:
        data = payload["household"]
        rows.append((_label(Household, "desa"), "–", _display(Household, "desa", update.desa_id)))
        for name, value in data.items():
            rows.append((_label(Household, name), "–", _display(Household, name, value)))
        new_members = [
            [(_label(Member, n), _display(Member, n, v)) for n, v in member.items()]
            for member in payload["members"]
        ]
    elif kind == UpdateKind.ADD_MEMBER:
        new_members = [
            [(_label(Member, n), _display(Member, n, v)) for n, v in payload["member"].items()]
        ]
    elif kind == UpdateKind.CORRECT:
        model = Member if payload["target"] == "member" else Household
        target = update.member if model is Member else household
        still_open = update.status in (UpdateStatus.PROPOSED, UpdateStatus.VERIFIED)
        for name, (old, new) in payload["changes"].items():
            rows.append(
                (_label(model, name), _display(model, name, old), _display(model, name, new))
            )
            if still_open and target is not None and plain(getattr(target, name)) != old:
                stale.append(_label(model, name))
    elif kind in (UpdateKind.REMOVE_MEMBER, UpdateKind.DEATH):
        reasons = {
            RemovalReason.MOVED: _("Pindah"),
            RemovalReason.DECEASED: _("Meninggal"),
            RemovalReason.OTHER: _("Lainnya"),
        }
        reason = payload.get("removal_reason", RemovalReason.DECEASED)
        date = payload.get("date") or payload.get("tanggal_meninggal")
        rows.append((_("Anggota"), _member_name(update.member_id, members_by_id), "–"))
        rows.append((_("Alasan keluar"), "–", reasons[reason]))
        rows.append((_("Tanggal"), "–", _display(Member, "tanggal_meninggal", date)))
        if payload.get("new_head"):
            rows.append(
                (_("Kepala keluarga baru"), "–", _member_name(payload["new_head"], members_by_id))
            )
    elif kind == UpdateKind.CHANGE_HEAD:
        head = None
        if household is not None:
            head = household.members.filter(
                hubungan_keluarga=Relationship.HEAD, status=MemberStatus.ALIVE
            ).first()
        rows.append(
            (
                _("Kepala keluarga"),
                head.nama if head else "–",
                _member_name(payload["new_head"], members_by_id),
            )
        )
        rows.append(
            (
                _("Hubungan kepala keluarga lama"),
                _display(Member, "hubungan_keluarga", Relationship.HEAD),
                _display(Member, "hubungan_keluarga", payload["old_head_relationship"]),
            )
        )
        if payload.get("no_kk"):
            rows.append((_("No. KK"), household.no_kk if household else "–", payload["no_kk"]))
    elif kind == UpdateKind.MOVE:
        for name in ["desa", *HOUSEHOLD_ADDRESS_FIELDS]:
            current = household.desa_id if name == "desa" else getattr(household, name)
            rows.append(
                (
                    _label(Household, name),
                    _display(Household, name, current),
                    _display(Household, name, payload[name]),
                )
            )
        if payload.get("no_kk"):
            rows.append((_("No. KK"), household.no_kk, payload["no_kk"]))
    elif kind == UpdateKind.SPLIT:
        for member_id, relationship in payload["members"].items():
            if int(member_id) == payload["new_head"]:
                relationship = Relationship.HEAD
            rows.append(
                (
                    _member_name(member_id, members_by_id),
                    _("KK lama"),
                    _("KK baru: %(rel)s")
                    % {"rel": _display(Member, "hubungan_keluarga", relationship)},
                )
            )
        rows.append((_("No. KK baru"), "–", payload["no_kk"]))
        for name in HOUSEHOLD_ADDRESS_FIELDS:
            rows.append((_label(Household, name), "–", _display(Household, name, payload[name])))
    elif kind == UpdateKind.DECILE_REVIEW:
        rows.append(
            (_("Desil"), _display(Household, "desil", payload["desil_before"]), payload["desil"])
        )
    return {"rows": rows, "new_members": new_members, "stale": stale}


class UpdateDetailView(DetailView):
    template_name = "households/updates/detail.html"
    context_object_name = "update"

    def get_queryset(self):
        return _scoped_updates(self.request.user)

    def get_object(self, queryset=None):
        update = super().get_object(queryset)
        _require(self.request.user, "households.view_dataupdate")
        return update

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        update, user = self.object, self.request.user
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
        return context


def evidence_download(request, pk):
    """The berita acara, served only to users who may see the proposal (media is not public)."""
    update = get_object_or_404(DataUpdate.objects.for_user(request.user), pk=pk)
    _require(request.user, "households.view_dataupdate")
    if not update.evidence:
        raise Http404
    try:
        handle = update.evidence.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    return FileResponse(handle, as_attachment=True, filename=Path(update.evidence.name).name)


def _decide(request, pk, permission, action):
    update = get_object_or_404(DataUpdate.objects.for_user(request.user), pk=pk)
    _require(request.user, permission)
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


class DataUpdateTable(tables.Table):
    pk = tables.Column(verbose_name="#", linkify=("households:update_detail", [tables.A("pk")]))
    kind = tables.Column(verbose_name=gettext_lazy("Jenis"))
    household = tables.Column(verbose_name=gettext_lazy("Keluarga"), empty_values=())
    desa = tables.Column(verbose_name=gettext_lazy("Desa/kelurahan"), accessor="desa__name")
    member = tables.Column(verbose_name=gettext_lazy("Anggota"), accessor="member__nama")
    proposed_by = tables.Column(verbose_name=gettext_lazy("Pengusul"))
    proposed_at = tables.DateTimeColumn(verbose_name=gettext_lazy("Diusulkan"), short=True)
    status = tables.Column(verbose_name=gettext_lazy("Status"))
    decision_note = tables.Column(verbose_name=gettext_lazy("Catatan keputusan"))

    class Meta:
        model = DataUpdate
        fields = ["pk", "kind", "household", "desa", "member", "proposed_by", "proposed_at"]
        sequence = [*fields, "status", "decision_note"]
        order_by = "-proposed_at"
        attrs = {"class": "table"}
        empty_text = gettext_lazy("Tidak ada usulan.")
        default = "–"

    def render_pk(self, value):
        return f"#{value}"

    def render_household(self, record):
        if record.household is None:
            return format_html('<span class="muted">{}</span>', _("(keluarga baru)"))
        return format_html(
            '<a href="{}">{}</a><br><small class="muted">KK {}</small>',
            record.household.get_absolute_url(),
            record.household.registry_id,
            record.household.no_kk,
        )

    def render_proposed_by(self, value):
        return value.get_full_name() or value.username

    def render_status(self, record):
        return format_html(
            '<span class="badge {}">{}</span>',
            STATUS_BADGES[record.status],
            record.get_status_display(),
        )


class UpdateQueueView(PermissionRequiredMixin, SingleTableMixin, FilterView):
    table_class = DataUpdateTable
    filterset_class = DataUpdateFilterSet
    template_name = "households/updates/queue.html"
    # The table paginates; ListView's own pagination would count the rows a second time.
    table_pagination = {"per_page": 25}
    title = ""
    intro = ""
    queue = ""
    hidden_columns: tuple = ("decision_note",)

    def base_queryset(self):
        raise NotImplementedError

    def get_queryset(self):
        return self.base_queryset().select_related("desa", "household", "member", "proposed_by")

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

    def base_queryset(self):
        return service.waiting_verification(self.request.user)


class ApprovalQueueView(UpdateQueueView):
    permission_required = "households.approve_dataupdate"
    title = gettext_lazy("Menunggu persetujuan")
    intro = gettext_lazy(
        "Usulan yang sudah diverifikasi kecamatan. Hanya persetujuan yang mengubah registri."
    )
    queue = "approve"

    def base_queryset(self):
        return service.waiting_approval(self.request.user).select_related("verified_by")


class MyUpdatesView(UpdateQueueView):
    permission_required = "households.add_dataupdate"
    title = gettext_lazy("Usulan saya")
    intro = gettext_lazy("Usulan yang Anda ajukan, dengan status dan alasan bila ditolak.")
    queue = "mine"
    hidden_columns = ("proposed_by",)

    def base_queryset(self):
        return service.proposed_by(self.request.user)


# Panels ----------------------------------------------------------------------------------------


def dashboard_context(user):
    if not user.has_perm("households.view_dataupdate"):
        return {"counts": None}
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
