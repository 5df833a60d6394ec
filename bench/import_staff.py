"""Print how long a 10,000-row staff import takes (a figure to read, not a timed test).

    DATABASE_URL=postgres://... .venv/bin/python bench/import_staff.py [--rows 10000] [--profile]

Runs against the configured (migrated) database inside one transaction that is rolled
back at the end, so it leaves nothing behind. It times reading the CSV, the preview (a dry
run), the confirmed import, and importing the same file again (every row unchanged).
"""

import argparse
import cProfile
import io
import os
import pstats
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pilot.settings")
os.environ.setdefault("SECRET_KEY", "bench-only-not-a-secret")

import django  # noqa: E402

django.setup()

from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from pilot.imports import services  # noqa: E402
from pilot.imports.files import parse_upload, to_payload  # noqa: E402
from pilot.imports.kinds import STAFF  # noqa: E402
from pilot.models import District, RoleAssignment, School, Staff, User  # noqa: E402


class Rollback(Exception):
    pass


def staff_csv(rows: int, slug: str, schools: list[str]) -> bytes:
    lines = [",".join(STAFF.columns)]
    for i in range(rows):
        role = "teacher" if i % 2 else "paraprofessional"
        school = schools[i % len(schools)]
        lines.append(
            f"{slug},{school},{role},First{i},Last{i},person{i}@bench.example,B{i:06d},yes"
        )
    return ("\n".join(lines) + "\n").encode()


def timed(label: str, func, profile: bool = False):
    profiler = cProfile.Profile() if profile else None
    start = time.perf_counter()
    if profiler:
        profiler.enable()
    value = func()
    if profiler:
        profiler.disable()
    seconds = time.perf_counter() - start
    print(f"{label:<34} {seconds:7.2f} s")
    if profiler:
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(25)
        print(out.getvalue())
    return value


def measure(rows: int = 10_000, profile: bool = False) -> float:
    """Import ``rows`` staff twice (new, then unchanged) in a rolled-back transaction,
    printing each step; return the seconds from reading the file to the confirmed import.

    ``manage.py bench`` calls this too (its "10,000-row staff import" line)."""
    print(f"Database: {connection.vendor}; rows: {rows:,}")
    try:
        with transaction.atomic():
            district = District.objects.create(name="Bench District", slug="bench-zz", state="IA")
            names = [f"Bench School {n}" for n in range(20)]
            School.objects.bulk_create(
                School(district=district, name=n, grade_band="elementary", support_model="para_led")
                for n in names
            )
            user = User.objects.create_user("bench-coordinator@bench.example")
            RoleAssignment.objects.create(user=user, role="program_coordinator")
            content = staff_csv(rows, district.slug, names)

            def read():
                upload = SimpleUploadedFile("bench-staff.csv", content, content_type="text/csv")
                return to_payload(parse_upload(upload), STAFF.columns, STAFF.required_columns)

            started = time.perf_counter()
            payload = timed("read and parse the CSV", read, profile)
            run = timed(
                "preview (dry run)",
                lambda: services.preview(user, STAFF, payload, "bench-staff.csv"),
                profile,
            )
            assert run.new_count == rows, (run.new_count, run.error_count, run.problems)
            done = timed("confirm (write all rows)", lambda: services.confirm(run, user), profile)
            total = time.perf_counter() - started
            assert done.written, done.message
            assert Staff.objects.filter(district=district).count() == rows
            again = timed(
                "preview of the same file again",
                lambda: services.preview(user, STAFF, payload, "bench-staff.csv"),
                profile,
            )
            assert again.unchanged_count == rows, again.unchanged_count
            timed("confirm (all unchanged)", lambda: services.confirm(again, user), profile)
            print(f"Second import: {again.unchanged_count:,} unchanged, nothing written.")
            raise Rollback
    except Rollback:
        print("Rolled back: the database is as it was.")
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--profile", action="store_true", help="print a cProfile of each step")
    args = parser.parse_args()
    measure(args.rows, args.profile)


if __name__ == "__main__":
    main()
