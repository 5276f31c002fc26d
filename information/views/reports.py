"""The reports page: ask for a report of an area and a period, watch the worker build it,
download it; the reports of the last 30 days (own and the monthly recaps of the area)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from django_htmx.http import HttpResponseClientRefresh

from core.reports import kinds_for
from core.views import get_object_for_user
from information import services
from information.forms import ReportRequestForm
from information.models import Report

VIEW = "information.view_report"
ADD = "information.add_report"
LISTED = 100


def _reports(user):
    """Listed reports the user may open: in their area, theirs or the recaps, of a kind whose
    data they may see."""
    kinds = [kind.key for kind in kinds_for(user)]
    return (
        Report.objects.for_user(user)
        .listed()
        .filter(kind__in=kinds)
        .select_related("area", "requested_by")
    )


def index(request):
    user = request.user
    if not user.has_perm(VIEW):
        raise PermissionDenied
    form = None
    if user.has_perm(ADD):
        form = ReportRequestForm(request.POST or None, user=user)
        if request.method == "POST" and form.is_valid():
            report = services.request_report(
                user,
                form.cleaned_data["kind"],
                form.region,
                form.cleaned_data["year"],
                form.cleaned_data["month"],
            )
            messages.success(request, _("Laporan masuk antrean dan sedang dibuat."))
            return redirect(report)
    elif request.method == "POST":
        raise PermissionDenied
    return render(
        request,
        "information/index.html",
        {"form": form, "reports": _reports(user)[:LISTED], "kinds": kinds_for(user)},
    )


def report_detail(request, pk):
    report = get_object_for_user(request.user, _reports(request.user), pk, VIEW)
    return render(request, "information/report_detail.html", {"report": report})


@require_GET
def report_progress(request, pk):
    """The partial the page polls; once the report is done or failed, the page reloads."""
    report = get_object_for_user(request.user, _reports(request.user), pk, VIEW)
    if not report.is_running and request.htmx:
        return HttpResponseClientRefresh()
    return render(request, "information/progress.html", {"report": report})


@require_GET
def report_download(request, pk):
    report = get_object_for_user(request.user, _reports(request.user), pk, VIEW)
    if not report.file:
        raise Http404
    return FileResponse(
        report.file.open("rb"), as_attachment=True, filename=report.file.name.rsplit("/", 1)[-1]
    )
