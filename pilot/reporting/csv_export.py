"""CSV downloads of report tables, safe to open in a spreadsheet, and logged."""

import csv

from django.http import HttpResponse

from pilot.audit import log_access
from pilot.models import AuditEntry, User

from .tables import Table

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: str) -> str:
    """A cell that a spreadsheet would run as a formula is prefixed with a quote."""
    if value and value.startswith(FORMULA_STARTS):
        # Plain negative numbers stay numbers: they cannot carry a formula.
        try:
            float(value)
        except ValueError:
            return "'" + value
    return value


def table_csv_response(table: Table, user: User, scope: str) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{table.slug}.csv"'
    writer = csv.writer(response)
    for row in table.as_text_rows():
        writer.writerow([neutralise(v) for v in row])
    log_access(user, AuditEntry.Action.EXPORT, f"report table {table.slug}", scope)
    return response
