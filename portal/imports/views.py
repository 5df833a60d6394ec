"""Roster import pages (``/imports/``) and the staff list's CSV/XLSX export."""

from collections.abc import Callable
from functools import wraps
from typing import Any

import tablib
from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from pilot.access import (
    Capability,
    capability_required,
    get_visible_or_404,
    require,
    visible_districts,
)
from pilot.access.imports import visible_import_runs
from pilot.imports import services
from pilot.imports.exports import check_format, export_response, file_response
from pilot.imports.files import FORMATS
from pilot.imports.files import render as render_file
from pilot.imports.forms import ImportFileForm, OneRosterForm
from pilot.imports.kinds import STAFF, all_kinds, get_kind, import_capabilities, kinds_for
from pilot.imports.resources import StaffResource
from pilot.jobs import start_job
from pilot.models import ImportRun
from pilot.views.staff import filtered_staff

PREVIEW_PAGE_SIZE = 200
SHOW = {
    "all": "All rows",
    "error": "Errors",
    "new": "New",
    "update": "Updates",
    "unchanged": "Unchanged",
}


def import_access_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Sign-in first, then 403 unless some registered kind admits the user (checked per
    request, so kinds registered by other apps count)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return capability_required(*import_capabilities())(view)(request, *args, **kwargs)

    wrapped.capabilities = import_capabilities  # type: ignore[attr-defined]
    return wrapped


@import_access_required
def index(request: HttpRequest) -> HttpResponse:
    kinds = kinds_for(request.user)
    form = ImportFileForm(request.POST or None, request.FILES or None, kinds=kinds)
    if request.method == "POST" and form.is_valid():
        kind = form.kinds[form.cleaned_data["kind"]]
        run = services.preview(
            request.user, kind, form.cleaned_data["payload"], form.cleaned_data["file"].name
        )
        return redirect("imports:run", uuid=run.uuid)
    runs = list(visible_import_runs(request.user).defer("data", "outcomes")[:10])
    labels = {k.slug: k.label for k in all_kinds()}
    for run in runs:
        run.kind_label = labels.get(run.kind, run.kind)
    context = {
        "title": "Roster import",
        "kinds": kinds,
        "form": form,
        "runs": runs,
        "oneroster": STAFF.allows(request.user),
        "kind_labels": {k.slug: k.label for k in kinds},
    }
    return render(request, "imports/index.html", context)


@import_access_required
def oneroster(request: HttpRequest) -> HttpResponse:
    require(request.user, *STAFF.capabilities)
    form = OneRosterForm(
        request.POST or None, request.FILES or None, districts=visible_districts(request.user)
    )
    if request.method == "POST" and form.is_valid():
        staff = form.cleaned_data["staff"]
        run = services.preview(
            request.user,
            STAFF,
            staff.payload,
            form.file_label,
            source=ImportRun.Source.ONEROSTER,
            ignored=sum(staff.ignored.values()),
        )
        if staff.ignored:
            left_out = ", ".join(f"{n} {role}" for role, n in sorted(staff.ignored.items()))
            messages.info(request, f"Left out of the import (not teachers or aides): {left_out}.")
        return redirect("imports:run", uuid=run.uuid)
    context = {"form": form, "title": "Import staff from OneRoster"}
    return render(request, "imports/oneroster.html", context)


@import_access_required
def template_file(request: HttpRequest, kind: str, fmt: str) -> HttpResponse:
    found = get_kind(kind)
    if found is None or fmt not in FORMATS:
        raise Http404("No such template.")
    require(request.user, *found.capabilities)
    dataset = tablib.Dataset(found.example_row, headers=found.columns, title=found.label)
    content, content_type = render_file(dataset, fmt)
    return file_response(content, content_type, f"{found.slug}-template.{fmt}")


@import_access_required
def run_detail(request: HttpRequest, uuid: str) -> HttpResponse:
    run = get_visible_or_404(visible_import_runs(request.user), uuid=uuid)
    kind = get_kind(run.kind)
    counts = {
        "all": len(run.outcomes),
        "error": run.error_count,
        "new": run.new_count,
        "update": run.updated_count,
        "unchanged": run.unchanged_count,
    }
    show = request.GET.get("show") or ("error" if run.error_count else "all")
    if show not in SHOW:
        show = "all"
    rows = run.outcomes if show == "all" else [r for r in run.outcomes if r["type"] == show]
    page = Paginator(rows, PREVIEW_PAGE_SIZE).get_page(request.GET.get("page"))
    filters = [
        {"key": key, "label": label, "count": counts[key], "current": key == show}
        for key, label in SHOW.items()
        if key == "all" or counts[key]
    ]
    context = {
        "run": run,
        "kind_label": kind.label if kind else run.kind,
        "page": page,
        "show": show,
        "show_label": SHOW[show],
        "filters": filters,
        "query": f"show={show}",
        "ignored_columns": run.data.get("ignored_columns", []),
        "writes": run.new_count + run.updated_count,
    }
    return render(request, "imports/run.html", context)


@require_POST
@import_access_required
def run_confirm(request: HttpRequest, uuid: str) -> HttpResponse:
    run = get_visible_or_404(visible_import_runs(request.user), uuid=uuid)
    kind = get_kind(run.kind)
    if kind is not None:
        require(request.user, *kind.capabilities)
    if run.can_confirm and len(run.data.get("rows", [])) > settings.IMPORT_BACKGROUND_ROWS:
        # Long: a task writes it (still all or nothing) while its page shows the count.
        job = start_job(
            owner=request.user,
            label=f"Import of {run.file_name}",
            runner="portal.imports.jobs.confirm_import",
            params={"run": str(run.uuid)},
        )
        return redirect("pilot:job-detail", uuid=job.uuid)
    result = services.confirm(run, request.user)
    (messages.success if result.written else messages.error)(request, result.message)
    return redirect("imports:run", uuid=run.uuid)


@capability_required(Capability.VIEW_PROGRAM)
def staff_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """The filtered staff list with the staff template's columns, ready to edit and re-import."""
    check_format(fmt)
    filterset = filtered_staff(request)
    dataset = StaffResource(user=request.user).export(filterset.qs)
    return export_response(request, dataset, fmt, "staff list", "staff")
