from django.shortcuts import render

from config.navigation import SECTIONS
from core.models import Region
from core.scope import area_of
from households.panels import dashboard_panels, render_panels


def home(request):
    area = area_of(request.user)
    panels = render_panels(dashboard_panels(), request.user)
    registered = {panel.key for panel, _context in panels}
    coming = [s for s in SECTIONS if s["key"] not in registered and s["key"] != "data"]
    return render(
        request,
        "home.html",
        {
            "area_region": Region.objects.filter(code=area).first() if area else None,
            "panels": panels,
            "coming_sections": coming,
        },
    )


def section_coming(key):
    """A page for a section that a later issue builds: says what will come, never a dead link."""
    section = next(s for s in SECTIONS if s["key"] == key)

    def view(request):
        return render(request, "section_coming.html", {"section": section})

    view.__name__ = f"{key}_coming"
    return view
