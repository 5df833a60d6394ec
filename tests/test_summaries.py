"""The summary tables the triggers keep equal a rebuild from scratch, after random
sequences of writes, reopenings and deletions (a seeded random loop: reproducible)."""

import random
from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from coursework.models import CohortCredits, Course, Enrollment
from coursework.summaries import credit_rows
from mentoring.models import MentoringSession, MonthlyMentoring, Pairing
from observations import services as observation_services
from observations.models import Completion, Observation, PairedScore, Rating
from observations.summaries import completion_rows, summary_rows
from tests.factories import (
    CohortFactory,
    EnrollmentFactory,
    MentoringSessionFactory,
    ObservationFactory,
    OfferingFactory,
    PairingFactory,
    UserFactory,
    current_rubric,
)

pytestmark = pytest.mark.django_db

KINDS = ("baseline", "mid", "end")


def kept_scores() -> set[tuple]:
    return set(
        PairedScore.objects.values_list(
            "pairing_id", "indicator_id", "key", "question", "baseline_score", "end_score"
        )
    )


def kept_months() -> set[tuple]:
    return set(MonthlyMentoring.objects.values_list("pairing_id", "month", "sessions", "minutes"))


def kept_completion() -> set[tuple]:
    return set(
        Completion.objects.values_list(
            "cohort_id", "district_id", "pairings", "baseline_done", "mid_done", "end_done"
        )
    )


def kept_credits() -> set[tuple]:
    return set(
        CohortCredits.objects.values_list(
            "para_id", "cohort_id", "enrollments", "completions", "passed", "credits"
        )
    )


def computed_months() -> set[tuple]:
    return set(
        MentoringSession.objects.annotate(month=TruncMonth("held_on"))
        .order_by()
        .values("pairing_id", "month")
        .annotate(n=Count("id"), m=Sum("minutes"))
        .values_list("pairing_id", "month", "n", "m")
    )


class Writer:
    """Random writes through every path the project has: factories (model save), the
    reopen service, queryset updates and deletes, bulk inserts."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        cohort = CohortFactory(starts_on=date(2026, 8, 1), ends_on=date(2027, 6, 30))
        self.pairings = [PairingFactory(cohort=cohort) for _ in range(3)]
        self.keys = list(current_rubric().indicators.values_list("key", flat=True))
        self.coordinator = UserFactory()
        self.offerings = [OfferingFactory(cohort=cohort) for _ in range(2)]
        self.offerings.append(OfferingFactory(cohort=CohortFactory()))

    def _scores(self) -> dict[str, int | None]:
        # Mostly complete, sometimes missing an indicator (then it has no paired score).
        return {
            key: self.rng.choice([1, 2, 3, 4, 4, None] if self.rng.random() < 0.3 else [1, 2, 3, 4])
            for key in self.keys
        }

    def start(self) -> None:
        pairing = self.rng.choice(self.pairings)
        free = [k for k in KINDS if not Observation.objects.filter(pairing=pairing, kind=k)]
        if free:
            ObservationFactory(
                pairing=pairing,
                kind=self.rng.choice(free),
                scores=self._scores(),
                submitted=self.rng.random() < 0.6,
            )

    def _pick(self, status: str) -> Observation | None:
        found = list(Observation.objects.filter(status=status).order_by("pk"))
        return self.rng.choice(found) if found else None

    def rate(self) -> None:
        draft = self._pick("draft")
        if draft:
            keys = self.rng.sample(self.keys, k=self.rng.randint(1, 4))
            Rating.objects.filter(observation=draft, indicator__key__in=keys).update(
                score=self.rng.choice([1, 2, 3, 4, None])
            )

    def submit(self) -> None:
        draft = self._pick("draft")
        if draft:
            draft.status, draft.submitted_at = "submitted", timezone.now()
            draft.save()

    def reopen(self) -> None:
        submitted = self._pick("submitted")
        if submitted:
            observation_services.reopen_observation(
                observation=submitted, user=self.coordinator, reason="A score was mistyped."
            )

    def delete(self) -> None:
        draft = self._pick("draft")
        if draft:
            draft.delete()

    def log(self) -> None:
        pairing = self.rng.choice(self.pairings)
        MentoringSessionFactory(
            pairing=pairing,
            held_on=pairing.starts_on + timedelta(days=self.rng.randint(0, 200)),
            minutes=self.rng.randint(1, 120),
        )

    def bulk_log(self) -> None:
        pairing = self.rng.choice(self.pairings)
        MentoringSession.objects.bulk_create(
            MentoringSession(
                pairing=pairing,
                held_on=pairing.starts_on + timedelta(days=self.rng.randint(0, 200)),
                minutes=self.rng.randint(1, 120),
                notes="Bulk.",
                logged_by=pairing.teacher,
            )
            for _ in range(self.rng.randint(1, 5))
        )

    def move(self) -> None:
        sessions = list(MentoringSession.objects.order_by("pk"))
        if sessions:
            session = self.rng.choice(sessions)
            session.held_on += timedelta(days=self.rng.randint(-40, 40))
            session.minutes = self.rng.randint(1, 120)
            session.save()

    def drop(self) -> None:
        sessions = list(MentoringSession.objects.order_by("pk"))
        if sessions:
            MentoringSession.objects.filter(pk=self.rng.choice(sessions).pk).delete()

    def end_early(self) -> None:
        pairing = self.rng.choice(self.pairings)
        Pairing.objects.filter(pk=pairing.pk).update(
            status=Pairing.Status.ENDED_EARLY,
            closed_on=pairing.starts_on + timedelta(days=30),
            end_reason="Moved away.",
        )

    def resume(self) -> None:
        pairing = self.rng.choice(self.pairings)
        pairing.refresh_from_db()
        if self.rng.random() < 0.5:
            pairing.status, pairing.closed_on = Pairing.Status.ACTIVE, None
        else:
            pairing.status = Pairing.Status.COMPLETED
            pairing.closed_on = pairing.starts_on + timedelta(days=300)
        pairing.end_reason = ""
        pairing.save()

    def pair(self) -> None:
        self.pairings.append(PairingFactory(cohort=self.rng.choice(self.pairings).cohort))

    def enroll(self) -> None:
        para = self.rng.choice(self.pairings).paraprofessional
        offering = self.rng.choice(self.offerings)
        if not Enrollment.objects.filter(para=para, offering=offering).exists():
            EnrollmentFactory(para=para, offering=offering, grade="")

    def grade(self) -> None:
        enrollments = list(Enrollment.objects.order_by("pk"))
        if enrollments:
            grade = self.rng.choice(["A", "B", "C", "D", "F", "P", "W"])
            status, on = ("withdrawn", None) if grade == "W" else ("completed", date(2027, 5, 1))
            Enrollment.objects.filter(pk=self.rng.choice(enrollments).pk).update(
                grade=grade, status=status, completed_on=on
            )

    def unenroll(self) -> None:
        enrollments = list(Enrollment.objects.order_by("pk"))
        if enrollments:
            self.rng.choice(enrollments).delete()

    def recredit(self) -> None:
        course = self.rng.choice(self.offerings).course
        Course.objects.filter(pk=course.pk).update(credit_hours=self.rng.choice([1, 3, 4.5]))

    def drop_month(self) -> None:
        MentoringSession.objects.filter(
            held_on__month=self.rng.randint(1, 12), pairing=self.rng.choice(self.pairings)
        ).delete()


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_kept_summaries_equal_a_rebuild_after_random_writes(seed: int) -> None:
    rng = random.Random(seed)
    writer = Writer(rng)
    ops = [
        writer.start,
        writer.start,
        writer.rate,
        writer.submit,
        writer.submit,
        writer.reopen,
        writer.delete,
        writer.log,
        writer.bulk_log,
        writer.move,
        writer.drop,
        writer.drop_month,
        writer.end_early,
        writer.resume,
        writer.pair,
        writer.enroll,
        writer.enroll,
        writer.grade,
        writer.unenroll,
        writer.recredit,
    ]
    seen_scores = seen_months = 0
    for _ in range(90):
        rng.choice(ops)()
        # After every write, what the triggers kept equals the rebuild's own query.
        assert kept_scores() == set(summary_rows())
        assert kept_months() == computed_months()
        assert kept_completion() == set(completion_rows())
        assert kept_credits() == set(credit_rows())
        seen_scores = max(seen_scores, len(kept_scores()))
        seen_months = max(seen_months, len(kept_months()))
    assert seen_scores and seen_months  # the loop did produce growth and sessions

    assert any(row[3] or row[5] for row in kept_completion())  # forms were counted
    assert any(row[5] for row in kept_credits())  # and credits earned
    before = (kept_scores(), kept_months(), kept_completion(), kept_credits())
    out = StringIO()
    call_command("rebuild_summaries", stdout=out)
    assert (kept_scores(), kept_months(), kept_completion(), kept_credits()) == before
    assert f"paired-scores: {len(before[0]):,} rows" in out.getvalue()
    assert f"mentoring-by-month: {len(before[1]):,} rows" in out.getvalue()
    assert f"completion: {len(before[2]):,} rows" in out.getvalue()
    assert f"credits: {len(before[3]):,} rows" in out.getvalue()


def test_rebuild_restores_an_emptied_summary() -> None:
    pairing = PairingFactory()
    ObservationFactory(pairing=pairing, kind="baseline", scores=2, submitted=True)
    ObservationFactory(pairing=pairing, kind="end", scores=3, submitted=True)
    MentoringSessionFactory(pairing=pairing, minutes=30)
    MentoringSessionFactory(pairing=pairing, minutes=15)
    kept = (kept_scores(), kept_months(), kept_completion())
    assert {(row[4], row[5]) for row in kept[0]} == {(2, 3)}
    assert {row[2:] for row in kept[1]} == {(2, 45)}
    assert {row[2:] for row in kept[2]} == {(1, 1, 0, 1)}
    PairedScore.objects.all().delete()
    MonthlyMentoring.objects.all().delete()
    Completion.objects.all().delete()
    call_command("rebuild_summaries", stdout=StringIO())
    assert (kept_scores(), kept_months(), kept_completion()) == kept
