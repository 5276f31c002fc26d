"""What a navigation section, a panel or a report declares it needs, and the check."""

from collections.abc import Callable

# What a navigation section or a panel declares it needs: one permission ("app.codename"), a
# list or tuple of them (any one is enough), or a function of the user for anything else.
Requirement = str | list[str] | tuple[str, ...] | Callable[[object], bool]


def may(user, requirement: Requirement) -> bool:
    """Whether ``user`` meets a section's or panel's ``requirement``. Active superusers hold
    every permission, also those of apps whose permissions do not exist yet."""
    if user is None or not user.is_authenticated:
        return False
    if callable(requirement):
        return bool(requirement(user))
    if isinstance(requirement, str):
        return user.has_perm(requirement)
    return any(user.has_perm(permission) for permission in requirement)
