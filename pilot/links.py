"""Links to many records of one kind, reversed once (a long table's rows each link to their
record: ``{% url %}`` per row costs a URL resolver walk each)."""

from collections.abc import Callable

from django.urls import reverse


def each_url(name: str, marker: str) -> Callable[[object], str]:
    """``lambda value: reverse(name, args=[value])``, reversed once: ``marker`` (a value the
    URL's converter accepts, that cannot occur elsewhere in the URL) is replaced by each
    value. Only for values that need no quoting in a path: slugs, UUIDs."""
    pattern = reverse(name, args=[marker])
    before, found, after = pattern.partition(marker)
    if not found or marker in after:
        raise ValueError(f"{marker!r} is not a usable marker for {name}")
    return lambda value: f"{before}{value}{after}"
