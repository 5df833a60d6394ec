"""Rubric-based observations of paraprofessionals, from baseline to end of pilot.

Rules the database keeps:
- one rating per indicator per observation; a score is 1–4 (empty only in a draft);
- one observation per pairing per kind (baseline, mid-pilot, end-of-pilot);
- a submitted observation has its submitted time, a draft has none;
- a rubric's versions are unique; a descriptor per level per indicator.
Rules kept here, in ``save()``/``delete()`` and the queryset (they span rows):
- a submitted observation and its ratings are read-only: saving, updating or deleting
  them raises ``ObservationLocked``. Only ``observations.services.reopen_observation``
  (a coordinator, with a reason) unlocks one, inside ``unlocked(observation)``.
Every rating's indicator belongs to the observation's rubric version: the services create
the ratings from that rubric and nothing else writes them.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from mentoring.models import Pairing
from pilot import limits
from pilot.fields import LimitedTextField
from pilot.models.base import PublicModel
from pilot.questions import PilotQuestion
from pilot.validators import no_invisible_controls


class Level(models.IntegerChoices):
    """The rubric's 1–4 scale."""

    BEGINNING = 1, "Beginning"
    DEVELOPING = 2, "Developing"
    PROFICIENT = 3, "Proficient"
    EXEMPLARY = 4, "Exemplary"


class ObservationLocked(Exception):
    """A submitted observation is read-only until a coordinator reopens it."""

    def __init__(self, message: str = "") -> None:
        super().__init__(
            message
            or "This observation has been submitted and is read-only. "
            "A program or district coordinator can reopen it."
        )


# Primary keys of observations the reopen service is currently allowed to change.
_unlocked: ContextVar[frozenset[int]] = ContextVar("observations_unlocked", default=frozenset())


@contextmanager
def unlocked(observation: "Observation") -> Iterator[None]:
    """Let the reopen service write one submitted observation (nothing else uses this)."""
    token = _unlocked.set(_unlocked.get() | {observation.pk})
    try:
        yield
    finally:
        _unlocked.reset(token)


def _is_locked(observation_id: int | None) -> bool:
    if observation_id is None or observation_id in _unlocked.get():
        return False
    return Observation.objects.filter(
        pk=observation_id, status=Observation.Status.SUBMITTED
    ).exists()


class RubricQuerySet(models.QuerySet["Rubric"]):
    def current(self) -> "Rubric | None":
        """The newest published version: new observations are written on it."""
        return self.order_by("-version").first()


class Rubric(PublicModel):
    """One version of the rubric. Observations keep the version they were written on."""

    version = models.PositiveIntegerField(unique=True)
    title = models.CharField(max_length=200, validators=[no_invisible_controls])
    notes = LimitedTextField("what changed", blank=True, max_length=limits.DESCRIPTION)
    published_at = models.DateTimeField(default=timezone.now)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = RubricQuerySet.as_manager()

    class Meta:
        ordering = ["-version"]
        constraints = [
            models.CheckConstraint(condition=Q(version__gte=1), name="rubric_version_positive"),
            limits.max_length_check("notes", limits.DESCRIPTION),
        ]

    def __str__(self) -> str:
        return f"{self.title} (version {self.version})"


class RubricDomain(models.Model):
    """A domain of the rubric: one of the pilot's three questions."""

    rubric = models.ForeignKey(Rubric, on_delete=models.CASCADE, related_name="domains")
    question = models.CharField(max_length=24, choices=PilotQuestion)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["rubric", "position"]
        constraints = [
            models.UniqueConstraint(fields=["rubric", "question"], name="one_domain_per_question"),
            models.CheckConstraint(
                condition=Q(question__in=PilotQuestion.values), name="rubric_domain_question_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.get_question_display()


class Indicator(models.Model):
    """What the observer looks for, e.g. "States clear learning targets"."""

    rubric = models.ForeignKey(Rubric, on_delete=models.CASCADE, related_name="indicators")
    domain = models.ForeignKey(RubricDomain, on_delete=models.CASCADE, related_name="indicators")
    # Stable across versions, so growth lines up when a later version rewords a statement.
    key = models.SlugField(max_length=60)
    statement = models.CharField(max_length=200, validators=[no_invisible_controls])
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["domain__position", "position"]
        constraints = [
            models.UniqueConstraint(fields=["rubric", "key"], name="indicator_key_per_rubric"),
        ]

    def __str__(self) -> str:
        return self.statement

    def save(self, *args: object, **kwargs: object) -> None:
        self.rubric_id = self.domain.rubric_id
        super().save(*args, **kwargs)


class LevelDescriptor(models.Model):
    """What a level of the scale looks like for one indicator."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="descriptors")
    level = models.PositiveSmallIntegerField(choices=Level)
    text = LimitedTextField(max_length=limits.DESCRIPTOR)

    class Meta:
        ordering = ["indicator", "level"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "level"], name="one_descriptor_per_level"),
            models.CheckConstraint(
                condition=Q(level__gte=1, level__lte=4), name="descriptor_level_1_to_4"
            ),
            limits.max_length_check("text", limits.DESCRIPTOR),
        ]

    def __str__(self) -> str:
        return f"{self.get_level_display()}: {self.text[:60]}"


class ObservationQuerySet(models.QuerySet["Observation"]):
    def update(self, **kwargs: object) -> int:
        if (
            self.filter(status=Observation.Status.SUBMITTED)
            .exclude(pk__in=_unlocked.get())
            .exists()
        ):
            raise ObservationLocked()
        return super().update(**kwargs)

    def delete(self) -> tuple[int, dict[str, int]]:
        if self.filter(status=Observation.Status.SUBMITTED).exists():
            raise ObservationLocked()
        return super().delete()


class Observation(PublicModel):
    """A teacher's rubric-based observation of their paraprofessional."""

    class Kind(models.TextChoices):
        BASELINE = "baseline", "Baseline"
        MID = "mid", "Mid-pilot"
        END = "end", "End of pilot"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"

    pairing = models.ForeignKey(Pairing, on_delete=models.PROTECT, related_name="observations")
    kind = models.CharField(max_length=10, choices=Kind)
    observed_on = models.DateField("date observed")
    rubric = models.ForeignKey(Rubric, on_delete=models.PROTECT, related_name="observations")
    status = models.CharField(max_length=10, choices=Status, default=Status.DRAFT)
    submitted_at = models.DateTimeField(null=True, blank=True)
    # Optimistic concurrency: each save increments it; a save from an older copy is refused.
    version = models.PositiveIntegerField(default=1)
    strengths = LimitedTextField(blank=True, max_length=limits.COMMENT)
    growth = LimitedTextField("areas for growth", blank=True, max_length=limits.COMMENT)
    next_steps = LimitedTextField("next steps", blank=True, max_length=limits.COMMENT)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    history = HistoricalRecords()
    objects = ObservationQuerySet.as_manager()

    COMMENT_FIELDS = ("strengths", "growth", "next_steps")

    class Meta:
        ordering = ["-observed_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["pairing", "kind"], name="one_observation_per_kind"),
            models.CheckConstraint(
                condition=Q(kind__in=["baseline", "mid", "end"]), name="observation_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(status="draft", submitted_at__isnull=True)
                | Q(status="submitted", submitted_at__isnull=False),
                name="observation_submitted_at_matches_status",
            ),
            models.CheckConstraint(
                condition=Q(version__gte=1), name="observation_version_positive"
            ),
            limits.max_length_check("strengths", limits.COMMENT),
            limits.max_length_check("growth", limits.COMMENT),
            limits.max_length_check("next_steps", limits.COMMENT),
        ]
        indexes = [models.Index(fields=["status", "kind"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} observation of {self.pairing.paraprofessional}"

    @property
    def is_submitted(self) -> bool:
        return self.status == self.Status.SUBMITTED

    def save(self, *args: object, **kwargs: object) -> None:
        if _is_locked(self.pk):
            raise ObservationLocked()
        super().save(*args, **kwargs)

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        if _is_locked(self.pk):
            raise ObservationLocked()
        return super().delete(*args, **kwargs)


class RatingQuerySet(models.QuerySet["Rating"]):
    def update(self, **kwargs: object) -> int:
        if self.filter(observation__status=Observation.Status.SUBMITTED).exists():
            raise ObservationLocked()
        return super().update(**kwargs)

    def delete(self) -> tuple[int, dict[str, int]]:
        if self.filter(observation__status=Observation.Status.SUBMITTED).exists():
            raise ObservationLocked()
        return super().delete()


class Rating(models.Model):
    """One indicator's score and evidence note in one observation."""

    observation = models.ForeignKey(Observation, on_delete=models.CASCADE, related_name="ratings")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="ratings")
    score = models.PositiveSmallIntegerField(choices=Level, null=True, blank=True)
    evidence = LimitedTextField("evidence note", blank=True, max_length=limits.EVIDENCE)

    history = HistoricalRecords()
    objects = RatingQuerySet.as_manager()

    class Meta:
        ordering = ["indicator__domain__position", "indicator__position"]
        constraints = [
            models.UniqueConstraint(
                fields=["observation", "indicator"], name="one_rating_per_indicator"
            ),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__gte=1, score__lte=4),
                name="rating_score_1_to_4",
            ),
            limits.max_length_check("evidence", limits.EVIDENCE),
        ]

    def __str__(self) -> str:
        return f"{self.indicator}: {self.score or '—'}"

    def save(self, *args: object, **kwargs: object) -> None:
        if _is_locked(self.observation_id):
            raise ObservationLocked()
        super().save(*args, **kwargs)

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        if _is_locked(self.observation_id):
            raise ObservationLocked()
        return super().delete(*args, **kwargs)


class Acknowledgement(models.Model):
    """The paraprofessional's receipt of a submitted observation: received, not agreed."""

    observation = models.OneToOneField(
        Observation, on_delete=models.CASCADE, related_name="acknowledgement"
    )
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    acknowledged_at = models.DateTimeField(default=timezone.now)
    response = LimitedTextField("your response", blank=True, max_length=limits.RESPONSE)

    history = HistoricalRecords()

    class Meta:
        constraints = [limits.max_length_check("response", limits.RESPONSE)]

    def __str__(self) -> str:
        return f"Acknowledged {self.acknowledged_at:%Y-%m-%d}"


class Reopening(models.Model):
    """A coordinator reopened a submitted observation, with a reason."""

    observation = models.ForeignKey(
        Observation, on_delete=models.CASCADE, related_name="reopenings"
    )
    reopened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    reopened_at = models.DateTimeField(default=timezone.now)
    reason = LimitedTextField(max_length=limits.REASON)
    previously_submitted_at = models.DateTimeField()
    # The acknowledgement the reopening cleared, kept so the paraprofessional's words stay.
    cleared_acknowledged_at = models.DateTimeField(null=True, blank=True)
    cleared_response = LimitedTextField(blank=True, max_length=limits.RESPONSE)

    class Meta:
        ordering = ["-reopened_at"]
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="reopening_has_reason"),
            limits.max_length_check("reason", limits.REASON),
            limits.max_length_check("cleared_response", limits.RESPONSE),
        ]

    def __str__(self) -> str:
        return f"Reopened {self.reopened_at:%Y-%m-%d}: {self.reason[:60]}"


class Quote(PublicModel):
    """A comment the teacher marked quotable; a coordinator approves it for reports."""

    class Comment(models.TextChoices):
        STRENGTHS = "strengths", "Strengths"
        GROWTH = "growth", "Areas for growth"
        NEXT_STEPS = "next_steps", "Next steps"

    # Offered unless the teacher unticks them; any other comment (areas for growth) only
    # when the teacher ticks it.
    OFFERED_BY_DEFAULT = frozenset({"strengths", "next_steps"})

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for approval"
        APPROVED = "approved", "Approved"
        DECLINED = "declined", "Declined"

    observation = models.ForeignKey(Observation, on_delete=models.CASCADE, related_name="quotes")
    comment = models.CharField(max_length=12, choices=Comment)
    # The comment's words when the teacher consented or last submitted: what is approved.
    text = LimitedTextField(max_length=limits.QUOTE)
    status = models.CharField(max_length=10, choices=Status, default=Status.PENDING)
    consented_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["observation", "comment"], name="one_quote_per_comment"
            ),
            models.CheckConstraint(
                condition=Q(comment__in=["strengths", "growth", "next_steps"]),
                name="quote_comment_valid",
            ),
            models.CheckConstraint(
                condition=Q(status="pending", decided_at__isnull=True)
                | Q(status__in=["approved", "declined"], decided_at__isnull=False),
                name="quote_decision_matches_status",
            ),
            models.CheckConstraint(condition=~Q(text=""), name="quote_has_text"),
            limits.max_length_check("text", limits.QUOTE),
        ]
        # The quotes waiting for approval, oldest first: read in order from the index.
        indexes = [models.Index(fields=["status", "created_at", "id"], name="quote_queue")]

    def __str__(self) -> str:
        return f"{self.get_comment_display()}: {self.text[:60]}"

    @classmethod
    def too_long(cls, comment: str, text: str) -> str | None:
        """Why a comment is too long to be quoted (the report prints quotes whole)."""
        if len(text) <= limits.QUOTE:
            return None
        return (
            f"{cls.Comment(comment).label} has {len(text):,} characters, too many to quote: "
            f"a quote can be up to {limits.QUOTE:,}."
        )


class ReminderRun(models.Model):
    """One run of the reminders (beat's daily schedule or the command): when, and how much
    it sent; what it sent are its ``ReminderSent`` rows."""

    class Trigger(models.TextChoices):
        SCHEDULE = "schedule", "Daily schedule"
        COMMAND = "command", "send_reminders command"

    trigger = models.CharField(max_length=10, choices=Trigger)
    for_date = models.DateField()
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    emails = models.PositiveIntegerField(default=0)
    forms = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-started_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(trigger__in=["schedule", "command"]), name="reminder_run_trigger_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"Reminders for {self.for_date} ({self.get_trigger_display()})"


class ReminderSent(models.Model):
    """A reminder the teacher was sent about one due form: each is sent once."""

    pairing = models.ForeignKey(
        Pairing, on_delete=models.CASCADE, related_name="observation_reminders"
    )
    kind = models.CharField(max_length=10, choices=Observation.Kind)
    due_on = models.DateField()
    sent_at = models.DateTimeField(default=timezone.now)
    sent_to = models.EmailField()
    run = models.ForeignKey(
        ReminderRun, on_delete=models.SET_NULL, null=True, blank=True, related_name="reminders"
    )
    # The email itself, in the outbox: whether it has left yet.
    message = models.ForeignKey(
        "pilot.OutboxMessage", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The coordinator who sent it from the tracker; empty for the daily reminders.
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    sent_on = models.DateField(default=timezone.localdate)  # the local day, for "once a day"

    class Meta:
        ordering = ["-sent_at"]
        constraints = [
            # The daily reminders remind each due form once; a coordinator from the tracker
            # at most once a day.
            models.UniqueConstraint(
                fields=["pairing", "kind"],
                condition=Q(sent_by__isnull=True),
                name="one_reminder_per_due_form",
            ),
            models.UniqueConstraint(
                fields=["pairing", "kind", "sent_on"],
                condition=Q(sent_by__isnull=False),
                name="one_tracker_reminder_a_day",
            ),
        ]

    def __str__(self) -> str:
        return f"Reminder to {self.sent_to} about {self.get_kind_display()} ({self.due_on})"


class PairedScore(models.Model):
    """Summary: one row per pairing and indicator key that has a submitted baseline and a
    submitted end-of-pilot score, so growth by any grouping is a small aggregate.

    Kept by database triggers (migration ``0005_paired_scores``) in the same transaction
    as every write to observations and ratings, whatever wrote them (services, imports,
    the demo seeder's bulk inserts); ``manage.py rebuild_summaries`` recomputes it from
    scratch with ``observations.summaries.rebuild``. Nothing else writes it."""

    pairing = models.ForeignKey(
        Pairing, on_delete=models.DO_NOTHING, db_constraint=False, related_name="paired_scores"
    )
    # The end-of-pilot rating's indicator: its statement and position label the row.
    indicator = models.ForeignKey(
        Indicator, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    key = models.SlugField(max_length=60)
    question = models.CharField(max_length=24, choices=PilotQuestion)
    baseline_score = models.PositiveSmallIntegerField()
    end_score = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["pairing", "key"], name="one_paired_score_per_key"),
        ]

    def __str__(self) -> str:
        return f"{self.key}: {self.baseline_score} → {self.end_score}"


class Completion(models.Model):
    """Summary: per cohort and district, the pairings that owe observations (not ended
    early) and how many of them have a submitted form of each kind.

    Kept by database triggers (migration ``0008_completion``) in the same transaction as
    every write to observations and pairings, whatever wrote them; ``manage.py
    rebuild_summaries`` recomputes it with ``observations.summaries.rebuild_completion``.
    Nothing else writes it."""

    cohort = models.ForeignKey(
        "pilot.Cohort", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    district = models.ForeignKey(
        "pilot.District", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    pairings = models.PositiveIntegerField()
    baseline_done = models.PositiveIntegerField()
    mid_done = models.PositiveIntegerField()
    end_done = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["cohort", "district"], name="one_completion_per_district"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.pairings} pairings: {self.baseline_done}/{self.mid_done}/{self.end_done}"
