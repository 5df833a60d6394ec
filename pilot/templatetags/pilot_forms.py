"""``{% cancel_link default %}``: the Cancel link of every create and edit form, back to
where the user came from (``pilot.views.back.came_from``) or else to ``default``. It also
carries the way back through the form's POST (a hidden ``next``), so a form shown again
with errors still cancels to the same page. A builtin (pilot/settings.py TEMPLATES)."""

from django import template

from pilot.views.back import came_from

register = template.Library()


@register.inclusion_tag("includes/cancel_link.html", takes_context=True)
def cancel_link(context: template.Context, default: str = "", label: str = "Cancel") -> dict:
    request = context.get("request")
    origin = came_from(request) if request is not None else None
    return {"cancel_url": origin or default or "/", "next": origin or "", "label": label}
