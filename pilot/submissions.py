"""Double-submit guard for create forms: each rendered form carries a one-time token.

The first POST with a token claims it (a row keyed by the token, inserted in the same
transaction as the record it creates) and remembers where it redirected. A repeat of that
POST -- a double click, a reload, a resubmission from the history -- finds the claim and is
sent to the same page, so it creates nothing. Decorate the form's view with
``one_time_submit`` (``pilot/views/generic.py``); ``templates/includes/form_token.html``
(included by ``includes/form.html``) renders the hidden field.
The guard is for forms: a POST that does not carry the field at all is not guarded.
"""

import uuid
from datetime import timedelta

from django.contrib.auth.models import AnonymousUser
from django.db import IntegrityError, transaction
from django.utils import timezone

from pilot.models import FormSubmission, User
from pilot.uuids import parse_uuid

TOKEN_FIELD = "form_token"
KEEP_CLAIMS = timedelta(days=2)


def new_token() -> str:
    return str(uuid.uuid4())


parse_token = parse_uuid


def earlier_submission(token: uuid.UUID, user: User | AnonymousUser) -> FormSubmission | None:
    """The claim already made with this token by this user, if any."""
    owner = user if user.is_authenticated else None
    return FormSubmission.objects.filter(token=token, user=owner).first()


def claim(token: uuid.UUID, user: User | AnonymousUser) -> FormSubmission | None:
    """Claim the token inside the caller's transaction; None if it was already claimed.

    A concurrent claim of the same token blocks on the primary key until the other
    transaction ends, then fails here if that one committed.
    """
    owner = user if user.is_authenticated else None
    try:
        with transaction.atomic():
            submission = FormSubmission.objects.create(token=token, user=owner)
    except IntegrityError:
        return None
    FormSubmission.objects.filter(submitted_at__lt=timezone.now() - KEEP_CLAIMS).delete()
    return submission


def remember_redirect(submission: FormSubmission, url: str) -> None:
    submission.redirect_url = url[:500]
    submission.save(update_fields=["redirect_url"])
