"""Change history for a record's page: who changed what, and when, field by field.

Any model with ``history = HistoricalRecords()`` can show its history with::

    from pilot.history import history_for
    context["history"] = history_for(request.user, pairing)   # None unless allowed

and ``{% include "includes/history.html" %}`` in its template. Records that belong to it
(an observation's ratings) can join the same table with ``related=[Related(...)]``.
The rows are built with a fixed number of queries: one per history table read (with who
made each change), one more per table whose oldest rows read need the versions before them
(a table of many records), plus one per foreign key whose value changed (to name the
related records), however long the history.
"""

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db import models
from django.db.models import OuterRef, Q, Subquery
from django.utils import formats, timezone

from pilot.access import Capability, can
from pilot.models import User

# Bookkeeping fields that change on every save and say nothing to a reader.
DEFAULT_EXCLUDE = frozenset({"id", "uuid", "created_at", "updated_at"})
DEFAULT_LIMIT = 50
EMPTY = "—"
ACTIONS = {"+": "Created", "~": "Changed", "-": "Deleted"}

Formatters = dict[str, Callable[[Any], str]]


@dataclass(frozen=True)
class FieldChange:
    label: str
    old: str
    new: str


@dataclass(frozen=True)
class HistoryRow:
    when: datetime
    who: str
    who_email: str
    action: str
    changes: list[FieldChange]
    reason: str
    subject: str = ""  # which dependent record the row is about; "" for the record itself


@dataclass(frozen=True)
class History:
    subject: str
    rows: list[HistoryRow] = field(default_factory=list)
    has_more: bool = False
    limit: int = DEFAULT_LIMIT


@dataclass(frozen=True)
class Related:
    """Dependent records shown in the same history, e.g. an observation's ratings:
    ``Related(Rating.history.filter(observation_id=obs.id).select_related("indicator"),
    label=lambda record: f"Rating: {record.indicator}")``."""

    records: models.QuerySet
    label: Callable[[Any], str]
    exclude: frozenset[str] = DEFAULT_EXCLUDE
    formatters: Formatters = field(default_factory=dict)


def history_for(
    user: User | AnonymousUser, instance: models.Model, **options: Any
) -> History | None:
    """The history of ``instance`` if ``user`` may see change history, else None."""
    if not can(user, Capability.VIEW_HISTORY):
        return None
    return build_history(instance, **options)


def build_history(
    instance: models.Model,
    *,
    limit: int = DEFAULT_LIMIT,
    exclude: frozenset[str] | set[str] = DEFAULT_EXCLUDE,
    formatters: Formatters | None = None,
    related: Sequence[Related] = (),
    own: bool = True,
    subject: str | None = None,
) -> History:
    """The newest ``limit`` history rows of ``instance`` (and ``related`` records), newest
    first, with field diffs.

    ``exclude`` names fields not worth showing; ``formatters`` maps a field name to a
    function that turns one stored value into text (e.g. a list of choice codes).
    ``own=False`` leaves out the instance's own changes and shows only the ``related``
    records (e.g. a paraprofessional's coursework on their progress page); ``subject``
    names what the table is about (``str(instance)`` by default).
    """
    own_stream = (
        Related(instance.history.all(), lambda _: "", frozenset(exclude), formatters or {})
        if own
        else None
    )
    streams = ([own_stream] if own_stream else []) + list(related)

    pending = []  # (record, subject, [(field, old, new)], formatters)
    related_ids: dict[models.Field, set[Any]] = defaultdict(set)
    has_more = False
    for stream in streams:
        model = stream.records.model.instance_type
        tracked = [
            f
            for f in model._meta.concrete_fields
            if f.name not in stream.exclude and not f.primary_key
        ]
        records = list(
            stream.records.select_related("history_user").order_by("-history_date", "-history_id")[
                : limit + 1
            ]
        )
        has_more = has_more or len(records) > limit
        previous = _previous_versions(records, model._meta.pk.attname)
        shown = records[:limit]
        earliest = [r for r in shown if r.history_type == "~" and r.history_id not in previous]
        if earliest:
            previous.update(
                _versions_before(stream.records.model, earliest, model._meta.pk.attname)
            )
        for record in records[:limit]:
            changes = []
            before = previous.get(record.history_id)
            if before is not None and record.history_type == "~":
                for f in tracked:
                    old, new = getattr(before, f.attname), getattr(record, f.attname)
                    if old != new:
                        changes.append((f, old, new))
                        if f.is_relation:
                            related_ids[f].update(v for v in (old, new) if v is not None)
            label = stream.label(record) if stream is not own_stream else ""
            pending.append((record, label, changes, stream.formatters))

    pending.sort(key=lambda item: (item[0].history_date, item[0].history_id), reverse=True)
    has_more = has_more or len(pending) > limit
    pending = pending[:limit]

    names = {
        f: {
            pk: str(obj)
            for pk, obj in f.related_model._base_manager.filter(pk__in=ids).in_bulk().items()
        }
        for f, ids in related_ids.items()
    }
    rows = []
    for record, label, changes, stream_formatters in pending:
        who = record.history_user
        rows.append(
            HistoryRow(
                when=record.history_date,
                who=who.get_full_name() if who else "System",
                who_email=who.email if who and who.get_full_name() != who.email else "",
                action=ACTIONS.get(record.history_type, record.history_type),
                changes=[
                    FieldChange(
                        label=str(f.verbose_name).capitalize(),
                        old=_display(f, old, names.get(f, {}), stream_formatters.get(f.name)),
                        new=_display(f, new, names.get(f, {}), stream_formatters.get(f.name)),
                    )
                    for f, old, new in changes
                ],
                reason=record.history_change_reason or "",
                subject=label,
            )
        )
    return History(
        subject=str(instance) if subject is None else subject,
        rows=rows,
        has_more=has_more,
        limit=limit,
    )


def _versions_before(
    history_model: type[models.Model], records: list[Any], pk_attname: str
) -> dict[int, Any]:
    """For changes whose previous version is older than the rows read (a stream of many
    records, e.g. every enrollment of a person), that version: one query in all."""
    manager = history_model._default_manager
    before = (
        manager.filter(**{pk_attname: OuterRef(pk_attname)})
        .filter(
            Q(history_date__lt=OuterRef("history_date"))
            | Q(history_date=OuterRef("history_date"), history_id__lt=OuterRef("history_id"))
        )
        .order_by("-history_date", "-history_id")
        .values("history_id")[:1]
    )
    wanted = manager.filter(history_id__in=[r.history_id for r in records]).annotate(
        previous_id=Subquery(before)
    )
    # Within the rows read, each object's versions are its newest ones, so only its oldest
    # read version can lack the one before it: one version per object is looked up.
    by_object = {getattr(r, pk_attname): r.history_id for r in records}
    return {
        by_object[getattr(version, pk_attname)]: version
        for version in manager.filter(history_id__in=wanted.values("previous_id"))
    }


def _previous_versions(records: list[Any], pk_attname: str) -> dict[int, Any]:
    """For each history record (newest first), the version of the same object before it."""
    previous: dict[int, Any] = {}
    last_seen: dict[Any, Any] = {}
    for record in reversed(records):  # oldest first
        key = getattr(record, pk_attname)
        if key in last_seen:
            previous[record.history_id] = last_seen[key]
        last_seen[key] = record
    return previous


def _display(
    f: models.Field,
    value: Any,
    related_names: dict[Any, str],
    formatter: Callable[[Any], str] | None,
) -> str:
    if value is None or value == "" or value == []:
        return EMPTY
    if formatter is not None:
        return formatter(value)
    if f.is_relation:
        return related_names.get(value, "(removed)")
    if f.choices:
        return str(dict(f.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime):
        return formats.date_format(timezone.localtime(value), "DATETIME_FORMAT")
    if isinstance(value, date):
        return formats.date_format(value, "DATE_FORMAT")
    if isinstance(value, list | tuple):
        return ", ".join(str(item) for item in value)
    return str(value)
