"""The rules of observations' services, called directly: each refusal is a
ValidationError keyed by the field it is about, and writes nothing; and the forms show
the service's message next to that field."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from observations import services
from observations.models import Acknowledgement, Observation, ObservationLocked, Quote
from pilot import limits

from .factories import ObservationFactory, PairingFactory, QuoteFactory, UserFactory

pytestmark = pytest.mark.django_db


def _input(observation: Observation, **changes: object) -> services.ObservationInput:
    values = {
        "observed_on": observation.observed_on,
        "ratings": {r.indicator_id: (3, "Seen.") for r in observation.ratings.all()},
        "comments": {"strengths": "Calm directions."},
        "quotable": set(),
    }
    values.update(changes)
    return services.ObservationInput(**values)


# --- starting --------------------------------------------------------------------------


def test_start_gives_a_draft_with_a_rating_row_per_indicator() -> None:
    pairing = PairingFactory()
    observation = services.start_observation(
        pairing=pairing,
        kind="baseline",
        observed_on=pairing.starts_on + timedelta(days=3),
        user=UserFactory(),
    )
    assert observation.status == Observation.Status.DRAFT
    assert observation.ratings.count() == observation.rubric.indicators.count() > 0


@pytest.mark.parametrize("when", ["future", "before", "after"])
def test_start_refuses_a_date_outside_the_pairing_or_in_the_future(when: str) -> None:
    pairing = PairingFactory()
    observed_on = {
        "future": timezone.localdate() + timedelta(days=1),
        "before": pairing.starts_on - timedelta(days=1),
        "after": pairing.ends_on + timedelta(days=1),
    }[when]
    with pytest.raises(ValidationError) as refused:
        services.start_observation(
            pairing=pairing, kind="baseline", observed_on=observed_on, user=UserFactory()
        )
    expected = (
        services.FUTURE_DATE
        if observed_on > timezone.localdate()
        else f"Choose a date within the pairing ({pairing.starts_on:%b %-d, %Y} – "
        f"{pairing.ends_on:%b %-d, %Y})."
    )
    assert refused.value.message_dict == {"observed_on": [expected]}
    assert not Observation.objects.filter(pairing=pairing).exists()


def test_start_refuses_a_kind_already_started_by_its_constraint() -> None:
    existing = ObservationFactory(kind="mid")
    with pytest.raises(ValidationError) as refused:
        services.start_observation(
            pairing=existing.pairing,
            kind="mid",
            observed_on=existing.observed_on,
            user=UserFactory(),
        )
    assert refused.value.message_dict == {"kind": [services.STARTED_ELSEWHERE]}
    assert Observation.objects.filter(pairing=existing.pairing).count() == 1


# --- saving and submitting -------------------------------------------------------------


def test_save_refuses_a_stale_version_writing_nothing() -> None:
    observation = ObservationFactory()
    with pytest.raises(services.StaleObservation):
        services.save_observation(
            observation=observation,
            user=UserFactory(),
            version=observation.version + 1,
            data=_input(observation, comments={"strengths": "Overwritten"}),
        )
    assert Observation.objects.get(pk=observation.pk).strengths != "Overwritten"


def test_submit_refuses_unrated_indicators_naming_them_in_rubric_order() -> None:
    observation = ObservationFactory()
    ratings = {r.indicator_id: (3, "") for r in observation.ratings.all()}
    unrated = list(observation.rubric.indicators.order_by("domain__position", "position"))[-2:]
    for indicator in unrated:
        ratings[indicator.pk] = (None, "")
    with pytest.raises(services.IncompleteObservation) as refused:
        services.save_observation(
            observation=observation,
            user=UserFactory(),
            version=observation.version,
            data=_input(observation, ratings=ratings),
            submit=True,
        )
    assert refused.value.missing == unrated
    assert "2 still unrated" in refused.value.messages[0]
    stored = Observation.objects.get(pk=observation.pk)
    assert stored.status == Observation.Status.DRAFT and stored.version == observation.version
    assert not stored.ratings.exclude(score=None).exists()


def test_save_refuses_a_comment_too_long_to_quote_and_a_date_outside_the_pairing() -> None:
    observation = ObservationFactory()
    long = "q" * (limits.QUOTE + 1)
    with pytest.raises(ValidationError) as refused:
        services.save_observation(
            observation=observation,
            user=UserFactory(),
            version=observation.version,
            data=_input(
                observation,
                observed_on=observation.pairing.starts_on - timedelta(days=1),
                comments={"growth": long},
                quotable={"growth"},
            ),
        )
    errors = refused.value.message_dict
    assert errors["quotable_growth"] == [Quote.too_long("growth", long)]
    assert errors["observed_on"][0].startswith("Choose a date within the pairing")
    assert not Quote.objects.exists()
    assert Observation.objects.get(pk=observation.pk).growth != long


def test_save_refuses_a_submitted_observation() -> None:
    observation = ObservationFactory(scores=3, submitted=True)
    with pytest.raises(ObservationLocked):
        services.save_observation(
            observation=observation,
            user=UserFactory(),
            version=observation.version,
            data=_input(observation),
        )


# --- quotes ------------------------------------------------------------------------------


def test_withdrawing_consent_removes_the_quote() -> None:
    observation = ObservationFactory(scores=3, submitted=True)
    teacher = UserFactory()
    services.set_quote_consent(observation=observation, user=teacher, comments={"strengths"})
    assert Quote.objects.get().text == observation.strengths
    services.set_quote_consent(observation=observation, user=teacher, comments=set())
    assert not Quote.objects.exists()


def test_a_quote_of_a_draft_cannot_be_decided() -> None:
    quote = QuoteFactory(observation=ObservationFactory(), status="pending")
    with pytest.raises(ValidationError) as refused:
        services.decide_quote(quote=quote, user=UserFactory(), approve=True)
    assert refused.value.messages == [services.NOT_SUBMITTED_TO_DECIDE]
    assert Quote.objects.get(pk=quote.pk).status == Quote.Status.PENDING


# --- acknowledging and reopening ---------------------------------------------------------


def test_acknowledge_refuses_a_draft_and_a_second_acknowledgement() -> None:
    draft = ObservationFactory()
    para = UserFactory()
    with pytest.raises(ValidationError) as refused:
        services.acknowledge_observation(observation=draft, user=para, response="")
    assert refused.value.messages == [services.NOT_SUBMITTED_TO_ACKNOWLEDGE]

    submitted = ObservationFactory(kind="mid", scores=3, submitted=True)
    services.acknowledge_observation(observation=submitted, user=para, response=" Thanks ")
    assert Acknowledgement.objects.get().response == "Thanks"
    with pytest.raises(ValidationError) as again:
        services.acknowledge_observation(observation=submitted, user=para, response="")
    assert again.value.messages == [services.ALREADY_ACKNOWLEDGED]
    assert Acknowledgement.objects.count() == 1


def test_reopen_needs_a_reason_and_a_submitted_observation() -> None:
    submitted = ObservationFactory(scores=3, submitted=True)
    coordinator = UserFactory()
    with pytest.raises(ValidationError) as refused:
        services.reopen_observation(observation=submitted, user=coordinator, reason="   ")
    assert refused.value.message_dict == {"reason": [services.NO_REASON]}
    assert Observation.objects.get(pk=submitted.pk).is_submitted

    draft = ObservationFactory(kind="mid")
    with pytest.raises(ValidationError) as not_submitted:
        services.reopen_observation(observation=draft, user=coordinator, reason="Typo.")
    assert not_submitted.value.messages == [services.NOT_SUBMITTED_TO_REOPEN]


def test_publish_copies_the_rubric_with_the_wording_changed() -> None:
    current = services.ensure_rubric()
    indicator = current.indicators.order_by("domain__position", "position").first()
    edit = services.IndicatorEdit(statement="Reworded", descriptors=["a", "b", "c", "d"])
    new = services.publish_rubric(
        user=UserFactory(),
        title="Rubric",
        notes="One indicator reworded.",
        edits={indicator.pk: edit},
    )
    assert new.version == current.version + 1
    copy = new.indicators.get(key=indicator.key)
    assert copy.statement == "Reworded"
    assert list(copy.descriptors.order_by("level").values_list("text", flat=True)) == list("abcd")
    assert new.indicators.count() == current.indicators.count()
    assert current.indicators.get(pk=indicator.pk).statement != "Reworded"


# --- the service's message on the form ----------------------------------------------------


def test_new_observation_form_shows_the_services_date_message_on_its_field(world, client) -> None:
    pairing = PairingFactory(
        teacher=world.teacher, paraprofessional=world.para, cohort=world.cohort
    )
    client.force_login(world.users["teacher"])
    response = client.post(
        reverse("observations:create", args=[pairing.uuid]),
        {"kind": "baseline", "observed_on": (pairing.starts_on - timedelta(days=1)).isoformat()},
    )
    assert response.status_code == 200
    assert (
        response.context["form"]
        .errors["observed_on"][0]
        .startswith("Choose a date within the pairing")
    )
    assert not Observation.objects.filter(pairing=pairing).exists()


def test_observation_form_shows_the_services_date_message_on_its_field(world, client) -> None:
    pairing = PairingFactory(
        teacher=world.teacher, paraprofessional=world.para, cohort=world.cohort
    )
    draft = ObservationFactory(pairing=pairing)
    client.force_login(world.users["teacher"])
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = client.post(
        reverse("observations:save", args=[draft.uuid]),
        {"version": draft.version, "observed_on": tomorrow.isoformat(), "action": "save"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["observed_on"] == [services.FUTURE_DATE]
    assert Observation.objects.get(pk=draft.pk).version == draft.version
