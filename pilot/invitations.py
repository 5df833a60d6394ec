"""Sign-in invitations: an account for a staff member and a set-password link by email."""

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from pilot.models import Staff, User


def set_password_url(user: User) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    path = reverse("password_reset_confirm", kwargs={"uidb64": uid, "token": token})
    return settings.SITE_URL.rstrip("/") + path


@transaction.atomic
def invite_staff(staff: Staff) -> User:
    """Link the staff member to a user (made if needed) and mail them a set-password link."""
    user = staff.user
    if user is None:
        user = User.objects.filter(email__iexact=staff.email).first()
        if user is None:
            user = User(email=staff.email.lower(), full_name=staff.full_name)
            user.set_unusable_password()
            user.save()
        staff.user = user
        staff.save(update_fields=["user", "updated_at"])
    context = {"staff": staff, "url": set_password_url(user)}
    send_mail(
        subject="Your Pilot Program sign-in",
        message=render_to_string("pilot/email/invitation.txt", context),
        from_email=None,
        recipient_list=[user.email],
    )
    return user
