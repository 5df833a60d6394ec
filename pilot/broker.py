"""The Redis that Celery uses as its broker (REDIS_URL), for what else needs it: the health
check, and the progress of a job whose writes are still inside one transaction."""

from functools import lru_cache

import redis
from django.conf import settings


@lru_cache(maxsize=4)
def _client(url: str) -> redis.Redis:
    # Short timeouts: a health check or a progress note must not hang on a dead broker.
    return redis.Redis.from_url(url, socket_connect_timeout=0.5, socket_timeout=0.5)


def client() -> redis.Redis | None:
    return _client(settings.REDIS_URL) if settings.REDIS_URL else None


def state() -> str:
    """ "up", "down", or "not configured" (no REDIS_URL: tasks run in-process)."""
    redis_client = client()
    if redis_client is None:
        return "not configured"
    try:
        redis_client.ping()
    except redis.RedisError:
        return "down"
    return "up"
