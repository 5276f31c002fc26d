"""Facilitator admin: the list, adding a facilitator for a staff account, one facilitator with
their caseload and targets, and assigning households (from the registry list's filter or from a
spreadsheet)."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView

from core.views import ScopedListView, ScopedObjectMixin, get_object_for_user
from graduation.filtersets import FacilitatorFilterSet
from graduation.forms import AssignBulkForm, AssignFileForm, FacilitatorForm, TargetForm
from graduation.models import Assignment, Facilitator, GraduationTarget
from graduation.services import assignments as service
from graduation.services import progress
from graduation.tables import FacilitatorTable
from households.filtersets import list_selection


def _facilitators():
    return Facilitator.objects.select_related("user", "area").annotate(
        caseload=Count("assignments", filter=Q(assignments__active=True))
    )


class FacilitatorListView(ScopedListView):
    permission_required = "graduation.view_facilitator"
    filterset_class = FacilitatorFilterSet
    table_class = FacilitatorTable
    template_name = "graduation/facilitator_list.html"

    def get_base_queryset(self):
        return _facilitators()


class FacilitatorDetailView(ScopedObjectMixin, TemplateView):
    model = Facilitator
    permission_required = "graduation.view_facilitator"
    template_name = "graduation/facilitator_detail.html"

    def get_scoped_queryset(self):
        return Facilitator.objects.select_related("user", "area")

    def get_context_data(self, **kwargs):
        facilitator = self.object
        year = timezone.localdate().year
        assignments = (
            Assignment.objects.for_user(self.request.user)
            .filter(facilitator=facilitator, active=True)
            .select_related("household__desa")
            .order_by("household__desa_id", "household_id")
        )
        rows = progress.facilitator_progress(
            self.request.user, year, Facilitator.objects.filter(pk=facilitator.pk)
        )
        return {
            **super().get_context_data(**kwargs),
            "facilitator": facilitator,
            "page": Paginator(assignments, 50).get_page(self.request.GET.get("page")),
            "targets": facilitator.targets.order_by("-year"),
            "target_form": TargetForm(),
            "progress": rows[0] if rows else None,
            "year": year,
        }


@permission_required("graduation.manage_facilitator", raise_exception=True)
def facilitator_add(request):
    form = FacilitatorForm(request.POST or None, editor=request.user)
    if request.method == "POST" and form.is_valid():
        facilitator = form.save()
        messages.success(
            request, _("Pendamping %(name)s ditambahkan.") % {"name": facilitator.name}
        )
        return redirect(facilitator)
    return render(request, "graduation/facilitator_form.html", {"form": form})


def facilitator_edit(request, pk):
    facilitator = get_object_for_user(
        request.user, Facilitator, pk, permission="graduation.manage_facilitator"
    )
    form = FacilitatorForm(request.POST or None, instance=facilitator, editor=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Data pendamping disimpan."))
        return redirect(facilitator)
    return render(
        request, "graduation/facilitator_form.html", {"form": form, "facilitator": facilitator}
    )


@require_POST
def target_set(request, pk):
    facilitator = get_object_for_user(
        request.user, Facilitator, pk, permission="graduation.manage_facilitator"
    )
    form = TargetForm(request.POST)
    if form.is_valid():
        GraduationTarget.objects.update_or_create(
            facilitator=facilitator,
            year=form.cleaned_data["year"],
            defaults={"target": form.cleaned_data["target"]},
        )
        messages.success(request, _("Target disimpan."))
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect(facilitator)


@require_POST
def assignment_end(request, pk):
    assignment = get_object_for_user(
        request.user,
        Assignment.objects.select_related("facilitator"),
        pk,
        permission="graduation.manage_facilitator",
    )
    if service.end_assignment(assignment, request.user):
        messages.success(request, _("Penugasan diakhiri."))
    return redirect(assignment.facilitator)


BULK_FIELDS = {"facilitator", "confirm", "preview"}


@permission_required("graduation.manage_facilitator", raise_exception=True)
def assign_bulk(request):
    """Assign the households of the registry list's current filter (its list-action button)."""
    selection = list_selection(request, BULK_FIELDS)
    selected = selection.households
    form = AssignBulkForm(request.POST or None, user=request.user)
    context = {"form": form, **selection.context}
    if request.method == "POST" and form.is_valid():
        facilitator = form.cleaned_data["facilitator"]
        confirm = "confirm" in request.POST
        try:
            result = service.assign(facilitator, selected, user=request.user, write=confirm)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if confirm:
                messages.success(request, _assigned_message(result, facilitator))
                return redirect(facilitator)
            context["preview"] = result
    return render(request, "graduation/assign_bulk.html", context)


def _assigned_message(result, facilitator):
    return _(
        "%(created)s keluarga ditugaskan ke %(name)s; %(already)s sudah ditugaskan; "
        "%(outside)s di luar wilayah tugasnya dilewati."
    ) % {
        "created": result.created,
        "name": facilitator.name,
        "already": result.already,
        "outside": result.outside,
    }


@permission_required("graduation.manage_facilitator", raise_exception=True)
def assign_file(request):
    form = AssignFileForm(request.POST or None, request.FILES or None, user=request.user)
    context = {"form": form}
    if request.method == "POST" and form.is_valid():
        facilitator = form.cleaned_data["facilitator"]
        try:
            result = service.assign_from_file(
                facilitator, form.cleaned_data["file"], user=request.user
            )
        except ValidationError as error:
            form.add_error("file", error)
        else:
            messages.success(request, _assigned_message(result, facilitator))
            context["result"] = result
            context["facilitator"] = facilitator
    return render(request, "graduation/assign_file.html", context)
