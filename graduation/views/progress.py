"""Target and progress for a calendar year: a bar per facilitator, per kecamatan and for the
area; the same figures as an .xlsx for the ministry report."""

from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from graduation import exports
from graduation.services import progress as service

PER_PAGE = 50


def _year(request) -> int:
    value = request.GET.get("year", "")
    year = int(value) if value.isdigit() else timezone.localdate().year
    return year if 2000 <= year <= 2100 else timezone.localdate().year


@permission_required("graduation.view_graduation", raise_exception=True)
def progress(request):
    year = _year(request)
    facilitators = service.facilitator_progress(request.user, year)
    kecamatan_rows, total = service.area_progress(request.user, year)
    page = Paginator(facilitators, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "graduation/progress.html",
        {
            "year": year,
            "years": range(timezone.localdate().year, timezone.localdate().year - 5, -1),
            "page": page,
            "facilitator_count": len(facilitators),
            "kecamatan_rows": kecamatan_rows,
            "total": total,
            "monitoring": service.monitoring_summary(request.user, timezone.localdate()),
        },
    )


@permission_required("graduation.view_graduation", raise_exception=True)
def progress_export(request):
    year = _year(request)
    content = exports.progress_workbook(request.user, year)
    response = HttpResponse(content, content_type=exports.XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="graduasi-{year}.xlsx"'
    return response
