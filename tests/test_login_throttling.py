"""django-axes on the real login page: 5 failures per account or address in 15 minutes lock
that account or address for 15 minutes, with one message whether or not the account exists;
a program coordinator can unlock."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.db.models import F
from django.test import Client
from django.urls import reverse

from pilot.models import AuditEntry
from pilot.security import client_ip

from .factories import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"


def attempt(email: str, password: str = "wrong-password-123", ip: str = "10.0.0.1"):
    return Client().post(LOGIN, {"username": email, "password": password}, REMOTE_ADDR=ip)


def is_locked(response) -> bool:
    return response.status_code == 429 and "Sign-in paused" in response.content.decode()


def signed_in(response) -> bool:
    return response.status_code == 302 and response["Location"] == "/"


def age_attempts(minutes: int) -> None:
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=minutes))


def test_a_correct_password_signs_in(world) -> None:
    assert signed_in(attempt("para@example.test", PASSWORD))


def test_five_failures_lock_an_account_from_any_address(world) -> None:
    for n in range(4):
        response = attempt("para@example.test", ip=f"10.0.1.{n}")
        assert response.status_code == 200 and not is_locked(response)
    assert is_locked(attempt("para@example.test", ip="10.0.1.4"))  # the fifth failure locks
    # Now even the right password, from a fresh address, is refused.
    assert is_locked(attempt("para@example.test", PASSWORD, ip="10.0.9.9"))
    # Other accounts are unaffected.
    assert signed_in(attempt("teacher@example.test", PASSWORD, ip="10.0.9.9"))


def test_changing_the_case_of_the_email_does_not_buy_more_tries(world) -> None:
    for n, email in enumerate(
        ["para@example.test", "PARA@example.test", "Para@Example.Test", " para@example.test"]
    ):
        attempt(email, ip=f"10.0.2.{n}")
    assert is_locked(attempt("pArA@example.test", ip="10.0.2.9"))
    assert is_locked(attempt("para@example.test", PASSWORD, ip="10.0.2.10"))


def test_five_failures_lock_an_address_for_every_account(world) -> None:
    for n in range(5):
        attempt(f"nobody{n}@example.test", ip="10.0.3.1")
    assert is_locked(attempt("para@example.test", PASSWORD, ip="10.0.3.1"))
    assert signed_in(attempt("para@example.test", PASSWORD, ip="10.0.3.2"))


def test_the_same_messages_whether_or_not_the_account_exists(world) -> None:
    known = attempt("para@example.test", ip="10.0.4.1")
    unknown = attempt("no-such-person@example.test", ip="10.0.4.2")
    assert known.status_code == unknown.status_code == 200
    assert known.context["form"].errors == unknown.context["form"].errors
    for _ in range(5):
        known = attempt("para@example.test", ip="10.0.4.1")
        unknown = attempt("no-such-person@example.test", ip="10.0.4.2")
    assert is_locked(known) and is_locked(unknown)
    assert known.content == unknown.content


def test_the_lock_lasts_fifteen_minutes(world) -> None:
    for n in range(5):
        attempt("para@example.test", ip=f"10.0.5.{n}")
    age_attempts(14)
    assert is_locked(attempt("para@example.test", PASSWORD, ip="10.0.5.9"))
    age_attempts(2)
    assert signed_in(attempt("para@example.test", PASSWORD, ip="10.0.5.9"))


def test_trying_during_the_lock_does_not_extend_it(world) -> None:
    for _ in range(5):
        attempt("para@example.test", ip="10.0.6.1")
    age_attempts(10)
    assert is_locked(attempt("para@example.test", ip="10.0.6.1"))
    age_attempts(6)
    assert signed_in(attempt("para@example.test", PASSWORD, ip="10.0.6.1"))


def test_failures_older_than_fifteen_minutes_do_not_count(world) -> None:
    for n in range(4):
        attempt("para@example.test", ip=f"10.0.7.{n}")
    age_attempts(16)
    response = attempt("para@example.test", ip="10.0.7.9")
    assert response.status_code == 200 and not is_locked(response)


def test_signing_in_elsewhere_does_not_reset_failures_against_an_account(world) -> None:
    """An attacker with their own account cannot wipe the count between guesses."""
    for _ in range(4):
        attempt("para@example.test", ip="10.0.8.1")
    assert signed_in(attempt("teacher@example.test", PASSWORD, ip="10.0.8.1"))
    assert is_locked(attempt("para@example.test", ip="10.0.8.1"))


def test_client_ip_behind_a_trusted_proxy(rf, settings) -> None:
    request = rf.get("/", REMOTE_ADDR="10.9.9.9", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7")
    assert client_ip(request) == "10.9.9.9"  # no proxy trusted: the header is ignored
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(request) == "203.0.113.7"  # what our proxy saw, not what was claimed


class TestCoordinatorUnlock:
    def lock_para(self) -> None:
        for n in range(5):
            attempt("para@example.test", ip=f"10.1.0.{n}")
        assert is_locked(attempt("para@example.test", PASSWORD, ip="10.1.0.9"))

    def test_lockouts_page_lists_the_account(self, world, login) -> None:
        self.lock_para()
        page = login(world.users["pc"]).get(reverse("pilot:lockout-list"))
        assert page.status_code == 200
        accounts = page.context["accounts"]
        assert [(lock.key, lock.failures) for lock in accounts] == [("para@example.test", 5)]
        assert page.context["addresses"] == []
        assert "No address is locked." in page.content.decode()

    def test_unlocking_an_account_lets_it_sign_in_and_is_logged(self, world, login) -> None:
        self.lock_para()
        client = login(world.users["pc"])
        response = client.post(reverse("pilot:lockout-unlock"), {"username": "Para@example.test"})
        assert response.status_code == 302
        assert not AccessAttempt.objects.filter(username="para@example.test").exists()
        assert signed_in(attempt("para@example.test", PASSWORD, ip="10.1.0.9"))
        entry = AuditEntry.objects.get(action=AuditEntry.Action.UNLOCK)
        assert entry.actor == world.users["pc"]
        assert entry.subject == "account para@example.test"

    def test_unlocking_an_address(self, world, login) -> None:
        for n in range(5):
            attempt(f"nobody{n}@example.test", ip="10.1.1.1")
        client = login(world.users["pc"])
        page = client.get(reverse("pilot:lockout-list"))
        assert [lock.key for lock in page.context["addresses"]] == ["10.1.1.1"]
        client.post(reverse("pilot:lockout-unlock"), {"ip_address": "10.1.1.1"})
        assert signed_in(attempt("para@example.test", PASSWORD, ip="10.1.1.1"))

    def test_only_program_coordinators_may_unlock(self, world, login) -> None:
        self.lock_para()
        client = login(world.users["dc_own"])
        response = client.post(reverse("pilot:lockout-unlock"), {"username": "para@example.test"})
        assert response.status_code == 403
        assert is_locked(attempt("para@example.test", PASSWORD, ip="10.1.0.9"))
