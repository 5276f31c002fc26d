from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from accounts.roles import may
from config.navigation import section, sections_for
from core.models import Region
from core.scope import area_of
from households.panels import dashboard_panels, render_panels


def home(request):
    """The dashboard: the panels and the coming sections the user may open, nothing else."""
    area = area_of(request.user)
    return render(
        request,
        "home.html",
        {
            "area_region": Region.objects.filter(code=area).first() if area else None,
            "panels": render_panels(dashboard_panels(), request.user),
            "coming_sections": [s for s in sections_for(request.user) if s.coming],
        },
    )


def section_coming(key):
    """A page for a section that a later issue builds: says what will come, never a dead link.
    Open to the users the section's permission lets in, as the page of the real app will be."""
    coming = section(key)

    def view(request):
        if not may(request.user, coming.permission):
            raise PermissionDenied
        return render(request, "section_coming.html", {"section": coming})

    view.__name__ = f"{key}_coming"
    return view
