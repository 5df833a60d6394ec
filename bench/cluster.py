"""`make cluster` and `make chaos`: on this machine, what a district would deploy.

nginx (Debian's) balancing two gunicorn app servers, one Celery worker, beat, a Redis of
its own (port 16379, so the shared one is never touched) and the local PostgreSQL
(database pilot_cluster); mail goes to an SMTP sink in this process. Everything listens
on 127.0.0.1 only and everything started is stopped at the end, also on Ctrl-C.

    python -m bench.cluster up       # run until Ctrl-C
    python -m bench.cluster chaos    # CHAOS_SECONDS (60) of load; kills and restarts one
                                     # app server and the worker; exit 1 on any loss

Chaos counts requests sent through nginx and failed ones, emails queued (outbox rows,
written through pilot.mail.queue_mail as the apps do) and delivered (distinct Message-IDs
at the sink, and repeats).
"""

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
HOST = "127.0.0.1"
NGINX_PORT, APP_PORTS, REDIS_PORT, SMTP_PORT = 18080, (18001, 18002), 16379, 10025
DATABASE_URL = os.environ.get(
    "CLUSTER_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/pilot_cluster"
)
REDIS_URL = f"redis://{HOST}:{REDIS_PORT}/0"

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
        self.smtp = None
        self.received: list[str] = []  # Message-IDs, in order of arrival
        self.subjects: list[str] = []  # their subjects, to name mail the outbox did not send

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
            [str(BIN / "celery"), "-A", "pilot", "worker", "--concurrency", "2", "-n", "w1@%h"],
        )

    def start(self) -> None:
        if not shutil.which("nginx") and not Path("/usr/sbin/nginx").exists():
            sys.exit("nginx is missing: apt-get install -y nginx")
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
                [command, *extra, "-h", HOST, "-U", "postgres", "pilot_cluster"],
                capture_output=True,
            )
        manage = [sys.executable, "manage.py"]
        subprocess.run([*manage, "migrate", "--noinput", "-v0"], env=ENV, cwd=ROOT, check=True)
        subprocess.run([*manage, "createcachetable"], env=ENV, cwd=ROOT, check=True)
        # What a deployment does: hashed static files for whitenoise (into staticfiles/).
        subprocess.run(
            [*manage, "collectstatic", "--noinput", "-v0"], env=ENV, cwd=ROOT, check=True
        )
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
        print(f"Cluster up: http://{HOST}:{NGINX_PORT}/ (logs in {self.run_dir})", flush=True)

    def start_smtp(self) -> None:
        import logging

        from aiosmtpd.controller import Controller

        logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd's chatter

        cluster = self

        class Sink:
            async def handle_DATA(self, server, session, envelope) -> str:  # noqa: ANN001, N802
                from email import message_from_bytes

                message = message_from_bytes(envelope.content)
                cluster.received.append(message["Message-ID"] or "")
                cluster.subjects.append(message["Subject"] or "")
                return "250 OK"

        self.smtp = Controller(Sink(), hostname=HOST, port=SMTP_PORT)
        self.smtp.start()

    def kill(self, name: str) -> int:
        proc = self.procs.pop(name)
        os.killpg(proc.pid, signal.SIGKILL)  # the process and its own children (workers)
        proc.wait()
        return proc.pid

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
        if self.smtp is not None:
            self.smtp.stop()
            self.smtp = None


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


def chaos(cluster: Cluster, seconds: int) -> int:
    os.environ.update(ENV)
    import django

    django.setup()
    from pilot.mail import queue_mail
    from pilot.models import OutboxMessage

    OutboxMessage.objects.all().delete()
    counts = {"sent": 0, "failed": 0, "queued": 0}
    lock = threading.Lock()
    stop = threading.Event()
    paths = ["/healthz", "/accounts/login/"]

    def load() -> None:
        i = 0
        while not stop.is_set():
            url = f"http://{HOST}:{NGINX_PORT}{paths[i % len(paths)]}"
            i += 1
            try:
                with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310
                    ok = response.status == 200
            except OSError:
                ok = False
            with lock:
                counts["sent"] += 1
                counts["failed"] += not ok
            time.sleep(0.02)

    def mail() -> None:
        n = 0
        while not stop.is_set():
            queue_mail(to=f"person{n}@example.test", subject=f"Notice {n}", body="Chaos run.")
            n += 1
            with lock:
                counts["queued"] += 1
            time.sleep(0.1)

    threads = [threading.Thread(target=load) for _ in range(4)] + [threading.Thread(target=mail)]
    for t in threads:
        t.start()
    started = time.monotonic()
    try:
        time.sleep(seconds / 3)
        print(f"killing app server 1 (pid {cluster.kill('app1')})", flush=True)
        print(f"killing the worker (pid {cluster.kill('worker')})", flush=True)
        time.sleep(5)
        cluster.app(1)
        cluster.worker()
        print("restarted both", flush=True)
        time.sleep(max(0.0, seconds - (time.monotonic() - started)))
    finally:
        stop.set()
        for t in threads:
            t.join()
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if not OutboxMessage.objects.filter(status="pending").exists():
            break
        time.sleep(1)
    time.sleep(2)
    # An outbox row's Message-ID is its UUID (pilot.mail), the same at every attempt;
    # anything else reaching the sink (say, an error report to ADMINS) is named, not counted.
    ours = {f"<{u.hex}@" for u in OutboxMessage.objects.values_list("uuid", flat=True)}
    outbox = [m for m in cluster.received if m.split("@")[0] + "@" in ours]
    for m, subject in zip(cluster.received, cluster.subjects, strict=True):
        if m.split("@")[0] + "@" not in ours:
            print(f"other email (not from the outbox): {subject}", flush=True)
    delivered = len(set(outbox))
    repeats = len(outbox) - delivered
    lost = counts["queued"] - delivered
    print(
        f"requests sent: {counts['sent']}\nfailed requests: {counts['failed']}\n"
        f"emails queued: {counts['queued']}\nemails delivered: {delivered}\n"
        f"emails lost: {lost}\nemails duplicated: {repeats}",
        flush=True,
    )
    return 1 if counts["failed"] or lost or repeats else 0


def main() -> int:
    mode = sys.argv[1] if len(sys.argv) > 1 else "up"
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
