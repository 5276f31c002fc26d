"""The conditional update every status change goes through."""


def claim(queryset, pk, from_status, **values) -> bool:
    """Set ``values`` on row ``pk`` only while its status is still ``from_status`` (one value or
    several); True when this call made the change.

    One UPDATE … WHERE status = …: of two clicks, two people or two workers racing for the same
    step exactly one gets True, so nothing is verified, applied or run twice."""
    statuses = [from_status] if isinstance(from_status, str) else list(from_status)
    return queryset.filter(pk=pk, status__in=statuses).update(**values) == 1
