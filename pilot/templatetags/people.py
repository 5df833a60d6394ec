"""``{% person staff %}``: the person's full name, linked to their path's page when an app
provides one (``pilot.registry.people``). No query."""

from django import template
from django.utils.html import format_html

from pilot.registry.people import person_url

register = template.Library()


@register.simple_tag
def person(staff: object) -> str:
    url = person_url(staff)
    if not url:
        return format_html("{}", staff.full_name)
    return format_html('<a href="{}">{}</a>', url, staff.full_name)
