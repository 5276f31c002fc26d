from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from config.navigation import SECTIONS
from core.scope import area_of


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    items = []
    for section in SECTIONS:
        url = reverse(section["url_name"])
        items.append(
            {"label": section["label"], "url": url, "active": request.path.startswith(url)}
        )
    if user.has_perm("accounts.manage_staff"):
        url = reverse("accounts:staff_list")
        items.append({"label": _("Petugas"), "url": url, "active": request.path.startswith(url)})
    return {
        "nav_items": items,
        "user_area": area_of(user),
        "user_profile": getattr(user, "profile", None),
    }
