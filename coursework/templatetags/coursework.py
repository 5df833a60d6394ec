from decimal import Decimal

from django import template

from coursework import credit

register = template.Library()


@register.filter
def credits(value: Decimal | None) -> str:
    """Credit hours written out: 3, 1.5, 12 (no trailing .0)."""
    if value is None:
        return "0"
    text = f"{Decimal(value).quantize(Decimal('0.1')):f}"
    return text[:-2] if text.endswith(".0") else text


@register.filter
def percent_of(part: Decimal, whole: Decimal) -> int:
    return credit.percent(Decimal(part), Decimal(whole))
