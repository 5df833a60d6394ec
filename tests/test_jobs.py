"""Long jobs (pilot.jobs): the end-of-pilot PDF prepared in the background, its progress
page (a meta refresh, no script) and Downloads; a failure is reported on the page. Here
without a queue (run right after commit); with a worker in tests/test_mail_queue.py."""

import pytest
from django.urls import reverse

from pilot.jobs import JobFailed, JobResult, Progress, run_job
from pilot.models import AuditEntry, Job

pytestmark = pytest.mark.django_db


def failing_runner(job: Job, progress: Progress) -> JobResult:
    progress(1, 4)
    raise JobFailed("Row 3 names no district: nothing was written.")


def start_pdf(client, world, django_capture_on_commit_callbacks):  # noqa: ANN001, ANN201
    url = reverse("reports:pilot-pdf-start") + f"?cohort={world.cohort.uuid}"
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(url)


def test_pdf_in_the_background_then_downloaded(
    world, login, django_capture_on_commit_callbacks
) -> None:
    client = login(world.users["pc"])
    response = start_pdf(client, world, django_capture_on_commit_callbacks)
    job = Job.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("pilot:job-detail", args=[job.uuid])
    assert job.status == "done" and (job.done, job.total) == (3, 3)
    assert AuditEntry.objects.filter(action=AuditEntry.Action.PDF).count() == 1

    page = client.get(response["Location"]).content.decode()
    assert "Done" in page and 'http-equiv="refresh"' not in page
    download = reverse("pilot:job-download", args=[job.uuid])
    assert download in page
    pdf = client.get(download)
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    first, last = world.cohort.starts_on.year, world.cohort.ends_on.year
    assert f"pilot-report-{first}-{last}.pdf" in pdf["Content-Disposition"]
    assert download in client.get(reverse("pilot:job-list")).content.decode()

    # Someone else's job is not found, nor its file.
    other = login(world.users["dc_own"])
    assert other.get(response["Location"]).status_code == 404
    assert other.get(download).status_code == 404
    assert download not in other.get(reverse("pilot:job-list")).content.decode()


def test_progress_page_refreshes_while_running(world, login) -> None:
    job = Job.objects.create(
        owner=world.users["pc"], label="End-of-pilot report PDF", runner="x", done=1, total=3
    )
    job.status = "running"
    job.save()
    page = login(world.users["pc"]).get(reverse("pilot:job-detail", args=[job.uuid]))
    html = page.content.decode()
    assert '<meta http-equiv="refresh" content="2">' in html
    assert 'max="3" value="1"' in html and "1 of 3 done" in html
    assert "Running" in html and "no-cache" in page["Cache-Control"]


def test_a_failure_is_reported_on_the_page(world, login) -> None:
    job = Job.objects.create(
        owner=world.users["pc"], label="Import", runner="tests.test_jobs.failing_runner"
    )
    run_job(job.pk)
    job.refresh_from_db()
    assert job.status == "failed" and job.result is None and (job.done, job.total) == (1, 4)
    html = login(world.users["pc"]).get(reverse("pilot:job-detail", args=[job.uuid]))
    html = html.content.decode()
    assert "Row 3 names no district: nothing was written." in html
    assert 'role="alert"' in html and 'http-equiv="refresh"' not in html


def test_the_owner_losing_the_role_stops_the_job(world) -> None:
    job = Job.objects.create(
        owner=world.users["dc_own"],
        label="PDF",
        runner="portal.reports.jobs.render_pilot_pdf",
        params={"query": f"cohort={world.cohort.uuid}"},
    )
    run_job(job.pk)
    job.refresh_from_db()
    assert job.status == "failed" and "no longer allows" in job.message


# ---- a long import confirmed in the background ---------------------------------------


def long_import(client, world, settings, rows: int = 3):  # noqa: ANN001, ANN201
    from .test_imports import STAFF_HEADER, csv_upload, staff_line, upload

    settings.IMPORT_BACKGROUND_ROWS = rows - 1  # "long" here: more rows than this
    lines = [STAFF_HEADER] + [
        staff_line("alpha", "Alpha Elementary", "teacher", "Ann", f"Lee{i}", f"ann{i}@a.test")
        for i in range(rows)
    ]
    return upload(client, "staff", csv_upload(lines))


def test_a_long_import_is_confirmed_by_a_job(
    world, login, settings, django_capture_on_commit_callbacks
) -> None:
    from pilot.models import ImportRun, Staff

    client = login(world.users["pc"])
    run = long_import(client, world, settings)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("imports:confirm", args=[run.uuid]))
    job = Job.objects.get()
    assert response["Location"] == reverse("pilot:job-detail", args=[job.uuid])
    run.refresh_from_db()
    assert run.status == ImportRun.Status.CONFIRMED and run.new_count == 3
    assert Staff.objects.filter(email__startswith="ann").count() == 3
    assert job.status == "done" and (job.done, job.total) == (3, 3)
    page = client.get(response["Location"]).content.decode()
    assert "Imported staff.csv: 3 new" in page
    assert reverse("imports:run", args=[run.uuid]) in page


def test_a_long_import_that_changed_fails_and_writes_nothing(
    world, login, settings, django_capture_on_commit_callbacks
) -> None:
    from pilot.models import ImportRun, Staff

    from .factories import ParaFactory

    client = login(world.users["pc"])
    run = long_import(client, world, settings)
    ParaFactory(school=world.school_a, email="ann0@a.test", first_name="Ann", last_name="Lee0")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("imports:confirm", args=[run.uuid]))
    job = Job.objects.get()
    assert job.status == "failed"
    assert not Staff.objects.filter(email="ann1@a.test").exists()
    run.refresh_from_db()
    assert run.status == ImportRun.Status.PREVIEWED
    page = client.get(response["Location"]).content.decode()
    assert "changed since the preview, so nothing was written" in page
    assert reverse("imports:run", args=[run.uuid]) in page


def test_progress_inside_the_transaction_is_read_from_redis(world, login, settings) -> None:
    import redis

    from pilot.jobs import _progress

    # Not the queue tests' databases (13 and below): they empty theirs.
    settings.REDIS_URL = "redis://127.0.0.1:6379/14"
    try:
        redis.Redis.from_url(settings.REDIS_URL).ping()
    except redis.ConnectionError:
        pytest.skip("no Redis")
    job = Job.objects.create(owner=world.users["pc"], label="Import of big.csv", runner="x")
    _progress(job.pk)(150, 400)  # the test's transaction is open, as the import's would be
    # What another connection sees of the row until the import commits:
    Job.objects.filter(pk=job.pk).update(done=0, total=0)
    html = login(world.users["pc"]).get(reverse("pilot:job-detail", args=[job.uuid]))
    assert "150 of 400 done" in html.content.decode()
    redis.Redis.from_url(settings.REDIS_URL).delete(f"pilot:job:{job.pk}:progress")
