"""/reports/ for coordinators and /reports/pilot/, the end-of-pilot report, with their CSV
tables and the PDF. Thin: the figures come from ``program`` and ``pilot_report``."""

from collections.abc import Callable
from typing import TypeVar

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.safestring import SafeString
from django.views.decorators.http import require_POST

from pilot.access import (
    Capability,
    can,
    capability_required,
    figures_scope_key,
    sees_whole_program,
    visible_districts,
)
from pilot.audit import log_access
from pilot.figures_cache import cached_figures, rendered_for_cache
from pilot.jobs import start_job
from pilot.models import AuditEntry
from pilot.reporting.csv_export import table_csv_response

from . import pilot_report, program
from .forms import ReportFilterForm, filter_data

T = TypeVar("T")


class Filter:
    """The chosen cohort and district, or the default cohort when none was chosen."""

    def __init__(self, request: HttpRequest, *, with_district: bool = True) -> None:
        self.defaulted = False
        # Wording only ("the program" or "your districts"); the scope is the queries'.
        self.whole_program = sees_whole_program(request.user)
        self.default_has_end = False
        default = None
        # The filter's choices, read once per scope and data version: the cohorts (each
        # with whether it has end-of-pilot forms, a query over the observations) and the
        # districts (152 in the state).
        scope = (figures_scope_key(request.user),)
        user = request.user
        cohorts = cached_figures("report-cohorts", scope, lambda: program.cohort_choices(user))
        districts = (
            cached_figures(
                "report-districts", scope, lambda: list(visible_districts(user).order_by("name"))
            )
            if with_district
            else None
        )
        if not request.GET.get("cohort"):
            default, self.default_has_end = program.default_cohort(cohorts)
            self.defaulted = default is not None
        self.cohorts = cohorts
        self.form = ReportFilterForm(
            filter_data(request.GET, default),
            user=request.user,
            with_district=with_district,
            cohorts=cohorts,
            districts=districts,
        )
        self.valid = self.form.is_valid()
        # A field that fails (say, a district out of scope) is left out: the page then
        # shows the whole of the user's scope, with the error on the field.
        self.cohort = self.form.cleaned_data.get("cohort")
        self.district = self.form.cleaned_data.get("district")

    @property
    def query(self) -> str:
        """The filter as a query string, for the CSV links."""
        parts = []
        if self.cohort is not None:
            parts.append(f"cohort={self.cohort.uuid}")
        if self.district is not None:
            parts.append(f"district={self.district.slug}")
        return "&".join(parts)

    def data(self, request: HttpRequest) -> program.ReportData | None:
        if self.cohort is None:
            return None
        return program.ReportData(request.user, self.cohort, self.district, self.cohorts)


def _cached(name: str, data: program.ReportData, compute: Callable[[], T]) -> T:
    """``compute()`` for this report's scope, cohort and district, cached until the next
    write (``pilot.figures_cache``). Program coordinators share one scope; anyone else's
    is their own (their districts and what their roles may see)."""
    district = data.district.pk if data.district else None
    return cached_figures(name, (figures_scope_key(data.user), data.cohort.pk, district), compute)


def _lazy_figures(name: str, data: program.ReportData, compute: Callable[[], T]) -> T:
    """The cached figures, read from the cache only when something uses them: a warm page
    shows the rendered body alone (the figures stay in the context for the tests)."""
    return SimpleLazyObject(lambda: _cached(name, data, compute))  # type: ignore[return-value]


def _scope(data: program.ReportData) -> str:
    return f"cohort {data.cohort.name}; " + (
        f"district {data.district.slug}" if data.district else "all districts in scope"
    )


def _report_body(data: program.ReportData, chosen: Filter) -> tuple[list, SafeString]:
    """The sections' figures and their rendered body, each cached under a key of its own
    (a warm page unpickles only the body, not the figures)."""
    sections = _lazy_figures("reports", data, lambda: program.report_sections(data))
    context = {"sections": sections, "filter": chosen, "data": data}
    body = _cached(
        "reports-html", data, lambda: rendered_for_cache("reports/includes/sections.html", context)
    )
    return sections, body


@capability_required(Capability.VIEW_PROGRAM)
def index(request: HttpRequest) -> HttpResponse:
    chosen = Filter(request)
    data = chosen.data(request)
    sections, body = _report_body(data, chosen) if data else ([], "")
    context = {
        "title": "Reports",
        "filter": chosen,
        "form": chosen.form,
        "data": data,
        "sections": sections,
        "sections_html": body,
        "can_see_pilot_report": can(request.user, Capability.VIEW_PILOT_REPORT),
    }
    return render(request, "reports/index.html", context)


def _csv_filter(request: HttpRequest, *, with_district: bool = True) -> program.ReportData:
    """A CSV is exactly what it says: an unknown or out-of-scope filter is a 404."""
    chosen = Filter(request, with_district=with_district)
    data = chosen.data(request)
    if not chosen.valid or data is None:
        raise Http404("No such report.")
    return data


@capability_required(Capability.VIEW_PROGRAM)
def table_csv(request: HttpRequest, slug: str) -> HttpResponse:
    build = program.sections().get(slug)
    if build is None:
        raise Http404("No such table.")
    data = _csv_filter(request)
    return table_csv_response(build(data).table, request.user, _scope(data))


def _pilot_context(request: HttpRequest) -> dict:
    chosen = Filter(request, with_district=False)
    data = chosen.data(request)
    return {
        "title": "End-of-pilot report",
        "filter": chosen,
        "form": chosen.form,
        "data": data,
        "report": (
            _lazy_figures("pilot-report", data, lambda: pilot_report.build(data)) if data else None
        ),
        "printed_on": timezone.localdate(),
    }


@capability_required(Capability.VIEW_PILOT_REPORT)
def pilot(request: HttpRequest) -> HttpResponse:
    context = _pilot_context(request)
    if context["report"] is not None:
        # The body as the page shows it (with CSV links), rendered once per data version
        # and day (it says "figures as of" the day).
        body = {key: context[key] for key in ("filter", "data", "report", "printed_on")}
        body["csv_url_name"] = "reports:pilot-table-csv"
        context["body_html"] = _cached(
            f"pilot-report-html:{context['printed_on']}",
            context["data"],
            lambda: rendered_for_cache("reports/includes/pilot_body.html", body),
        )
    return render(request, "reports/pilot.html", context)


def pilot_pdf_bytes(context: dict, request: HttpRequest) -> bytes:
    import weasyprint  # a heavy import: only the PDF needs it

    context["program_name"] = settings.PROGRAM_NAME
    html = render_to_string("reports/pilot_pdf.html", context, request=request)
    css = weasyprint.CSS(filename=finders.find("css/pilot_report_pdf.css"))
    return weasyprint.HTML(string=html).write_pdf(stylesheets=[css])


def pilot_pdf_name(data: program.ReportData) -> str:
    """Named for the years it covers, as people file it: ``pilot-report-2025-2026.pdf``."""
    first, last = data.cohort.starts_on.year, data.cohort.ends_on.year
    years = str(first) if first == last else f"{first}-{last}"
    return f"pilot-report-{years}.pdf"


@capability_required(Capability.VIEW_PILOT_REPORT)
def pilot_pdf(request: HttpRequest) -> HttpResponse:
    context = _pilot_context(request)
    if context["report"] is None or not context["filter"].valid:
        raise Http404("No such report.")
    data = context["data"]
    pdf = pilot_pdf_bytes(context, request)
    log_access(request.user, AuditEntry.Action.PDF, f"end-of-pilot report, {data.cohort.name}")
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{pilot_pdf_name(data)}"'
    return response


@require_POST
@capability_required(Capability.VIEW_PILOT_REPORT)
def pilot_pdf_start(request: HttpRequest) -> HttpResponse:
    """Prepare the PDF in the background; its progress page, then Downloads, have it."""
    chosen = Filter(request, with_district=False)
    if chosen.cohort is None or not chosen.valid:
        raise Http404("No such report.")
    job = start_job(
        owner=request.user,
        label=f"End-of-pilot report PDF, {chosen.cohort.name}",
        runner="portal.reports.jobs.render_pilot_pdf",
        params={"query": request.GET.urlencode()},
    )
    return redirect("pilot:job-detail", uuid=job.uuid)


@capability_required(Capability.VIEW_PILOT_REPORT)
def pilot_table_csv(request: HttpRequest, slug: str) -> HttpResponse:
    data = _csv_filter(request, with_district=False)
    table = pilot_report.table(data, slug)
    if table is None:
        raise Http404("No such table.")
    return table_csv_response(table, request.user, "end-of-pilot report; " + _scope(data))
