"""Staff pages: the complaint list (with bulk close), one complaint with its timeline and the
handling forms, desk intake, the attachment, and a data-update proposal opened from a
complaint. Objects come through ``core.views`` (404 outside the area, then 403); the rules are
in ``complaints.services.handling``."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView

from complaints.choices import SLA_BADGES
from complaints.filtersets import ComplaintFilterSet
from complaints.forms import (
    AssignForm,
    NoteForm,
    ResolveForm,
    StaffIntakeForm,
    StatusForm,
    TriageForm,
)
from complaints.models import Complaint
from complaints.services import handling, intake, officers
from complaints.services.sla import sla_state
from complaints.tables import ComplaintTable
from core import access
from core.scope import area_of
from core.search import too_many_lookups_message
from core.views import ScopedListView, ScopedObjectMixin, get_object_for_user


def _complaints():
    return Complaint.objects.select_related(
        "category",
        "desa",
        "desa__parent",
        "assignee",
        "household",
        "program",
        "data_update",
        "intake",
    )


class ComplaintListView(ScopedListView):
    permission_required = "complaints.view_complaint"
    filterset_class = ComplaintFilterSet
    table_class = ComplaintTable
    template_name = "complaints/complaint_list.html"

    def get_base_queryset(self):
        return Complaint.objects.select_related("category", "desa", "assignee")

    def get_table_kwargs(self):
        return {
            "selectable": self.request.user.has_perm("complaints.resolve_complaint"),
            "area": area_of(self.request.user),
        }


class ComplaintDetailView(ScopedObjectMixin, TemplateView):
    model = Complaint
    permission_required = "complaints.view_complaint"
    template_name = "complaints/complaint_detail.html"

    def get_scoped_queryset(self):
        return _complaints()

    def get_context_data(self, **kwargs):
        complaint = self.object
        user = self.request.user
        may_handle = user.has_perm("complaints.change_complaint") and complaint.is_open
        context = {
            **super().get_context_data(**kwargs),
            "complaint": complaint,
            "sla": sla_state(complaint),
            "sla_badge": SLA_BADGES[sla_state(complaint)],
            "events": complaint.events.select_related("by").order_by("at", "id"),
            "transitions": handling.transitions_for(user, complaint),
            "appeal": Complaint.objects.filter(appeal_of=complaint).first(),
            "may_note": user.has_perm("complaints.change_complaint"),
            "may_propose": may_handle
            and complaint.household_id is not None
            and user.has_perm("households.add_dataupdate"),
            "may_refer": may_handle
            and complaint.household_id is not None
            and user.has_perm("referrals.add_intake"),
            "note_form": NoteForm(),
            "status_form": StatusForm(),
        }
        if handling.may_triage(user, complaint):
            context["triage_form"] = TriageForm(user=user, complaint=complaint)
        if may_handle:
            context["assign_form"] = AssignForm(
                officers=officers.officers_for(complaint.desa_id),
                initial={"assignee": complaint.assignee_id},
            )
        if handling.may_resolve(user, complaint):
            context["resolve_form"] = ResolveForm()
        if context["may_propose"]:
            from households.update_kinds import KINDS

            context["update_kinds"] = [spec for spec in KINDS.values() if spec.slug]
        return context


def _complaint(request, pk, permission="complaints.change_complaint"):
    return get_object_for_user(request.user, _complaints(), pk, permission)


def _outcome(request, complaint, changed: bool, success: str):
    if changed:
        messages.success(request, success)
    else:
        messages.warning(
            request, _("Pengaduan ini baru saja diubah orang lain; lihat statusnya sekarang.")
        )
    return redirect(complaint)


@require_POST
def triage(request, pk):
    complaint = _complaint(request, pk)
    number = request.POST.get("number", "")
    if access.is_identity_search(number) and not access.identity_lookup(request, number):
        messages.error(request, too_many_lookups_message())
        return redirect(complaint)
    form = TriageForm(request.POST, user=request.user, complaint=complaint)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return redirect(complaint)
    data = form.cleaned_data
    try:
        changed = handling.triage(
            complaint,
            request.user,
            category=data["category"],
            priority=data["priority"],
            household=form.household,
            program=data["program"],
        )
    except PermissionDenied:
        messages.error(request, _("Pengaduan ini tidak bisa ditelaah lagi."))
        return redirect(complaint)
    return _outcome(request, complaint, changed, _("Pengaduan ditelaah."))


@require_POST
def assign(request, pk):
    complaint = _complaint(request, pk)
    form = AssignForm(request.POST, officers=officers.officers_for(complaint.desa_id))
    if not form.is_valid():
        messages.error(request, _("Pilih petugas yang menangani desa ini."))
        return redirect(complaint)
    try:
        handling.assign(complaint, request.user, form.cleaned_data["assignee"])
    except (PermissionDenied, ValidationError) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    else:
        messages.success(request, _("Pengaduan ditugaskan."))
    return redirect(complaint)


@require_POST
def change_status(request, pk):
    complaint = _complaint(request, pk, "complaints.view_complaint")
    form = StatusForm(request.POST)
    key = request.POST.get("action", "")
    if not form.is_valid() or key not in handling.TRANSITIONS:
        messages.error(request, _("Langkah tidak dikenal."))
        return redirect(complaint)
    try:
        changed = handling.change_status(complaint, key, request.user, form.cleaned_data["reason"])
    except PermissionDenied:
        raise
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(complaint)
    return _outcome(request, complaint, changed, _("Status pengaduan diubah."))


@require_POST
def resolve(request, pk):
    complaint = _complaint(request, pk, "complaints.resolve_complaint")
    form = ResolveForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return redirect(complaint)
    try:
        changed = handling.resolve(complaint, request.user, **form.cleaned_data)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(complaint)
    return _outcome(request, complaint, changed, _("Pengaduan diselesaikan."))


@require_POST
def add_note(request, pk):
    complaint = _complaint(request, pk)
    form = NoteForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Isi catatan tidak boleh kosong."))
        return redirect(complaint)
    handling.add_note(
        complaint, request.user, form.cleaned_data["text"], public=form.cleaned_data["public"]
    )
    if form.cleaned_data["public"]:
        messages.success(request, _("Balasan tersimpan dan tampil di halaman status pelapor."))
    else:
        messages.success(request, _("Catatan internal tersimpan."))
    return redirect(complaint)


@require_POST
@permission_required("complaints.resolve_complaint", raise_exception=True)
def close_many(request):
    ids = [value for value in request.POST.getlist("select") if value.isdigit()]
    closed = handling.close_many(request.user, ids)
    if closed:
        messages.success(request, _("%(count)d pengaduan ditutup.") % {"count": closed})
    else:
        messages.warning(request, _("Tidak ada pengaduan berstatus selesai yang dipilih."))
    return redirect(request.POST.get("next") or "complaints:complaint_list")


@permission_required("complaints.add_complaint", raise_exception=True)
def staff_intake(request):
    form = StaffIntakeForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            submitted = intake.staff_intake(
                user=request.user,
                channel=form.cleaned_data["channel"],
                priority=form.cleaned_data["priority"],
                **form.intake_values(),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return render(
                request,
                "complaints/intake_done.html",
                {"complaint": submitted.complaint, "tracking_code": submitted.tracking_code},
            )
    return render(request, "complaints/intake_form.html", {"form": form})


def attachment(request, pk):
    complaint = _complaint(request, pk, "complaints.view_complaint")
    if not complaint.attachment:
        raise Http404
    return FileResponse(complaint.attachment.open("rb"), as_attachment=True)


def propose_update(request, pk, slug):
    """A data-update proposal of the households app (its forms) linked to the complaint."""
    from households.forms.proposals import ProposalForm
    from households.models import Member
    from households.update_kinds import BY_SLUG

    complaint = _complaint(request, pk)
    spec = BY_SLUG.get(slug)
    if spec is None or complaint.household is None:
        raise Http404
    if not request.user.has_perm("households.add_dataupdate") or not complaint.is_open:
        raise PermissionDenied
    household = complaint.household
    member_id = request.POST.get("anggota") or request.GET.get("anggota")
    member = None
    if member_id:
        if not str(member_id).isdigit():
            raise Http404
        member = get_object_or_404(Member.objects.filter(household=household), pk=member_id)
    data = request.POST if request.method == "POST" else None
    change_form = spec.form_for(member)(data, household=household, user=request.user, member=member)
    proposal_form = ProposalForm(
        data,
        request.FILES if data is not None else None,
        initial={"reason": _("Tindak lanjut pengaduan %(ticket)s") % {"ticket": complaint.ticket}},
    )
    if data is not None and change_form.is_valid() and proposal_form.is_valid():
        target_member, payload = change_form.proposal()
        try:
            update = handling.open_data_update(
                complaint,
                request.user,
                kind=spec.kind,
                payload=payload,
                reason=proposal_form.cleaned_data["reason"],
                evidence=proposal_form.cleaned_data["evidence"],
                member=target_member,
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("Usulan #%(id)s dibuat dari pengaduan %(ticket)s.")
                % {"id": update.pk, "ticket": complaint.ticket},
            )
            return redirect(complaint)
    return render(
        request,
        "complaints/propose_update.html",
        {
            "complaint": complaint,
            "kind": spec.kind,
            "kind_label": spec.label,
            "household": household,
            "member": member,
            "members": household.members.order_by("hubungan_keluarga", "tanggal_lahir"),
            "change_form": change_form,
            "proposal_form": proposal_form,
        },
    )


def open_referral(request, pk):
    """Refer the complaint's family: a Puskesos intake with the needs to refer, linked back to
    the complaint; the needs are then sent to agencies on the intake's page."""
    from referrals.forms import IntakeForm

    complaint = _complaint(request, pk)
    if (
        not request.user.has_perm("referrals.add_intake")
        or not complaint.is_open
        or complaint.household_id is None
    ):
        raise PermissionDenied
    data = request.POST if request.method == "POST" else None
    form = IntakeForm(data, user=request.user, initial={"story": complaint.description})
    if data is not None and form.is_valid():
        try:
            intake = handling.open_referral(
                complaint,
                request.user,
                service_point=form.cleaned_data["service_point"],
                channel=form.cleaned_data["channel"],
                story=form.cleaned_data["story"],
                needs=form.need_rows(),
                consent=form.cleaned_data.get("consent") or "",
                consent_note=form.cleaned_data.get("consent_note", ""),
                contact=form.cleaned_data.get("contact", ""),
                submission=form.cleaned_data["submission"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _(
                    "Layanan rujukan dibuat dari pengaduan %(ticket)s; "
                    "rujuk kebutuhannya ke lembaga."
                )
                % {"ticket": complaint.ticket},
            )
            return redirect("referrals:intake_detail", pk=intake.pk)
    return render(
        request,
        "complaints/open_referral.html",
        {"complaint": complaint, "form": form},
        status=400 if data is not None else 200,
    )
