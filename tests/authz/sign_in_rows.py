"""Password change, single sign-on and second-factor pages. Each person manages only their
own password and second factor, so every signed-in persona gets the same answer; the matrix
runs with no provider configured, where a provider's pages are not found
(tests/test_single_sign_on.py covers them configured)."""

from typing import Any

from allauth.mfa.models import Authenticator
from django.urls import reverse

from . import LOGIN, Row, coordinators, expect


def everyone(status: int, *, anon: int | str = LOGIN) -> dict:
    return expect(
        anon=anon,
        pc=status,
        dc_own=status,
        dc_other=status,
        liaison=status,
        teacher=status,
        para=status,
    )


def paras_passkey(w: Any) -> Authenticator:
    """A passkey of the paraprofessional's (its name is all these pages read)."""
    return w.once(
        "paras_passkey",
        lambda w: Authenticator.objects.create(
            user=w.users["para"],
            type=Authenticator.Type.WEBAUTHN,
            data={"name": "Para's phone", "credential": {}},
        ),
    )


def own_only(status: int) -> dict:
    """Only its owner reaches a passkey's page; anyone else is told it does not exist."""
    return expect(pc=404, dc_own=404, dc_other=404, liaison=404, teacher=404, para=status)


def provider_row(name: str, *args: str) -> Row:
    return Row(lambda w: reverse(name, args=args), everyone(404, anon=404))


ROWS = {
    # Each person changes their own password (the bench's signed-in floor).
    "password_change": Row(lambda w: reverse("password_change"), everyone(200)),
    "password_change_done": Row(lambda w: reverse("password_change_done"), everyone(200)),
    "google_login": provider_row("google_login"),
    "google_callback": provider_row("google_callback"),
    "microsoft_login": provider_row("microsoft_login"),
    "microsoft_callback": provider_row("microsoft_callback"),
    "openid_connect_login": provider_row("openid_connect_login", "district"),
    "openid_connect_callback": provider_row("openid_connect_callback", "district"),
    # allauth's "something went wrong at the provider" and "you cancelled" pages.
    "socialaccount_login_error": Row(
        lambda w: reverse("socialaccount_login_error"), everyone(401, anon=401)
    ),
    "socialaccount_login_cancelled": Row(
        lambda w: reverse("socialaccount_login_cancelled"), everyone(200, anon=200)
    ),
    "mfa_index": Row(lambda w: reverse("mfa_index"), everyone(200)),
    # The code step exists only between a correct password and the code: else back out.
    "mfa_authenticate": Row(lambda w: reverse("mfa_authenticate"), everyone(302)),
    "mfa_activate_totp": Row(lambda w: reverse("mfa_activate_totp"), everyone(200)),
    # Nobody in the matrix has an authenticator yet: nothing to remove or show.
    "mfa_deactivate_totp": Row(lambda w: reverse("mfa_deactivate_totp"), everyone(404)),
    "mfa_view_recovery_codes": Row(lambda w: reverse("mfa_view_recovery_codes"), everyone(404)),
    "mfa_generate_recovery_codes": Row(
        lambda w: reverse("mfa_generate_recovery_codes"), everyone(200)
    ),
    "mfa_download_recovery_codes": Row(
        lambda w: reverse("mfa_download_recovery_codes"), everyone(404)
    ),
    # Passkeys: each person's own list and add page; another person's passkey is not found.
    "mfa_list_webauthn": Row(lambda w: reverse("mfa_list_webauthn"), everyone(200)),
    "mfa_add_webauthn": Row(lambda w: reverse("mfa_add_webauthn"), everyone(200)),
    "mfa_edit_webauthn": Row(
        lambda w: reverse("mfa_edit_webauthn", args=[paras_passkey(w).pk]), own_only(200)
    ),
    "mfa_remove_webauthn": Row(
        lambda w: reverse("mfa_remove_webauthn", args=[paras_passkey(w).pk]), own_only(200)
    ),
    # Only a program coordinator resets someone's second factor.
    "second-factor-reset": Row(
        lambda w: reverse("second-factor-reset", args=[w.users["para"].uuid]),
        coordinators(302, dc=403, other=403),
        method="post",
    ),
}
