from django.db import DatabaseError, connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from pilot import broker as task_broker


@require_GET
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the database answers a query, 503 when it does not. The broker's state is
    reported but never fails the check: without it mail waits in the outbox, pages still work."""
    broker = task_broker.state()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse(
            {"status": "unavailable", "database": "down", "broker": broker}, status=503
        )
    return JsonResponse({"status": "ok", "database": "up", "broker": broker})
