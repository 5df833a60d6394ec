"""The code step of a password sign-in, counted like a password by django-axes."""

from allauth.core import context
from allauth.mfa.base.forms import AuthenticateForm
from axes.handlers.proxy import AxesProxyHandler
from django import forms
from django.contrib.auth.signals import user_login_failed

LOCKED_MESSAGE = "Too many failed sign-ins. Try again in 15 minutes."


class ThrottledAuthenticateForm(AuthenticateForm):
    """A wrong code is a failed sign-in for the account (and the address): five, codes and
    passwords together, lock both for 15 minutes, and a locked account's code is not read."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["code"].label = "Code from your authenticator app, or a recovery code"
        self.fields["code"].widget.attrs.update(placeholder="", inputmode="numeric")

    def clean_code(self) -> str:
        request = context.request
        credentials = {"username": self.user.email}
        if not AxesProxyHandler.is_allowed(request, credentials):
            raise forms.ValidationError(LOCKED_MESSAGE)
        try:
            return super().clean_code()
        except forms.ValidationError:
            user_login_failed.send(sender=__name__, credentials=credentials, request=request)
            raise
