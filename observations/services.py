"""Every write to observations, quotes and the rubric: each one keyword-only function,
one transaction; history is recorded on save.

Views parse input with the forms, then call one of these. A refusal is a
``ValidationError`` keyed by the input field it is about (or not keyed, for the
whole record); when one is raised nothing has been written. Writing to a submitted
observation is refused by the model's lock (``ObservationLocked``).
"""

from dataclasses import dataclass, field
from datetime import date, datetime

from django.apps import apps as django_apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.formats import date_format, time_format
from simple_history.utils import bulk_create_with_history

from mentoring.models import Pairing
from pilot.audit import log_access
from pilot.models import AuditEntry, User
from pilot.services.program import cohort_closed_problem, refuse_if_closed

from . import notifications
from .default_rubric import create_default_rubric
from .models import (
    Acknowledgement,
    Indicator,
    LevelDescriptor,
    Observation,
    ObservationLocked,
    Quote,
    Rating,
    ReminderSent,
    Reopening,
    Rubric,
    RubricDomain,
    unlocked,
)
from .reminders import queue_reminder
from .schedule import REMINDER_WINDOW, DueForm, due_on

Status = Observation.Status

FUTURE_DATE = "An observation records what was seen: not a future date."
STARTED_ELSEWHERE = "This observation has just been started elsewhere."
NO_REASON = "Give a reason for reopening the observation."
NOT_SUBMITTED_TO_REOPEN = "Only a submitted observation can be reopened."
NOT_SUBMITTED_TO_ACKNOWLEDGE = "Only a submitted observation can be acknowledged."
ALREADY_ACKNOWLEDGED = "You have already acknowledged this observation."
NOT_SUBMITTED_TO_DECIDE = "Quotes can be approved only once the observation is submitted."
NO_QUOTE_CHOSEN = "Tick the quotes to approve first."
QUOTE_WITHDRAWN = (
    "No longer waiting for your approval (the teacher may have withdrawn it). Nothing was approved."
)
QUOTE_REWORDED = (
    "The teacher changed these words after this page was loaded: read them again. "
    "Nothing was approved."
)


class StaleObservation(ValidationError):
    """The draft was saved elsewhere after this copy was loaded."""

    def __init__(self, current: Observation) -> None:
        self.current = current
        when = timezone.localtime(current.updated_at)
        who = f" by {current.updated_by}" if current.updated_by_id else ""
        super().__init__(
            f"This observation was saved elsewhere{who} at {time_format(when)} after you opened "
            "it, so your changes were not saved and nothing was overwritten. Open the "
            "observation again to see the latest version, then make your changes there.",
            code="stale",
        )


class IncompleteObservation(ValidationError):
    """Submitting needs every indicator rated (``missing``, in rubric order)."""

    def __init__(self, missing: list[Indicator]) -> None:
        self.missing = missing
        super().__init__(
            f"Not submitted: rate every indicator first ({len(missing)} "
            f"still unrated). Nothing was saved.",
            code="incomplete",
        )


def _observed_on_problem(pairing: Pairing, observed_on: date) -> str | None:
    if observed_on > timezone.localdate():
        return FUTURE_DATE
    if not pairing.starts_on <= observed_on <= pairing.ends_on:
        return (
            f"Choose a date within the pairing ({date_format(pairing.starts_on)} – "
            f"{date_format(pairing.ends_on)})."
        )
    return None


def _quote_problems(texts: dict[str, str], quotable: set[str]) -> dict[str, str]:
    """Comment name -> why it cannot be quoted, for each consented comment too long."""
    problems = {}
    for name in Observation.COMMENT_FIELDS:
        too_long = Quote.too_long(name, texts.get(name, "")) if name in quotable else None
        if too_long:
            problems[name] = too_long
    return problems


# --- the rubric ----------------------------------------------------------------------


def ensure_rubric() -> Rubric:
    """The current rubric, re-creating version 1 if it is missing (e.g. after a test
    database was flushed); a migrated database always has it."""
    rubric = Rubric.objects.current()
    if rubric is None:
        create_default_rubric(django_apps, None)
        rubric = Rubric.objects.current()
    return rubric


@dataclass
class IndicatorEdit:
    statement: str
    descriptors: list[str]  # levels 1–4


@transaction.atomic
def publish_rubric(
    *, user: User, title: str, notes: str, edits: dict[int, IndicatorEdit] | None = None
) -> Rubric:
    """Copy the current rubric into the next version, with the wording changes in
    ``edits`` (by the current version's indicator id). Existing observations keep the
    version they were written on; new ones use the new version."""
    edits = edits or {}
    current = Rubric.objects.select_for_update().order_by("-version").first()
    if current is None:
        current = ensure_rubric()
    new = Rubric.objects.create(
        version=current.version + 1, title=title, notes=notes, published_by=user
    )
    for domain in current.domains.order_by("position").prefetch_related("indicators__descriptors"):
        new_domain = RubricDomain.objects.create(
            rubric=new, question=domain.question, position=domain.position
        )
        for indicator in domain.indicators.all():
            edit = edits.get(indicator.pk)
            descriptors = {d.level: d.text for d in indicator.descriptors.all()}
            if edit is not None:
                descriptors = dict(enumerate(edit.descriptors, start=1))
            new_indicator = Indicator.objects.create(
                rubric=new,
                domain=new_domain,
                key=indicator.key,
                statement=edit.statement if edit else indicator.statement,
                position=indicator.position,
            )
            LevelDescriptor.objects.bulk_create(
                LevelDescriptor(indicator=new_indicator, level=level, text=text)
                for level, text in sorted(descriptors.items())
            )
    return new


# --- writing an observation ----------------------------------------------------------


def start_observation(*, pairing: Pairing, kind: str, observed_on: date, user: User) -> Observation:
    """A draft on the current rubric, with an empty rating for each of its indicators.
    A kind already started is refused by the database (``one_observation_per_kind``)."""
    refuse_if_closed(pairing.cohort)
    problem = _observed_on_problem(pairing, observed_on)
    if problem:
        raise ValidationError({"observed_on": problem})
    try:
        with transaction.atomic():
            rubric = ensure_rubric()
            observation = Observation.objects.create(
                pairing=pairing, kind=kind, observed_on=observed_on, rubric=rubric, updated_by=user
            )
            bulk_create_with_history(
                [Rating(observation=observation, indicator=i) for i in rubric.indicators.all()],
                Rating,
                default_user=user,
            )
    except IntegrityError as clash:
        if "one_observation_per_kind" not in str(clash):
            raise
        raise ValidationError({"kind": STARTED_ELSEWHERE}) from clash
    return observation


@dataclass
class ObservationInput:
    observed_on: date
    ratings: dict[int, tuple[int | None, str]]  # indicator id -> (score, evidence)
    comments: dict[str, str]  # strengths, growth, next_steps
    quotable: set[str] = field(default_factory=set)  # comment fields the teacher consents to


@transaction.atomic
def save_observation(
    *,
    observation: Observation,
    user: User,
    version: int,
    data: ObservationInput,
    submit: bool = False,
) -> Observation:
    """Save a draft (and submit it when ``submit``).

    Refused, writing nothing, when the observation is no longer a draft
    (``ObservationLocked``), when it was saved after ``version`` was loaded
    (``StaleObservation``), when the date or a quotable comment is refused (keyed
    ``observed_on`` / ``quotable_<comment>``), or when submitting with an indicator
    unrated (``IncompleteObservation``).
    """
    refuse_if_closed(observation.pairing.cohort)
    current = (
        Observation.objects.select_for_update(of=("self",))
        .select_related("pairing__paraprofessional__user", "updated_by")
        .get(pk=observation.pk)
    )
    if current.status != Status.DRAFT:
        raise ObservationLocked()
    if current.version != version:
        raise StaleObservation(current)
    problems = {
        f"quotable_{name}": message
        for name, message in _quote_problems(
            {name: text.strip() for name, text in data.comments.items()}, data.quotable
        ).items()
    }
    date_problem = _observed_on_problem(current.pairing, data.observed_on)
    if date_problem:
        problems["observed_on"] = date_problem
    if problems:
        raise ValidationError(problems)
    ratings = {r.indicator_id: r for r in current.ratings.select_related("indicator__domain")}
    if submit:
        missing = [
            r.indicator
            for indicator_id, r in ratings.items()
            if not data.ratings.get(indicator_id, (None, ""))[0]
        ]
        if missing:
            missing.sort(key=lambda i: (i.domain.position, i.position))
            raise IncompleteObservation(missing)

    for indicator_id, rating in ratings.items():
        score, evidence = data.ratings.get(indicator_id, (None, ""))
        evidence = evidence.strip()
        if rating.score != score or rating.evidence != evidence:
            rating.score, rating.evidence = score, evidence
            rating.save(update_fields=["score", "evidence"])

    current.observed_on = data.observed_on
    for name in Observation.COMMENT_FIELDS:
        setattr(current, name, data.comments.get(name, "").strip())
    current.version += 1
    current.updated_by = user
    if submit:
        current.status = Status.SUBMITTED
        current.submitted_at = timezone.now()
    current.save()
    _sync_quotes(current, data.quotable, user)
    if submit:
        notifications.observation_submitted(current)
    return current


def _sync_quotes(observation: Observation, quotable: set[str], user: User) -> None:
    """Keep one quote per comment the teacher consents to, holding the comment's words.
    Changed words go back to waiting for approval; withdrawn consent removes the quote.
    The callers have refused comments too long to quote."""
    existing = {q.comment: q for q in observation.quotes.all()}
    for name in Observation.COMMENT_FIELDS:
        text = getattr(observation, name)
        quote = existing.get(name)
        if name not in quotable or not text:
            if quote is not None:
                quote.delete()
            continue
        if quote is None:
            Quote.objects.create(
                observation=observation, comment=name, text=text, consented_by=user
            )
        elif quote.text != text:
            quote.text = text
            quote.status = Quote.Status.PENDING
            quote.decided_by = quote.decided_at = None
            quote.consented_by = user
            quote.save()


@transaction.atomic
def set_quote_consent(*, observation: Observation, user: User, comments: set[str]) -> None:
    """The teacher marks which comments may be quoted (after submitting, too: consent is
    not part of the observation's content). Refused (``comments``) for a comment too long
    to quote."""
    refuse_if_closed(observation.pairing.cohort)
    current = Observation.objects.select_for_update(of=("self",)).get(pk=observation.pk)
    texts = {name: getattr(current, name) for name in Observation.COMMENT_FIELDS}
    problems = _quote_problems(texts, comments)
    if problems:
        raise ValidationError({"comments": list(problems.values())})
    _sync_quotes(current, comments, user)


@transaction.atomic
def decide_quote(*, quote: Quote, user: User, approve: bool | None) -> Quote:
    """Approve or decline a quote; ``approve=None`` undoes a decision (a decline made by
    mistake), putting the quote back to wait for approval."""
    refuse_if_closed(quote.observation.pairing.cohort)
    current = (
        Quote.objects.select_for_update(of=("self",)).select_related("observation").get(pk=quote.pk)
    )
    if not current.observation.is_submitted:
        raise ValidationError(NOT_SUBMITTED_TO_DECIDE)
    return _decide(current, user, approve)


@transaction.atomic
def approve_quotes(*, quotes: QuerySet[Quote], seen: dict[str, datetime], user: User) -> int:
    """Approve several quotes waiting for approval at once: ``seen`` maps each chosen
    quote's UUID to its ``updated_at`` when the page showing it was loaded, and ``quotes``
    are the ones this user may decide. Each is decided as ``decide_quote`` does, all in
    one transaction: when any one cannot be (withdrawn, decided or reworded since, of a
    closed cohort), a ``ValidationError`` keyed by that quote's UUID is raised and nothing
    is written. Returns how many were approved."""
    if not seen:
        raise ValidationError(NO_QUOTE_CHOSEN)
    current = {
        str(q.uuid): q
        for q in quotes.filter(uuid__in=list(seen))
        .select_for_update(of=("self",))
        .select_related("observation__pairing__cohort", "decided_by")
        .order_by("pk")
    }
    problems = {}
    for uuid, seen_at in seen.items():
        quote = current.get(uuid)
        if quote is None:
            problems[uuid] = QUOTE_WITHDRAWN
        elif problem := cohort_closed_problem(quote.observation.pairing.cohort):
            problems[uuid] = problem
        elif not quote.observation.is_submitted:
            problems[uuid] = NOT_SUBMITTED_TO_DECIDE
        elif quote.status != Quote.Status.PENDING:
            who = f" by {quote.decided_by}" if quote.decided_by_id else ""
            problems[uuid] = f"Already {quote.get_status_display().lower()}{who} meanwhile."
        elif quote.updated_at != seen_at:
            problems[uuid] = QUOTE_REWORDED
    if problems:
        raise ValidationError(problems)
    for quote in current.values():
        _decide(quote, user, True)
    return len(current)


def _decide(current: Quote, user: User, approve: bool | None) -> Quote:
    if approve is None:
        current.status, current.decided_by, current.decided_at = Quote.Status.PENDING, None, None
    else:
        current.status = Quote.Status.APPROVED if approve else Quote.Status.DECLINED
        current.decided_by = user
        current.decided_at = timezone.now()
    current.save()
    return current


# --- after submitting ----------------------------------------------------------------


@transaction.atomic
def acknowledge_observation(
    *, observation: Observation, user: User, response: str
) -> Acknowledgement:
    """The paraprofessional's receipt (received, not agreed), with an optional response."""
    refuse_if_closed(observation.pairing.cohort)
    current = (
        Observation.objects.select_for_update(of=("self",))
        .select_related("pairing__teacher__user", "pairing__paraprofessional")
        .get(pk=observation.pk)
    )
    if not current.is_submitted:
        raise ValidationError(NOT_SUBMITTED_TO_ACKNOWLEDGE)
    if Acknowledgement.objects.filter(observation=current).exists():
        raise ValidationError(ALREADY_ACKNOWLEDGED)
    acknowledgement = Acknowledgement.objects.create(
        observation=current, acknowledged_by=user, response=response.strip()
    )
    notifications.observation_acknowledged(current)
    return acknowledgement


@transaction.atomic
def send_tracker_reminder(*, pairing: Pairing, kind: str, user: User) -> ReminderSent:
    """A coordinator reminds the teacher, from the tracker, about one form due within the
    reminder window or overdue: queued through the outbox like the daily reminders, and
    logged. At most once a day per form (counting the daily reminder): a second attempt
    the same day is refused, sending nothing."""
    refuse_if_closed(pairing.cohort)
    current = (
        Pairing.objects.select_for_update(of=("self",))
        .select_related("teacher__user", "paraprofessional")
        .get(pk=pairing.pk)
    )
    today = timezone.localdate()
    observation = current.observations.filter(kind=kind).first()
    form = DueForm(current, kind, due_on(current, kind), observation)
    if form.is_done:
        raise ValidationError(f"The {form.kind_label.lower()} observation is submitted already.")
    if not form.is_due_soon(today):
        raise ValidationError(
            f"The {form.kind_label.lower()} observation is not due until "
            f"{date_format(form.due_on)}: reminders go from {REMINDER_WINDOW.days} days before."
        )
    last = ReminderSent.objects.filter(pairing=current, kind=kind, sent_on=today).first()
    if last is not None:
        raise ValidationError(
            f"A reminder about this form went to {last.sent_to} today at "
            f"{time_format(timezone.localtime(last.sent_at))}: one a day per form. "
            "Nothing was sent."
        )
    to = notifications.staff_email(current.teacher)
    if not to:
        raise ValidationError(f"{current.teacher} has no email address: nothing was sent.")
    (sent,) = queue_reminder(to=to, forms=[form], today=today, sent_by=user)
    log_access(
        user,
        AuditEntry.Action.REMINDER,
        f"{form.kind_label} observation of {current.paraprofessional} ({current.uuid})",
        detail=f"Reminder to {to}, due {form.due_on.isoformat()}.",
    )
    return sent


@transaction.atomic
def reopen_observation(*, observation: Observation, user: User, reason: str) -> Reopening:
    """A coordinator makes a submitted observation a draft again, with a reason. The
    reopening is recorded (with the acknowledgement it clears) and logged."""
    refuse_if_closed(observation.pairing.cohort)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": NO_REASON})
    current = (
        Observation.objects.select_for_update(of=("self",))
        .select_related("pairing__teacher__user", "pairing__paraprofessional")
        .get(pk=observation.pk)
    )
    if not current.is_submitted:
        raise ValidationError(NOT_SUBMITTED_TO_REOPEN)
    acknowledgement = Acknowledgement.objects.filter(observation=current).first()
    reopening = Reopening.objects.create(
        observation=current,
        reopened_by=user,
        reason=reason,
        previously_submitted_at=current.submitted_at,
        cleared_acknowledged_at=acknowledgement.acknowledged_at if acknowledgement else None,
        cleared_response=acknowledgement.response if acknowledgement else "",
    )
    if acknowledgement is not None:
        acknowledgement.delete()
    current.status = Status.DRAFT
    current.submitted_at = None
    current.version += 1
    current.updated_by = user
    with unlocked(current):
        current.save()
    log_access(
        user,
        AuditEntry.Action.REOPEN,
        f"{current.get_kind_display()} observation {current.uuid} of "
        f"{current.pairing.paraprofessional}",
        detail=reason,
    )
    notifications.observation_reopened(current, reason)
    return reopening
