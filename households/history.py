"""The registry's audit history: one ``ChangeLog`` row per change, with who, when and source."""

import datetime
import decimal

from households.choices import ChangeAction
from households.models import ChangeLog


def plain(value):
    """A value as it is stored in the history (JSON)."""
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if hasattr(value, "pk"):
        return value.pk
    return value


def snapshot(instance, fields) -> dict:
    return {name: plain(getattr(instance, name)) for name in fields}


def diff(before: dict, after: dict) -> dict:
    """{field: [old, new]} for the fields whose value changed."""
    return {
        name: [before.get(name), value]
        for name, value in after.items()
        if before.get(name) != value
    }


def log_change(
    *,
    household,
    action: str,
    changes: dict,
    user,
    source: str,
    member=None,
    label: str = "",
    import_job=None,
    data_update=None,
) -> ChangeLog | None:
    if action == ChangeAction.UPDATE and not changes:
        return None
    return ChangeLog.objects.create(
        household=household,
        member=member,
        object_label=label or str(member or household),
        action=action,
        changes=changes,
        user=user if user is not None and user.is_authenticated else None,
        source=source,
        import_job=import_job,
        data_update=data_update,
    )
