"""A sender killed (SIGKILL, as the OOM killer or a power cut would) at a chosen moment of
``pilot.mail.deliver``, in a subprocess talking to a real local SMTP server, and the message's
next run. Exactly once is impossible over SMTP; the outbox's choice is a rare repeat (same
Message-ID) over a rare loss, with the repeat's window narrowed to the commit after the
server's "250" to DATA:

- killed before the server took the DATA: the row is left ``sending``; the rerun sends once;
- killed after the server took it, before the sent mark committed: the rerun sends it again,
  with the same Message-ID;
- killed after that commit (at QUIT): the rerun sends nothing.
"""

import logging
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings as django_settings

from pilot.mail import deliver, message_id, queue_mail
from pilot.models import OutboxMessage

from .test_mail_queue import SmtpServer

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.django_db(transaction=True)

# Run in a fresh interpreter: patch smtplib so the process kills itself at the moment named,
# then deliver the message. Nothing here runs in the site; only the test chooses the moment.
SENDER = """
import os, signal, smtplib, sys

import django

django.setup()
from pilot.mail import deliver

pk, moment = int(sys.argv[1]), sys.argv[2]


def die(*args, **kwargs):
    os.kill(os.getpid(), signal.SIGKILL)


if moment == "before-data":
    smtplib.SMTP.sendmail = die
elif moment == "after-data":
    original = smtplib.SMTP.sendmail

    def sendmail(self, *args, **kwargs):
        original(self, *args, **kwargs)  # the server has answered 250 to the DATA
        die()

    smtplib.SMTP.sendmail = sendmail
elif moment == "at-quit":
    smtplib.SMTP.quit = die
elif moment == "slow-after-data":  # not killed: holds the row's lock a while in the window
    import time

    original = smtplib.SMTP.sendmail

    def sendmail(self, *args, **kwargs):
        original(self, *args, **kwargs)
        time.sleep(3)

    smtplib.SMTP.sendmail = sendmail
deliver(pk)
"""


@pytest.fixture
def smtp(settings) -> Iterator[SmtpServer]:
    server = SmtpServer()
    server.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", server.port
    yield server
    server.stop()


def sender_env(smtp: SmtpServer) -> dict[str, str]:
    db = django_settings.DATABASES["default"]
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "pilot.settings",
        "SECRET_KEY": "crash-test-key",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp.port),
    }
    env.pop("REDIS_URL", None)
    return env


def killed_while_sending(message: OutboxMessage, smtp: SmtpServer, moment: str) -> None:
    done = subprocess.run(
        [sys.executable, "-c", SENDER, str(message.pk), moment],
        env=sender_env(smtp),
        cwd=ROOT,
        capture_output=True,
        timeout=60,
    )
    assert done.returncode == -9, done.stderr.decode()  # it died by SIGKILL, where we chose


def queued() -> OutboxMessage:
    # Written without the on-commit send (as if the broker had it and a worker took it).
    return OutboxMessage.objects.create(to="kim@example.test", subject="Your pairing", body="Hi.")


def test_killed_before_the_server_took_it_is_sent_once(smtp) -> None:
    message = queued()
    killed_while_sending(message, smtp, "before-data")
    message.refresh_from_db()
    # What an operator sees: in flight when its worker died, and since when.
    assert (message.status, message.attempts) == ("sending", 1) and message.attempted_at
    assert smtp.sink.messages == []

    assert deliver(message.pk) is True  # the task's rerun
    message.refresh_from_db()
    assert (message.status, message.attempts) == ("sent", 2) and message.sent_at
    assert [m["Message-ID"] for m in smtp.sink.messages] == [message_id(message)]


def test_killed_between_accepted_and_marked_is_repeated_with_the_same_message_id(
    smtp, caplog
) -> None:
    message = queued()
    killed_while_sending(message, smtp, "after-data")
    message.refresh_from_db()
    assert (message.status, message.attempts, message.sent_at) == ("sending", 1, None)
    assert len(smtp.sink.messages) == 1

    with caplog.at_level(logging.WARNING, logger="pilot.mail"):
        assert deliver(message.pk) is True
    assert "was in flight" in caplog.text
    message.refresh_from_db()
    assert message.status == "sent"
    # Sent twice (the lead's choice: a repeat, never a loss), as one Message-ID.
    ids = [m["Message-ID"] for m in smtp.sink.messages]
    assert ids == [message_id(message)] * 2
    assert deliver(message.pk) is False  # and never a third time


def test_killed_at_quit_after_the_sent_mark_is_not_sent_again(smtp) -> None:
    message = queued()
    killed_while_sending(message, smtp, "at-quit")
    message.refresh_from_db()
    # The mark committed before QUIT: the connection's end is outside the window.
    assert message.status == "sent" and message.sent_at
    assert deliver(message.pk) is False
    assert len(smtp.sink.messages) == 1


def test_a_second_run_waits_for_the_first_and_does_not_send(smtp) -> None:
    message = queued()
    first = subprocess.Popen(
        [sys.executable, "-c", SENDER, str(message.pk), "slow-after-data"],
        env=sender_env(smtp),
        cwd=ROOT,
    )
    try:
        deadline = time.monotonic() + 60
        while not smtp.sink.messages:  # the server has the first run's DATA...
            assert time.monotonic() < deadline and first.poll() is None
            time.sleep(0.05)
        # ...and the first run holds the row's lock until it marks it sent.
        assert deliver(message.pk) is False
        message.refresh_from_db()
        assert message.status == "sent" and message.attempts == 1
        assert len(smtp.sink.messages) == 1
    finally:
        assert first.wait(timeout=60) == 0


def test_a_refused_send_goes_back_to_pending_with_its_error(smtp) -> None:
    from pilot.mail import MailNotSent

    smtp.sink.refuse = 1
    message = queued()
    with pytest.raises(MailNotSent):
        deliver(message.pk)
    message.refresh_from_db()
    assert (message.status, message.attempts) == ("pending", 1)
    assert "451" in message.last_error
    assert deliver(message.pk) is True
    message.refresh_from_db()
    assert (message.status, message.attempts, message.last_error) == ("sent", 2, "")


def test_message_id_is_the_rows_at_the_senders_domain(settings) -> None:
    settings.DEFAULT_FROM_EMAIL = "Pilot Program <pilot@district.example>"
    message = queue_mail(to="a@example.test", subject="S", body="B")
    assert message_id(message) == f"<{message.uuid.hex}@district.example>"
