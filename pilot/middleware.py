from collections.abc import Callable, Iterator

from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers, patch_cache_control


class NoStoreForSignedInMiddleware:
    """Pages shown to a signed-in user hold people's records: never keep them in a cache."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)
            patch_cache_control(response, no_store=True, private=True)
        return response


def _texts(request: HttpRequest) -> Iterator[str]:
    """Every piece of text a request carries, apart from uploaded files (Django drops
    unprintable characters from their names; their contents are the importer's business)."""
    yield request.path_info
    yield from (v for k, v in request.META.items() if k.startswith("HTTP_") and isinstance(v, str))
    yield from (t for item in request.COOKIES.items() for t in item)
    data = [request.GET]
    if request.method == "POST":
        # Reading POST here is what CsrfViewMiddleware does next anyway.
        data.append(request.POST)
    for query in data:
        for key, values in query.lists():
            yield key
            yield from values


class RefuseNulMiddleware:
    """Answer 400 to a request with a NUL character in its path, query string, headers,
    cookies or form fields.

    PostgreSQL cannot hold NUL in text and psycopg refuses any query that carries one, so a
    ``?q=%00`` reaching a filter, a session cookie or a logged User-Agent would otherwise be a
    500 deep inside some view. No browser sends NUL in these places; the contents of uploaded
    files are checked by the code that reads them (``pilot.imports.files``).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if any("\x00" in text for text in _texts(request)):
            raise BadRequest("The request contains a NUL character.")
        return self.get_response(request)
