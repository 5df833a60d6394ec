"""The rules observations keep: database constraints, the default rubric, and the
read-only lock on submitted observations (refused through the ORM's save path too)."""

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from observations.models import (
    Indicator,
    LevelDescriptor,
    Observation,
    ObservationLocked,
    Quote,
    Rating,
    Reopening,
    Rubric,
)
from observations.services import reopen_observation
from pilot.questions import PilotQuestion

from .factories import ObservationFactory, PairingFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_default_rubric_from_data_migration():
    rubric = Rubric.objects.get(version=1)
    assert Rubric.objects.current() == rubric
    domains = list(rubric.domains.order_by("position").values_list("question", flat=True))
    assert domains == PilotQuestion.values
    statements = set(rubric.indicators.values_list("statement", flat=True))
    assert {
        "States clear learning targets",
        "Gives effective feedback that moves students forward",
        "Builds student ownership of learning",
        "Uses self-teach and self-assess strategies one-on-one",
        "Focuses on each student's needs",
        "Reaches students through many avenues",
        "Monitors activities and behaviour continuously",
        "Supports Tier 1 instruction as the teacher directs",
    } <= statements
    for indicator in rubric.indicators.all():
        levels = list(indicator.descriptors.values_list("level", flat=True))
        assert levels == [1, 2, 3, 4]
        assert all(d.text for d in indicator.descriptors.all())


def assert_refused_by(constraint: str, make) -> None:
    """The row is refused by ``constraint`` itself, not by another rule."""
    with pytest.raises(IntegrityError, match=f'"{constraint}"'), transaction.atomic():
        make()


def test_one_rating_per_indicator_and_score_1_to_4():
    observation = ObservationFactory(scores=2)
    indicator = observation.rubric.indicators.first()
    assert_refused_by(
        "one_rating_per_indicator",
        lambda: Rating.objects.create(observation=observation, indicator=indicator, score=3),
    )
    rating = observation.ratings.get(indicator=indicator)
    for bad in (0, 5):
        rating.score = bad
        assert_refused_by("rating_score_1_to_4", rating.save)
    rating.score = None  # a draft may leave an indicator unrated
    rating.save()


def test_one_observation_per_pairing_per_kind():
    observation = ObservationFactory(kind="end")
    assert_refused_by(
        "one_observation_per_kind",
        lambda: Observation.objects.create(
            pairing=observation.pairing,
            kind="end",
            observed_on=observation.observed_on,
            rubric=observation.rubric,
        ),
    )
    ObservationFactory(pairing=observation.pairing, kind="baseline")  # another kind is fine


def test_submitted_time_matches_status():
    observation = ObservationFactory()
    observation.submitted_at = timezone.now()  # a draft has no submitted time
    assert_refused_by("observation_submitted_at_matches_status", observation.save)
    assert_refused_by(
        "observation_submitted_at_matches_status",
        lambda: Observation.objects.filter(pk=observation.pk).update(status="submitted"),
    )


def test_kind_and_descriptor_level_checked():
    observation = ObservationFactory()
    assert_refused_by(
        "observation_kind_valid",
        lambda: Observation.objects.filter(pk=observation.pk).update(kind="x"),
    )
    indicator = Indicator.objects.first()
    assert_refused_by(
        "one_descriptor_per_level",
        lambda: LevelDescriptor.objects.create(indicator=indicator, level=1, text="again"),
    )
    assert_refused_by(
        "descriptor_level_1_to_4",
        lambda: LevelDescriptor.objects.create(indicator=indicator, level=5, text="too high"),
    )


def test_reopening_needs_a_reason_and_quote_a_valid_decision():
    observation = ObservationFactory(scores=3, submitted=True)
    assert_refused_by(
        "reopening_has_reason",
        lambda: Reopening.objects.create(
            observation=observation, reason="", previously_submitted_at=timezone.now()
        ),
    )
    assert_refused_by(
        "quote_decision_matches_status",
        lambda: Quote.objects.create(
            observation=observation, comment="strengths", text="x", status="approved"
        ),
    )


def test_submitted_observation_is_read_only_through_the_orm():
    observation = ObservationFactory(scores=3, submitted=True)
    submitted_at = observation.submitted_at

    observation.strengths = "Changed after submitting"
    with pytest.raises(ObservationLocked):
        observation.save()
    fresh = Observation.objects.get(pk=observation.pk)
    fresh.status, fresh.submitted_at = "draft", None  # un-submitting by hand is refused too
    with pytest.raises(ObservationLocked):
        fresh.save()
    with pytest.raises(ObservationLocked):
        Observation.objects.filter(pk=observation.pk).update(strengths="Bulk change")
    with pytest.raises(ObservationLocked):
        observation.delete()

    rating = observation.ratings.first()
    rating.score = 1
    with pytest.raises(ObservationLocked):
        rating.save()
    with pytest.raises(ObservationLocked):
        observation.ratings.update(score=1)
    with pytest.raises(ObservationLocked):
        rating.delete()
    with pytest.raises(ObservationLocked):
        Rating.objects.create(
            observation=observation, indicator=observation.rubric.indicators.first(), score=2
        )

    stored = Observation.objects.get(pk=observation.pk)
    assert stored.strengths != "Changed after submitting" and stored.submitted_at == submitted_at
    assert not stored.ratings.filter(score=1).exists()


def test_only_reopen_unlocks_and_then_edits_are_allowed():
    observation = ObservationFactory(scores=3, submitted=True)
    coordinator = UserFactory()
    reopen_observation(
        observation=observation, user=coordinator, reason="Wrong paraprofessional's evidence."
    )
    observation = Observation.objects.get(pk=observation.pk)
    observation.strengths = "Corrected"
    observation.save()  # a draft again: editable
    rating = observation.ratings.first()
    rating.score = 2
    rating.save()
    assert observation.history.first().strengths == "Corrected"
    assert rating.history.count() >= 2


def test_observation_keeps_its_rubric_version():
    from observations.services import publish_rubric

    old = ObservationFactory()
    new_rubric = publish_rubric(user=UserFactory(), title="Rubric", notes="Reworded one indicator.")
    assert new_rubric.version == 2 and Rubric.objects.current() == new_rubric
    old.refresh_from_db()
    assert old.rubric.version == 1
    pairing = PairingFactory()
    assert ObservationFactory(pairing=pairing).rubric == new_rubric
