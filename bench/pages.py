"""The pages the benchmark measures, and the extra timings it prints.

Each feature adds its main pages here, with the demo sign-in that sees them. ``kind``
says which target a page is held to (see README "Performance"): ``list`` pages within
1.5x of the admin change list and 10x of the floor, ``detail`` pages within 10x of the
floor, ``dashboard`` and ``report`` pages within 50x of the floor; every page makes the
same number of queries at every scale, and no more than 15.
"""

import contextlib
import importlib.util
import io
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.test import Client
from django.urls import NoReverseMatch, reverse

from pilot.models import District, Staff, User

COORDINATOR = "coordinator@demo.test"
DISTRICT = "district@demo.test"
LIAISON = "college@demo.test"
TEACHER = "teacher@demo.test"
PARA = "para@demo.test"
ADMIN = "bench-admin@demo.test"

MAX_QUERIES = 15
TARGETS = {  # kind: (most times the floor, most times the admin change list)
    "list": (10, 1.5),
    "detail": (10, None),
    "dashboard": (50, None),
    "report": (50, None),
}


@dataclass(frozen=True)
class Page:
    label: str
    role: str
    email: str | None
    path: Callable[[], str]
    kind: str = "detail"  # list, detail, dashboard, report, floor, admin


def _url(name: str, *args: object) -> Callable[[], str]:
    return lambda: reverse(name, args=args)


def _first_district_slug() -> str:
    return District.objects.order_by("id").values_list("slug", flat=True).first()


def _first_district() -> str:
    return reverse("pilot:district-detail", args=[_first_district_slug()])


def _tracker() -> str:
    return reverse("observations:tracker-district", args=[_first_district_slug()])


def _staff_uuid(email: str):
    return Staff.objects.filter(email=email).values_list("uuid", flat=True).first()


def _paras_staff_page() -> str:
    return reverse("pilot:staff-detail", args=[_staff_uuid(PARA)])


def _teachers_pairing_uuid():
    from mentoring.models import Pairing

    return (
        Pairing.objects.filter(
            teacher__email=TEACHER, paraprofessional__email=PARA, status="active"
        )
        .values_list("uuid", flat=True)
        .first()
    )


def _teachers_pairing() -> str:
    return reverse("mentoring:pairing-detail", args=[_teachers_pairing_uuid()])


def _session() -> str:
    from mentoring.models import MentoringSession

    uuid = (
        MentoringSession.objects.filter(pairing__uuid=_teachers_pairing_uuid())
        .order_by("-held_on", "id")
        .values_list("uuid", flat=True)
        .first()
    )
    return reverse("mentoring:session-detail", args=[uuid])


def _paras_past_growth() -> str:
    from mentoring.models import Pairing

    uuid = (
        Pairing.objects.filter(paraprofessional__email=PARA, status="completed")
        .values_list("uuid", flat=True)
        .first()
    )
    return reverse("observations:growth", args=[uuid])


def _paras_observation() -> str:
    """para@demo.test's most recent submitted observation (the paraprofessional sees it)."""
    from observations.models import Observation

    uuid = (
        Observation.objects.filter(pairing__paraprofessional__email=PARA, status="submitted")
        .order_by("-observed_on", "id")
        .values_list("uuid", flat=True)
        .first()
    )
    return reverse("observations:detail", args=[uuid])


def _current_rubric() -> str:
    from observations.models import Rubric

    return reverse("observations:rubric-detail", args=[Rubric.objects.current().uuid])


def _paras_progress() -> str:
    return reverse("coursework:progress-for", args=[_staff_uuid(PARA)])


def _para_transcript() -> str:
    return reverse("coursework:transcript", args=[_staff_uuid(PARA)])


def _busiest_offering_uuid():
    from django.db.models import Count

    from coursework.models import Offering

    return (
        Offering.objects.annotate(n=Count("enrollments"))
        .order_by("-n", "id")
        .values_list("uuid", flat=True)
        .first()
    )


def _busiest_roster() -> str:
    return reverse("coursework:offering-grades", args=[_busiest_offering_uuid()])


def _busiest_offering() -> str:
    return reverse("coursework:offering-detail", args=[_busiest_offering_uuid()])


def _first_course() -> str:
    from coursework.models import Course

    uuid = Course.objects.order_by("code").values_list("uuid", flat=True).first()
    return reverse("coursework:course-detail", args=[uuid])


def _paras_plan() -> str:
    from coursework.models import DegreePlan

    uuid = DegreePlan.objects.order_by("id").values_list("uuid", flat=True).first()
    return reverse("coursework:plan-detail", args=[uuid])


def main_pages() -> list[Page]:
    P, D, L, T, A = COORDINATOR, DISTRICT, LIAISON, TEACHER, PARA  # noqa: N806
    pages = [
        Page("floor: /healthz (1 query)", "anonymous", None, lambda: "/healthz", "floor"),
        Page(
            "admin: staff change list", "superuser", ADMIN, lambda: "/admin/pilot/staff/", "admin"
        ),
        # Dashboards, one per role.
        Page("dashboard", "program", P, lambda: "/", "dashboard"),
        Page("dashboard", "district", D, lambda: "/", "dashboard"),
        Page("dashboard", "liaison", L, lambda: "/", "dashboard"),
        Page("dashboard", "teacher", T, lambda: "/", "dashboard"),
        Page("dashboard", "para", A, lambda: "/", "dashboard"),
        # Program: staff, districts, cohorts, roles, imports.
        Page("staff list", "program", P, _url("pilot:staff-list"), "list"),
        Page("staff list", "district", D, _url("pilot:staff-list"), "list"),
        Page("staff detail", "program", P, _paras_staff_page),
        Page("staff detail", "district", D, _paras_staff_page),
        Page("district list", "program", P, _url("pilot:district-list"), "list"),
        Page("district list", "district", D, _url("pilot:district-list"), "list"),
        Page("district detail", "program", P, _first_district),
        Page("district detail", "district", D, _first_district),
        Page("cohort list", "program", P, _url("pilot:cohort-list"), "list"),
        Page("cohort list", "district", D, _url("pilot:cohort-list"), "list"),
        Page("roles", "program", P, _url("pilot:role-list"), "list"),
        Page("imports", "program", P, _url("imports:index"), "list"),
        Page("imports", "district", D, _url("imports:index"), "list"),
        # Mentoring.
        Page("pairing list", "program", P, _url("mentoring:pairing-list"), "list"),
        Page("pairing list", "district", D, _url("mentoring:pairing-list"), "list"),
        Page("pairing list", "teacher", T, _url("mentoring:pairing-list"), "list"),
        Page("pairing list", "para", A, _url("mentoring:pairing-list"), "list"),
        Page("unpaired staff", "program", P, _url("mentoring:unpaired"), "list"),
        Page("unpaired staff", "district", D, _url("mentoring:unpaired"), "list"),
        Page("pairing detail", "program", P, _teachers_pairing),
        Page("pairing detail", "district", D, _teachers_pairing),
        Page("pairing detail", "teacher", T, _teachers_pairing),
        Page("pairing detail", "para", A, _teachers_pairing),
        Page("session detail", "teacher", T, _session),
        # Coursework.
        Page("course catalog", "program", P, _url("coursework:course-list"), "list"),
        Page("course catalog", "liaison", L, _url("coursework:course-list"), "list"),
        Page("course catalog", "para", A, _url("coursework:course-list"), "list"),
        Page("course detail", "liaison", L, _first_course),
        Page("degree plan", "para", A, _paras_plan),
        Page("my progress", "para", A, _url("coursework:progress")),
        Page("progress of a para", "program", P, _paras_progress),
        Page("progress of a para", "teacher", T, _paras_progress),
        Page("progress of a para", "liaison", L, _paras_progress),
        Page("transcript", "para", A, _para_transcript),
        Page("transcript", "program", P, _para_transcript),
        Page("offering list", "liaison", L, _url("coursework:offering-list"), "list"),
        Page("offering detail", "liaison", L, _busiest_offering),
        Page("roster grades", "liaison", L, _busiest_roster),
        Page("transfer credit", "liaison", L, _url("coursework:transfer-list"), "list"),
        Page("students", "program", P, _url("coursework:learner-list"), "list"),
        Page("students", "district", D, _url("coursework:learner-list"), "list"),
        Page("students", "liaison", L, _url("coursework:learner-list"), "list"),
        Page("coursework report", "program", P, _url("coursework:report"), "report"),
        Page("coursework report", "district", D, _url("coursework:report"), "report"),
        # Observations.
        # A coordinator's index is the completion tracker of every district: a report.
        Page("observations index", "program", P, _url("observations:index"), "report"),
        Page("observations index", "district", D, _url("observations:index"), "report"),
        Page("observations index", "teacher", T, _url("observations:index"), "list"),
        Page("observations index", "para", A, _url("observations:index"), "list"),
        Page("observation tracker", "program", P, _tracker, "report"),
        Page("observation tracker", "district", D, _tracker, "report"),
        Page("observation detail", "program", P, _paras_observation),
        Page("observation detail", "teacher", T, _paras_observation),
        Page("observation detail", "para", A, _paras_observation),
        Page("growth of a pairing", "program", P, _paras_past_growth),
        Page("growth of a pairing", "para", A, _paras_past_growth),
        Page("quotes to approve", "program", P, _url("observations:quote-list"), "list"),
        Page("rubric", "teacher", T, _current_rubric),
        # Reports.
        Page("program reports", "program", P, _url("reports:index"), "report"),
        Page("program reports", "district", D, _url("reports:index"), "report"),
        Page("end-of-pilot report", "program", P, _url("reports:pilot"), "report"),
    ]
    return pages


# Extra timings: (label, a function that prints its own steps and returns seconds).


def _signed_in_client(email: str) -> Client:
    client = Client()
    user = User.objects.get(email=email)
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def _get_seconds(email: str, path: str) -> float:
    client = _signed_in_client(email)
    started = time.perf_counter()
    response = client.get(path, secure=True)
    seconds = time.perf_counter() - started
    if response.status_code != 200:
        raise RuntimeError(f"{path} answered {response.status_code}")
    return seconds


def _transcript_pdf_seconds() -> float:
    path = reverse("coursework:transcript-pdf", args=[_staff_uuid(PARA)])
    return _get_seconds(PARA, path)


def _pilot_report_pdf_seconds() -> float:
    return _get_seconds(COORDINATOR, reverse("reports:pilot-pdf"))


def _staff_import_seconds() -> float:
    """bench/import_staff.py's measure(): 10,000 new staff read, previewed and confirmed,
    then the same file again, all rolled back. Its step lines are printed indented."""
    path = Path(settings.BASE_DIR) / "bench" / "import_staff.py"
    spec = importlib.util.spec_from_file_location("bench_import_staff", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        seconds = module.measure(10_000)
    print("\n".join("    " + line for line in out.getvalue().splitlines()))
    return seconds


def extra_timings() -> list[tuple[str, Callable[[], float]]]:
    timings = [
        ("transcript PDF of para@demo.test", _transcript_pdf_seconds),
        ("10,000-row staff import (read, preview, confirm)", _staff_import_seconds),
    ]
    try:
        reverse("reports:pilot-pdf")
    except NoReverseMatch:
        pass  # the reports app is not installed yet
    else:
        timings.append(("pilot report PDF", _pilot_report_pdf_seconds))
    return timings
