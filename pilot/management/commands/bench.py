"""Print what each main page costs: median and 95th-percentile time and query count.

Requests go through Django's test client as the demo sign-ins. Two references are
measured in the same run: ``/healthz`` (one query: the floor) and the Django admin
change list of staff (what a coordinator would otherwise use).
"""

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from pilot.bench_pages import Page, main_pages
from pilot.models import District, User


@dataclass
class Measure:
    page: Page
    median_ms: float
    p95_ms: float
    queries: int
    status: int


def _percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(pct / 100 * len(ordered)) - 1))
    return ordered[index]


class Command(BaseCommand):
    help = "Benchmark the main pages at the current data scale (seeding first if asked)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scale", default=None, help="seed_demo --scale first (N or state)")
        parser.add_argument("--repeat", type=int, default=25, help="requests per page")

    def handle(self, *args: object, **options: object) -> None:
        if options["scale"]:
            self.stdout.write(f"Seeding at scale {options['scale']} (reused when present)…")
            started = time.perf_counter()
            call_command("seed_demo", "--force", "--scale", options["scale"], verbosity=0)
            self.stdout.write(f"  seeded in {time.perf_counter() - started:.1f} s")
        if not User.objects.filter(email="bench-admin@demo.test").exists():
            User.objects.create_superuser("bench-admin@demo.test", None)
        repeat = int(options["repeat"])
        self.stdout.write(
            f"Data: {District.objects.count()} districts; {repeat} requests per page\n"
        )
        clients: dict[str, Client] = {}

        def client_for(email: str | None) -> Client:
            if email not in clients:
                client = Client()
                if email:
                    user = User.objects.get(email=email)
                    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
                clients[email] = client
            return clients[email]

        measures = [self._measure(page, client_for, repeat) for page in main_pages()]
        floor = next(m for m in measures if m.page.kind == "floor")
        admin = next(m for m in measures if m.page.kind == "admin")
        header = (
            f"{'page':<34} {'role':<12} {'median ms':>9} {'p95 ms':>8} {'queries':>7} "
            f"{'x floor':>8} {'x admin':>8} {'status':>6}"
        )
        self.stdout.write(header)
        self.stdout.write("-" * len(header))
        for m in measures:
            self.stdout.write(
                f"{m.page.label:<34} {m.page.role:<12} {m.median_ms:>9.2f} {m.p95_ms:>8.2f} "
                f"{m.queries:>7} {m.median_ms / floor.median_ms:>8.1f} "
                f"{m.median_ms / admin.median_ms:>8.2f} {m.status:>6}"
            )
        for label, timer in self._extra_timings():
            self.stdout.write(f"\n{label}: {timer():.2f} s")

    def _measure(self, page: Page, client_for: Callable[[str | None], Client], repeat: int):
        client = client_for(page.email)
        path = page.path()
        client.get(path, secure=True)  # warm caches and connections
        times = []
        status = 0
        queries = 0
        for _ in range(repeat):
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = client.get(path, secure=True)
                times.append((time.perf_counter() - started) * 1000)
            status, queries = response.status_code, len(captured)
        return Measure(page, statistics.median(times), _percentile(times, 95), queries, status)

    def _extra_timings(self) -> list[tuple[str, Callable[[], float]]]:
        from pilot import bench_pages

        return bench_pages.extra_timings()
