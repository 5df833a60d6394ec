"""Pathways' pages the benchmark measures: the person page and the pipeline report."""

from django.urls import reverse

from pilot.registry.bench import (
    COORDINATOR,
    DISTRICT,
    PARA,
    TEACHER,
    register_pages,
    staff_uuid,
    url,
)


def _paras_page() -> str:
    return reverse("pathways:person", args=[staff_uuid(PARA)])


def register() -> None:
    P, D, T, A = COORDINATOR, DISTRICT, TEACHER, PARA  # noqa: N806
    pipeline = url("pathways:pipeline")
    register_pages(
        500,
        [
            ("person page", P, _paras_page, "detail"),
            ("person page", T, _paras_page, "detail"),
            ("person page", A, _paras_page, "detail"),
            ("pipeline report", P, pipeline, "report"),
            ("pipeline report", D, pipeline, "report"),
        ],
    )
