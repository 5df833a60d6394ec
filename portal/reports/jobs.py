"""The end-of-pilot report PDF as a background job (pilot.jobs): rendered for the person
who asked, with their access checked again when it runs."""

from django.http import HttpRequest, QueryDict

from pilot.access import Capability, can
from pilot.audit import log_access
from pilot.jobs import JobFailed, JobResult, Progress
from pilot.models import AuditEntry, Job

from .views import _pilot_context, pilot_pdf_bytes, pilot_pdf_name

STEPS = 3  # the figures, the PDF, the log entry


def render_pilot_pdf(job: Job, progress: Progress) -> JobResult:
    if not can(job.owner, Capability.VIEW_PILOT_REPORT):
        raise JobFailed("Your role no longer allows the end-of-pilot report: nothing was made.")
    # The report is built as for the page the owner was on: their scope, their filter.
    request = HttpRequest()
    request.GET = QueryDict(job.params.get("query", ""))
    request.user = job.owner
    progress(0, STEPS)
    context = _pilot_context(request)
    if context["report"] is None or not context["filter"].valid:
        raise JobFailed("There is no report for this choice: nothing was made.")
    progress(1, STEPS)
    pdf = pilot_pdf_bytes(context, request)
    progress(2, STEPS)
    data = context["data"]
    log_access(job.owner, AuditEntry.Action.PDF, f"end-of-pilot report, {data.cohort.name}")
    progress(STEPS, STEPS)
    return JobResult(pdf, pilot_pdf_name(data), "application/pdf", f"{len(pdf) // 1024} KB.")
