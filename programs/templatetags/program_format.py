"""Money as Indonesians write it: ``Rp 1.500.000`` (thousands with dots, no decimals)."""

from django import template

from core.display import EMPTY

register = template.Library()


@register.filter
def rupiah(value) -> str:
    if value is None or value == "":
        return EMPTY
    amount = int(value)
    sign = "-" if amount < 0 else ""
    return f"{sign}Rp {abs(amount):,}".replace(",", ".")
