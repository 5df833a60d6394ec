"""Coursework's pages the benchmark measures."""

from uuid import UUID

from django.db.models import Count
from django.urls import reverse

from pilot.models import Cohort
from pilot.registry.bench import (
    COORDINATOR,
    DISTRICT,
    LIAISON,
    PARA,
    TEACHER,
    register_pages,
    staff_uuid,
    url,
)

from .models import Course, DegreePlan, Offering


def _paras_progress() -> str:
    return reverse("coursework:progress-for", args=[staff_uuid(PARA)])


def _para_transcript() -> str:
    return reverse("coursework:transcript", args=[staff_uuid(PARA)])


def _busiest_offering_uuid() -> UUID | None:
    return (
        # A closed cohort's roster is read-only (its page sends the liaison back).
        Offering.objects.exclude(cohort__status=Cohort.Status.CLOSED)
        .annotate(n=Count("enrollments"))
        .order_by("-n", "id")
        .values_list("uuid", flat=True)
        .first()
    )


def _busiest_roster() -> str:
    return reverse("coursework:offering-grades", args=[_busiest_offering_uuid()])


def _busiest_offering() -> str:
    return reverse("coursework:offering-detail", args=[_busiest_offering_uuid()])


def _first_course() -> str:
    uuid = Course.objects.order_by("code").values_list("uuid", flat=True).first()
    return reverse("coursework:course-detail", args=[uuid])


def _paras_plan() -> str:
    uuid = DegreePlan.objects.order_by("id").values_list("uuid", flat=True).first()
    return reverse("coursework:plan-detail", args=[uuid])


def register() -> None:
    P, D, L, T, A = COORDINATOR, DISTRICT, LIAISON, TEACHER, PARA  # noqa: N806
    catalog, students = url("coursework:course-list"), url("coursework:learner-list")
    register_pages(
        300,
        [
            ("course catalog", P, catalog, "list"),
            ("course catalog", L, catalog, "list"),
            ("course catalog", A, catalog, "list"),
            ("course detail", L, _first_course, "detail"),
            ("degree plan", A, _paras_plan, "detail"),
            ("my progress", A, url("coursework:progress"), "detail"),
            ("progress of a para", P, _paras_progress, "detail"),
            ("progress of a para", T, _paras_progress, "detail"),
            ("progress of a para", L, _paras_progress, "detail"),
            ("transcript", A, _para_transcript, "detail"),
            ("transcript", P, _para_transcript, "detail"),
            ("offering list", L, url("coursework:offering-list"), "list"),
            ("offering detail", L, _busiest_offering, "detail"),
            ("roster grades", L, _busiest_roster, "detail"),
            ("transfer credit", L, url("coursework:transfer-list"), "list"),
            ("students", P, students, "list"),
            ("students", D, students, "list"),
            ("students", L, students, "list"),
            ("coursework report", P, url("coursework:report"), "report"),
            ("coursework report", D, url("coursework:report"), "report"),
        ],
    )
