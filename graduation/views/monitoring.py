"""Post-graduation monitoring: the visits due and recording one."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from core.views import ScopedListView, get_object_for_user
from graduation.filtersets import VisitFilterSet
from graduation.forms import VisitForm
from graduation.models import MonitoringVisit
from graduation.services import graduations as service
from graduation.tables import VisitTable


def _visits():
    return MonitoringVisit.objects.select_related("graduation__household__desa")


class VisitListView(ScopedListView):
    permission_required = "graduation.view_monitoringvisit"
    filterset_class = VisitFilterSet
    table_class = VisitTable
    template_name = "graduation/visit_list.html"

    def get_base_queryset(self):
        return _visits()


def record_visit(request, pk):
    visit = get_object_for_user(
        request.user, _visits(), pk, permission="graduation.change_monitoringvisit"
    )
    form = VisitForm(request.POST or None, instance=visit)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            service.record_visit(
                MonitoringVisit.objects.get(pk=visit.pk),
                request.user,
                visited_on=data["visited_on"],
                still_self_reliant=data["still_self_reliant"],
                income_source=data["income_source"],
                needs=data["needs"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Kunjungan pemantauan dicatat."))
            return redirect(visit.graduation)
    return render(request, "graduation/visit_form.html", {"visit": visit, "form": form})
