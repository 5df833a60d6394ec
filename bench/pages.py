"""The pages the benchmark measures, and the extra timings it prints.

Each app registers its main pages in ``pilot.registry.BENCH_PAGES`` (``<app>/bench_pages.py``),
with the demo sign-in that sees them; the references and the site's own pages are here. ``kind``
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
from dataclasses import dataclass, replace
from pathlib import Path

from django.conf import settings
from django.test import Client
from django.urls import NoReverseMatch, reverse

from pilot.models import Cohort, User
from pilot.registry import BENCH_PAGES
from pilot.registry.bench import COORDINATOR, DISTRICT, LIAISON, PARA, ROLES, TEACHER, staff_uuid

ADMIN = "bench-admin@demo.test"

MAX_QUERIES = 15
# The least a signed-in page costs: a small form and the context processors (session,
# user, then the principal: roles and staff record in one query; 3 queries). Issue 17's
# targets are multiples of it.
SIGNED_IN_FLOOR = "/accounts/password_change/"
SIGNED_IN_TARGETS = {"list": 5, "detail": 5, "dashboard": 10, "report": 10}
WARM_TARGET = 2  # a dashboard or report read from the cache, times the signed-in floor
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
    kind: str = "detail"  # list, detail, dashboard, report, floor, signed-in, admin
    cache: str = ""  # dashboards and reports: "cold" (cache emptied first) or "warm"

    @property
    def name(self) -> str:
        return f"{self.label} ({self.cache})" if self.cache else self.label


def _url(name: str, *args: object) -> Callable[[], str]:
    return lambda: reverse(name, args=args)


def _rollover_preview() -> str:
    latest = Cohort.objects.order_by("-starts_on").values_list("uuid", flat=True).first()
    return reverse("pilot:cohort-rollover", args=[latest])


def main_pages() -> list[Page]:
    """The references, the site's own pages, then what each app registered."""
    P, D, L, T, A = COORDINATOR, DISTRICT, LIAISON, TEACHER, PARA  # noqa: N806
    pages = [
        Page("floor: /healthz (1 query)", "anonymous", None, lambda: "/healthz", "floor"),
        Page("signed-in floor: layout", "program", P, lambda: SIGNED_IN_FLOOR, "signed-in"),
        Page(
            "admin: staff change list", "superuser", ADMIN, lambda: "/admin/pilot/staff/", "admin"
        ),
        # Dashboards, one per role.
        *(
            Page("dashboard", ROLES[email], email, lambda: "/", "dashboard")
            for email in (P, D, L, T, A)
        ),
        Page("imports", "program", P, _url("imports:index"), "list"),
        Page("imports", "district", D, _url("imports:index"), "list"),
        Page("program reports", "program", P, _url("reports:index"), "report"),
        Page("program reports", "district", D, _url("reports:index"), "report"),
        Page("end-of-pilot report", "program", P, _url("reports:pilot"), "report"),
        # The year rollover's preview of the latest cohort (every pairing it carries).
        Page("rollover preview", "program", P, _rollover_preview, "report"),
    ]
    for entry in BENCH_PAGES:
        pages.append(Page(entry.label, ROLES[entry.email], entry.email, entry.path, entry.kind))
    # Cached figures (pilot.figures_cache): each dashboard and report cold, then warm.
    return [
        replace(page, cache=cache)
        for page in pages
        for cache in (("cold", "warm") if page.kind in ("dashboard", "report") else ("",))
    ]


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
    path = reverse("coursework:transcript-pdf", args=[staff_uuid(PARA)])
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
