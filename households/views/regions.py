from django.http import HttpResponseBadRequest
from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_GET

from accounts.scope import area_of
from households.models import Region


@require_GET
def region_options(request):
    """``<option>``s of the children of ``parent`` that lie in the user's area (htmx picker)."""
    parent = Region.normalise_code(request.GET.get("parent", ""))
    if not parent:
        return HttpResponseBadRequest()
    area = area_of(request.user)
    children = Region.objects.filter(parent_id=parent).only("code", "name")
    if area is None:
        children = children.none()
    elif area and not parent.startswith(area):
        # Above the user's area only the branch that leads to it is offered.
        children = Region.objects.filter(parent_id=parent, code__in=_ancestors(area))
    return render(
        request,
        "households/region_options.html",
        {"regions": children, "empty_label": request.GET.get("empty", "")},
    )


def _ancestors(code: str) -> list[str]:
    parts = code.split(".")
    return [".".join(parts[:i]) for i in range(1, len(parts) + 1)]


urlpatterns = [
    path("wilayah/pilihan/", region_options, name="region_options"),
]
