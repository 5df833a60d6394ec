"""Roster imports: who may reach the import pages and which import runs they see.

The kinds of file a user may import come from ``pilot.imports.kinds`` (each kind names the
capabilities it needs); the rows inside a file are scoped by the kind's resource, through
the ``visible_*`` querysets.
"""

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet

from pilot.models import ImportRun, User

from .principal import principal


def visible_import_runs(user: User | AnonymousUser) -> QuerySet[ImportRun]:
    """An import run (with its uploaded rows) belongs to the person who uploaded it."""
    if not principal(user).is_authenticated:
        return ImportRun.objects.none()
    return ImportRun.objects.filter(owner=user)
