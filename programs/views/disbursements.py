"""Disbursements (penyaluran): the list, and recording or correcting one for an enrolment."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from core.views import ScopedListView, get_object_for_user
from households.tables import RegistryPaginator
from programs.filtersets import DisbursementFilterSet
from programs.forms.disbursements import DisbursementForm
from programs.models import Disbursement, Enrolment
from programs.services.disbursements import MAX_AMOUNT, record_disbursement
from programs.tables import DisbursementTable

VIEW = "programs.view_disbursement"


class DisbursementListView(ScopedListView):
    permission_required = VIEW
    template_name = "programs/disbursements/disbursement_list.html"
    filterset_class = DisbursementFilterSet
    table_class = DisbursementTable

    def get_table_pagination(self, table):
        return {"paginator_class": RegistryPaginator, "per_page": self.per_page}

    def get_base_queryset(self):
        return Disbursement.objects.select_related(
            "enrolment__program", "enrolment__household__desa"
        )


def _save(request, enrolment, form, editing=None):
    if not form.is_valid():
        return None
    try:
        return record_disbursement(enrolment, **form.cleaned_data, editing=editing)
    except ValidationError as error:
        form.add_error(None, error)
        return None


def _page(request, enrolment, form, editing=None):
    history = enrolment.disbursements.order_by("-year", "-period")
    return render(
        request,
        "programs/disbursements/disbursement_form.html",
        {
            "enrolment": enrolment,
            "form": form,
            "editing": editing,
            "history": history,
            "max_amount": MAX_AMOUNT,
        },
        status=400 if request.method == "POST" else 200,
    )


def disbursement_add(request, enrolment):
    """Record one disbursement of the enrolment; the enrolment is looked up in the user's area
    (404 outside it) before the permission is checked."""
    enrolment = get_object_for_user(
        request.user,
        Enrolment.objects.select_related("program", "household__desa", "member"),
        enrolment,
        ("programs.view_enrolment", VIEW, "programs.add_disbursement"),
    )
    form = DisbursementForm(request.POST or None)
    if request.method == "POST" and (row := _save(request, enrolment, form)) is not None:
        messages.success(
            request,
            _("Penyaluran %(year)d tahap %(period)d dicatat.")
            % {"year": row.year, "period": row.period},
        )
        return redirect("programs:disbursement_add", enrolment=enrolment.pk)
    return _page(request, enrolment, form)


def disbursement_edit(request, pk):
    """Correct a recorded disbursement (the explicit way to change a period already there)."""
    row = get_object_for_user(
        request.user,
        Disbursement.objects.select_related(
            "enrolment__program", "enrolment__household__desa", "enrolment__member"
        ),
        pk,
        (VIEW, "programs.change_disbursement"),
    )
    form = DisbursementForm(request.POST or None, instance=row)
    if request.method == "POST" and _save(request, row.enrolment, form, editing=row) is not None:
        messages.success(request, _("Penyaluran disimpan."))
        return redirect("programs:disbursement_add", enrolment=row.enrolment_id)
    return _page(request, row.enrolment, form, editing=row)
