"""Every create and edit form has a Cancel link back to where the user came from: a
same-site ``next`` or the referring page, else the form's own default; an off-site one is
ignored."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from .authz.registry import all_rows
from .world import build_world

pytestmark = pytest.mark.django_db

FORM_PAGE = re.compile(r"(create|update|publish|complete|enroll|grades|rollover|reopen|drop|link)")
FORM_PAGES = sorted(
    name
    for name, row in all_rows().items()
    if row.method == "get"
    and FORM_PAGE.search(name.split(":")[-1])
    and "export" not in name
    # Confirming a sign-in link creates or edits nothing: "Not me" leads away.
    and name != "pilot:account-link"
)
# Cancel, or "Back to ..." where there is nothing to fill in (no one left to enroll).
CANCEL = re.compile(r'<a class="btn btn-link" href="([^"]*)">(?:Cancel|Back to [^<]*)</a>')


def cancel_href(html: str) -> str:
    found = CANCEL.findall(html)
    assert len(found) == 1, f"{len(found)} Cancel links"
    return found[0].replace("&amp;", "&")


def test_the_list_of_form_pages_is_not_empty() -> None:
    assert {"pilot:district-create", "mentoring:pairing-update"} <= set(FORM_PAGES)


@pytest.mark.parametrize("name", FORM_PAGES)
def test_every_create_and_edit_form_has_a_cancel_link(name: str) -> None:
    row = all_rows()[name]
    world = build_world()
    url = row.url(world)
    persona = next(p for p, status in row.expect.items() if status == 200)
    client = Client()
    client.force_login(world.users[persona], backend="django.contrib.auth.backends.ModelBackend")
    # Without next or referrer: the form's default, a page of the site other than itself.
    default = cancel_href(client.get(url).content.decode())
    assert default.startswith("/") and default != url.split("?")[0]
    # From a page of the site: back there.
    came_from = "/people/?q=lee"
    html = client.get(url, HTTP_REFERER=f"http://testserver{came_from}").content.decode()
    assert cancel_href(html) == came_from


def test_next_is_used_and_kept_through_a_refused_post(world, login) -> None:
    client = login(world.users["pc"])
    url = reverse("pilot:cohort-create")
    html = client.get(url, {"next": "/reports/?cohort=x"}).content.decode()
    assert cancel_href(html) == "/reports/?cohort=x"
    assert '<input type="hidden" name="next" value="/reports/?cohort=x">' in html
    # The form comes back with errors: Cancel still goes back there.
    html = client.post(url, {"next": "/reports/?cohort=x"}).content.decode()
    assert "Please correct the highlighted fields below." in html
    assert cancel_href(html) == "/reports/?cohort=x"


@pytest.mark.parametrize(
    "given",
    [
        "https://evil.example/phish",
        "//evil.example/x",
        "javascript:alert(1)",
        "http://evil.example",
    ],
)
def test_an_off_site_next_or_referrer_is_ignored(world, login, given) -> None:
    client = login(world.users["pc"])
    url = reverse("pilot:cohort-create")
    assert cancel_href(client.get(url, {"next": given}).content.decode()) == reverse(
        "pilot:cohort-list"
    )
    html = client.get(url, HTTP_REFERER=given).content.decode()
    assert cancel_href(html) == reverse("pilot:cohort-list")
    assert "evil" not in html
