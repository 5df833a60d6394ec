"""Sessions end 12 hours after sign-in, at sign-out, and when the account is deactivated."""

import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.contrib.sessions.models import Session
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from pilot.models import User

SIGNED_IN_AT = "pilot_signed_in_at"


@receiver(user_logged_in, dispatch_uid="pilot.sessions.stamp_sign_in")
def stamp_sign_in(sender: Any, request: HttpRequest, user: User, **kwargs: Any) -> None:
    # Django has already rotated the session key (``login`` calls ``cycle_key``).
    if request is not None and hasattr(request, "session"):
        request.session[SIGNED_IN_AT] = int(time.time())


class SessionLifetimeMiddleware:
    """Sign out a session more than SESSION_COOKIE_AGE after its sign-in, however active.

    Django's own expiry slides forward whenever the session is written; this caps it.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            signed_in_at = request.session.get(SIGNED_IN_AT)
            too_old = time.time() - settings.SESSION_COOKIE_AGE
            if not isinstance(signed_in_at, int) or signed_in_at < too_old:
                logout(request)
        return self.get_response(request)


def end_sessions(user: User) -> int:
    """Delete every live session signed in as ``user``; returns how many ended.

    The database session store has no index by user, so this reads the live sessions
    (at most a day's sign-ins, as each lasts 12 hours). Deactivation is rare.
    """
    ended = []
    live = Session.objects.filter(expire_date__gt=timezone.now())
    for session in live.iterator(chunk_size=500):
        if str(session.get_decoded().get("_auth_user_id")) == str(user.pk):
            ended.append(session.session_key)
    if ended:
        Session.objects.filter(session_key__in=ended).delete()
    return len(ended)


@receiver(post_save, sender=User, dispatch_uid="pilot.sessions.end_on_deactivation")
def end_sessions_of_inactive(sender: Any, instance: User, **kwargs: Any) -> None:
    fields = kwargs.get("update_fields")
    if kwargs.get("created"):
        return  # a new account has no sessions yet
    if not instance.is_active and (fields is None or "is_active" in fields):
        end_sessions(instance)
