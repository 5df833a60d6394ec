"""A cache for report figures, invalidated by a data version that every write bumps.

Every INSERT, UPDATE or DELETE any connection runs (the ORM, bulk inserts, queryset
updates, raw SQL: an execute wrapper sees them all) bumps the version, except writes to
the tables that change on every request and hold no figures (sessions, the cache table,
login attempts). Cached figures are stored under the version they were computed at, so a
write makes every earlier entry unreachable: the next page load computes afresh.

The version is bumped right after the statement (a page reading inside the same
transaction, or a test, sees it) and again on commit: a page that computed from the data
as it was before the commit, under the first bump's version, is then orphaned too."""

import time
from collections.abc import Callable, Iterable
from typing import TypeVar

from django.core.cache import cache
from django.db import transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.template.loader import render_to_string
from django.utils.functional import SimpleLazyObject
from django.utils.safestring import SafeString

T = TypeVar("T")

VERSION_KEY = "figures:data-version"
TIMEOUT = 60 * 60  # an hour: entries of old versions expire on their own
WRITES = ("INSERT", "UPDATE", "DELETE")
# Written on every request, on reading a record (the audit of who opened a transcript or
# downloaded a PDF), on signing in, or by the cache itself; never read by a figure. Counted,
# any of them would empty every cache each time someone opened a transcript or signed in.
IGNORED = (
    "django_session",
    "pilot_cache",
    "axes_",
    '"pilot_auditentry"',
    '"pilot_user" SET "last_login"',
)


def data_version() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        # A fresh start (or an evicted key) must not reuse an old version's number.
        cache.add(VERSION_KEY, time.time_ns(), timeout=None)
        version = cache.get(VERSION_KEY)
    return version


def bump_data_version() -> None:
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # no version yet: any new number is a new version
        cache.add(VERSION_KEY, time.time_ns(), timeout=None)


def cached_figures(name: str, key: tuple, compute: Callable[[], T]) -> T:
    """``compute()``'s result, from the cache when this data version has it."""
    parts = ":".join("-" if part is None else str(part) for part in key)
    full_key = f"figures:{data_version()}:{name}:{parts}"
    value = cache.get(full_key)
    if value is None:
        value = compute()
        cache.set(full_key, value, TIMEOUT)
    return value


def lazy_figures(
    name: str, key: tuple, compute: Callable[[], dict], names: Iterable[str]
) -> dict[str, object]:
    """``cached_figures(name, key, compute)``, a dict, as a dict of lazy values: the cache
    is read when one of them is first used, not before. A page that shows its rendered
    part from the cache then unpickles no figures (they stay in its context for whoever
    reads them: a test, the part rendered when it is not cached)."""
    figures = SimpleLazyObject(lambda: cached_figures(name, key, compute))
    return {each: SimpleLazyObject(lambda each=each: figures[each]) for each in names}


def rendered_for_cache(template: str, context: dict) -> SafeString:
    """A page's part rendered once, to be cached beside its figures (and shared by everyone
    of the scope): from the figures and the filter only, without the request, so no
    per-request token (CSRF, nonce, user name) can end up in it. Templates rendered so take
    everything from ``context``. Django's engine returns the escaped text as a SafeString,
    which keeps its kind through the cache's pickling."""
    return render_to_string(template, context)


def _is_counted_write(sql: str) -> bool:
    head = sql.lstrip()[:80]
    return head[:6].upper() in WRITES and not any(table in head for table in IGNORED)


def _wrapper(connection: BaseDatabaseWrapper):
    def bump_on_write(execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        if isinstance(sql, str) and _is_counted_write(sql):
            bump_data_version()
            if connection.in_atomic_block:
                transaction.on_commit(bump_data_version, using=connection.alias)
        return result

    return bump_on_write


def install(sender: object, connection: BaseDatabaseWrapper, **kwargs: object) -> None:
    """``connection_created`` receiver: watch the new connection's writes."""
    connection.execute_wrappers.append(_wrapper(connection))
