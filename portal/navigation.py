"""The main navigation, built from the entries each app registers.

An entry shows to exactly the people its view admits: the capabilities are read from the
view (``capability_required`` marks them), never repeated here. A view with no marked
capabilities (the dashboard) shows to everyone signed in.
"""

from functools import cache

from django.contrib.auth.models import AnonymousUser
from django.urls import resolve, reverse

from pilot.access import Capability, can
from pilot.models import User
from pilot.registry import NAVIGATION, NavEntry

# The site's own pages.
NAVIGATION.register(NavEntry("dashboard", "Dashboard", "pilot:dashboard", order=10))
NAVIGATION.register(NavEntry("imports", "Imports", "imports:index", order=70))
NAVIGATION.register(NavEntry("reports", "Reports", "reports:index", order=150))


@cache
def _target(url_name: str) -> tuple[str, object]:
    url = reverse(url_name)
    return url, getattr(resolve(url).func, "capabilities", None)


def _capabilities(marked: object) -> tuple[Capability, ...] | None:
    # Some views are admitted by what other apps registered (import kinds): a callable.
    return marked() if callable(marked) else marked  # type: ignore[return-value]


def entries_for(user: User | AnonymousUser, current_path: str) -> list[dict[str, object]]:
    items = []
    for entry in NAVIGATION:
        url, marked = _target(entry.url_name)
        capabilities = _capabilities(marked)
        if capabilities is not None and not can(user, *capabilities):
            continue
        matches = current_path == url if url == "/" else current_path.startswith(url)
        items.append({"label": entry.label, "url": url, "current": matches})
    # One current entry: the most specific (/reports/pipeline/ is Pipeline, not Reports).
    current = [item for item in items if item["current"]]
    for item in current:
        item["current"] = item is max(current, key=lambda i: len(str(i["url"])))
    return items
