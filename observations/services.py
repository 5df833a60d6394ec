"""Every write to observations, quotes and the rubric: each one transaction.

Views validate input with the forms, then call one of these. Refusals are exceptions the
views turn into messages; when one is raised nothing has been written.
"""

import importlib
from dataclasses import dataclass, field
from datetime import date

from django.apps import apps as django_apps
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from mentoring.models import Pairing
from pilot.audit import log_access
from pilot.models import AuditEntry, User

from . import notifications
from .models import (
    Acknowledgement,
    Indicator,
    LevelDescriptor,
    Observation,
    ObservationLocked,
    Quote,
    Rating,
    Reopening,
    Rubric,
    RubricDomain,
    unlocked,
)

Status = Observation.Status


class ObservationError(Exception):
    """A refused change; the message says why, for the person who asked."""


class StaleObservation(ObservationError):
    """The draft was saved elsewhere after this copy was loaded."""

    def __init__(self, current: Observation) -> None:
        self.current = current
        when = timezone.localtime(current.updated_at)
        who = f" by {current.updated_by}" if current.updated_by_id else ""
        super().__init__(
            f"This observation was saved elsewhere{who} at {when:%-I:%M %p} after you opened "
            "it, so your changes were not saved and nothing was overwritten. Open the "
            "observation again to see the latest version, then make your changes there."
        )


class IncompleteObservation(ObservationError):
    """Submitting needs every indicator rated."""

    def __init__(self, missing: list[Indicator]) -> None:
        self.missing = missing
        super().__init__(
            f"Not submitted: rate every indicator first ({len(missing)} "
            f"still unrated). Nothing was saved."
        )


# --- the rubric ----------------------------------------------------------------------


def ensure_rubric() -> Rubric:
    """The current rubric, re-creating version 1 if it is missing (e.g. after a test
    database was flushed); a migrated database always has it."""
    rubric = Rubric.objects.current()
    if rubric is None:
        migration = importlib.import_module("observations.migrations.0002_default_rubric")
        migration.create_default_rubric(django_apps, None)
        rubric = Rubric.objects.current()
    return rubric


@dataclass
class IndicatorEdit:
    statement: str
    descriptors: list[str]  # levels 1–4


@transaction.atomic
def publish_rubric(
    user: User, title: str, notes: str, edits: dict[int, IndicatorEdit] | None = None
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


@transaction.atomic
def start_observation(pairing: Pairing, kind: str, observed_on: date, user: User) -> Observation:
    """A draft on the current rubric, with an empty rating for each of its indicators."""
    rubric = ensure_rubric()
    observation = Observation.objects.create(
        pairing=pairing, kind=kind, observed_on=observed_on, rubric=rubric, updated_by=user
    )
    bulk_create_with_history(
        [Rating(observation=observation, indicator=i) for i in rubric.indicators.all()],
        Rating,
        default_user=user,
    )
    return observation


@dataclass
class ObservationInput:
    observed_on: date
    ratings: dict[int, tuple[int | None, str]]  # indicator id -> (score, evidence)
    comments: dict[str, str]  # strengths, growth, next_steps
    quotable: set[str] = field(default_factory=set)  # comment fields the teacher consents to


@transaction.atomic
def save_observation(
    observation: Observation,
    user: User,
    *,
    version: int,
    data: ObservationInput,
    submit: bool = False,
) -> Observation:
    """Save a draft (and submit it when ``submit``).

    Refused, writing nothing, when the observation is no longer a draft
    (``ObservationLocked``), when it was saved after ``version`` was loaded
    (``StaleObservation``), or when submitting with an indicator unrated
    (``IncompleteObservation``).
    """
    current = (
        Observation.objects.select_for_update(of=("self",))
        .select_related("pairing__paraprofessional__user", "updated_by")
        .get(pk=observation.pk)
    )
    if current.status != Status.DRAFT:
        raise ObservationLocked()
    if current.version != version:
        raise StaleObservation(current)
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
    Changed words go back to waiting for approval; withdrawn consent removes the quote."""
    existing = {q.comment: q for q in observation.quotes.all()}
    for name in Observation.COMMENT_FIELDS:
        text = getattr(observation, name)
        quote = existing.get(name)
        if name not in quotable or not text:
            if quote is not None:
                quote.delete()
            continue
        too_long = Quote.too_long(name, text)
        if too_long:
            raise ObservationError(too_long)
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
def set_quote_consent(observation: Observation, user: User, quotable: set[str]) -> None:
    """The teacher marks which comments may be quoted (after submitting, too: consent is
    not part of the observation's content)."""
    current = Observation.objects.select_for_update(of=("self",)).get(pk=observation.pk)
    _sync_quotes(current, quotable, user)


@transaction.atomic
def decide_quote(quote: Quote, user: User, approve: bool) -> Quote:
    current = (
        Quote.objects.select_for_update(of=("self",)).select_related("observation").get(pk=quote.pk)
    )
    if not current.observation.is_submitted:
        raise ObservationError("Quotes can be approved only once the observation is submitted.")
    current.status = Quote.Status.APPROVED if approve else Quote.Status.DECLINED
    current.decided_by = user
    current.decided_at = timezone.now()
    current.save()
    return current


# --- after submitting ----------------------------------------------------------------


@transaction.atomic
def acknowledge_observation(observation: Observation, user: User, response: str) -> Acknowledgement:
    """The paraprofessional's receipt (received, not agreed), with an optional response."""
    current = (
        Observation.objects.select_for_update(of=("self",))
        .select_related("pairing__teacher__user", "pairing__paraprofessional")
        .get(pk=observation.pk)
    )
    if not current.is_submitted:
        raise ObservationError("Only a submitted observation can be acknowledged.")
    if Acknowledgement.objects.filter(observation=current).exists():
        raise ObservationError("You have already acknowledged this observation.")
    acknowledgement = Acknowledgement.objects.create(
        observation=current, acknowledged_by=user, response=response.strip()
    )
    notifications.observation_acknowledged(current)
    return acknowledgement


@transaction.atomic
def reopen_observation(observation: Observation, user: User, reason: str) -> Reopening:
    """A coordinator makes a submitted observation a draft again, with a reason. The
    reopening is recorded (with the acknowledgement it clears) and logged."""
    reason = reason.strip()
    if not reason:
        raise ObservationError("Give a reason for reopening the observation.")
    current = (
        Observation.objects.select_for_update(of=("self",))
        .select_related("pairing__teacher__user", "pairing__paraprofessional")
        .get(pk=observation.pk)
    )
    if not current.is_submitted:
        raise ObservationError("Only a submitted observation can be reopened.")
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
