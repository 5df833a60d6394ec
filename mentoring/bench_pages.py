"""Mentoring's pages the benchmark measures."""

from uuid import UUID

from django.urls import reverse

from pilot.registry.bench import COORDINATOR, DISTRICT, PARA, TEACHER, register_pages, url

from .models import MentoringSession, Pairing


def teachers_pairing_uuid() -> UUID | None:
    """The demo teacher's active pairing with the demo paraprofessional."""
    return (
        Pairing.objects.filter(
            teacher__email=TEACHER, paraprofessional__email=PARA, status="active"
        )
        .values_list("uuid", flat=True)
        .first()
    )


def _teachers_pairing() -> str:
    return reverse("mentoring:pairing-detail", args=[teachers_pairing_uuid()])


def _session() -> str:
    uuid = (
        MentoringSession.objects.filter(pairing__uuid=teachers_pairing_uuid())
        .order_by("-held_on", "id")
        .values_list("uuid", flat=True)
        .first()
    )
    return reverse("mentoring:session-detail", args=[uuid])


def register() -> None:
    P, D, T, A = COORDINATOR, DISTRICT, TEACHER, PARA  # noqa: N806
    pairings = url("mentoring:pairing-list")
    register_pages(
        200,
        [
            ("pairing list", P, pairings, "list"),
            ("pairing list", D, pairings, "list"),
            ("pairing list", T, pairings, "list"),
            ("pairing list", A, pairings, "list"),
            ("unpaired staff", P, url("mentoring:unpaired"), "list"),
            ("unpaired staff", D, url("mentoring:unpaired"), "list"),
            ("pairing detail", P, _teachers_pairing, "detail"),
            ("pairing detail", D, _teachers_pairing, "detail"),
            ("pairing detail", T, _teachers_pairing, "detail"),
            ("pairing detail", A, _teachers_pairing, "detail"),
            ("session detail", T, _session, "detail"),
        ],
    )
