"""Helpers for the benchmark pages apps register (``BENCH_PAGES``): the demo sign-ins
that measure them and lazy URLs (the paths are looked up over the seeded demo data
only when the benchmark runs)."""

from collections.abc import Callable
from uuid import UUID

from django.urls import reverse

from pilot.models import District, Staff

COORDINATOR = "coordinator@demo.test"
DISTRICT = "district@demo.test"
LIAISON = "college@demo.test"
TEACHER = "teacher@demo.test"
PARA = "para@demo.test"
ROLES = {COORDINATOR: "program", DISTRICT: "district", LIAISON: "liaison", TEACHER: "teacher"}
ROLES[PARA] = "para"


def url(name: str, *args: object) -> Callable[[], str]:
    return lambda: reverse(name, args=args)


def first_district_slug() -> str:
    return District.objects.order_by("id").values_list("slug", flat=True).first()


def staff_uuid(email: str) -> UUID | None:
    return Staff.objects.filter(email=email).values_list("uuid", flat=True).first()


def register_pages(first: int, rows: list[tuple[str, str, Callable[[], str], str]]) -> None:
    """Register ``(label, email, path, kind)`` rows in order, numbered from ``first``."""
    from pilot.registry import BENCH_PAGES, BenchPage

    for offset, (label, email, path, kind) in enumerate(rows):
        key = f"{label} | {ROLES[email]}"
        BENCH_PAGES.register(BenchPage(key, label, email, path, kind, first + offset))
