"""Pola pengaduan: the figures per category, desa, program and month for the complaints of the
user's area (filtered with the list's FilterSet), on screen and as a spreadsheet."""

import hashlib
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.decorators import permission_required
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from complaints.exports import CONTENT_TYPES, pattern_response
from complaints.filtersets import ComplaintFilterSet
from complaints.models import Complaint
from complaints.services import patterns
from core.figures import cached_figures
from core.scope import area_of
from core.search import search_data


def _filtered(request):
    filterset = ComplaintFilterSet(
        data=search_data(request) or None,
        queryset=Complaint.objects.for_user(request.user),
        request=request,
    )
    return filterset, filterset.qs


def _figures(request, queryset) -> patterns.Patterns:
    """The figures, kept ``settings.COMPLAINTS_PATTERNS_CACHE_SECONDS`` per user area and
    filter: at district size one computation reads and sorts every complaint (0.3–0.5 s), and
    patterns are about months, not minutes. Without a cache (Redis down) they are computed."""
    query = urlencode(sorted((k, v) for k, v in search_data(request).items() if k != "page"))
    digest = hashlib.sha256(query.encode()).hexdigest()[:16]
    key = f"complaints:patterns:{area_of(request.user)}:{get_language()}:{digest}"
    return cached_figures(
        key, settings.COMPLAINTS_PATTERNS_CACHE_SECONDS, lambda: patterns.figures(queryset)
    )


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
    figures = _figures(request, queryset)
    return render(
        request,
        "complaints/patterns.html",
        {
            "filter": filterset,
            "overall": figures.overall,
            "sections": figures.sections(_titles()),
            "query": request.GET.urlencode(),
            "cache_minutes": settings.COMPLAINTS_PATTERNS_CACHE_SECONDS // 60,
        },
    )


@permission_required("complaints.view_complaint", raise_exception=True)
def pattern_export(request, file_format):
    if file_format not in CONTENT_TYPES:
        raise Http404
    _filterset, queryset = _filtered(request)
    figures = _figures(request, queryset)
    figures.overall.label = _("Semua")
    return pattern_response(
        file_format, [(_("Ringkasan"), [figures.overall]), *figures.sections(_titles())]
    )
