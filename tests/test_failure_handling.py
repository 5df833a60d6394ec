"""Failing safely: friendly error pages in the site's layout, the 500 page with the database
down, /healthz, and create forms that save once however often they are sent."""

import threading
import uuid
from contextlib import contextmanager

import pytest
from django.conf import settings
from django.db import connections, transaction
from django.test import Client
from django.urls import reverse

from pilot import submissions
from pilot.models import Cohort, District, FormSubmission, Staff

from .test_security_settings import assert_strict_csp


def assert_site_layout(html: str) -> None:
    assert 'class="skip-link" href="#main"' in html
    assert '<header class="site-header' in html and 'class="navbar-brand site-brand' in html
    assert '<main id="main"' in html
    assert "Pilot Program Manager" in html
    assert "Traceback" not in html and "File &quot;" not in html


@contextmanager
def database_down():
    """Point the default connection at a closed port (1) for the duration."""
    conn = connections["default"]
    saved = dict(conn.settings_dict)
    conn.close()
    conn.settings_dict.update(HOST="127.0.0.1", PORT="1")
    try:
        yield
    finally:
        conn.close()
        conn.settings_dict.clear()
        conn.settings_dict.update(saved)


class TestErrorPages:
    @pytest.mark.django_db
    def test_403_page(self, world, login) -> None:
        response = login(world.users["para"]).get(reverse("pilot:staff-list"))
        assert response.status_code == 403
        html = response.content.decode()
        assert_site_layout(html)
        assert "You do not have access to this page" in html

    @pytest.mark.django_db
    def test_404_page_signed_in(self, world, login) -> None:
        response = login(world.users["pc"]).get(reverse("pilot:staff-detail", args=[uuid.uuid4()]))
        assert response.status_code == 404
        html = response.content.decode()
        assert_site_layout(html)
        assert "Page not found" in html
        assert "Sign out" in html  # the signed-in layout, with the navigation

    @pytest.mark.django_db
    def test_404_page_anonymous(self, client) -> None:
        response = client.get("/no-such-page/")
        assert response.status_code == 404
        assert_site_layout(response.content.decode())

    def test_500_page_when_the_database_is_down(self, django_db_blocker) -> None:
        client = Client(raise_request_exception=False)
        # A session cookie makes the request read the session, and so the database.
        client.cookies[settings.SESSION_COOKIE_NAME] = "x" * 32
        with django_db_blocker.unblock(), database_down():
            response = client.get(reverse("pilot:dashboard"))
        assert response.status_code == 500
        html = response.content.decode()
        assert_site_layout(html)
        assert "Something went wrong" in html
        assert "OperationalError" not in html and "port 1" not in html
        assert_strict_csp(response)
        assert response["X-Frame-Options"] == "DENY"


class TestHealthz:
    @pytest.mark.django_db
    def test_200_when_the_database_answers(self, client) -> None:
        response = client.get(reverse("healthz"))
        assert response.status_code == 200
        assert response.json() == {"status": "ok", "database": "up", "broker": "not configured"}
        assert "no-cache" in response["Cache-Control"]

    @pytest.mark.django_db
    def test_reports_the_broker_without_failing_when_only_it_is_down(
        self, client, settings
    ) -> None:
        settings.REDIS_URL = "redis://127.0.0.1:6379/13"
        response = client.get(reverse("healthz"))
        assert response.json() == {"status": "ok", "database": "up", "broker": "up"}
        settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens there
        response = client.get(reverse("healthz"))
        assert response.status_code == 200
        assert response.json() == {"status": "ok", "database": "up", "broker": "down"}

    def test_503_when_the_database_is_down(self, django_db_blocker) -> None:
        with django_db_blocker.unblock(), database_down():
            response = Client().get(reverse("healthz"))
        assert response.status_code == 503
        assert response.json() == {
            "status": "unavailable",
            "database": "down",
            "broker": "not configured",
        }

    def test_the_connection_settings_are_restored_afterwards(self) -> None:
        before = dict(connections["default"].settings_dict)
        with database_down():
            assert connections["default"].settings_dict["PORT"] == "1"
        assert connections["default"].settings_dict == before


def form_token(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    token = response.wsgi_request.form_token  # set by @one_time_submit
    assert f'name="form_token" value="{token}"' in response.content.decode()
    return token


CREATE_FORMS = {
    "cohort": (
        "pilot:cohort-create",
        lambda w: {
            "name": "2027–2028 Pilot",
            "starts_on": "2027-08-01",
            "ends_on": "2028-06-30",
            "status": "planning",
        },
        lambda: Cohort.objects.filter(name="2027–2028 Pilot").count(),
    ),
    "district": (
        "pilot:district-create",
        lambda w: {"name": "Gamma Schools", "slug": "gamma", "state": "IA"},
        lambda: District.objects.filter(slug="gamma").count(),
    ),
    "staff": (
        "pilot:staff-create",
        lambda w: {
            "first_name": "Robin",
            "last_name": "Lee",
            "email": "robin.lee@school.test",
            "role": "paraprofessional",
            "district": w.district_a.pk,
            "school": w.school_a.pk,
        },
        lambda: Staff.objects.filter(email="robin.lee@school.test").count(),
    ),
}


class TestDoubleSubmit:
    @pytest.mark.django_db
    @pytest.mark.parametrize("kind", sorted(CREATE_FORMS))
    def test_repeated_post_creates_one_record(self, kind, world, login) -> None:
        url_name, data, count = CREATE_FORMS[kind]
        client = login(world.users["pc"])
        url = reverse(url_name)
        post = {**data(world), "form_token": form_token(client, url)}

        first = client.post(url, post)
        assert first.status_code == 302, first.context and first.context["form"].errors
        second = client.post(url, post)
        third = client.post(url, post, follow=True)
        assert count() == 1
        # The repeats land where the first did, with a message saying what happened.
        assert second.status_code == 302 and second["Location"] == first["Location"]
        assert "it was saved once" in third.content.decode()

    @pytest.mark.django_db
    def test_a_fresh_form_creates_another_record(self, world, login) -> None:
        client = login(world.users["pc"])
        url = reverse("pilot:cohort-create")
        for name in ("Cohort one", "Cohort two"):
            data = {"name": name, "starts_on": "2027-08-01", "ends_on": "2028-06-30"}
            data |= {"status": "planning", "form_token": form_token(client, url)}
            assert client.post(url, data).status_code == 302
        assert Cohort.objects.filter(name__startswith="Cohort ").count() == 2

    @pytest.mark.django_db
    def test_a_tampered_token_saves_nothing(self, world, login) -> None:
        client = login(world.users["pc"])
        response = client.post(
            reverse("pilot:district-create"),
            {"name": "Gamma", "slug": "gamma", "state": "IA", "form_token": "not-a-token"},
            follow=True,
        )
        assert response.status_code == 200
        assert "This form has expired" in response.content.decode()
        assert response.wsgi_request.form_token  # a new token to send it again with
        assert not District.objects.filter(slug="gamma").exists()

    @pytest.mark.django_db
    def test_the_browser_form_carries_a_token(self, world, login) -> None:
        client = login(world.users["pc"])
        for name in ("pilot:cohort-create", "pilot:district-create", "pilot:staff-create"):
            assert form_token(client, reverse(name))
        school_form = reverse("pilot:school-create", args=[world.district_a.slug])
        assert form_token(client, school_form)

    @pytest.mark.django_db
    def test_an_invalid_form_does_not_use_up_the_token(self, world, login) -> None:
        client = login(world.users["pc"])
        url = reverse("pilot:district-create")
        token = form_token(client, url)
        invalid = client.post(
            url, {"name": "Gamma", "slug": "gamma", "state": "Iowa", "form_token": token}
        )
        assert invalid.status_code == 200 and invalid.context["form"].errors
        fixed = client.post(
            url, {"name": "Gamma", "slug": "gamma", "state": "IA", "form_token": token}
        )
        assert fixed.status_code == 302
        assert District.objects.filter(slug="gamma").count() == 1

    @pytest.mark.django_db
    def test_a_twin_that_fails_validation_goes_where_the_first_went(
        self, world, login, monkeypatch
    ) -> None:
        """The twin checked for a claim before the first committed, then found the first's
        record ("slug already exists"): it is sent on, not shown that error."""
        client = login(world.users["pc"])
        url = reverse("pilot:district-create")
        data = {
            "name": "Gamma",
            "slug": "gamma",
            "state": "IA",
            "form_token": form_token(client, url),
        }
        first = client.post(url, data)
        real = submissions.earlier_submission
        calls = []

        def not_yet_committed_at_first(token, user):
            calls.append(token)
            return None if len(calls) == 1 else real(token, user)

        monkeypatch.setattr(submissions, "earlier_submission", not_yet_committed_at_first)
        twin = client.post(url, data)
        assert len(calls) == 2
        assert twin.status_code == 302 and twin["Location"] == first["Location"]
        assert District.objects.filter(slug="gamma").count() == 1

    @pytest.mark.django_db(transaction=True)
    def test_simultaneous_submissions_create_one_record(self, world) -> None:
        """The second of two racing requests waits on the claim's key, then creates nothing."""
        token = uuid.UUID(submissions.new_token())
        claimed, release = threading.Event(), threading.Event()

        def first_request() -> None:
            try:
                with transaction.atomic():
                    submissions.claim(token, world.users["pc"])
                    claimed.set()
                    release.wait(timeout=10)
            finally:
                connections.close_all()

        holder = threading.Thread(target=first_request)
        holder.start()
        assert claimed.wait(timeout=10)
        client = Client()
        client.force_login(world.users["pc"], backend="django.contrib.auth.backends.ModelBackend")
        timer = threading.Timer(0.5, release.set)
        timer.start()
        response = client.post(
            reverse("pilot:district-create"),
            {"name": "Gamma", "slug": "gamma", "state": "IA", "form_token": str(token)},
        )
        holder.join(timeout=10)
        timer.cancel()
        assert response.status_code == 302
        assert not District.objects.filter(slug="gamma").exists()
        assert FormSubmission.objects.filter(token=token).count() == 1
