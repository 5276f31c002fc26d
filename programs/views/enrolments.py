"""Enrolments: the list, one enrolment with its timeline and status steps, enrolling from the
household page and in bulk from the registry list. The rules are in
``programs.services.enrolments``; objects come through ``core.views`` (404 outside the area)."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView

from core.views import ScopedListView, ScopedObjectMixin, get_object_for_user
from households.filtersets import list_selection
from households.models import Household
from programs.choices import EligibilityIssue
from programs.filtersets import EnrolmentFilterSet
from programs.forms.enrolments import BulkEnrolForm, EnrolForm, StatusChangeForm
from programs.models import Enrolment
from programs.services import enrolments as service
from programs.tables import EnrolmentTable


def _enrolments():
    return Enrolment.objects.select_related("program", "household__desa", "member", "created_by")


class EnrolmentListView(ScopedListView):
    permission_required = "programs.view_enrolment"
    filterset_class = EnrolmentFilterSet
    table_class = EnrolmentTable
    template_name = "programs/enrolments/list.html"

    def get_base_queryset(self):
        return _enrolments()


class EnrolmentDetailView(ScopedObjectMixin, TemplateView):
    model = Enrolment
    permission_required = "programs.view_enrolment"
    template_name = "programs/enrolments/detail.html"

    def get_scoped_queryset(self):
        return _enrolments()

    def get_context_data(self, **kwargs):
        enrolment = self.object
        return {
            **super().get_context_data(**kwargs),
            "enrolment": enrolment,
            "flag_labels": [
                label for value, label in EligibilityIssue.choices if value in enrolment.flags
            ],
            "changes": enrolment.changes.select_related("by"),
            "transitions": service.transitions_for(self.request.user, enrolment),
            "disbursements": enrolment.disbursements.order_by("-year", "-period")[:50],
        }


@require_POST
def change_status(request, pk):
    enrolment = get_object_for_user(
        request.user, _enrolments(), pk, permission="programs.view_enrolment"
    )
    form = StatusChangeForm(request.POST)
    key = request.POST.get("action", "")
    if not form.is_valid() or key not in service.TRANSITIONS:
        messages.error(request, _("Langkah tidak dikenal."))
        return redirect(enrolment)
    try:
        changed = service.change_status(enrolment, key, request.user, form.cleaned_data["reason"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(enrolment)
    if changed:
        messages.success(request, _("Status kepesertaan diubah."))
    else:
        messages.warning(
            request, _("Kepesertaan ini baru saja diubah orang lain; lihat statusnya sekarang.")
        )
    return redirect(enrolment)


@permission_required("programs.add_enrolment", raise_exception=True)
def enrol_household(request, household_pk):
    household = get_object_for_user(
        request.user, Household.objects.select_related("desa"), household_pk
    )
    form = EnrolForm(request.POST or None, user=request.user, household=household)
    findings = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            enrolment = service.enrol(
                program=data["program"],
                household=household,
                member=data["member"],
                user=request.user,
                reason=data["reason"],
                justification=data["justification"],
                activate=data.get("activate", False),
            )
        except service.JustificationNeeded as needed:
            findings = needed.findings
            form.add_error("justification", needed.messages[0])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("%(household)s didaftarkan ke %(program)s (%(status)s).")
                % {
                    "household": household.registry_id,
                    "program": enrolment.program.code,
                    "status": enrolment.get_status_display(),
                },
            )
            return redirect(household)
    return render(
        request,
        "programs/enrolments/enrol_form.html",
        {"household": household, "form": form, "findings": findings},
    )


# Fields of the bulk form; everything else in the querystring is the registry list's filter.
BULK_FIELDS = {"program", "reason", "justification", "activate", "confirm"}


@permission_required("programs.add_enrolment", raise_exception=True)
def enrol_bulk(request):
    selection = list_selection(request, BULK_FIELDS)
    selected = selection.households
    form = BulkEnrolForm(request.POST or None, user=request.user)
    context = {"form": form, **selection.context}
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            preview = service.bulk_preview(data["program"], selected)
        except ValidationError as error:
            form.add_error(None, error)
            return render(request, "programs/enrolments/bulk_form.html", context)
        context["preview"] = preview
        context["findings"] = [
            (label, preview.findings[value])
            for value, label in EligibilityIssue.choices
            if value in preview.findings
        ]
        if "confirm" in request.POST:
            try:
                result = service.bulk_enrol(
                    data["program"],
                    selected,
                    user=request.user,
                    justification=data["justification"],
                    reason=data["reason"],
                    activate=data.get("activate", False),
                )
            except service.JustificationNeeded as needed:
                form.add_error("justification", needed.messages[0])
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request,
                    _(
                        "%(created)s keluarga didaftarkan ke %(program)s; %(already)s sudah "
                        "terdaftar; %(flagged)s ditandai tidak sesuai aturan."
                    )
                    % {
                        "created": result.created,
                        "program": data["program"].code,
                        "already": result.already,
                        "flagged": result.flagged,
                    },
                )
                url = redirect("programs:enrolment_list").url
                return redirect(f"{url}?program={data['program'].pk}&source=registry_list")
    return render(request, "programs/enrolments/bulk_form.html", context)
