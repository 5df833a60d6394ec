"""The outbox and its queue, for real: Redis as the broker (a db number of its own), a Celery
worker started here in a subprocess, and a local SMTP server (aiosmtpd) that can refuse,
stall or be down. Mail is queued on commit (never on rollback), retried until the server
takes it, sent once however often its task runs, and a write never fails because mail did."""

import asyncio
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from email import message_from_bytes
from email.message import Message
from pathlib import Path

import pytest
import redis
from aiosmtpd.controller import Controller
from django.conf import settings
from django.db import transaction
from django.urls import reverse

from mentoring.models import Pairing
from pilot.celery import app as celery_app
from pilot.mail import queue_mail
from pilot.models import OutboxMessage
from pilot.tasks import send_outbox_message

from .test_mail_outbox import create_pairing

# A Redis database per test process (`make test` runs two: gw0 and gw1), each consumed by
# that process's own Celery worker; the jobs test uses 14.
_WORKER = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw") or 0)
REDIS_URL = f"redis://127.0.0.1:6379/{os.environ.get('TEST_REDIS_DB', 13 - _WORKER)}"
ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.django_db(transaction=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Sink:
    """What the SMTP server received, and how it misbehaves next."""

    def __init__(self) -> None:
        self.messages: list[Message] = []
        self.refuse = 0  # answer the next N DATA commands with 451
        self.stall = 0  # hang the next N RCPT commands for a minute
        self.stalled = threading.Event()

    async def handle_RCPT(self, server, session, envelope, address, options) -> str:  # noqa: ANN001, N802
        if self.stall:
            self.stall -= 1
            self.stalled.set()
            await asyncio.sleep(60)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: ANN001, N802
        if self.refuse:
            self.refuse -= 1
            return "451 4.3.0 Try again later"
        self.messages.append(message_from_bytes(envelope.content))
        return "250 Message accepted for delivery"


class SmtpServer:
    def __init__(self) -> None:
        self.port = free_port()
        self.sink = Sink()
        self.controller: Controller | None = None

    def start(self) -> None:
        self.controller = Controller(self.sink, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


class Worker:
    """``celery -A pilot worker`` on the test database, sending to the local SMTP server."""

    def __init__(self, smtp_port: int, database_url: str) -> None:
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "pilot.settings",
            "SECRET_KEY": "worker-test-key",
            "DATABASE_URL": database_url,
            "REDIS_URL": REDIS_URL,
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(smtp_port),
            "EMAIL_TIMEOUT": "90",
            "MAIL_RETRY_DELAY": "0.5",
            "TASK_VISIBILITY_TIMEOUT": "3",
        }
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        celery = str(Path(sys.executable).with_name("celery"))
        self.process = subprocess.Popen(
            [celery, "-A", "pilot", "worker", "--pool", "solo", "--loglevel", "INFO"],
            env=self.env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for(lambda: self._answers(), 30, "the worker to start")

    def _answers(self) -> bool:
        replies = celery_app.control.ping(timeout=0.5)
        return bool(replies)

    def kill(self) -> None:
        if self.process is not None:
            os.kill(self.process.pid, signal.SIGKILL)
            self.process.wait()
            self.process = None

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()
            self.process = None


def wait_for(condition: Callable[[], bool], seconds: float, what: str | Callable[[], str]) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(f"Timed out waiting for {what() if callable(what) else what}")


@pytest.fixture(scope="module")
def broker() -> Iterator[None]:
    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.ConnectionError:
        pytest.skip(f"Redis is not running at {REDIS_URL}")
    client.flushdb()
    old = celery_app.conf.broker_url
    celery_app.conf.broker_url = REDIS_URL
    yield
    celery_app.conf.broker_url = old
    client.flushdb()


@pytest.fixture(scope="module")
def smtp(broker) -> Iterator[SmtpServer]:
    server = SmtpServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def worker(django_db_setup, django_db_blocker, smtp) -> Iterator[Worker]:
    db = settings.DATABASES["default"]
    url = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    running = Worker(smtp.port, url)
    running.start()
    yield running
    running.stop()


@pytest.fixture
def queue(settings, smtp, worker) -> SmtpServer:
    """The test process queues to Redis (as an app server with REDIS_URL would)."""
    settings.REDIS_URL = REDIS_URL
    smtp.sink.messages.clear()
    smtp.sink.refuse = smtp.sink.stall = 0
    smtp.sink.stalled.clear()
    if smtp.controller is None:
        smtp.start()
    return smtp


def delivered_to(smtp: SmtpServer, address: str) -> list[Message]:
    return [m for m in smtp.sink.messages if m["To"] == address]


def wait_sent(message: OutboxMessage) -> None:
    """The worker marks a row sent just after the server accepted it: wait for that commit
    (on a busy machine the test can see the mail before the mark)."""
    wait_for(
        lambda: OutboxMessage.objects.filter(pk=message.pk, status="sent").exists(),
        20,
        f"{message} marked sent",
    )
    message.refresh_from_db()


def test_queued_on_commit_and_not_on_rollback(queue) -> None:
    client = redis.Redis.from_url(REDIS_URL)
    with transaction.atomic():
        queue_mail(to="kept@example.test", subject="Kept", body="Committed.")
        # Nothing reaches the broker while the write may still roll back.
        assert client.llen("celery") == 0 and not queue.sink.messages
    with pytest.raises(RuntimeError), transaction.atomic():
        queue_mail(to="lost@example.test", subject="Lost", body="Rolled back.")
        raise RuntimeError("the write fails")

    wait_for(lambda: delivered_to(queue, "kept@example.test"), 20, "the committed mail")
    message = OutboxMessage.objects.get()
    wait_sent(message)
    assert message.to == "kept@example.test" and message.status == "sent" and message.sent_at
    time.sleep(1)
    assert not delivered_to(queue, "lost@example.test")
    assert [m["Subject"] for m in queue.sink.messages] == ["Kept"]


def test_refused_mail_is_retried_until_taken(queue) -> None:
    queue.sink.refuse = 2
    queue_mail(to="para@example.test", subject="Your pairing", body="Hello.")
    message = OutboxMessage.objects.get()
    # Generous: the two retries take 1.5 s, but the machine may be busy.
    wait_for(
        lambda: delivered_to(queue, "para@example.test"),
        60,
        lambda: f"the retried mail; row: {OutboxMessage.objects.values().get(pk=message.pk)}",
    )
    wait_sent(message)
    assert (message.status, message.attempts, message.last_error) == ("sent", 3, "")
    assert len(queue.sink.messages) == 1


def test_a_task_run_twice_sends_once(queue) -> None:
    with transaction.atomic():
        message = queue_mail(to="once@example.test", subject="Once", body="Only once.")
    # Two more runs of the same task, on top of the one queued on commit.
    send_outbox_message.delay(message.pk)
    send_outbox_message.delay(message.pk)
    wait_for(lambda: delivered_to(queue, "once@example.test"), 20, "the mail")
    time.sleep(2)
    assert len(delivered_to(queue, "once@example.test")) == 1
    wait_sent(message)
    assert message.attempts == 1


def test_smtp_down_while_pairing_then_sent_when_back(queue, world, login) -> None:
    queue.stop()
    response = create_pairing(login(world.users["dc_own"]), world, follow=True)
    pairing = Pairing.objects.get()
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == reverse(
        "mentoring:pairing-detail", args=[pairing.uuid]
    )
    assert world.para.full_name in response.content.decode()
    # The worker has tried and is waiting to try again; nothing went out.
    wait_for(
        lambda: OutboxMessage.objects.exclude(last_error="").count() == 2, 20, "a failed attempt"
    )
    assert "ConnectionRefusedError" in OutboxMessage.objects.first().last_error
    # Between attempts "pending"; "sending" while the next one is under way.
    assert set(OutboxMessage.objects.values_list("status", flat=True)) <= {"pending", "sending"}

    queue.start()
    wait_for(lambda: len(queue.sink.messages) == 2, 40, "both pairing notices")
    assert sorted(m["To"] for m in queue.sink.messages) == sorted(
        [world.teacher.email, world.para.email]
    )
    # The worker marks a row sent just after the server accepted it: wait for that commit.
    wait_for(
        lambda: set(OutboxMessage.objects.values_list("status", flat=True)) == {"sent"},
        10,
        "both rows marked sent",
    )


def test_a_killed_workers_task_runs_again_on_another(queue, worker) -> None:
    queue.sink.stall = 1  # the first worker hangs talking to the mail server...
    message = queue_mail(to="survivor@example.test", subject="Survives", body="Still sent.")
    assert queue.sink.stalled.wait(20)
    worker.kill()  # ...and dies there, before the task was acknowledged.
    time.sleep(4)  # past the broker's visibility timeout (3 s here)
    worker.start()  # another worker takes the unacknowledged task
    wait_for(lambda: delivered_to(queue, "survivor@example.test"), 30, "the rerun task")
    wait_sent(message)
    time.sleep(1)
    assert len(delivered_to(queue, "survivor@example.test")) == 1


def test_beat_requeues_mail_whose_task_was_lost(queue) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from pilot.tasks import resend_pending_mail

    # Written, but never handed to the broker (it was down at commit), long ago.
    lost = OutboxMessage.objects.create(to="late@example.test", subject="Late", body="Still.")
    recent = OutboxMessage.objects.create(to="soon@example.test", subject="Soon", body="Soon.")
    OutboxMessage.objects.filter(pk=lost.pk).update(
        updated_at=timezone.now() - timedelta(seconds=settings.MAIL_RESEND_AFTER + 1)
    )
    assert resend_pending_mail() == 1  # the recent one may still be on its way
    wait_for(lambda: delivered_to(queue, "late@example.test"), 20, "the re-queued mail")
    wait_sent(lost)
    recent.refresh_from_db()
    assert lost.status == "sent" and recent.status == "pending"


def test_the_pdf_is_made_by_a_worker_with_its_progress_page(queue, world, login) -> None:
    from pilot.models import Job

    client = login(world.users["pc"])
    response = client.post(reverse("reports:pilot-pdf-start") + f"?cohort={world.cohort.uuid}")
    job = Job.objects.get()
    assert response["Location"] == reverse("pilot:job-detail", args=[job.uuid])
    wait_for(lambda: Job.objects.filter(pk=job.pk, status="done").exists(), 60, "the PDF job")
    page = client.get(response["Location"]).content.decode()
    assert "3 of 3 done" in page and 'http-equiv="refresh"' not in page
    pdf = client.get(reverse("pilot:job-download", args=[job.uuid]))
    assert pdf.content.startswith(b"%PDF")
