"""The load run: gunicorn on 127.0.0.1 against PostgreSQL (DEBUG off), locust headless
for a fixed time over the main pages as signed-in demo users; prints requests per second,
latency percentiles and the error count, then stops gunicorn (also on failure).

    DATABASE_URL=postgres://... .venv/bin/python bench/load.py [--seconds 60] [--users 12]

``make load`` runs it on the benchmark database (``LOAD_SCALE=state`` by default, seeded
when empty). The pages and sign-ins are ``pilot.bench_pages.main_pages()``; the exit code
is 1 when any request failed.
"""

import argparse
import csv
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pilot.settings")
os.environ.setdefault("SECRET_KEY", "load-run-only-not-a-secret")

import django  # noqa: E402

django.setup()

from pilot.bench_pages import main_pages  # noqa: E402

# How many simulated people of each role sign in: coordinators and teachers dominate.
WEIGHTS = {"program": 2, "district": 3, "liaison": 1, "teacher": 4, "para": 3}


def plan(wait_min: float, wait_max: float, sessions_per_role: int) -> dict:
    """The pages of each role, and sessions signed in for its demo sign-in (one per
    simulated person: ``Client.force_login`` goes through Django's ``login()``, so the
    sessions are real, stamped with their sign-in time like any other)."""
    from django.conf import settings
    from django.test import Client

    from pilot.models import User

    roles: dict[str, dict] = {}
    for page in main_pages():
        if page.kind in ("floor", "admin") or page.email is None:
            continue
        spec = roles.setdefault(
            page.role, {"email": page.email, "weight": WEIGHTS.get(page.role, 1), "pages": []}
        )
        spec["pages"].append((page.label, page.path()))
    for spec in roles.values():
        user = User.objects.get(email=spec["email"])
        spec["sessions"] = []
        for _ in range(sessions_per_role):
            client = Client()
            client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
            spec["sessions"].append(client.cookies[settings.SESSION_COOKIE_NAME].value)
    return {
        "cookie_name": settings.SESSION_COOKIE_NAME,
        "wait_min": wait_min,
        "wait_max": wait_max,
        "roles": roles,
    }


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(url: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - 127.0.0.1
                if response.status == 200:
                    return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"gunicorn did not answer {url} within {seconds:.0f} s")
        time.sleep(0.3)


def stop(process: subprocess.Popen | None) -> None:
    """Stop a process group we started (gunicorn's master and workers; locust)."""
    if process is None or process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def report(stats_csv: Path, failures_csv: Path, seconds: float) -> int:
    rows = list(csv.DictReader(stats_csv.open(encoding="utf-8")))
    total = next(r for r in rows if r["Name"] == "Aggregated")
    pages = sorted((r for r in rows if r["Name"] != "Aggregated"), key=lambda r: r["Name"])
    print(
        f"\n{'page [role]':<42} {'requests':>8} {'errors':>6} {'median':>7} {'p95':>6} "
        f"{'p99':>6} {'max':>6}  (ms)"
    )
    print("-" * 88)
    for r in pages:
        print(
            f"{r['Name'][:42]:<42} {r['Request Count']:>8} {r['Failure Count']:>6} "
            f"{r['50%']:>7} {r['95%']:>6} {r['99%']:>6} {float(r['Max Response Time']):>6.0f}"
        )
    errors = int(total["Failure Count"])
    requests = int(total["Request Count"])
    print("-" * 88)
    print(
        f"Total: {requests:,} requests in {seconds:.0f} s = {float(total['Requests/s']):.1f} "
        f"requests/s; latency median {total['50%']} ms, p90 {total['90%']} ms, "
        f"p95 {total['95%']} ms, p99 {total['99%']} ms, max "
        f"{float(total['Max Response Time']):.0f} ms; errors: {errors}"
    )
    if errors:
        kinds: dict[str, int] = defaultdict(int)
        for f in csv.DictReader(failures_csv.open(encoding="utf-8")):
            kinds[f"{f['Name']}: {f['Error']}"] += int(f["Occurrences"])
        for kind, count in sorted(kinds.items()):
            print(f"  error {count:>5} x {kind}")
    return 1 if errors or not requests else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--users", type=int, default=12, help="simulated people at once")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument("--wait-min", type=float, default=0.5, help="think time, seconds")
    parser.add_argument("--wait-max", type=float, default=1.5)
    args = parser.parse_args()

    from django.db import connection

    if connection.vendor != "postgresql":
        print("The load run needs PostgreSQL: set DATABASE_URL.", file=sys.stderr)
        return 2
    from pilot.models import District, Staff

    print(
        f"Data: {District.objects.count():,} districts, {Staff.objects.count():,} staff. "
        f"{args.users} users, {args.workers} gunicorn workers, {args.seconds} s, think time "
        f"{args.wait_min}-{args.wait_max} s."
    )
    connection.close()
    port = free_port()
    host = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "DEBUG": "false",
        "ALLOWED_HOSTS": "127.0.0.1",
        # Plain HTTP on the loopback: no redirect to HTTPS and no Secure-only cookies.
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_COOKIES": "false",
        "LOG_LEVEL": "WARNING",
    }
    gunicorn = locust = None
    with tempfile.TemporaryDirectory(prefix="pilot-load-") as tmp:
        plan_file = Path(tmp) / "plan.json"
        plan_file.write_text(json.dumps(plan(args.wait_min, args.wait_max, args.users)))
        try:
            gunicorn = subprocess.Popen(  # noqa: S603
                [
                    str(Path(sys.executable).parent / "gunicorn"),
                    "pilot.wsgi",
                    "--bind",
                    f"127.0.0.1:{port}",
                    "--workers",
                    str(args.workers),
                    "--log-level",
                    "warning",
                ],
                cwd=ROOT,
                env=env,
                start_new_session=True,
            )
            wait_until_up(f"{host}/healthz")
            print(f"gunicorn up on {host}; running locust for {args.seconds} s…", flush=True)
            started = time.monotonic()
            locust = subprocess.Popen(  # noqa: S603
                [
                    str(Path(sys.executable).parent / "locust"),
                    "-f",
                    str(ROOT / "bench" / "locustfile.py"),
                    "--headless",
                    "--host",
                    host,
                    "--users",
                    str(args.users),
                    "--spawn-rate",
                    str(args.users),
                    "--run-time",
                    f"{args.seconds}s",
                    "--stop-timeout",
                    "10",
                    "--csv",
                    str(Path(tmp) / "load"),
                    "--only-summary",
                    "--loglevel",
                    "WARNING",
                ],
                cwd=ROOT,
                env={**os.environ, "LOAD_PLAN": str(plan_file)},
                start_new_session=True,
                stdout=subprocess.DEVNULL,
            )
            locust.wait(timeout=args.seconds + 120)
            elapsed = time.monotonic() - started
        finally:
            stop(locust)
            stop(gunicorn)
            print("gunicorn stopped.")
        return report(Path(tmp) / "load_stats.csv", Path(tmp) / "load_failures.csv", elapsed)


if __name__ == "__main__":
    sys.exit(main())
