"""The page of one person's path, for every page that names a paraprofessional.

The pathways app provides the URL from ``AppConfig.ready()``; the core's ``{% person %}``
tag (``pilot/templatetags/people.py``) links a name to it, so the pairing list, the
rosters and the trackers link to the person page without importing pathways. With no
provider a name is plain text.
"""

from collections.abc import Callable

from pilot.models import Staff

_PROVIDER: list[Callable[[Staff], str]] = []


def provide_person_url(provider: Callable[[Staff], str]) -> None:
    _PROVIDER[:] = [provider]


def person_url(staff: Staff) -> str:
    """The URL of ``staff``'s person page, or "" when none is provided."""
    return _PROVIDER[0](staff) if _PROVIDER and staff is not None else ""
