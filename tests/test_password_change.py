"""Changing one's own password (/accounts/password_change/, the bench's signed-in floor):
the site's layout and form, a Cancel link, and the new password is the one that signs in."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from .factories import PASSWORD

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-brand-new-password-2026"


def sign_in(client: Client, email: str, password: str) -> int:
    response = client.post(reverse("login"), {"username": email, "password": password})
    return response.status_code


def test_the_page_is_the_sites_form(world, login) -> None:
    client = login(world.users["para"])
    html = client.get(reverse("password_change")).content.decode()
    # The site's layout (navigation, the user's name), not Django admin's.
    assert 'aria-label="Main"' in html and "Django administration" not in html
    assert world.users["para"].get_full_name() in html
    # Heading, then the fieldset's legend, then the labelled fields, in that order.
    heading = html.index("<h1>Change your password</h1>")
    legend = html.index("<legend>Your current and new password</legend>")
    old = re.search(r'<label\s+for="id_old_password"', html).start()
    new = re.search(r'<label\s+for="id_new_password1"', html).start()
    assert heading < legend < old < new
    assert 'autocomplete="current-password"' in html
    # Cancel goes back to the dashboard (or where the user came from).
    assert '<a class="btn btn-link" href="/">Cancel</a>' in html
    html = client.get(
        reverse("password_change"), HTTP_REFERER="http://testserver/observations/"
    ).content.decode()
    assert '<a class="btn btn-link" href="/observations/">Cancel</a>' in html


def test_a_wrong_current_password_is_refused_on_the_form(world, login) -> None:
    client = login(world.users["para"])
    response = client.post(
        reverse("password_change"),
        {
            "old_password": "not-my-password",
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Please correct the highlighted fields below." in html
    assert "Your old password was entered incorrectly" in html
    assert sign_in(Client(), "para@example.test", PASSWORD) == 302


def test_a_user_changes_the_password_and_signs_in_with_the_new_one(world) -> None:
    client = Client()
    assert sign_in(client, "para@example.test", PASSWORD) == 302
    elsewhere = Client()
    assert sign_in(elsewhere, "para@example.test", PASSWORD) == 302
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("password_change_done")
    done = client.get(response["Location"]).content.decode()
    assert "<h1>Your password is changed</h1>" in done and 'aria-label="Main"' in done
    # Still signed in here; signed out in the other browser.
    assert client.get(reverse("pilot:dashboard")).status_code == 200
    assert elsewhere.get(reverse("pilot:dashboard")).status_code == 302
    # The old password no longer signs in; the new one does.
    assert sign_in(Client(), "para@example.test", PASSWORD) == 200
    fresh = Client()
    assert sign_in(fresh, "para@example.test", NEW_PASSWORD) == 302
    assert fresh.get(reverse("pilot:dashboard")).status_code == 200
