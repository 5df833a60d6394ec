"""``make run`` uses SQLite: every migration must apply there, including the summary
tables whose triggers are PostgreSQL's (installed only there; ``pilot.summaries``)."""

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_every_migration_applies_on_a_fresh_sqlite_database(tmp_path: Path) -> None:
    database = tmp_path / "fresh.sqlite3"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}", "DEBUG": "true"}
    result = subprocess.run(
        [sys.executable, "manage.py", "migrate", "-v0"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    with sqlite3.connect(database) as db:
        tables = {name for (name,) in db.execute("SELECT name FROM sqlite_master")}
        applied = db.execute("SELECT count(*) FROM django_migrations").fetchone()[0]
    # The summary tables exist (empty: the readers use the live queries on SQLite).
    assert {"observations_pairedscore", "mentoring_monthlymentoring"} <= tables
    assert applied > 0
