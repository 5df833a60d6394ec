"""Observations' pages the benchmark measures. A coordinator's index is the completion
tracker of every district: a report."""

from django.urls import reverse

from mentoring.models import Pairing
from pilot.registry.bench import (
    COORDINATOR,
    DISTRICT,
    PARA,
    TEACHER,
    first_district_slug,
    register_pages,
    url,
)

from .models import Observation, Rubric


def _tracker() -> str:
    return reverse("observations:tracker-district", args=[first_district_slug()])


def _paras_past_growth() -> str:
    uuid = (
        Pairing.objects.filter(paraprofessional__email=PARA, status="completed")
        .values_list("uuid", flat=True)
        .first()
    )
    return reverse("observations:growth", args=[uuid])


def _paras_observation() -> str:
    """The demo paraprofessional's most recent submitted observation."""
    uuid = (
        Observation.objects.filter(pairing__paraprofessional__email=PARA, status="submitted")
        .order_by("-observed_on", "id")
        .values_list("uuid", flat=True)
        .first()
    )
    return reverse("observations:detail", args=[uuid])


def _current_rubric() -> str:
    return reverse("observations:rubric-detail", args=[Rubric.objects.current().uuid])


def register() -> None:
    P, D, T, A = COORDINATOR, DISTRICT, TEACHER, PARA  # noqa: N806
    index = url("observations:index")
    register_pages(
        400,
        [
            ("observations index", P, index, "report"),
            ("observations index", D, index, "report"),
            ("observations index", T, index, "list"),
            ("observations index", A, index, "list"),
            ("observation tracker", P, _tracker, "report"),
            ("observation tracker", D, _tracker, "report"),
            ("observation detail", P, _paras_observation, "detail"),
            ("observation detail", T, _paras_observation, "detail"),
            ("observation detail", A, _paras_observation, "detail"),
            ("growth of a pairing", P, _paras_past_growth, "detail"),
            ("growth of a pairing", A, _paras_past_growth, "detail"),
            ("quotes to approve", P, url("observations:quote-list"), "list"),
            ("rubric", T, _current_rubric, "detail"),
        ],
    )
