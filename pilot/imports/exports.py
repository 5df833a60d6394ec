"""Downloads of lists as CSV or XLSX, shared by every app's export pages."""

import tablib
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone

from pilot.audit import log_access
from pilot.models import AuditEntry

from .files import FORMATS
from .files import render as render_file


def file_response(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def check_format(fmt: str) -> None:
    if fmt not in FORMATS:
        raise Http404("No such format.")


def export_response(
    request: HttpRequest, dataset: tablib.Dataset, fmt: str, subject: str, stem: str
) -> HttpResponse:
    """A list as a CSV or XLSX download with its template's columns (formula-looking cells
    neutralised), logged with who, what, how many rows and the filters."""
    check_format(fmt)
    content, content_type = render_file(dataset, fmt)
    query = request.GET.urlencode()
    log_access(
        request.user,
        AuditEntry.Action.EXPORT,
        f"{subject} ({fmt})",
        detail=f"{len(dataset)} rows" + (f"; filters: {query}" if query else ""),
    )
    stamp = timezone.localdate().isoformat()
    return file_response(content, content_type, f"{stem}-{stamp}.{fmt}")
