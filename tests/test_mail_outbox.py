"""Without REDIS_URL (make run) the outbox sends in-process right after commit; a mail server
that is down leaves the message pending, and ``send_outbox`` sends it once it is back."""

import socket
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse

from mentoring.models import Pairing
from pilot.models import OutboxMessage

from .world import World

pytestmark = pytest.mark.django_db


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # nothing listens once the socket closes


def create_pairing(client: Client, world: World, **kwargs: object) -> HttpResponse:
    """The coordinator's create-pairing form, sent for the world's teacher and para."""
    url = reverse("mentoring:pairing-create") + f"?district=alpha&cohort={world.cohort.uuid}"
    data = {
        "teacher": world.teacher.pk,
        "paraprofessional": world.para.pk,
        "starts_on": "2026-09-01",
        "ends_on": "2027-06-15",
        "focus_areas": ["classroom_support"],
        "role_small_group": "2",
    }
    return client.post(url, data, **kwargs)


def test_mail_server_down_keeps_the_pairing_and_the_mail(
    world, login, settings, django_capture_on_commit_callbacks
) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", closed_port()
    with django_capture_on_commit_callbacks(execute=True):
        response = create_pairing(login(world.users["dc_own"]), world)
    pairing = Pairing.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("mentoring:pairing-detail", args=[pairing.uuid])
    waiting = OutboxMessage.objects.order_by("to")
    assert [(m.to, m.status, m.attempts) for m in waiting] == sorted(
        [(world.teacher.email, "pending", 1), (world.para.email, "pending", 1)]
    )
    assert "ConnectionRefusedError" in waiting[0].last_error

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"  # server is back
    out = StringIO()
    call_command("send_outbox", stdout=out)
    assert "2 sent, 0 still pending." in out.getvalue()
    assert sorted(m.to[0] for m in mail.outbox) == sorted([world.teacher.email, world.para.email])
    call_command("send_outbox", stdout=out)  # nothing is sent twice
    assert len(mail.outbox) == 2
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {"sent"}
