"""Breaking an area down one level: a district by kecamatan, a kecamatan by desa."""

from django.db.models.functions import Substr

from core.models import Region
from core.regions import level_of

# Length of the code of the region one level below an area of each level (``35.07`` → 8).
_CHILD_LENGTH = {0: 5, 1: 5, 2: 8, 3: 13, 4: 13}
KECAMATAN_LENGTH = 8


def child_length(area: str) -> int:
    return _CHILD_LENGTH[level_of(area) if area else 0]


def child_code(field: str, area: str):
    """An expression: the code of the sub-area of ``area`` that ``field`` (a desa code) lies in."""
    return Substr(field, 1, child_length(area))


def region_names(codes) -> dict[str, str]:
    return dict(Region.objects.filter(code__in=list(codes)).values_list("code", "name"))


def child_filter_name(area: str) -> str:
    """The list filter that narrows to one sub-area: ``kecamatan`` or ``desa``."""
    return "kecamatan" if child_length(area) <= KECAMATAN_LENGTH else "desa"
