"""A user's long jobs: the list of downloads, one job's progress (refreshed without
JavaScript while it runs), and its file. Each belongs to whoever started it (else 404)."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from pilot.access import get_visible_or_404
from pilot.access.jobs import visible_jobs
from pilot.jobs import progress_of

REFRESH_SECONDS = 2


@login_required
def job_list(request: HttpRequest) -> HttpResponse:
    jobs = visible_jobs(request.user).defer("result", "params")[:30]
    return render(request, "pilot/job_list.html", {"jobs": jobs})


@never_cache
@login_required
def job_detail(request: HttpRequest, uuid: str) -> HttpResponse:
    job = get_visible_or_404(visible_jobs(request.user).defer("result"), uuid=uuid)
    done, total = progress_of(job)
    context = {
        "job": job,
        "done": done,
        "total": total,
        "percent": round(100 * done / total) if total else 0,
        "refresh": None if job.finished else REFRESH_SECONDS,
    }
    return render(request, "pilot/job_detail.html", context)


@login_required
def job_download(request: HttpRequest, uuid: str) -> HttpResponse:
    job = get_visible_or_404(visible_jobs(request.user), uuid=uuid)
    if job.result is None:
        raise Http404("Not ready.")
    response = HttpResponse(bytes(job.result), content_type=job.result_type)
    response["Content-Disposition"] = f'attachment; filename="{job.result_name}"'
    return response
