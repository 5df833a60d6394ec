"""A NUL character anywhere in a request (PostgreSQL cannot hold one) gets the 400 page,
never a 500: in every filter of every page of the authorization matrix, in every form it
posts, and in cookies, headers and paths."""

from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.db import transaction
from django.test import Client

from .authz.registry import all_rows
from .test_security_settings import assert_strict_csp
from .world import PERSONAS

pytestmark = pytest.mark.django_db

NUL = "\x00"
# Filters many lists take, sent to every page on top of those its own forms and links name.
COMMON_FILTERS = ("q", "district", "school", "cohort", "status", "role", "page", "show", "sort")


class FilterNames(HTMLParser):
    """The names a page's GET forms send and the query keys of its links."""

    def __init__(self) -> None:
        super().__init__()
        self.names: set[str] = set()
        self.in_get_form = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "form":
            self.in_get_form = (attributes.get("method") or "get").lower() == "get"
        elif tag in ("input", "select", "textarea") and self.in_get_form and attributes.get("name"):
            self.names.add(attributes["name"] or "")
        elif tag == "a" and attributes.get("href"):
            self.names.update(key for key, _ in parse_qsl(urlsplit(attributes["href"]).query))

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.in_get_form = False


def allowed_persona(row, statuses: tuple[int, ...]) -> str | None:
    return next((p for p in PERSONAS if p != "anon" and row.expect[p] in statuses), None)


def client_for(world, persona: str) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(world.users[persona], backend="django.contrib.auth.backends.ModelBackend")
    return client


def assert_bad_request_page(response) -> None:
    assert response.status_code == 400
    html = response.content.decode()
    assert "<h1>The request could not be understood</h1>" in html
    assert 'class="skip-link"' in html  # in the site's layout
    assert_strict_csp(response)


def test_nul_in_every_list_filter_is_a_400(world) -> None:
    failures = []
    checked = 0
    for name, row in sorted(all_rows().items()):
        persona = allowed_persona(row, (200,))
        if row.method != "get" or persona is None:
            continue
        client = client_for(world, persona)
        # Some rows make the record their URL needs: roll each row back, as the matrix does.
        with transaction.atomic():
            url = row.url(world)
            page = client.get(url)
            names = set(COMMON_FILTERS)
            names.update(key for key, _ in parse_qsl(urlsplit(url).query))
            if page["Content-Type"].startswith("text/html"):
                parser = FilterNames()
                parser.feed(page.content.decode())
                names |= parser.names
            for key in sorted(names):
                # One filter at a time (the first NUL must not hide the rest), then all.
                response = client.get(urlsplit(url).path, {key: NUL})
                if response.status_code not in (200, 400):
                    failures.append(f"{name} ?{key}=%00 as {persona}: {response.status_code}")
            response = client.get(urlsplit(url).path, dict.fromkeys(names, NUL))
            if response.status_code != 400:
                failures.append(f"{name} with every filter NUL: {response.status_code}")
            transaction.set_rollback(True)
        world.cache.clear()  # records the row made are gone with the rollback
        checked += 1
    assert checked >= 60
    assert not failures, "\n".join(failures)


def test_nul_in_every_posted_form_is_a_400(world) -> None:
    failures = []
    for name, row in sorted(all_rows().items()):
        persona = allowed_persona(row, (200, 302))
        if row.method != "post" or persona is None:
            continue
        client = client_for(world, persona)
        with transaction.atomic():
            data = row.data(world) if row.data else {}
            fields = {key: f"{value}{NUL}" for key, value in data.items()} or {"note": NUL}
            response = client.post(row.url(world), fields)
            transaction.set_rollback(True)
        world.cache.clear()
        if response.status_code != 400:
            failures.append(f"{name} as {persona}: {response.status_code}")
    assert not failures, "\n".join(failures)


def test_the_issues_urls_get_the_400_page(world) -> None:
    client = client_for(world, "pc")
    assert_bad_request_page(client.get("/staff/?district=%00"))
    assert_bad_request_page(client.get("/coursework/learners/?q=%00"))
    assert_bad_request_page(client.get("/staff/?%00=alpha"))  # in a parameter's name
    # Without the NUL the same pages answer as usual.
    assert client.get("/staff/?district=alpha").status_code == 200
    assert client.get("/coursework/learners/?q=ann").status_code == 200


def test_nul_in_a_path_cookie_or_header_is_a_400(world) -> None:
    client = Client(raise_request_exception=False)
    assert_bad_request_page(client.get("/accounts/login/%00/"))
    client.cookies["sessionid"] = f"abcdefgh{NUL}ijklmnop"
    assert_bad_request_page(client.get("/staff/"))
    del client.cookies["sessionid"]
    # django-axes writes the User-Agent of a failed sign-in to the database.
    login = {"username": "pc@example.test", "password": "wrong-password-123"}
    assert_bad_request_page(client.post("/accounts/login/", login, HTTP_USER_AGENT=f"a{NUL}b"))
    assert client.post("/accounts/login/", login, HTTP_USER_AGENT="ab").status_code == 200
