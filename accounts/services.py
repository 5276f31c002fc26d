"""Staff and role rules: groups with their permissions, creating and deactivating staff.

A role's Django group is named by the role's stored value (``admin_dinas``), never by its label:
the label is translated, so looking a group up by it would find another group (or make an empty
one) whenever the interface runs in another language."""

from django.contrib.auth.models import Group, Permission
from django.db import transaction

from accounts.models import StaffProfile
from accounts.roles import ROLE_PERMISSIONS, Role


def ensure_role_groups(**kwargs):
    """Create one group per role and give it exactly the permissions of ``ROLE_PERMISSIONS``.

    Runs after every ``migrate``; permissions of apps not yet migrated are skipped and picked up
    by the next run."""
    for role in Role:
        wanted = []
        for dotted in ROLE_PERMISSIONS.get(role, []):
            app_label, codename = dotted.split(".")
            permission = Permission.objects.filter(
                content_type__app_label=app_label, codename=codename
            ).first()
            if permission is not None:
                wanted.append(permission)
        group_for(role).permissions.set(wanted)


def group_for(role: str) -> Group:
    return Group.objects.get_or_create(name=Role(role).value)[0]


@transaction.atomic
def set_role(user, role: str, area_code: str, created_by=None) -> StaffProfile:
    profile, _ = StaffProfile.objects.update_or_create(
        user=user,
        defaults={"role": role, "area_code": area_code},
        create_defaults={"role": role, "area_code": area_code, "created_by": created_by},
    )
    other_roles = [r.value for r in Role if r != role]
    user.groups.remove(*Group.objects.filter(name__in=other_roles))
    user.groups.add(group_for(role))
    return profile
