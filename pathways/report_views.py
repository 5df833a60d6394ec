"""The pipeline report: the page and each of its tables as CSV."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.functional import SimpleLazyObject

from pilot.access import Capability, capability_required, staff_scope_key
from pilot.figures_cache import cached_figures, rendered_for_cache
from pilot.reporting.csv_export import table_csv_response

from . import pipeline


def _report(request: HttpRequest) -> pipeline.Report:
    # A district coordinator's report counts only their districts' paraprofessionals.
    return pipeline.for_user(request.user)


@capability_required(Capability.VIEW_PROGRAM)
def pipeline_page(request: HttpRequest) -> HttpResponse:
    # The figures are read only when the body is rendered (or something else uses them):
    # a warm page reads the body alone, cached per scope until the next write.
    report = SimpleLazyObject(lambda: _report(request))
    body = {"report": report, "csv_url_name": "pathways:pipeline-csv"}
    return render(
        request,
        "pathways/pipeline.html",
        {
            "title": "From pilot year to teaching career",
            "report": report,
            "body_html": cached_figures(
                "pipeline-html",
                (staff_scope_key(request.user),),
                lambda: rendered_for_cache("pathways/includes/pipeline_body.html", body),
            ),
        },
    )


@capability_required(Capability.VIEW_PROGRAM)
def pipeline_csv(request: HttpRequest, table: str) -> HttpResponse:
    found = _report(request).tables.get(table)
    if found is None:
        raise Http404("No such table.")
    return table_csv_response(found, request.user, "pipeline report")
