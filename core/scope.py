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


def ancestor_codes(area: str) -> list[str]:
    """``35.07.01`` → ``["35", "35.07", "35.07.01"]``: the area and the regions containing it."""
    parts = area.split(".")
    return [".".join(parts[: index + 1]) for index in range(len(parts))]


class ServesAreaQuerySet(ScopedQuerySet):
    """For records that serve a region rather than hold its data (agencies, targets): a user sees
    those of their area, of the regions inside it and of the regions containing it (a kecamatan
    operator sees the district's agencies and the district total); never another district's.
    A record without a region (``area_lookup`` is NULL) serves everyone."""

    area_lookup = "region__code"
    regionless_serves_all = True

    def in_area(self, area):
        if area is None:
            return self.none()
        if area == "":
            return self
        reach = models.Q(**{f"{self.area_lookup}__in": ancestor_codes(area)}) | models.Q(
            **{f"{self.area_lookup}__startswith": area + "."}
        )
        if self.regionless_serves_all:
            reach |= models.Q(**{f"{self.area_lookup}__isnull": True})
        return self.filter(reach)
