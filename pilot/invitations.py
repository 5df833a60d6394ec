"""Sign-in mails: a set-password link for a new account, or a link that connects an
existing account to a staff record when its owner follows it while signed in.

The rules about who gets which mail live in ``pilot.services.staff``."""

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from pilot.mail import queue_mail
from pilot.models import Staff, User


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def set_password_url(user: User) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return absolute(reverse("password_reset_confirm", kwargs={"uidb64": uid, "token": token}))


def send_invitation(*, staff: Staff, user: User) -> None:
    """Queue a mail to the account's owner with a link to choose their password."""
    context = {"staff": staff, "url": set_password_url(user), "email": user.email}
    queue_mail(
        to=user.email,
        subject="Your Pilot Program sign-in",
        body=render_to_string("pilot/email/invitation.txt", context),
        kind="invitation",
    )


def send_link_request(*, staff: Staff, user: User, url: str) -> None:
    """Mail an existing account's owner the link that connects it to the staff record."""
    context = {"staff": staff, "url": url, "email": user.email}
    queue_mail(
        to=user.email,
        subject="Connect your Pilot Program sign-in to your staff record",
        body=render_to_string("pilot/email/link_account.txt", context),
        kind="account-link",
    )
