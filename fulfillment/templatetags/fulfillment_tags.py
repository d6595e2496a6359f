from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def number(value) -> str:
    """A decimal without trailing zeros: 120.1000 -> 120.1, 120.0000 -> 120."""
    if value in (None, ""):
        return ""
    return f"{Decimal(value).normalize():f}"
