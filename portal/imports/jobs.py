"""Confirming a long import as a background job (pilot.jobs): the same all-or-nothing
``confirm`` as the page's, told the rows done; the owner's access is checked again."""

from django.urls import reverse

from pilot.access import can
from pilot.access.imports import visible_import_runs
from pilot.imports import services
from pilot.imports.kinds import get_kind
from pilot.jobs import JobFailed, JobResult, Progress
from pilot.models import Job


def confirm_import(job: Job, progress: Progress) -> JobResult:
    run = visible_import_runs(job.owner).filter(uuid=job.params.get("run")).first()
    if run is None:
        raise JobFailed("That import is no longer there: nothing was written.")
    kind = get_kind(run.kind)
    if kind is not None and not can(job.owner, *kind.capabilities):
        raise JobFailed("Your role no longer allows this import: nothing was written.")
    result = services.confirm(run, job.owner, progress=progress)
    link = reverse("imports:run", args=[run.uuid])
    if not result.written:
        raise JobFailed(result.message, link=link)
    return JobResult(message=result.message, link=link)
