"""Table columns every list shares."""

import django_tables2 as tables
from django.utils.html import format_html


class StatusBadgeColumn(tables.Column):
    """A record's status as a coloured badge: ``badges`` maps a status value to its css class
    (``badge-ok``, ``badge-warn``, ``badge-error``, ``badge-muted``; ``""`` for the plain badge);
    a status not in the map gets ``default_badge``. The label is the choice's display text."""

    def __init__(self, badges: dict, *args, default_badge="badge-muted", field="status", **kwargs):
        self.badges = badges
        self.default_badge = default_badge
        self.field = field
        super().__init__(*args, **kwargs)

    def badge(self, record) -> tuple[str, str]:
        """(css class, label) of the record's badge."""
        value = getattr(record, self.field)
        label = getattr(record, f"get_{self.field}_display")()
        return self.badges.get(value, self.default_badge), label

    def render(self, record):
        css, label = self.badge(record)
        return format_html('<span class="badge {}">{}</span>', css, label)
