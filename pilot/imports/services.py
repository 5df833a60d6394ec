"""Preview and confirm a roster import.

``preview`` runs the kind's resource as a dry run (inside a transaction import-export
rolls back; the staff resource does not even send its rows to the database) and keeps
the parsed rows and what was found for each row in an ``ImportRun`` owned by the user.
``confirm`` runs the same rows again for real in one transaction: if any row now has an
error, or the outcome differs from what the user previewed, nothing is written and the
preview is refreshed instead.

Each row's outcome is a dict: ``{"row": spreadsheet row number, "type": "new" | "update" |
"unchanged" | "error", "label": who or what the row is, "summary": what a new row adds,
"changes": [[column, old, new]], "errors": [[column, message]]}`` (column ``""`` means the
row as a whole).
"""

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS
from django.db import transaction
from django.utils import timezone
from import_export.results import Result, RowResult

from pilot.audit import log_access
from pilot.models import AuditEntry, ImportRun, User

from .files import ROW_COLUMN, payload_dataset
from .kinds import ImportKind, get_kind

TYPES = {
    RowResult.IMPORT_TYPE_NEW: "new",
    RowResult.IMPORT_TYPE_UPDATE: "update",
    RowResult.IMPORT_TYPE_SKIP: "unchanged",
    RowResult.IMPORT_TYPE_INVALID: "error",
    RowResult.IMPORT_TYPE_ERROR: "error",
}
STALE_AFTER = timedelta(days=1)


@dataclass
class Outcome:
    rows: list[dict[str, Any]]
    problems: list[str] = field(default_factory=list)

    @property
    def counts(self) -> Counter:
        return Counter(row["type"] for row in self.rows)

    @property
    def has_errors(self) -> bool:
        return bool(self.problems) or self.counts["error"] > 0

    def signature(self) -> list[tuple]:
        return [(r["row"], r["type"], r["changes"]) for r in self.rows]


def _row_outcome(resource: Any, row_result: RowResult) -> dict[str, Any]:
    values = row_result.row_values
    errors: list[list[str]] = []
    if row_result.validation_error is not None:
        for column, messages in row_result.validation_error.message_dict.items():
            column = "" if column == NON_FIELD_ERRORS else column
            errors.extend([column, str(m)] for m in messages)
    for error in row_result.errors:  # an unexpected exception, not a validation rule
        errors.append(["", f"Could not be imported: {error.error}"])
    kind = TYPES.get(row_result.import_type, "error")
    return {
        "row": int(values.get(ROW_COLUMN) or 0),
        "type": kind,
        "label": resource.describe(values),
        "summary": resource.summary(values) if kind == "new" else "",
        "changes": row_result.diff if kind == "update" and row_result.diff else [],
        "errors": errors,
    }


def run_import(
    kind: ImportKind,
    user: User,
    payload: dict,
    *,
    dry_run: bool,
    file_name: str = "",
    progress: Callable[[int, int], None] | None = None,
) -> Outcome:
    """Import the rows (or only try, with ``dry_run``); any error rolls every row back."""
    resource = kind.resource(user, file_name=file_name)
    resource.progress = progress
    result: Result = resource.import_data(
        payload_dataset(payload),
        dry_run=dry_run,
        raise_errors=False,
        use_transactions=True,
        rollback_on_validation_errors=True,
    )
    rows = [_row_outcome(resource, r) for r in result.rows]
    problems = [f"The import failed: {e.error}" for e in result.base_errors]
    return Outcome(rows=rows, problems=problems)


def _store(run: ImportRun, outcome: Outcome) -> None:
    counts = outcome.counts
    run.outcomes = outcome.rows
    run.problems = outcome.problems
    run.new_count = counts["new"]
    run.updated_count = counts["update"]
    run.unchanged_count = counts["unchanged"]
    run.error_count = counts["error"]


def preview(
    user: User,
    kind: ImportKind,
    payload: dict,
    file_name: str,
    source: str = ImportRun.Source.FILE,
    ignored: int = 0,
) -> ImportRun:
    """A dry run of the file, kept (rows and outcomes) until the user confirms it."""
    outcome = run_import(kind, user, payload, dry_run=True, file_name=file_name)
    run = ImportRun(
        owner=user,
        owner_email=user.email,
        kind=kind.slug,
        source=source,
        file_name=file_name[:255],
        data=payload,
        ignored_count=ignored,
    )
    _store(run, outcome)
    with transaction.atomic():
        # Previews nobody confirmed within a day are dropped with the rows they hold.
        ImportRun.objects.filter(
            owner=user,
            status=ImportRun.Status.PREVIEWED,
            created_at__lt=timezone.now() - STALE_AFTER,
        ).delete()
        run.save()
    return run


@dataclass
class Confirmation:
    written: bool
    run: ImportRun
    message: str


class _NotAsPreviewed(Exception):
    def __init__(self, outcome: Outcome):
        self.outcome = outcome


def confirm(
    run: ImportRun, user: User, progress: Callable[[int, int], None] | None = None
) -> Confirmation:
    """Write every row of a previewed run in one transaction, or nothing. ``progress`` is
    told the rows done (a background job's page shows it)."""
    kind = get_kind(run.kind)
    with transaction.atomic():
        run = ImportRun.objects.select_for_update().get(pk=run.pk)
        if run.status != ImportRun.Status.PREVIEWED:
            return Confirmation(False, run, "This import was already confirmed.")
        if kind is None or not run.can_confirm:
            return Confirmation(False, run, "This file has errors: nothing was written.")
        previewed = Outcome(rows=run.outcomes, problems=run.problems)
        try:
            with transaction.atomic():
                outcome = run_import(
                    kind,
                    user,
                    run.data,
                    dry_run=False,
                    file_name=run.file_name,
                    progress=progress,
                )
                if outcome.has_errors or outcome.signature() != previewed.signature():
                    raise _NotAsPreviewed(outcome)
        except _NotAsPreviewed as changed:
            _store(run, changed.outcome)
            run.save()
            if changed.outcome.problems:
                message = "The import failed, so nothing was written: see the message below."
            else:
                message = (
                    "The records changed since the preview, so nothing was written. "
                    "Check the refreshed preview below and confirm again."
                )
            return Confirmation(False, run, message)
        _store(run, outcome)
        run.status = ImportRun.Status.CONFIRMED
        run.confirmed_at = timezone.now()
        run.data = {"ignored_columns": run.data.get("ignored_columns", [])}  # rows not kept
        run.save()
        log_access(
            user,
            AuditEntry.Action.IMPORT,
            f"{kind.label} import: {run.file_name}",
            detail=(
                f"import {run.uuid}: {run.new_count} new, {run.updated_count} updated, "
                f"{run.unchanged_count} unchanged, {run.ignored_count} ignored"
            ),
        )
    return Confirmation(
        True,
        run,
        f"Imported {run.file_name}: {run.new_count} new, {run.updated_count} updated, "
        f"{run.unchanged_count} unchanged.",
    )
