"""`make cluster` and `make chaos`: on this machine, what a district would deploy.

nginx (Debian's) balancing two gunicorn app servers, one Celery worker, beat, a Redis of
its own (so the shared one is never touched) and the local PostgreSQL (a database of its
own, made afresh at each start); mail goes to an SMTP sink in this process. Everything
listens on 127.0.0.1 only and everything started is stopped at the end, also on Ctrl-C.

    python -m bench.cluster up       # run until Ctrl-C
    python -m bench.cluster chaos    # CHAOS_SECONDS (60) of load; stops and restarts one
                                     # app server and the worker; exit 1 on any loss

Two runs side by side need their own names: CLUSTER_DB (database, default pilot_cluster)
and CLUSTER_PORT_BASE (default 18000: nginx on +80, the app servers on +1 and +2, Redis
on +79, the SMTP sink on +25). A start refuses when one of its ports is taken.

Chaos counts requests sent through nginx and failed ones (GETs, and a signed-in program
coordinator's invitations, each of which queues an email through the site), emails queued
(outbox rows: those requests' and ones written directly through pilot.mail.queue_mail) and
delivered (by each row's Message-ID at the sink: lost rows, and repeats).
"""

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Callable
from http.client import HTTPException
from http.cookiejar import CookieJar
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
HOST = "127.0.0.1"
PORT_BASE = int(os.environ.get("CLUSTER_PORT_BASE", "18000"))
NGINX_PORT, APP_PORTS = PORT_BASE + 80, (PORT_BASE + 1, PORT_BASE + 2)
REDIS_PORT, SMTP_PORT = PORT_BASE + 79, PORT_BASE + 25
DATABASE = os.environ.get("CLUSTER_DB", "pilot_cluster")
DATABASE_URL = f"postgres://postgres@{HOST}:5432/{DATABASE}"
REDIS_URL = f"redis://{HOST}:{REDIS_PORT}/0"
SITE = f"http://{HOST}:{NGINX_PORT}"
# How chaos stops app server 1: "term" as a deployment does (gunicorn's graceful shutdown
# finishes the requests in hand), or "kill" (SIGKILL: a response nginx has begun to pass on
# is cut short, which no proxy can retry).
APP_STOP = os.environ.get("CHAOS_APP_STOP", "term")

ENV = {
    **os.environ,
    "DJANGO_SETTINGS_MODULE": "pilot.settings",
    "DEBUG": "false",
    "SECRET_KEY": "cluster-only-secret-key-not-for-production",
    "ALLOWED_HOSTS": f"{HOST},localhost",
    "SECURE_SSL_REDIRECT": "false",
    "SECURE_COOKIES": "false",
    "SECURE_HSTS_SECONDS": "0",
    "DATABASE_URL": DATABASE_URL,
    "REDIS_URL": REDIS_URL,
    "CACHE_BACKEND": "database",
    "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
    "EMAIL_HOST": HOST,
    "EMAIL_PORT": str(SMTP_PORT),
    "MAIL_RETRY_DELAY": "1",
    "MAIL_RESEND_AFTER": "15",
    "TASK_VISIBILITY_TIMEOUT": "10",
    "TRUSTED_PROXY_COUNT": "1",
    "MFA_REQUIRED": "false",  # the chaos run signs in with a password alone
}

NGINX_CONF = """
worker_processes 1;
pid {run}/nginx.pid;
error_log {run}/nginx-error.log warn;
events {{ worker_connections 256; }}
http {{
    access_log off;
    client_body_temp_path {run}/body; proxy_temp_path {run}/proxy;
    fastcgi_temp_path {run}/fastcgi; uwsgi_temp_path {run}/uwsgi; scgi_temp_path {run}/scgi;
    upstream pilot {{
        # Passive health checks (open-source nginx): a server that fails is taken out
        # for 5 s, and the request is retried on the other one.
        server {host}:{app1} max_fails=1 fail_timeout=5s;
        server {host}:{app2} max_fails=1 fail_timeout=5s;
    }}
    server {{
        listen {host}:{port};
        location / {{
            proxy_pass http://pilot;
            proxy_next_upstream error timeout http_502 http_503 http_504 non_idempotent;
            proxy_next_upstream_tries 2;
            proxy_connect_timeout 1s;
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
        }}
    }}
}}
"""


class Cluster:
    def __init__(self) -> None:
        self.run_dir = Path(tempfile.mkdtemp(prefix="pilot-cluster-"))
        self.procs: dict[str, subprocess.Popen] = {}
        self.mailbox = self.run_dir / "received.tsv"  # the sink's Message-ID and subject

    # -- starting and stopping ------------------------------------------------------------

    def spawn(self, name: str, args: list[str]) -> None:
        log = open(self.run_dir / f"{name}.log", "ab")  # noqa: SIM115 (kept with the process)
        self.procs[name] = subprocess.Popen(
            args, env=ENV, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )

    def app(self, n: int) -> None:
        port = APP_PORTS[n - 1]
        self.spawn(
            f"app{n}",
            [str(BIN / "gunicorn"), "pilot.wsgi", "--bind", f"{HOST}:{port}", "--workers", "2"],
        )

    def worker(self) -> None:
        self.spawn(
            "worker",
            [str(BIN / "celery"), "-A", "pilot", "worker", "--concurrency", "4", "-n", "w1@%h"],
        )

    def start(self) -> None:
        if not shutil.which("nginx") and not Path("/usr/sbin/nginx").exists():
            sys.exit("nginx is missing: apt-get install -y nginx")
        began = time.monotonic()
        taken = [port for port in (NGINX_PORT, *APP_PORTS, REDIS_PORT, SMTP_PORT) if in_use(port)]
        if taken:
            sys.exit(
                f"Port(s) {taken} already in use (another cluster?): give this one its own "
                "CLUSTER_PORT_BASE and CLUSTER_DB."
            )
        self.start_smtp()
        self.spawn(
            "redis",
            ["redis-server", "--bind", HOST, "--port", str(REDIS_PORT), "--save", ""],
        )
        # A fresh database every start: a run never depends on what an earlier one left
        # (say, migrations renamed since).
        for command in ("dropdb", "createdb"):
            extra = ["--if-exists"] if command == "dropdb" else []
            subprocess.run(
                [command, *extra, "-h", HOST, "-U", "postgres", DATABASE],
                capture_output=True,
            )
        manage = [sys.executable, "manage.py"]
        # What a deployment does: hashed static files for whitenoise (into staticfiles/),
        # meanwhile the database is migrated (they share nothing).
        static = subprocess.Popen([*manage, "collectstatic", "--noinput", "-v0"], env=ENV, cwd=ROOT)
        subprocess.run([*manage, "migrate", "--noinput", "-v0"], env=ENV, cwd=ROOT, check=True)
        subprocess.run([*manage, "createcachetable"], env=ENV, cwd=ROOT, check=True)
        if static.wait() != 0:
            raise SystemExit("collectstatic failed.")
        self.app(1)
        self.app(2)
        self.worker()
        self.spawn(
            "beat",
            [str(BIN / "celery"), "-A", "pilot", "beat", "-s", str(self.run_dir / "beat-schedule")],
        )
        conf = self.run_dir / "nginx.conf"
        conf.write_text(
            NGINX_CONF.format(
                run=self.run_dir, host=HOST, port=NGINX_PORT, app1=APP_PORTS[0], app2=APP_PORTS[1]
            )
        )
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        self.spawn("nginx", [nginx, "-c", str(conf), "-p", str(self.run_dir), "-g", "daemon off;"])
        for port in (*APP_PORTS, NGINX_PORT):
            wait_up(f"http://{HOST}:{port}/healthz")
        print(
            f"Cluster up in {time.monotonic() - began:.0f} s: http://{HOST}:{NGINX_PORT}/ "
            f"(logs in {self.run_dir})",
            flush=True,
        )

    def start_smtp(self) -> None:
        """The sink runs in a process of its own: the load's threads here never slow it."""
        self.spawn("smtp", [sys.executable, "-m", "bench.cluster", "sink", str(self.mailbox)])
        deadline = time.monotonic() + 30
        while not in_use(SMTP_PORT):
            if time.monotonic() > deadline:
                raise SystemExit("The SMTP sink did not start.")
            time.sleep(0.2)

    def received(self) -> list[tuple[str, str]]:
        """(Message-ID, subject) of every email the sink took, in order of arrival."""
        lines = self.mailbox.read_text().splitlines() if self.mailbox.exists() else []
        return [tuple(line.split("\t", 1)) for line in lines]

    def kill(self, name: str) -> int:
        """An app server dies (SIGKILL to it and its own workers): nginx retries elsewhere."""
        proc = self.procs.pop(name)
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        return proc.pid

    def shut_down(self, name: str, seconds: float = 60) -> tuple[int, float]:
        """Stop a server as a deployment does, with SIGTERM: Celery's warm shutdown finishes
        the task in hand and hands prefetched, unacknowledged ones back to the queue;
        gunicorn's graceful one stops listening and finishes the requests in hand. The pid
        and how long it took; SystemExit if it does not stop in time."""
        proc = self.procs.pop(name)
        started = time.monotonic()
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=seconds)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            raise SystemExit(f"{name} (pid {proc.pid}) did not stop in {seconds} s") from None
        return proc.pid, time.monotonic() - started

    def stop(self) -> None:
        for proc in list(self.procs.values()):
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
        for proc in self.procs.values():
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
        self.procs.clear()


def in_use(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex((HOST, port)) == 0


def wait_up(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 (local)
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.3)
    raise SystemExit(f"{url} did not come up")


class Browser:
    """A person's browser through nginx: its cookies, and the CSRF token Django expects."""

    def __init__(self) -> None:
        self.jar = CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def open(self, path: str, data: dict | None = None) -> tuple[int, str]:
        """The final page's status and text, after redirects (a POST's 302 as a GET)."""
        body = None if data is None else urllib.parse.urlencode(data).encode()
        csrf = next((c.value for c in self.jar if c.name == "csrftoken"), "")
        request = urllib.request.Request(  # noqa: S310 (our own nginx)
            SITE + path, data=body, headers={"X-CSRFToken": csrf}
        )
        with self.opener.open(request, timeout=30) as response:
            return response.status, response.read().decode()

    def sign_in(self, email: str, password: str) -> None:
        _, page = self.open("/accounts/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        data = {"csrfmiddlewaretoken": token.group(1) if token else "", "username": email}
        _, page = self.open("/accounts/login/", {**data, "password": password})
        if not any(c.name == "sessionid" for c in self.jar) or 'name="password"' in page:
            raise SystemExit(f"Could not sign in as {email} through nginx.")


def chaos(cluster: Cluster, seconds: int) -> int:
    os.environ.update(ENV)
    began = time.monotonic()
    # The demo pilot, for a program coordinator to sign in and invite staff during the run.
    subprocess.run(
        [sys.executable, "manage.py", "seed_demo", "--force", "-v0"],
        env={**ENV, "DEV_TOOLS": "true"},  # the seeder, for this command only
        cwd=ROOT,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    import django

    django.setup()
    from demo.core import DEMO_PASSWORD
    from pilot.mail import message_id, queue_mail
    from pilot.models import OutboxMessage, Staff, User
    from pilot.services.staff import accounts_following_staff

    # Staff whose sign-in is theirs alone: each invitation mails them the set-password link.
    invitees = list(
        Staff.objects.filter(is_active=True, user__in=accounts_following_staff(User.objects.all()))
        .order_by("pk")
        .values_list("uuid", flat=True)[:20]
    )
    counts = {"sent": 0, "failed": 0, "invited": 0, "direct": 0}
    lock = threading.Lock()
    stop = threading.Event()

    failures: list[str] = []

    def count(ok: bool, key: str = "", why: str = "") -> None:
        with lock:
            counts["sent"] += 1
            counts["failed"] += not ok
            if key and ok:
                counts[key] += 1
            if not ok:
                failures.append(why)

    def browse() -> None:
        paths, i = ["/healthz", "/accounts/login/"], 0
        browser = Browser()
        while not stop.is_set():
            i += 1
            path, why = paths[i % len(paths)], ""
            try:
                status = browser.open(path)[0]
                ok, why = status == 200, f"GET {path}: {status}"
            except (OSError, HTTPException) as error:  # refused, timed out, cut short
                ok, why = False, f"GET {path}: {error!r}"
            count(ok, why=why)
            time.sleep(0.05)

    coordinator = Browser()
    coordinator.sign_in("coordinator@demo.test", DEMO_PASSWORD)

    def invite() -> None:
        """Real writes through the site, each queuing an email after its commit."""
        i = 0
        while not stop.is_set():
            staff = invitees[i % len(invitees)]
            i += 1
            path = f"/staff/{staff}/invite/"
            try:
                status, page = coordinator.open(path, {})
                ok = status == 200 and "Invitation sent to" in page
                why = f'POST {path}: {status} without "Invitation sent"'
            except (OSError, HTTPException) as error:
                ok, why = False, f"POST {path}: {error!r}"
            count(ok, "invited", why)
            time.sleep(0.2)

    def mail() -> None:
        n = 0
        while not stop.is_set():
            queue_mail(to=f"person{n}@example.test", subject=f"Notice {n}", body="Chaos run.")
            n += 1
            with lock:
                counts["direct"] += 1
            time.sleep(0.2)

    errors: list[str] = []

    def guarded(target: Callable[[], None]) -> Callable[[], None]:
        def run() -> None:
            try:
                target()
            except BaseException as error:  # a load thread that dies fails the run
                errors.append(f"{target.__name__}: {error!r}")
                print(f"load thread failed: {errors[-1]}", flush=True)

        return run

    print(f"demo data seeded in {time.monotonic() - began:.0f} s", flush=True)
    if not invitees:
        raise SystemExit("The demo data has no staff to invite.")
    loads = [browse] * 4 + [invite, mail]
    threads = [threading.Thread(target=guarded(load)) for load in loads]
    for t in threads:
        t.start()
    started = time.monotonic()
    try:
        time.sleep(seconds / 3)
        if APP_STOP == "kill":
            print(f"killed app server 1 (pid {cluster.kill('app1')}, SIGKILL)", flush=True)
        else:
            pid, took = cluster.shut_down("app1")
            print(
                f"stopped app server 1 (pid {pid}, SIGTERM: graceful in {took:.1f} s)", flush=True
            )
        pid, took = cluster.shut_down("worker")
        print(f"stopped the worker (pid {pid}, SIGTERM: warm shutdown in {took:.1f} s)", flush=True)
        time.sleep(5)
        cluster.app(1)
        cluster.worker()
        print("restarted both", flush=True)
        time.sleep(max(0.0, seconds - (time.monotonic() - started)))
    finally:
        stop.set()
        for t in threads:
            t.join()
    # Unsent rows: a task still retrying, or one beat re-queues (MAIL_RESEND_AFTER).
    unsent = OutboxMessage.objects.exclude(status=OutboxMessage.Status.SENT)
    deadline = time.monotonic() + 150
    while unsent.exists() and time.monotonic() < deadline:
        time.sleep(1)
    print(f"outbox drained {time.monotonic() - started - seconds:.0f} s after the load", flush=True)
    time.sleep(2)
    # Every row of this fresh database, by its Message-ID (the same at every attempt).
    rows = {message_id(m): m for m in OutboxMessage.objects.all()}
    received = cluster.received()
    arrived = [m for m, _ in received if m in rows]
    for m, subject in received:
        if m not in rows:
            print(f"other email (not from the outbox): {subject}", flush=True)
    delivered = len(set(arrived))
    repeats = len(arrived) - delivered
    lost = len(rows) - delivered
    print(
        f"requests sent: {counts['sent']} ({counts['invited']} invitations by a signed-in "
        f"coordinator)\nfailed requests: {counts['failed']}\n"
        f"emails queued: {len(rows)} ({counts['direct']} directly through queue_mail)\n"
        f"emails delivered: {delivered}\nemails lost: {lost}\nemails duplicated: {repeats}",
        flush=True,
    )
    for m in (rows[key] for key in rows if key not in set(arrived)):
        print(f"lost: {m} ({m.status}, {m.attempts} attempts)", flush=True)
    for why in failures[:10]:
        print(f"failed: {why}", flush=True)
    return 1 if counts["failed"] or lost or repeats or errors else 0


def sink(mailbox: str) -> None:
    """The SMTP sink: accepts every message and appends its Message-ID and subject."""
    import logging
    from email import message_from_bytes

    from aiosmtpd.controller import Controller

    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd's chatter
    out = open(mailbox, "a")  # noqa: SIM115 (open for the process's life)

    class Handler:
        async def handle_DATA(self, server, session, envelope) -> str:  # noqa: ANN001, N802
            message = message_from_bytes(envelope.content)
            subject = (message["Subject"] or "").replace("\t", " ").replace("\n", " ")
            out.write(f"{message['Message-ID'] or ''}\t{subject}\n")
            out.flush()  # before the "250": what the server took is on file
            return "250 OK"

    controller = Controller(Handler(), hostname=HOST, port=SMTP_PORT, server_hostname="localhost")
    controller.start()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        while True:
            time.sleep(3600)
    finally:
        controller.stop()


def main() -> int:
    mode = sys.argv[1] if len(sys.argv) > 1 else "up"
    if mode == "sink":
        sink(sys.argv[2])
        return 0
    cluster = Cluster()
    # Ctrl-C (even when started where SIGINT is ignored, e.g. in the background) or kill:
    # either way the finally below stops everything.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(130))
    try:
        cluster.start()
        if mode == "chaos":
            return chaos(cluster, int(os.environ.get("CHAOS_SECONDS", "60")))
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        return 130
    finally:
        cluster.stop()
        print("Stopped everything the cluster started.", flush=True)


if __name__ == "__main__":
    sys.exit(main())
