from functools import lru_cache

import redis
from django.conf import settings
from django.db import DatabaseError, connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


@lru_cache(maxsize=4)
def _broker(url: str) -> redis.Redis:
    # Short timeouts: a load balancer's health check must not hang on a dead broker.
    return redis.Redis.from_url(url, socket_connect_timeout=0.5, socket_timeout=0.5)


def broker_state() -> str:
    """ "up", "down", or "not configured" (no REDIS_URL: tasks run in-process)."""
    if not settings.REDIS_URL:
        return "not configured"
    try:
        _broker(settings.REDIS_URL).ping()
    except redis.RedisError:
        return "down"
    return "up"


@require_GET
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the database answers a query, 503 when it does not. The broker's state is
    reported but never fails the check: without it mail waits in the outbox, pages still work."""
    broker = broker_state()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse(
            {"status": "unavailable", "database": "down", "broker": broker}, status=503
        )
    return JsonResponse({"status": "ok", "database": "up", "broker": broker})
