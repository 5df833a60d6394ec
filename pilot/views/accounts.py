"""The sign-in page's wording, and the password-reset page, with a limit on how many emails
it sends."""

import hashlib

from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.contrib.auth.views import PasswordResetView
from django.core.cache import cache
from django.http import HttpResponse, HttpResponseRedirect

from pilot.security import client_ip


class SignInForm(AuthenticationForm):
    """Django's sign-in form, without its claim that the fields may be case-sensitive:
    email addresses here sign in whatever their case."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "That email address and password do not match an account. "
        "Check the password (it is case-sensitive) or reset it below.",
    }


def _count(kind: str, value: str) -> int:
    """Requests counted against ``value`` in the current window (this one included). The
    window starts with the first request and lasts ``PASSWORD_RESET_LIMIT_WINDOW``."""
    key = f"password-reset:{kind}:{hashlib.sha256(value.encode()).hexdigest()}"
    cache.add(key, 0, timeout=settings.PASSWORD_RESET_LIMIT_WINDOW)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr: a new window
        cache.set(key, 1, timeout=settings.PASSWORD_RESET_LIMIT_WINDOW)
        return 1


def reset_allowed(email: str, client: str) -> bool:
    """Whether a reset email may go out, counting this request against the address and the
    client either way (so a flood stays refused until its window ends)."""
    per_email = _count("email", email.strip().lower())
    per_client = _count("client", client)
    return (
        per_email <= settings.PASSWORD_RESET_EMAILS_PER_ADDRESS
        and per_client <= settings.PASSWORD_RESET_EMAILS_PER_CLIENT
    )


class LimitedPasswordResetView(PasswordResetView):
    """Django's reset page, except that past the limits nothing is sent. The answer is the
    same "check your email" page either way, as it is for addresses with no account, so it
    tells nobody whether an account exists or a limit was reached."""

    html_email_template_name = None
    email_template_name = "registration/password_reset_email.txt"

    def form_valid(self, form: PasswordResetForm) -> HttpResponse:
        if reset_allowed(form.cleaned_data["email"], client_ip(self.request) or "unknown"):
            return super().form_valid(form)
        return HttpResponseRedirect(self.get_success_url())

    def get_context_data(self, **kwargs: object) -> dict:
        context = super().get_context_data(**kwargs)
        context["emails_per_address"] = settings.PASSWORD_RESET_EMAILS_PER_ADDRESS
        context["window_minutes"] = settings.PASSWORD_RESET_LIMIT_WINDOW // 60
        return context
