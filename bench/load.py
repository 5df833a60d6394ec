"""The load run: gunicorn on 127.0.0.1 against PostgreSQL (DEBUG off), locust headless
for a fixed time over the main pages as signed-in demo users; prints requests per second,
latency percentiles and the error count, then stops gunicorn (also on failure).

    DATABASE_URL=postgres://... .venv/bin/python bench/load.py [--seconds 60] [--users 20]

``make load`` runs it on the benchmark database (``LOAD_SCALE=state`` by default, seeded
when empty). The pages and sign-ins are ``bench.pages.main_pages()``; the exit code
is 1 when any request failed.
"""

import argparse
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pilot.settings")
os.environ.setdefault("SECRET_KEY", "load-run-only-not-a-secret")

import django  # noqa: E402

django.setup()

from bench.pages import main_pages  # noqa: E402

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


def warm_up(host: str, plan_data: dict, rounds: int) -> None:
    """Read every page ``rounds`` times before measuring, so that each gunicorn worker has
    loaded its templates and code (a first request takes 100-400 ms more); not counted."""
    cookie = plan_data["cookie_name"]
    for _ in range(rounds):
        for spec in plan_data["roles"].values():
            headers = {"Cookie": f"{cookie}={spec['sessions'][0]}"}
            for _label, path in spec["pages"]:
                request = urllib.request.Request(host + path, headers=headers)  # noqa: S310
                with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
                    response.read()


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


def report(results_file: Path, seconds: int) -> int:
    results = json.loads(results_file.read_text())
    total = results["total"]
    print(
        f"\n{'page [role]':<44} {'requests':>8} {'errors':>6} {'median':>7} {'p95':>6} "
        f"{'p99':>6} {'max':>6}  (ms)"
    )
    print("-" * 90)
    for name, r in sorted(results["pages"].items()):
        print(
            f"{name[:44]:<44} {r['requests']:>8} {r['errors']:>6} {r['p50']:>7.0f} "
            f"{r['p95']:>6.0f} {r['p99']:>6.0f} {r['max']:>6.0f}"
        )
    print("-" * 90)
    print(
        f"Total: {total['requests']:,} requests in {seconds} s = {total['rps']:.1f} "
        f"requests/s; latency median {total['p50']:.0f} ms, p90 {total['p90']:.0f} ms, "
        f"p95 {total['p95']:.0f} ms, p99 {total['p99']:.0f} ms, max {total['max']:.0f} ms; "
        f"errors: {total['errors']}"
    )
    for kind, count in sorted(results["errors"].items()):
        print(f"  error {count:>5} x {kind}")
    return 1 if total["errors"] or not total["requests"] else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--users", type=int, default=20, help="simulated people at once")
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

    def interrupted(signum, frame) -> None:
        raise KeyboardInterrupt  # so that ``finally`` below stops gunicorn and locust

    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, interrupted)
    with tempfile.TemporaryDirectory(prefix="pilot-load-") as tmp:
        plan_file, results = Path(tmp) / "plan.json", Path(tmp) / "results.json"
        log = (Path(tmp) / "locust.log").open("w")
        plan_data = plan(args.wait_min, args.wait_max, args.users)
        plan_file.write_text(json.dumps(plan_data))
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
            warm_up(host, plan_data, rounds=args.workers)
            print(f"gunicorn up on {host}; running locust for {args.seconds} s…", flush=True)
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
                    "--only-summary",
                    "--loglevel",
                    "WARNING",
                ],
                cwd=ROOT,
                env={**os.environ, "LOAD_PLAN": str(plan_file), "LOAD_RESULTS": str(results)},
                start_new_session=True,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
            locust.wait(timeout=args.seconds + 120)
        finally:
            stop(locust)
            stop(gunicorn)
            print("gunicorn stopped.")
            log.close()
        if not results.exists():
            print((Path(tmp) / "locust.log").read_text(), file=sys.stderr)
            print("locust wrote no results.", file=sys.stderr)
            return 1
        return report(results, args.seconds)


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        print("Interrupted.", file=sys.stderr)
        sys.exit(130)
