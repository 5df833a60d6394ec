"""Django refuses a POST with more than DATA_UPLOAD_MAX_NUMBER_FIELDS (1,000) fields. The
year rollover sends one teacher box per continuing pairing (about 12,000 for a state), so
its view is marked ``@many_fields``: ``ManyFieldsMiddleware`` reads its form-encoded POST
with the view's own limit; every other page keeps Django's."""

from urllib.parse import urlencode

import pytest
from django.urls import reverse

from portal.rollover import MAX_FIELDS

pytestmark = pytest.mark.django_db

FORM = "application/x-www-form-urlencoded"


def many(n: int) -> str:
    return urlencode([(f"t{i}", "") for i in range(n)] + [("name", "x")])


def test_the_rollover_reads_a_state_sized_form(world, client) -> None:
    """Signed out, the page sends to the sign-in page: its POST was read, not refused."""
    url = reverse("pilot:cohort-rollover", args=[world.cohort.uuid])
    response = client.post(url, many(15_000), content_type=FORM)
    assert response.status_code == 302


def test_other_pages_keep_djangos_guard(world, client) -> None:
    url = reverse("pilot:cohort-enroll", args=[world.cohort.uuid])
    assert client.post(url, many(1_500), content_type=FORM).status_code == 400


def test_beyond_its_own_limit_the_rollover_refuses_too(world, client) -> None:
    url = reverse("pilot:cohort-rollover", args=[world.cohort.uuid])
    assert client.post(url, many(MAX_FIELDS + 1), content_type=FORM).status_code == 400


def test_what_it_reads_is_what_django_would() -> None:
    """Repeated names, blanks, UTF-8 and '+' for spaces, as QueryDict parses them."""
    from django.http import QueryDict

    from pilot.middleware import _parse_form

    body = b"districts=1&districts=2&t5=&t6=Lee%2C+Ana+%C2%B7+E1&x=a+b"
    assert _parse_form(body, 10) == QueryDict(body)
    assert _parse_form(body, 10).getlist("districts") == ["1", "2"]
    assert _parse_form(body, 10)["t6"] == "Lee, Ana · E1"
