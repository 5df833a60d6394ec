"""The pipeline report: the page and each of its tables as CSV."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from pilot.access import Capability, capability_required
from pilot.reporting.csv_export import table_csv_response

from . import pipeline


def _report(request: HttpRequest) -> pipeline.Report:
    # A district coordinator's report counts only their districts' paraprofessionals.
    return pipeline.for_user(request.user)


@capability_required(Capability.VIEW_PROGRAM)
def pipeline_page(request: HttpRequest) -> HttpResponse:
    report = _report(request)
    return render(
        request,
        "pathways/pipeline.html",
        {
            "title": "From pilot year to teaching career",
            "report": report,
            "csv_url_name": "pathways:pipeline-csv",
        },
    )


@capability_required(Capability.VIEW_PROGRAM)
def pipeline_csv(request: HttpRequest, table: str) -> HttpResponse:
    found = _report(request).tables.get(table)
    if found is None:
        raise Http404("No such table.")
    return table_csv_response(found, request.user, "pipeline report")
