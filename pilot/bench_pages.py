"""The core's pages the benchmark measures: staff, districts, cohorts, roles."""

from django.urls import reverse

from pilot.registry.bench import (
    COORDINATOR,
    DISTRICT,
    PARA,
    first_district_slug,
    register_pages,
    staff_uuid,
    url,
)


def _paras_staff_page() -> str:
    return reverse("pilot:staff-detail", args=[staff_uuid(PARA)])


def _first_district() -> str:
    return reverse("pilot:district-detail", args=[first_district_slug()])


def register() -> None:
    P, D = COORDINATOR, DISTRICT  # noqa: N806
    register_pages(
        100,
        [
            ("staff list", P, url("pilot:staff-list"), "list"),
            ("staff list", D, url("pilot:staff-list"), "list"),
            ("staff detail", P, _paras_staff_page, "detail"),
            ("staff detail", D, _paras_staff_page, "detail"),
            ("district list", P, url("pilot:district-list"), "list"),
            ("district list", D, url("pilot:district-list"), "list"),
            ("district detail", P, _first_district, "detail"),
            ("district detail", D, _first_district, "detail"),
            ("cohort list", P, url("pilot:cohort-list"), "list"),
            ("cohort list", D, url("pilot:cohort-list"), "list"),
            ("roles", P, url("pilot:role-list"), "list"),
        ],
    )
