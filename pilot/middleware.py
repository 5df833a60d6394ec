from collections.abc import Callable, Iterator
from urllib.parse import parse_qsl

from django.core.exceptions import BadRequest, TooManyFieldsSent
from django.http import HttpRequest, HttpResponse, QueryDict
from django.urls import Resolver404, resolve
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.datastructures import MultiValueDict


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


def many_fields(limit: int) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Mark a view whose form sends more fields than ``DATA_UPLOAD_MAX_NUMBER_FIELDS``
    (Django's guard, 1,000 by default): ``ManyFieldsMiddleware`` reads its form-encoded POST
    with ``limit`` instead. Put it outermost, above the other decorators."""

    def mark(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        view.max_post_fields = limit  # type: ignore[attr-defined]
        return view

    return mark


def _declared_limit(path: str) -> int | None:
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return getattr(match.func, "max_post_fields", None)


class ManyFieldsMiddleware:
    """Reads the POST of a view marked ``@many_fields(limit)`` (the year rollover: one
    teacher per continuing pairing, about 12,000 at state scale) with that limit, so that
    every other page keeps Django's guard. Form-encoded bodies only (what a browser sends
    for a form without files); the body's size limit (``DATA_UPLOAD_MAX_MEMORY_SIZE``)
    still holds. Placed before anything that reads ``request.POST``."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            request.method == "POST"
            and request.content_type == "application/x-www-form-urlencoded"
            and (limit := _declared_limit(request.path_info))
        ):
            request.POST = _parse_form(request.body, limit)  # type: ignore[misc]
            request._files = MultiValueDict()  # type: ignore[attr-defined]
        return self.get_response(request)


def _parse_form(body: bytes, limit: int) -> QueryDict:
    """``QueryDict(body)`` as Django parses a form-encoded POST, with ``limit`` fields."""
    post = QueryDict(mutable=True)
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:  # as Django does for a misbehaving user agent
        text = body.decode("iso-8859-1")
    try:
        pairs = parse_qsl(text, keep_blank_values=True, max_num_fields=limit)
    except ValueError:
        raise TooManyFieldsSent(
            f"The number of GET/POST parameters exceeded this page's limit of {limit}."
        ) from None
    for key, value in pairs:
        post.appendlist(key, value)
    post._mutable = False
    return post
