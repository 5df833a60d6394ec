"""Free text has a maximum that the form shows, the model refuses past with a message
naming the field, and the database keeps; a comment too long to quote cannot be marked
quotable. Every text field of every model of the project is checked, so a new unbounded
``TextField`` fails here.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from simple_history.models import HistoricalChanges

from coursework.models import Course, DegreePlan
from mentoring.models import Goal, MentoringSession, Pairing
from observations.models import (
    Acknowledgement,
    LevelDescriptor,
    Observation,
    Quote,
    Reopening,
    Rubric,
)
from pathways.models import CohortStatus, Credential
from pilot import limits
from pilot.audit import log_access
from pilot.fields import LimitedTextField
from pilot.models import AuditEntry, Job, OutboxMessage

from .authz import mentoring_rows, observations_rows, pathways_rows
from .factories import (
    CohortFactory,
    CourseFactory,
    DegreePlanFactory,
    GoalFactory,
    MentoringSessionFactory,
    ObservationFactory,
    PairingFactory,
    ParaFactory,
    QuoteFactory,
    UserFactory,
    current_rubric,
)
from .test_double_submit_apps import _plan as plan_data

pytestmark = pytest.mark.django_db


def project_text_fields() -> list[tuple[type[models.Model], models.TextField]]:
    """Every TextField of every model of the project's own apps (history copies aside:
    they hold what the tracked model held)."""
    found = []
    for config in apps.get_app_configs():
        if not (Path(settings.BASE_DIR) / config.name.split(".")[0]).is_dir():
            continue  # Django's and third-party apps
        for model in config.get_models():
            if issubclass(model, HistoricalChanges):
                continue
            for field in model._meta.concrete_fields:
                if isinstance(field, models.TextField):
                    found.append((model, field))
    return found


def key(model: type[models.Model], field: models.Field) -> str:
    return f"{model._meta.label}.{field.name}"


TEXT_FIELDS = [pytest.param(m, f, id=key(m, f)) for m, f in project_text_fields()]


def _observation(**kwargs: Any) -> Observation:
    return ObservationFactory(scores=3, **kwargs)


def _reopening() -> Reopening:
    observation = _observation(submitted=True)
    return Reopening.objects.create(
        observation=observation, reason="Wrong date.", previously_submitted_at=timezone.now()
    )


# A stored row of each model with free text, to try the database's limit on.
ROW_MAKERS: dict[str, Callable[[], models.Model]] = {
    "pilot.AuditEntry": lambda: log_access(None, AuditEntry.Action.EXPORT, "staff list"),
    "mentoring.Pairing": PairingFactory,
    "mentoring.MentoringSession": MentoringSessionFactory,
    "mentoring.Goal": GoalFactory,
    "coursework.Course": CourseFactory,
    "coursework.DegreePlan": DegreePlanFactory,
    "observations.Rubric": current_rubric,
    "observations.LevelDescriptor": lambda: LevelDescriptor.objects.first(),
    "observations.Observation": _observation,
    "observations.Rating": lambda: _observation().ratings.first(),
    "observations.Acknowledgement": lambda: Acknowledgement.objects.create(
        observation=_observation(submitted=True)
    ),
    "observations.Reopening": _reopening,
    "observations.Quote": QuoteFactory,
    "pilot.OutboxMessage": lambda: OutboxMessage.objects.create(
        to="someone@example.test", subject="A notice", body="Hello."
    ),
    "pilot.Job": lambda: Job.objects.create(
        owner=UserFactory(), label="A report", runner="pilot.jobs.noop"
    ),
    "pathways.CohortStatus": lambda: CohortStatus.objects.create(
        para=ParaFactory(),
        cohort=CohortFactory(),
        status=CohortStatus.Status.CONTINUING,
        recorded_on=date(2026, 9, 1),
        recorded_by=UserFactory(),
    ),
    "pathways.Credential": lambda: Credential.objects.create(
        para=ParaFactory(),
        plan=DegreePlanFactory(),
        awarded_on=date(2026, 9, 1),
        recorded_by=UserFactory(),
    ),
}


def refused_by(make: Callable[[], object]) -> str:
    """The name of the constraint that refused the write."""
    with pytest.raises(IntegrityError) as refused, transaction.atomic():
        make()
    return refused.value.__cause__.diag.constraint_name


@pytest.mark.parametrize(("model", "field"), TEXT_FIELDS)
def test_each_text_fields_maximum_is_kept_by_the_database(model, field) -> None:
    assert isinstance(field, LimitedTextField), f"{key(model, field)} has no maximum"
    limit = field.max_length
    row = ROW_MAKERS[model._meta.label]()
    rows = model._base_manager.filter(pk=row.pk)

    rows.update(**{field.name: "x" * limit})
    assert refused_by(lambda: rows.update(**{field.name: "x" * (limit + 1)})) == (
        f"{model._meta.db_table}_{field.column}_max_length"
    )

    # The model refuses it first, naming the field (imports and services that validate).
    with pytest.raises(ValidationError) as refused:
        field.run_validators("x" * (limit + 1))
    assert refused.value.messages == [
        f"{capfirst(field.verbose_name)} can be up to {limit:,} characters; this has {limit + 1:,}."
    ]


# ---- the forms -------------------------------------------------------------------------


@dataclass(frozen=True)
class FormCase:
    """Where a person types one text field: who, the form's page, what it posts."""

    persona: str
    url: Callable[[Any], str]
    data: Callable[[Any], dict]
    label: str
    stored: Callable[[Any], object]  # what must be the same after a refused post
    field: Callable[[Any], str] | None = None  # the form's field name, if not the model's
    page: Callable[[Any], str] | None = None  # where the form is shown, if not ``url``


def _pairing(w):
    return mentoring_rows.pairing(w)


def _session_case(field: str, label: str) -> FormCase:
    return FormCase(
        "teacher",
        lambda w: reverse("mentoring:session-create", args=[_pairing(w).uuid]),
        mentoring_rows.session_data,
        label,
        lambda w: MentoringSession.objects.count(),
    )


def _draft_case(label: str, field: Callable[[Any], str] | None = None) -> FormCase:
    draft = observations_rows.draft
    return FormCase(
        "teacher",
        lambda w: reverse("observations:save", args=[draft(w).uuid]),
        lambda w: {
            "version": draft(w).version,
            "observed_on": draft(w).observed_on.isoformat(),
            "action": "save",
        },
        label,
        lambda w: Observation.objects.get(pk=draft(w).pk).version,
        field=field,
        page=lambda w: reverse("observations:detail", args=[draft(w).uuid]),
    )


def _publish_data(w) -> dict:
    from observations.forms import RubricPublishForm
    from observations.queries import rubric_outline

    form = RubricPublishForm(domains=rubric_outline(current_rubric()))
    data = {name: field.initial for name, field in form.fields.items() if field.initial}
    return {**data, "title": "Paraprofessional Observation Rubric", "notes": "Reworded."}


def _publish_case(label: str, field: Callable[[Any], str] | None = None) -> FormCase:
    return FormCase(
        "pc",
        lambda w: reverse("observations:rubric-publish"),
        _publish_data,
        label,
        lambda w: Rubric.objects.count(),
        field=field,
    )


def _first_indicator(w) -> int:
    return current_rubric().indicators.order_by("domain__position", "position").first().pk


FORM_CASES: dict[str, FormCase] = {
    "pathways.CohortStatus.note": FormCase(
        "pc",
        lambda w: reverse(
            "pathways:milestone-create", args=[pathways_rows.person(w).uuid, "status"]
        ),
        lambda w: {
            "cohort": w.cohort.pk,
            "status": "continuing",
            "recorded_on": w.cohort.starts_on.isoformat(),
        },
        "Note",
        lambda w: CohortStatus.objects.count(),
    ),
    "pathways.Credential.exception_reason": FormCase(
        "liaison",
        lambda w: reverse(
            "pathways:milestone-create", args=[pathways_rows.person(w).uuid, "credential"]
        ),
        lambda w: {"awarded_on": "2026-09-01"},
        "Reason for an exception",
        lambda w: Credential.objects.count(),
    ),
    "mentoring.Pairing.end_reason": FormCase(
        "pc",
        lambda w: reverse("mentoring:pairing-end-early", args=[_pairing(w).uuid]),
        lambda w: {"closed_on": _pairing(w).starts_on.isoformat()},
        "Reason for ending early",
        lambda w: Pairing.objects.get(pk=_pairing(w).pk).status,
    ),
    "mentoring.MentoringSession.notes": _session_case("notes", "Notes"),
    "mentoring.MentoringSession.next_steps": _session_case("next_steps", "Next steps"),
    "mentoring.Goal.text": FormCase(
        "teacher",
        lambda w: reverse("mentoring:goal-create", args=[_pairing(w).uuid]),
        lambda w: {"focus_area": "engagement", "target_on": _pairing(w).ends_on.isoformat()},
        "Goal",
        lambda w: Goal.objects.count(),
    ),
    "coursework.Course.description": FormCase(
        "liaison",
        lambda w: reverse("coursework:course-create"),
        lambda w: {
            "college": w.college.pk,
            "code": "EDU 199",
            "title": "Reading Foundations",
            "credit_hours": "3",
            "delivery": "online",
        },
        "Description",
        lambda w: Course.objects.count(),
    ),
    "coursework.DegreePlan.description": FormCase(
        "liaison",
        lambda w: reverse("coursework:plan-create"),
        plan_data,
        "Description",
        lambda w: DegreePlan.objects.count(),
    ),
    "observations.Rubric.notes": _publish_case("What changed"),
    "observations.LevelDescriptor.text": _publish_case(
        "Beginning (1)", field=lambda w: f"descriptor_{_first_indicator(w)}_1"
    ),
    "observations.Observation.strengths": _draft_case("Strengths"),
    "observations.Observation.growth": _draft_case("Areas for growth"),
    "observations.Observation.next_steps": _draft_case("Next steps"),
    "observations.Rating.evidence": _draft_case(
        "Evidence note", field=lambda w: f"evidence_{_first_indicator(w)}"
    ),
    "observations.Acknowledgement.response": FormCase(
        "para",
        lambda w: reverse("observations:acknowledge", args=[observations_rows.submitted(w).uuid]),
        lambda w: {},
        "Your response (optional)",
        lambda w: Acknowledgement.objects.count(),
        page=lambda w: reverse("observations:detail", args=[observations_rows.submitted(w).uuid]),
    ),
    "observations.Reopening.reason": FormCase(
        "pc",
        lambda w: reverse("observations:reopen", args=[observations_rows.submitted(w).uuid]),
        lambda w: {},
        "Reason for reopening",
        lambda w: Reopening.objects.count(),
    ),
}

# Text nobody types into a form of its own, and where its limit is kept instead.
NOT_TYPED = {
    "pilot.AuditEntry.detail": "written by the application: log_access cuts it to fit",
    "observations.Quote.text": "a comment's words: test_comment_too_long_to_quote_*",
    "observations.Reopening.cleared_response": "a copy of the response, of the same limit",
    "pilot.OutboxMessage.body": "an email the site writes from its templates",
    "pilot.OutboxMessage.last_error": "written by the mail task: it cuts the error to fit",
    "pilot.Job.message": "written by the job runner: it cuts the message to fit",
}


def test_every_text_field_is_typed_through_a_form_listed_here() -> None:
    every = {key(m, f) for m, f in project_text_fields()}
    assert every == FORM_CASES.keys() | NOT_TYPED.keys()
    response = Acknowledgement._meta.get_field("response")
    assert Reopening._meta.get_field("cleared_response").max_length == response.max_length


def _textarea(html: str, name: str) -> str:
    found = re.search(rf'<textarea[^>]*\bname="{re.escape(name)}"[^>]*>', html)
    assert found, f"no textarea {name}"
    return found.group(0)


@pytest.mark.parametrize("case_key", FORM_CASES)
def test_each_text_fields_maximum_on_its_form(case_key, world, login) -> None:
    model_label, name = case_key.rsplit(".", 1)
    limit = apps.get_model(model_label)._meta.get_field(name).max_length
    case = FORM_CASES[case_key]
    field = case.field(world) if case.field else name
    client = login(world.users[case.persona])

    page = client.get((case.page or case.url)(world)).content.decode()
    assert f'maxlength="{limit}"' in _textarea(page, field)
    assert f"Up to {limit:,} characters." in page

    before = case.stored(world)
    response = client.post(case.url(world), {**case.data(world), field: "x" * (limit + 1)})
    assert response.status_code == 200
    assert (
        f"{case.label} can be up to {limit:,} characters; this has {limit + 1:,}."
        in response.content.decode()
    )
    assert case.stored(world) == before


# ---- quotes ----------------------------------------------------------------------------


def test_comment_too_long_to_quote_is_refused_on_its_checkbox(world, login) -> None:
    draft = observations_rows.draft(world)
    client = login(world.users["teacher"])
    url = reverse("observations:save", args=[draft.uuid])
    data = {"version": draft.version, "observed_on": draft.observed_on.isoformat()}
    long = "y" * (limits.QUOTE + 1)

    response = client.post(url, {**data, "strengths": long, "quotable_strengths": "on"})
    assert response.status_code == 200
    assert response.context["form"].errors["quotable_strengths"] == [
        f"Strengths has {limits.QUOTE + 1:,} characters, too many to quote: "
        f"a quote can be up to {limits.QUOTE:,}."
    ]
    assert not Quote.objects.exists()
    assert Observation.objects.get(pk=draft.pk).strengths != long

    # Up to the limit it is quotable; a longer comment can be saved, not quoted.
    client.post(url, {**data, "strengths": long[:-1], "quotable_strengths": "on"})
    assert Quote.objects.get().text == long[:-1]
    client.post(url, {**data, "version": draft.version + 1, "strengths": long})
    assert Observation.objects.get(pk=draft.pk).strengths == long
    assert not Quote.objects.exists()


def test_comment_too_long_to_quote_after_submitting(world, login) -> None:
    observation = ObservationFactory(
        pairing=observations_rows.pairing(world),
        kind="end",
        scores=3,
        submitted=True,
        strengths="z" * (limits.QUOTE + 10),
    )
    client = login(world.users["teacher"])
    response = client.post(
        reverse("observations:quote-consent", args=[observation.uuid]), {"comments": ["strengths"]}
    )
    assert response.status_code == 200
    assert response.context["consent_form"].errors["comments"] == [
        f"Strengths has {limits.QUOTE + 10:,} characters, too many to quote: "
        f"a quote can be up to {limits.QUOTE:,}."
    ]
    assert not Quote.objects.exists()


def test_quote_service_refuses_a_comment_too_long_to_quote(world) -> None:
    from observations import services

    observation = ObservationFactory(
        pairing=observations_rows.pairing(world), growth="g" * (limits.QUOTE + 1)
    )
    with pytest.raises(ValidationError) as refused:
        services.set_quote_consent(
            observation=observation,
            user=world.users["teacher"],
            comments={"strengths", "growth"},
        )
    assert refused.value.message_dict == {
        "comments": [Quote.too_long("growth", observation.growth)]
    }
    assert not Quote.objects.exists()


def test_access_log_detail_is_cut_to_fit() -> None:
    entry = log_access(None, AuditEntry.Action.EXPORT, "staff list", detail="q" * 5000)
    entry.refresh_from_db()
    assert len(entry.detail) == limits.AUDIT_DETAIL
