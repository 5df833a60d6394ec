"""Deployment checks (`manage.py check --deploy`) for what Django's own do not know."""

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Tags, register
from django.core.checks import Warning as CheckWarning


@register(Tags.caches, deploy=True)
def cache_is_shared(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    """Cached figures are invalidated by a data version kept in the cache: a cache in each
    process's memory would let one server show figures another's write made stale."""
    if settings.CACHES["default"]["BACKEND"].endswith("LocMemCache"):
        return [
            CheckWarning(
                "The cache is each server process's own memory: with more than one process a "
                "write served by one would not reach the report figures another has cached, "
                "and each would count password resets on its own.",
                hint="Set REDIS_URL (or CACHE_BACKEND=database after createcachetable).",
                id="pilot.W001",
            )
        ]
    return []
