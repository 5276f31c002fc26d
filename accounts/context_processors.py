from django.urls import reverse
from django.utils.functional import SimpleLazyObject

from config.navigation import sections_for
from core.notifications import unread_count
from core.scope import area_of


def _unread(request) -> int:
    """Counted once per request, however many templates (table cells too) render with it."""
    if not hasattr(request, "_unread_notifications"):
        request._unread_notifications = unread_count(request.user)
    return request._unread_notifications


def navigation(request):
    """The menu: only the sections the user may open (``config.navigation``)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    items = []
    for section in sections_for(user):
        url = reverse(section.url_name)
        items.append(
            {
                "key": section.key,
                "label": section.label,
                "url": url,
                "active": request.path.startswith(url),
            }
        )
    return {
        "nav_items": items,
        "user_area": area_of(user),
        "user_profile": getattr(user, "profile", None),
        "unread_notifications": SimpleLazyObject(lambda: _unread(request)),
    }
