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


def _sections(queryset):
    return [
        (_("Per kategori"), patterns.by_category(queryset)),
        (_("Per desa"), patterns.by_desa(queryset)),
        (_("Per program"), patterns.by_program(queryset)),
        (_("Per bulan"), patterns.by_month(queryset)),
    ]


@permission_required("complaints.view_complaint", raise_exception=True)
def pattern_page(request):
    filterset, queryset = _filtered(request)
    return render(
        request,
        "complaints/patterns.html",
        {
            "filter": filterset,
            "overall": patterns.overall(queryset),
            "sections": _sections(queryset),
            "query": request.GET.urlencode(),
        },
    )


@permission_required("complaints.view_complaint", raise_exception=True)
def pattern_export(request, file_format):
    if file_format not in CONTENT_TYPES:
        raise Http404
    _filterset, queryset = _filtered(request)
    return pattern_response(
        file_format, [(_("Ringkasan"), [patterns.overall(queryset)]), *_sections(queryset)]
    )
