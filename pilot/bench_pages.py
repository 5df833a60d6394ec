"""The pages the benchmark measures, and the extra timings it prints.

Each feature adds its main pages here, with the demo sign-in that sees them.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse

from pilot.models import District, Staff

COORDINATOR = "coordinator@demo.test"
DISTRICT = "district@demo.test"
LIAISON = "college@demo.test"
TEACHER = "teacher@demo.test"
PARA = "para@demo.test"


@dataclass(frozen=True)
class Page:
    label: str
    role: str
    email: str | None
    path: Callable[[], str]
    kind: str = "page"  # page (list/detail), dashboard, report, floor, admin


def _first_district() -> str:
    slug = District.objects.order_by("id").values_list("slug", flat=True).first()
    return reverse("pilot:district-detail", args=[slug])


def _teachers_pairing() -> str:
    from mentoring.models import Pairing

    uuid = (
        Pairing.objects.filter(teacher__email=TEACHER, status="active")
        .values_list("uuid", flat=True)
        .first()
    )
    return reverse("mentoring:pairing-detail", args=[uuid])


def _paras_progress() -> str:
    uuid = Staff.objects.filter(email=PARA).values_list("uuid", flat=True).first()
    return reverse("coursework:progress-for", args=[uuid])


def _para_transcript() -> str:
    uuid = Staff.objects.filter(email=PARA).values_list("uuid", flat=True).first()
    return reverse("coursework:transcript", args=[uuid])


def _busiest_roster() -> str:
    from django.db.models import Count

    from coursework.models import Offering

    uuid = (
        Offering.objects.annotate(n=Count("enrollments"))
        .order_by("-n", "id")
        .values_list("uuid", flat=True)
        .first()
    )
    return reverse("coursework:offering-grades", args=[uuid])


def main_pages() -> list[Page]:
    return [
        Page("floor: /healthz (1 query)", "anonymous", None, lambda: "/healthz", "floor"),
        Page(
            "admin: staff change list",
            "superuser",
            "bench-admin@demo.test",
            lambda: "/admin/pilot/staff/",
            "admin",
        ),
        Page("dashboard", "program", COORDINATOR, lambda: "/", "dashboard"),
        Page("dashboard", "district", DISTRICT, lambda: "/", "dashboard"),
        Page("dashboard", "liaison", LIAISON, lambda: "/", "dashboard"),
        Page("dashboard", "teacher", TEACHER, lambda: "/", "dashboard"),
        Page("dashboard", "para", PARA, lambda: "/", "dashboard"),
        Page("staff list", "program", COORDINATOR, lambda: reverse("pilot:staff-list")),
        Page("staff list", "district", DISTRICT, lambda: reverse("pilot:staff-list")),
        Page("district list", "program", COORDINATOR, lambda: reverse("pilot:district-list")),
        Page("district detail", "program", COORDINATOR, _first_district),
        Page("cohort list", "program", COORDINATOR, lambda: reverse("pilot:cohort-list")),
        Page("pairing list", "program", COORDINATOR, lambda: reverse("mentoring:pairing-list")),
        Page("pairing list", "district", DISTRICT, lambda: reverse("mentoring:pairing-list")),
        Page("pairing list", "teacher", TEACHER, lambda: reverse("mentoring:pairing-list")),
        Page("unpaired staff", "program", COORDINATOR, lambda: reverse("mentoring:unpaired")),
        Page("pairing detail", "teacher", TEACHER, _teachers_pairing),
        Page("pairing detail", "program", COORDINATOR, _teachers_pairing),
        Page("course catalog", "para", PARA, lambda: reverse("coursework:course-list")),
        Page("my progress", "para", PARA, lambda: reverse("coursework:progress")),
        Page("progress of a para", "program", COORDINATOR, _paras_progress),
        Page("transcript", "para", PARA, _para_transcript),
        Page("offering list", "liaison", LIAISON, lambda: reverse("coursework:offering-list")),
        Page("roster grades", "liaison", LIAISON, _busiest_roster),
        Page("students", "liaison", LIAISON, lambda: reverse("coursework:learner-list")),
        Page("students", "program", COORDINATOR, lambda: reverse("coursework:learner-list")),
        Page(
            "coursework report",
            "program",
            COORDINATOR,
            lambda: reverse("coursework:report"),
            "report",
        ),
    ]


def _transcript_pdf_seconds() -> float:
    import time

    from django.test import Client

    from pilot.models import User

    client = Client()
    client.force_login(
        User.objects.get(email=PARA), backend="django.contrib.auth.backends.ModelBackend"
    )
    uuid = Staff.objects.filter(email=PARA).values_list("uuid", flat=True).first()
    started = time.perf_counter()
    client.get(reverse("coursework:transcript-pdf", args=[uuid]), secure=True)
    return time.perf_counter() - started


def extra_timings() -> list[tuple[str, Callable[[], float]]]:
    return [("transcript PDF of para@demo.test", _transcript_pdf_seconds)]
