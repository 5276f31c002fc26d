"""Area scope: the one place that decides which region a user may see.

Every scoped queryset inherits ``ScopedQuerySet`` and names the path to its desa code in
``area_lookup``; views, exports, reports and tasks call ``Model.objects.for_user(user)`` and never
filter by area themselves.
"""

from django.db import models

NO_AREA = None


def area_of(user) -> str | None:
    """The region code prefix a user may see; ``""`` means the whole country (system users),
    ``None`` means nothing at all (anonymous, inactive, or staff without a profile)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return NO_AREA
    profile = getattr(user, "profile", None)
    if profile is not None:
        return profile.area_code
    if user.is_superuser:
        return ""
    return NO_AREA


def code_in_area(code: str, area: str | None) -> bool:
    if area is None or not code:
        return False
    return code == area or code.startswith(area + ".") or area == ""


class ScopedQuerySet(models.QuerySet):
    area_lookup = "desa__code"

    def in_area(self, area: str | None):
        if area is None:
            return self.none()
        if area == "":
            return self
        return self.filter(**{f"{self.area_lookup}__startswith": area})

    def for_user(self, user):
        return self.in_area(area_of(user))
