"""Long jobs: ``start_job`` records one and queues it after commit (a worker with
REDIS_URL, else right here after the commit); ``run_job`` calls its runner, which reports
progress and returns the file the user downloads. A runner raises ``JobFailed`` with a
message for the user; anything else is logged and reported as an unexpected failure."""

import contextlib
import logging
from collections.abc import Callable
from dataclasses import dataclass

import redis
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from pilot import broker, limits
from pilot.models import Job, User

log = logging.getLogger(__name__)

Progress = Callable[[int, int], None]


class JobFailed(Exception):
    """The job could not be done; the message is shown to its owner (with ``link``, the
    page that says more)."""

    def __init__(self, message: str, link: str = "") -> None:
        super().__init__(message)
        self.link = link


@dataclass(frozen=True)
class JobResult:
    """A file to download, or (``link``) the page where what the job wrote is shown."""

    content: bytes | None = None
    name: str = ""
    content_type: str = ""
    message: str = ""
    link: str = ""


def start_job(*, owner: User, label: str, runner: str, params: dict) -> Job:
    job = Job.objects.create(owner=owner, label=label, runner=runner, params=params)
    transaction.on_commit(lambda: dispatch(job.pk))
    return job


def dispatch(pk: int) -> None:
    if settings.REDIS_URL:
        from pilot.tasks import run_job_task

        try:
            run_job_task.delay(pk)
            return
        except Exception:  # the broker is down: do it here rather than never
            log.warning("Could not queue job %s; running it in-process.", pk, exc_info=True)
    run_job(pk)


def _progress_key(pk: int) -> str:
    return f"pilot:job:{pk}:progress"


def _progress(pk: int) -> Progress:
    def report(done: int, total: int) -> None:
        Job.objects.filter(pk=pk).update(done=done, total=total, updated_at=timezone.now())
        redis_client = broker.client()
        if connection.in_atomic_block and redis_client is not None:
            # All-or-nothing work: the row above is invisible until it commits, so the
            # count also goes to Redis (without one the job runs in the request anyway).
            with contextlib.suppress(redis.RedisError):  # not worth failing the job for
                redis_client.set(_progress_key(pk), f"{done}/{total}", ex=24 * 3600)

    return report


def progress_of(job: Job) -> tuple[int, int]:
    """(done, total) of a job: from Redis while its transaction is open, else its row."""
    redis_client = broker.client()
    if not job.finished and redis_client is not None:
        try:
            noted = redis_client.get(_progress_key(job.pk))
        except redis.RedisError:
            noted = None
        if noted:
            done, _, total = noted.decode().partition("/")
            return int(done), int(total)
    return job.done, job.total


def run_job(pk: int) -> None:
    """Run a queued job (or one whose worker died while running it) to its end."""
    with transaction.atomic():
        job = Job.objects.select_for_update().filter(pk=pk).first()
        if job is None or job.finished:
            return
        job.status = Job.Status.RUNNING
        job.save(update_fields=["status", "updated_at"])
    try:
        result: JobResult = import_string(job.runner)(job, _progress(pk))
    except JobFailed as failure:
        _finish(pk, status=Job.Status.FAILED, message=str(failure), link=failure.link)
        return
    except Exception:
        log.exception("Job %s (%s) failed", pk, job.runner)
        _finish(pk, status=Job.Status.FAILED, message="It failed unexpectedly: try again later.")
        return
    _finish(
        pk,
        status=Job.Status.DONE,
        message=result.message,
        result=result.content,
        result_name=result.name,
        result_type=result.content_type,
        link=result.link,
    )


def _finish(pk: int, **fields: object) -> None:
    if isinstance(fields.get("message"), str):
        fields["message"] = fields["message"][: limits.SYSTEM_MESSAGE]
    Job.objects.filter(pk=pk).update(
        finished_at=timezone.now(), updated_at=timezone.now(), **fields
    )
