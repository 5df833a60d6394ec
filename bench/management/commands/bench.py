"""Print what each main page costs: median and 95th-percentile time and query count.

Requests go through Django's test client as the demo sign-ins. Three references are
measured in the same run: ``/healthz`` (one query: the floor), the signed-in floor (the
base layout and a small form, ``bench.pages.SIGNED_IN_FLOOR``) and the Django admin
change list of staff (what a coordinator would otherwise use). Dashboards and reports are
measured cold (the cache emptied before each request) and warm. The last column names the
targets a page misses (see ``bench.pages``): ``queries`` (more than 15, or a different
count from the run saved with ``--compare``), ``admin`` (a list page slower than 1.5x the
admin change list), ``floor`` and ``signed`` (slower than its multiple of either floor).
"""

import json
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.core.cache import cache
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from bench.pages import (
    ADMIN,
    MAX_QUERIES,
    SIGNED_IN_TARGETS,
    TARGETS,
    WARM_TARGET,
    Page,
    main_pages,
)
from pilot.models import District, Staff, User


@dataclass
class Measure:
    page: Page
    median_ms: float
    p95_ms: float
    queries: int
    status: int

    @property
    def key(self) -> str:
        return f"{self.page.name} | {self.page.role}"


def _percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(pct / 100 * len(ordered)) - 1))
    return ordered[index]


class Command(BaseCommand):
    help = "Benchmark the main pages at the current data scale (seeding first if asked)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scale", default=None, help="seed_demo --scale first (N or state)")
        parser.add_argument("--repeat", type=int, default=25, help="requests per page")
        parser.add_argument("--only", default="", help="measure only pages whose label has this")
        parser.add_argument("--no-extra", action="store_true", help="skip the extra timings")
        parser.add_argument("--save", default="", help="write the measures to this JSON file")
        parser.add_argument(
            "--compare",
            default="",
            help="a JSON file from another scale's run: flag pages whose query count differs",
        )

    def handle(self, *args: object, **options: object) -> None:
        if options["scale"]:
            self.stdout.write(f"Seeding at scale {options['scale']} (reused when present)…")
            started = time.perf_counter()
            call_command("seed_demo", "--force", "--scale", options["scale"], verbosity=0)
            self.stdout.write(f"  seeded in {time.perf_counter() - started:.1f} s")
        if not User.objects.filter(email=ADMIN).exists():
            User.objects.create_superuser(ADMIN, None)
        repeat = int(options["repeat"])
        staff = Staff.objects.count()
        self.stdout.write(
            f"Data: {District.objects.count():,} districts, {staff:,} staff; "
            f"{repeat} requests per page\n"
        )
        clients: dict[str | None, Client] = {}

        def client_for(email: str | None) -> Client:
            if email not in clients:
                client = Client()
                if email:
                    user = User.objects.get(email=email)
                    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
                clients[email] = client
            return clients[email]

        only = str(options["only"])
        references = ("floor", "signed-in", "admin")
        pages = [p for p in main_pages() if p.kind in references or only in p.label]
        measures = [self._measure(page, client_for, repeat) for page in pages]
        other = self._load(str(options["compare"]))
        self._table(measures, other)
        if options["save"]:
            saved = {
                m.key: {"median_ms": m.median_ms, "p95_ms": m.p95_ms, "queries": m.queries}
                for m in measures
            }
            Path(str(options["save"])).write_text(json.dumps(saved, indent=1))
        if not options["no_extra"] and not only:
            self._extra_timings()

    def _load(self, path: str) -> dict[str, dict]:
        if not path or not Path(path).exists():
            return {}
        return json.loads(Path(path).read_text())

    def _table(self, measures: list[Measure], other: dict[str, dict]) -> None:
        floor = next(m for m in measures if m.page.kind == "floor")
        signed_in = next(m for m in measures if m.page.kind == "signed-in")
        admin = next(m for m in measures if m.page.kind == "admin")
        header = (
            f"{'page':<33} {'role':<9} {'kind':<9} {'median ms':>9} {'p95 ms':>8} "
            f"{'queries':>7} {'x floor':>8} {'x signed':>8} {'x admin':>7} {'status':>6}  misses"
        )
        if other:
            header = header.replace("queries", "queries (other)")
        self.stdout.write(header)
        self.stdout.write("-" * len(header))
        missed = 0
        for m in measures:
            x_floor = m.median_ms / floor.median_ms
            x_signed = m.median_ms / signed_in.median_ms
            x_admin = m.median_ms / admin.median_ms
            misses = []
            queries = f"{m.queries}"
            if other:
                before = other.get(m.key, {}).get("queries")
                queries += f" ({before if before is not None else '-'})"
                if before is not None and before != m.queries and m.page.kind != "admin":
                    misses.append("same-queries")
            if m.page.kind in TARGETS:
                most_floor, most_admin = TARGETS[m.page.kind]
                if m.queries > MAX_QUERIES:
                    misses.append(f"queries>{MAX_QUERIES}")
                if most_admin is not None and x_admin > most_admin:
                    misses.append(f"admin>{most_admin}x")
                if x_floor > most_floor:
                    misses.append(f"floor>{most_floor}x")
                most_signed = (
                    WARM_TARGET if m.page.cache == "warm" else SIGNED_IN_TARGETS[m.page.kind]
                )
                if x_signed > most_signed:
                    misses.append(f"signed>{most_signed}x")
            if m.status != 200:
                misses.append("status")
            missed += bool(misses)
            self.stdout.write(
                f"{m.page.name:<33} {m.page.role:<9} {m.page.kind:<9} {m.median_ms:>9.2f} "
                f"{m.p95_ms:>8.2f} {queries:>{len('queries (other)') if other else 7}} "
                f"{x_floor:>8.1f} {x_signed:>8.1f} {x_admin:>7.2f} {m.status:>6}  "
                f"{' '.join(misses)}"
            )
        self.stdout.write(f"\n{len(measures) - 3} pages; {missed} miss a target.")

    def _measure(
        self, page: Page, client_for: Callable[[str | None], Client], repeat: int
    ) -> Measure:
        client = client_for(page.email)
        path = page.path()
        client.get(path, secure=True)  # warm caches and connections
        times = []
        status = 0
        queries = 0
        for _ in range(repeat):
            if page.cache == "cold":
                cache.clear()  # the figures are computed, as after a write
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = client.get(path, secure=True)
                times.append((time.perf_counter() - started) * 1000)
            status, queries = response.status_code, len(captured)
        return Measure(page, statistics.median(times), _percentile(times, 95), queries, status)

    def _extra_timings(self) -> None:
        from bench import pages as bench_pages

        self.stdout.write("\nExtra timings (one run each):")
        for label, timer in bench_pages.extra_timings():
            self.stdout.flush()
            seconds = timer()
            self.stdout.write(f"  {label}: {seconds:.2f} s")
