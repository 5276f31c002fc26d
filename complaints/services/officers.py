"""Who handles complaints where: officers whose area covers a desa, by permission."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db.models import Q

from core.scope import ancestor_codes


def with_permission(codename: str):
    """Active users that hold ``complaints.<codename>`` through a group or directly
    (superusers without a profile handle nothing here: they have no area)."""
    permission = Permission.objects.filter(
        content_type__app_label="complaints", codename=codename
    ).first()
    users = get_user_model().objects.filter(is_active=True)
    if permission is None:
        return users.none()
    return users.filter(Q(groups__permissions=permission) | Q(user_permissions=permission))


def officers_for(desa_code: str, codename: str = "change_complaint"):
    """Officers whose area is the desa or a region containing it."""
    return (
        with_permission(codename)
        .filter(profile__area_code__in=ancestor_codes(desa_code))
        .distinct()
        .order_by("first_name", "username")
    )


def officers_of_area(area_code: str, codename: str = "change_complaint"):
    """Officers whose area is exactly ``area_code`` (the kecamatan or the district desk)."""
    return with_permission(codename).filter(profile__area_code=area_code).distinct()
