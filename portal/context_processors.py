from django.http import HttpRequest

from pilot.access import principal
from portal.navigation import entries_for


def navigation(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_entries": []}
    return {"nav_entries": entries_for(user, request.path), "principal": principal(user)}
