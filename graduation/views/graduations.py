"""Graduations: the list, one graduation with its timeline and steps, the proposal form and
the file downloads. Rules in ``graduation.services.graduations``; objects through
``core.views`` (404 outside the area or, for a facilitator, outside their caseload)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView

from core.views import ScopedListView, ScopedObjectMixin, get_object_for_user
from graduation.filtersets import GraduationFilterSet
from graduation.forms import GraduationForm, StepForm
from graduation.models import Graduation, GraduationEvidence
from graduation.services import graduations as service
from graduation.services.candidates import pkh_program
from graduation.tables import GraduationTable
from programs.services.components import household_components


def _graduations():
    return Graduation.objects.select_related(
        "household__desa", "program", "facilitator__user", "next_program", "next_enrolment"
    )


class GraduationListView(ScopedListView):
    permission_required = "graduation.view_graduation"
    filterset_class = GraduationFilterSet
    table_class = GraduationTable
    template_name = "graduation/graduation_list.html"

    def get_base_queryset(self):
        return _graduations()


class GraduationDetailView(ScopedObjectMixin, TemplateView):
    model = Graduation
    permission_required = "graduation.view_graduation"
    template_name = "graduation/graduation_detail.html"

    def get_scoped_queryset(self):
        return _graduations()

    def get_context_data(self, **kwargs):
        graduation = self.object
        return {
            **super().get_context_data(**kwargs),
            "graduation": graduation,
            "changes": graduation.changes.select_related("by"),
            "steps": service.steps_for(self.request.user, graduation),
            "evidence": graduation.evidence.all(),
            "visits": graduation.visits.all(),
        }


@require_POST
def take_step(request, pk):
    graduation = get_object_for_user(
        request.user, _graduations(), pk, permission="graduation.view_graduation"
    )
    form = StepForm(request.POST)
    key = request.POST.get("action", "")
    if not form.is_valid() or key not in service.STEPS:
        messages.error(request, _("Langkah tidak dikenal."))
        return redirect(graduation)
    try:
        changed = service.take_step(graduation, key, request.user, form.cleaned_data["note"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(graduation)
    if changed:
        messages.success(
            request,
            _("Graduasi #%(pk)s: %(status)s.")
            % {"pk": graduation.pk, "status": graduation.get_status_display()},
        )
    else:
        messages.warning(
            request, _("Graduasi ini baru saja diubah orang lain; lihat statusnya sekarang.")
        )
    return redirect(graduation)


def propose(request, household_pk):
    household = get_object_for_user(
        request.user,
        service.caseload_households(request.user).select_related("desa"),
        household_pk,
        permission="graduation.add_graduation",
    )
    program = pkh_program()
    enrolment = service.leaving_enrolment(household, program) if program else None
    form = GraduationForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            graduation = service.propose(
                household=household,
                user=request.user,
                kind=data["kind"],
                graduation_date=data["graduation_date"],
                reasons=data["reasons"],
                readiness=form.readiness(),
                readiness_notes=data["readiness_notes"],
                statement=data.get("statement"),
                evidence=data.get("evidence") or [],
                next_program=data["next_program"],
                program=program,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Usulan graduasi %(household)s dicatat; menunggu verifikasi kecamatan.")
                % {"household": household.registry_id},
            )
            return redirect(graduation)
    return render(
        request,
        "graduation/propose_form.html",
        {
            "household": household,
            "form": form,
            "enrolment": enrolment,
            "program": program,
            "components": household_components(household),
        },
    )


def _file_response(field):
    if not field:
        raise Http404
    try:
        handle = field.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    return FileResponse(handle, as_attachment=True, filename=field.name.rsplit("/", 1)[-1])


def statement_download(request, pk):
    graduation = get_object_for_user(
        request.user, Graduation, pk, permission="graduation.view_graduation"
    )
    return _file_response(graduation.statement)


def evidence_download(request, pk, evidence_pk):
    graduation = get_object_for_user(
        request.user, Graduation, pk, permission="graduation.view_graduation"
    )
    evidence = get_object_or_404(GraduationEvidence, pk=evidence_pk, graduation=graduation)
    return _file_response(evidence.file)
