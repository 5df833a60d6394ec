"""The code and passkey steps of a password sign-in, counted like a password by django-axes."""

from collections.abc import Callable
from typing import Any

from allauth.core import context
from allauth.mfa.base.forms import AuthenticateForm
from allauth.mfa.models import Authenticator
from allauth.mfa.webauthn.forms import AddWebAuthnForm, AuthenticateWebAuthnForm
from allauth.mfa.webauthn.internal import auth as webauthn_auth
from axes.handlers.proxy import AxesProxyHandler
from django import forms
from django.contrib.auth.signals import user_login_failed

LOCKED_MESSAGE = "Too many failed sign-ins. Try again in 15 minutes."


class Throttled:
    """A wrong code or passkey answer is a failed sign-in for the account (and the address):
    five, codes, passkeys and passwords together, lock both for 15 minutes, and a locked
    account's answer is not read."""

    user: Any

    def throttled(self, check: Callable[[], Any]) -> Any:
        """Run ``check`` (the form's own clean_<field>) unless locked; count its refusal."""
        request = context.request
        credentials = {"username": self.user.email}
        if not AxesProxyHandler.is_allowed(request, credentials):
            raise forms.ValidationError(LOCKED_MESSAGE)
        try:
            return check()
        except forms.ValidationError:
            user_login_failed.send(sender=__name__, credentials=credentials, request=request)
            raise


class ThrottledAuthenticateForm(Throttled, AuthenticateForm):
    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["code"].label = "Code from your authenticator app, or a recovery code"
        self.fields["code"].widget.attrs.update(placeholder="", inputmode="numeric")

    @property
    def has_passkey(self) -> bool:
        """Whether to offer the passkey next to the code (the person has added one)."""
        return Authenticator.objects.filter(
            user=self.user, type=Authenticator.Type.WEBAUTHN
        ).exists()

    def clean_code(self) -> str:
        return self.throttled(super().clean_code)


REFUSED_PASSKEY = "This passkey answer was not accepted. Try again, or use a code."


def parsed(parse: Callable[[Any], Any], answer: Any) -> None:
    """Refuse a browser's WebAuthn answer that is not the shape fido2 reads, with a message:
    allauth turns some malformed answers into its own error, but one without ``rawId`` (or
    another field) would escape as a KeyError, a server error."""
    try:
        parse(answer)
    except (KeyError, TypeError, ValueError, AttributeError) as malformed:
        raise forms.ValidationError(REFUSED_PASSKEY) from malformed


class ThrottledAuthenticateWebAuthnForm(Throttled, AuthenticateWebAuthnForm):
    """One message for every refused answer: not JSON, malformed, or not one of the user's
    passkeys (allauth would say "Enter a valid JSON." or "Incorrect code.")."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["credential"].error_messages["invalid"] = REFUSED_PASSKEY

    def clean_credential(self) -> Authenticator:
        def check() -> Authenticator:
            try:
                parsed(webauthn_auth.parse_authentication_response, self.cleaned_data["credential"])
                return super(ThrottledAuthenticateWebAuthnForm, self).clean_credential()
            except forms.ValidationError as refused:
                raise forms.ValidationError(REFUSED_PASSKEY) from refused

        return self.throttled(check)


class CheckedAddWebAuthnForm(AddWebAuthnForm):
    """allauth's form to add a passkey, with a malformed answer refused by a message."""

    def clean(self) -> dict:
        if self.cleaned_data.get("credential"):
            parsed(webauthn_auth.parse_registration_response, self.cleaned_data["credential"])
        return super().clean()
