"""Pola pengaduan: the figures per category, desa, program and month for the complaints of the
user's area (filtered with the list's FilterSet), on screen and as a spreadsheet."""

from django.contrib.auth.decorators import permission_required
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _

from complaints.exports import CONTENT_TYPES, pattern_response
from complaints.filtersets import ComplaintFilterSet
from complaints.models import Complaint
from complaints.services import patterns


def _filtered(request):
    filterset = ComplaintFilterSet(
        data=request.GET or None,
        queryset=Complaint.objects.for_user(request.user),
        request=request,
    )
    return filterset, filterset.qs


def _titles():
    return {
        "category": _("Per kategori"),
        "desa": _("Per desa"),
        "program": _("Per program"),
        "month": _("Per bulan"),
    }


@permission_required("complaints.view_complaint", raise_exception=True)
def pattern_page(request):
    filterset, queryset = _filtered(request)
    figures = patterns.figures(queryset)
    return render(
        request,
        "complaints/patterns.html",
        {
            "filter": filterset,
            "overall": figures.overall,
            "sections": figures.sections(_titles()),
            "query": request.GET.urlencode(),
        },
    )


@permission_required("complaints.view_complaint", raise_exception=True)
def pattern_export(request, file_format):
    if file_format not in CONTENT_TYPES:
        raise Http404
    _filterset, queryset = _filtered(request)
    figures = patterns.figures(queryset)
    figures.overall.label = _("Semua")
    return pattern_response(
        file_format, [(_("Ringkasan"), [figures.overall]), *figures.sections(_titles())]
    )
