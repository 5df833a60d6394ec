"""The password-reset page sends at most 3 emails per address and 10 per client address in
an hour, and answers every request the same way, whether the account exists, and whether
a limit was reached."""

import time

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

RESET = "/accounts/password_reset/"


@pytest.fixture(autouse=True)
def _fresh_counts():
    cache.clear()
    yield
    cache.clear()


def reset(email: str, ip: str = "10.1.0.1"):
    return Client().post(RESET, {"email": email}, REMOTE_ADDR=ip)


def answer(response) -> tuple[int, str, str]:
    """What the visitor sees: status, where it sends them, and that page."""
    page = Client().get(response["Location"]).content.decode()
    return response.status_code, response["Location"], page


def test_twenty_requests_for_one_address_send_three_emails(world) -> None:
    # From twenty different client addresses, so only the per-address limit applies.
    answers = {answer(reset("para@example.test", ip=f"10.1.1.{n}")) for n in range(20)}
    assert len(mail.outbox) == 3
    assert {m.to[0] for m in mail.outbox} == {"para@example.test"}
    assert len(answers) == 1  # the 4th to 20th requests look just like the first
    # The address is counted however it is typed; other addresses are not affected.
    reset("PARA@Example.test ", ip="10.1.2.1")
    assert len(mail.outbox) == 3
    reset("teacher@example.test", ip="10.1.2.2")
    assert len(mail.outbox) == 4


def test_one_client_gets_ten_emails_an_hour_whatever_the_addresses(world) -> None:
    users = [u for u in world.users.values() if u is not None]
    for n in range(20):
        reset(users[n % len(users)].email, ip="10.1.3.1")
    assert len(mail.outbox) == 10
    reset("teacher-b@example.test", ip="10.1.3.2")  # another client is not affected
    assert len(mail.outbox) == 11


def test_known_and_unknown_addresses_get_the_same_answer(world) -> None:
    known = [answer(reset("pc@example.test", ip=f"10.1.4.{n}")) for n in range(5)]
    unknown = [answer(reset("nobody@example.test", ip=f"10.1.5.{n}")) for n in range(5)]
    assert len(mail.outbox) == 3
    assert set(known) == set(unknown)
    status, location, page = known[0]
    assert (status, location) == (302, reverse("password_reset_done"))
    assert "If an account uses that address" in page


def test_the_limit_lasts_an_hour(world, monkeypatch) -> None:
    for n in range(5):
        reset("para@example.test", ip=f"10.1.6.{n}")
    assert len(mail.outbox) == 3
    now = time.time()
    monkeypatch.setattr(time, "time", lambda: now + 59 * 60)
    reset("para@example.test", ip="10.1.6.9")
    assert len(mail.outbox) == 3
    monkeypatch.setattr(time, "time", lambda: now + 61 * 60)
    reset("para@example.test", ip="10.1.6.9")
    assert len(mail.outbox) == 4


def test_the_page_states_the_limit() -> None:
    html = Client().get(RESET).content.decode()
    assert "We send at most 3 links to one address in 60 minutes." in html
