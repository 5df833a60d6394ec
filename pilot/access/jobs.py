from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet

from pilot.models import Job, User

from .principal import principal


def visible_jobs(user: User | AnonymousUser) -> QuerySet[Job]:
    """A job and its result belong to the person who started it."""
    if not principal(user).is_authenticated:
        return Job.objects.none()
    return Job.objects.filter(owner=user)
