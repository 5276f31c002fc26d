"""Field values as a person reads them on a detail page: choice labels, dd/mm/yyyy, Ya/Tidak."""

from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _

EMPTY = "–"


def label(model, name) -> str:
    return capfirst(model._meta.get_field(name).verbose_name)


def display_value(model, name, value) -> str:
    """A stored value of ``model.name`` (a model value or its JSON form) in words; ``–`` when
    empty. A foreign key to a region shows the region's name and code."""
    if value is None or value == "" or value == {}:
        return EMPTY
    field = model._meta.get_field(name)
    if field.is_relation:
        return _related(field, value)
    python_value = field.to_python(value)
    if field.choices:
        return str(dict(field.flatchoices).get(python_value, value))
    if isinstance(python_value, bool):
        return _("Ya") if python_value else _("Tidak")
    if hasattr(python_value, "strftime"):
        return date_format(python_value, "SHORT_DATE_FORMAT")
    return str(python_value)


def _related(field, value) -> str:
    related = field.related_model
    if isinstance(value, related):
        return str(value)
    obj = related._default_manager.filter(pk=value).first()
    if obj is None:
        return str(value)
    name = getattr(obj, "name", None)
    return f"{name} ({value})" if name else str(obj)


def field_rows(instance, names) -> list[tuple[str, str]]:
    """(label, value) for the named fields of one object."""
    model = type(instance)
    return [
        (label(model, name), display_value(model, name, getattr(instance, name))) for name in names
    ]
