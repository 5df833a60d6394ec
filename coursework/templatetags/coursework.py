from decimal import Decimal

from django import template

from coursework import credit

register = template.Library()


@register.filter
def credits(value: Decimal | None) -> str:
    """Credit hours written out: 3, 1.5, 12 (no trailing .0)."""
    return credit.format_credits(value)


@register.filter
def percent_of(part: Decimal, whole: Decimal) -> int:
    return credit.percent(Decimal(part), Decimal(whole))
