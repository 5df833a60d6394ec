"""Sessions: a new key at sign-in, at most 12 hours, gone at sign-out and on deactivation;
passwords of at least 12 characters."""

import time

import pytest
from django.conf import settings
from django.contrib.auth.forms import SetPasswordForm
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from pilot.sessions import SIGNED_IN_AT

from .factories import PASSWORD

pytestmark = pytest.mark.django_db

TWELVE_HOURS = 12 * 60 * 60


def sign_in(client: Client, email: str = "para@example.test") -> Client:
    response = client.post(reverse("login"), {"username": email, "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/"
    return client


def is_signed_in(client: Client) -> bool:
    response = client.get(reverse("pilot:dashboard"))
    if response.status_code == 302:
        assert response["Location"].startswith("/accounts/login/")
        return False
    assert response.status_code == 200
    return True


def test_session_key_changes_at_sign_in(world) -> None:
    client = Client()
    session = client.session
    session["before"] = "sign-in"
    session.save()
    key_before = session.session_key
    client.cookies[settings.SESSION_COOKIE_NAME] = key_before

    sign_in(client)
    key_after = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert key_after != key_before
    assert not Session.objects.filter(session_key=key_before).exists()
    assert is_signed_in(client)


def test_session_lasts_at_most_twelve_hours(world) -> None:
    client = sign_in(Client())
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    stored = Session.objects.get(session_key=key)
    assert stored.expire_date <= timezone.now() + timezone.timedelta(seconds=TWELVE_HOURS + 5)
    # The cookie itself ends with the browser: no Max-Age or Expires.
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["max-age"] == "" and cookie["expires"] == ""


def test_session_ends_twelve_hours_after_sign_in_however_active(world) -> None:
    client = sign_in(Client())
    assert is_signed_in(client)
    session = client.session
    session[SIGNED_IN_AT] = int(time.time()) - TWELVE_HOURS + 60  # 11h59m ago
    session.save()
    assert is_signed_in(client)
    session = client.session
    session[SIGNED_IN_AT] = int(time.time()) - TWELVE_HOURS - 1
    session.save()
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert not is_signed_in(client)
    assert not Session.objects.filter(session_key=key).exists()


def test_sign_out_ends_the_session(world) -> None:
    client = sign_in(Client())
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert not Session.objects.filter(session_key=key).exists()
    # Replaying the old cookie does not sign anyone in.
    replay = Client()
    replay.cookies[settings.SESSION_COOKIE_NAME] = key
    assert not is_signed_in(replay)


def test_deactivating_a_staff_member_ends_their_sessions(world, login) -> None:
    phone, laptop = sign_in(Client()), sign_in(Client())
    keys = [c.cookies[settings.SESSION_COOKIE_NAME].value for c in (phone, laptop)]
    other = sign_in(Client(), "teacher@example.test")

    coordinator = login(world.users["pc"])
    response = coordinator.post(
        reverse("pilot:staff-set-active", args=[world.para.uuid]), {"active": "false"}
    )
    assert response.status_code == 302
    assert not Session.objects.filter(session_key__in=keys).exists()
    assert not is_signed_in(phone) and not is_signed_in(laptop)
    assert is_signed_in(other)
    assert is_signed_in(coordinator)

    # Reactivating does not bring the old sessions back.
    coordinator.post(reverse("pilot:staff-set-active", args=[world.para.uuid]), {"active": "true"})
    assert not is_signed_in(phone)


def test_deactivating_a_user_anywhere_ends_their_sessions(world) -> None:
    """The admin, the shell or a later feature: any save that deactivates ends sessions."""
    client = sign_in(Client())
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    user = world.users["para"]
    user.is_active = False
    user.save()
    assert not Session.objects.filter(session_key=key).exists()
    assert not is_signed_in(client)


@pytest.mark.parametrize(
    ("password", "ok"),
    [
        ("Tr0ub4dor&3x", True),  # 12 characters
        ("Tr0ub4dor&3", False),  # 11
        ("correct horse battery staple", True),
        ("123456789012345", False),  # numeric
        ("password1234", False),  # common
    ],
)
def test_password_rules(world, password: str, ok: bool) -> None:
    user = world.users["para"]
    if ok:
        validate_password(password, user)
    else:
        with pytest.raises(ValidationError):
            validate_password(password, user)


def test_short_password_refused_when_setting_it(world) -> None:
    form = SetPasswordForm(
        world.users["para"], {"new_password1": "Sh0rt&sweet", "new_password2": "Sh0rt&sweet"}
    )
    assert not form.is_valid()
    assert "at least 12 characters" in str(form.errors["new_password2"])
