"""`make backup` and `make restore`: a seeded database survives the round trip, table by table.

Builds two scratch databases on the test PostgreSQL server: one migrated and seeded with the
demo, dumped with `make backup`; the other empty, filled with `make restore`.
"""

import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg2
import pytest
from django.db import connection
from psycopg2 import sql

ROOT = Path(__file__).resolve().parent.parent

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="backups are of the PostgreSQL database"
    ),
    pytest.mark.skipif(
        not (shutil.which("pg_dump") and shutil.which("pg_restore") and shutil.which("make")),
        reason="needs pg_dump, pg_restore and make",
    ),
]


def server() -> dict[str, str]:
    s = connection.settings_dict
    return {
        "host": s["HOST"] or "127.0.0.1",
        "port": str(s["PORT"] or 5432),
        "user": s["USER"] or "postgres",
        "password": s["PASSWORD"] or "",
    }


def url(name: str) -> str:
    s = server()
    auth = s["user"] + (f":{s['password']}" if s["password"] else "")
    return f"postgres://{auth}@{s['host']}:{s['port']}/{name}"


def admin_connection():
    s = server()
    conn = psycopg2.connect(dbname="postgres", **s)
    conn.autocommit = True
    return conn


def run(*args: str, database: str, **env: str) -> subprocess.CompletedProcess:
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_URL", "BACKUP"))
    }
    environment.update(DATABASE_URL=url(database), DEBUG="true", **env)
    result = subprocess.run(
        list(args), cwd=ROOT, env=environment, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, f"{' '.join(args)}\n{result.stdout}\n{result.stderr}"
    return result


def row_counts(database: str) -> dict[str, int]:
    with psycopg2.connect(dbname=database, **server()) as conn, conn.cursor() as cursor:
        cursor.execute(
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name"
        )
        tables = [row[0] for row in cursor.fetchall()]
        counts = {}
        for table in tables:
            cursor.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table)))
            counts[table] = cursor.fetchone()[0]
    return counts


def staff_fingerprint(database: str) -> list[tuple]:
    with psycopg2.connect(dbname=database, **server()) as conn, conn.cursor() as cursor:
        cursor.execute("SELECT uuid, email, first_name, last_name FROM pilot_staff ORDER BY uuid")
        return cursor.fetchall()


@pytest.fixture
def scratch_databases():
    suffix = uuid.uuid4().hex[:8]
    names = [f"pilot_backup_src_{suffix}", f"pilot_backup_dst_{suffix}"]
    admin = admin_connection()
    try:
        with admin.cursor() as cursor:
            for name in names:
                cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        yield names
    finally:
        with admin.cursor() as cursor:
            for name in names:
                cursor.execute(
                    sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
                )
        admin.close()


def test_backup_and_restore_round_trip(scratch_databases, tmp_path) -> None:
    source, target = scratch_databases
    python = sys.executable
    run(python, "manage.py", "migrate", "--noinput", database=source)
    run(python, "manage.py", "seed_demo", database=source)

    dump = tmp_path / "pilot.dump"
    run("make", "--no-print-directory", "backup", f"BACKUP={dump}", database=source)
    assert dump.read_bytes()[:5] == b"PGDMP"  # pg_dump's custom format

    run("make", "--no-print-directory", "restore", f"BACKUP={dump}", database=target)

    before, after = row_counts(source), row_counts(target)
    assert before["pilot_staff"] > 0 and before["pilot_user"] > 0
    assert before["pilot_historicalstaff"] > 0 and before["django_migrations"] > 0
    assert after == before
    assert staff_fingerprint(target) == staff_fingerprint(source)


def test_restore_refuses_without_a_backup_file(tmp_path) -> None:
    missing = tmp_path / "none.dump"
    result = subprocess.run(
        ["make", "--no-print-directory", "restore", f"BACKUP={missing}"],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": url("postgres")},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "No backup at" in result.stderr
