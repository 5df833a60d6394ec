"""Staff records and the sign-ins linked to them: the one place for their rules.

- A staff email belongs to one staff record across the whole program, in any case; an
  employee id to one staff record within a district; a staff member's school is in their
  district.
- An invitation creates an account only for an email no account uses. A staff record is
  linked to an account that already exists only with proof: its owner follows the emailed
  link while signed in as that account, or a program coordinator links it (logged).
- A staff record's status switches its sign-in on and off only when that account is the
  staff member's alone: no coordinator or liaison role, not a superuser. A district
  coordinator therefore never changes or reaches an account that holds a role.

Messages are written for the person who asked, naming records only within their scope.
"""

from dataclasses import dataclass
from typing import Any, Required, TypedDict, Unpack

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.db.models.functions import Lower
from django.dispatch import Signal
from django.urls import reverse

from pilot.access.principal import forget
from pilot.access.scopes import staff_named_scope
from pilot.audit import log_access
from pilot.invitations import absolute, send_invitation, send_link_request
from pilot.models import AuditEntry, District, RoleAssignment, School, Staff, User

from .checks import Errors, field_problems, refuse_if

LINK_SALT = "pilot.services.staff.link_account"
LINK_MAX_AGE = settings.PASSWORD_RESET_TIMEOUT  # the same week as a set-password link
RACE_MESSAGE = "Someone changed this record at the same moment: please try again."


class StaffAccountError(Exception):
    """A request the rules refuse; ``str(error)`` says why, for the person who asked."""


# ---- email uniqueness -------------------------------------------------------------------


def email_in_use_message(*, email: str, owner: Staff, scope: frozenset[int] | None) -> str:
    """Why ``email`` cannot be given to another staff record: ``owner`` already has it.
    The owner is named only when the asker's ``scope`` (``staff_named_scope``) includes
    them."""
    if scope is None or owner.district_id in scope:
        id_note = f" (employee id {owner.employee_id})" if owner.employee_id else ""
        return (
            f"{email} is used by another person in {owner.district.name}: "
            f"{owner.full_name}{id_note}."
        )
    return (
        f"{email} is used by a staff member in a district outside yours. Check the address, "
        "or ask the program coordinator."
    )


def staff_with_emails(emails: set[str]) -> QuerySet[Staff]:
    """Staff records using any of these (lower-case) emails, across the program; matched
    as the unique index is, so the query uses it."""
    return Staff.objects.annotate(email_ci=Lower("email")).filter(email_ci__in=emails)


def staff_email_problem(*, email: str, asked_by: User, record: Staff | None = None) -> str | None:
    """The message when another staff record than ``record`` uses ``email``, else None."""
    email = email.strip().lower()
    others = staff_with_emails({email}).select_related("district")
    if record is not None and record.pk is not None:
        others = others.exclude(pk=record.pk)
    owner = others.first()
    if owner is None:
        return None
    return email_in_use_message(email=email, owner=owner, scope=staff_named_scope(asked_by))


def employee_id_in_use_message(*, employee_id: str, owner: Staff) -> str:
    """Why ``employee_id`` cannot be given to another staff record of ``owner``'s district
    (whoever may edit the district's staff may see its staff named)."""
    return (
        f"Employee id {employee_id} belongs to another person in {owner.district.name}: "
        f"{owner.full_name} <{owner.email}>."
    )


def school_outside_district_message(*, school: School, district: District) -> str:
    return f"{school.name} is not in {district.name}."


# ---- creating and editing staff records -------------------------------------------------


def staff_problems(*, staff: Staff, asked_by: User) -> Errors:
    """What refuses ``staff`` (new or changed) as it stands, by field."""
    errors: Errors = {}
    if staff.school_id and staff.district_id and staff.school.district_id != staff.district_id:
        message = school_outside_district_message(school=staff.school, district=staff.district)
        errors["school"] = [message]
    if staff.email:
        problem = staff_email_problem(email=staff.email, asked_by=asked_by, record=staff)
        if problem:
            errors["email"] = [problem]
    if staff.district_id and staff.employee_id:
        owner = (
            Staff.objects.filter(district=staff.district_id, employee_id=staff.employee_id)
            .exclude(pk=staff.pk)
            .select_related("district")
            .first()
        )
        if owner is not None:
            message = employee_id_in_use_message(employee_id=staff.employee_id, owner=owner)
            errors["employee_id"] = [message]
    field_problems(staff, errors)
    return errors


# Sent inside the transaction that saves a staff member whose role changes, just before
# the record is written, with ``staff`` (carrying the new values), ``old_role`` and
# ``asked_by``. A feature app connects a receiver in its ``AppConfig.ready()``: it may
# refuse the change with a ``ValidationError`` keyed by form field (nothing is saved),
# write its own records in the same transaction, and return a list of sentences for the
# person who asked, which the save hands back as ``staff.role_change_notes``.
role_changing = Signal()


def _save_staff(staff: Staff, values: dict[str, Any], asked_by: User) -> Staff:
    values["email"] = values["email"].strip().lower()
    for field, value in values.items():
        setattr(staff, field, value)
    refuse_if(staff_problems(staff=staff, asked_by=asked_by))
    # A model form has already put the new values on ``staff``: the stored role is read.
    old_role = (
        Staff.objects.filter(pk=staff.pk).values_list("role", flat=True).first()
        if staff.pk
        else None
    )
    staff.role_change_notes = []
    try:
        with transaction.atomic():
            if old_role is not None and old_role != staff.role:
                for _receiver, notes in role_changing.send(
                    sender=Staff, staff=staff, old_role=old_role, asked_by=asked_by
                ):
                    staff.role_change_notes += notes or []
            staff.save()
    except IntegrityError as error:  # a twin request took the email or id meanwhile
        raise ValidationError(RACE_MESSAGE) from error
    return staff


class StaffFields(TypedDict, total=False):
    first_name: Required[str]
    last_name: Required[str]
    email: Required[str]
    role: Required[str]
    district: Required[District]
    school: Required[School]
    employee_id: str


def create_staff(*, asked_by: User, **fields: Unpack[StaffFields]) -> Staff:
    """A new (active) teacher or paraprofessional; ``asked_by`` decides which records a
    refusal may name."""
    return _save_staff(Staff(), dict(fields), asked_by)


def update_staff(*, staff: Staff, asked_by: User, **fields: Unpack[StaffFields]) -> Staff:
    return _save_staff(staff, dict(fields), asked_by)


# ---- whose account follows a staff record -----------------------------------------------


def accounts_following_staff(users: QuerySet[User]) -> QuerySet[User]:
    """Those of ``users`` that a staff record may switch on and off: no role, no superuser."""
    holds_role = RoleAssignment.objects.filter(user=OuterRef("pk"))
    return users.filter(is_superuser=False).exclude(Exists(holds_role))


def account_follows_staff(user: User) -> bool:
    return accounts_following_staff(User.objects.filter(pk=user.pk)).exists()


def switch_accounts_with_staff(activity: dict[int, bool]) -> None:
    """After staff records were (de)activated in bulk (an import): their sign-ins follow,
    ``activity`` mapping each account id to the status its staff record now has."""
    for active in (True, False):
        ids = [user_id for user_id, value in activity.items() if value is active]
        if ids:
            accounts_following_staff(User.objects.filter(pk__in=ids)).update(is_active=active)


KEPT_ACCOUNT = (
    "Their sign-in also holds a coordinator or liaison role, so it was left as it is: "
    "only a program coordinator manages it."
)


def set_staff_active(*, staff: Staff, active: bool) -> str:
    """(De)activate a staff member, and their sign-in if it is theirs alone; returns the
    message for the coordinator."""
    with transaction.atomic():
        staff.is_active = active
        staff.save(update_fields=["is_active", "updated_at"])
        message = f"{staff} {'reactivated' if active else 'deactivated'}."
        account = staff.user
        if account is None:
            return message
        if not account_follows_staff(account):
            return f"{message} {KEPT_ACCOUNT}"
        # Saved, not updated: saving an inactive account ends its sessions (pilot.sessions).
        account.is_active = active
        account.save(update_fields=["is_active"])
        return message


# ---- invitations ------------------------------------------------------------------------


@dataclass(frozen=True)
class Invitation:
    sent_to: str  # the address mailed
    message: str  # what the coordinator is told
    linked: bool  # the staff record has its sign-in (new or already linked)


def link_token(*, staff: Staff, user: User) -> str:
    return signing.dumps({"staff": str(staff.uuid), "user": str(user.uuid)}, salt=LINK_SALT)


def link_url(*, staff: Staff, user: User) -> str:
    return absolute(reverse("pilot:account-link", args=[link_token(staff=staff, user=user)]))


def invite_staff(*, staff: Staff, invited_by: User) -> Invitation:
    """Mail a staff member their way in, never linking an account that already exists.

    - already linked: the set-password link again, if the account is theirs alone;
    - no account uses the email: a new account, linked, and a set-password link;
    - an account without a staff record uses it: a link that connects it when its owner
      follows it signed in (see ``link_account``); nothing is linked now;
    - an account linked to another staff record uses it: refused.
    """
    try:
        with transaction.atomic():
            staff = (
                Staff.objects.select_for_update(of=("self",))
                .select_related("district", "school", "user")
                .get(pk=staff.pk)
            )
            invitation = _invite(staff)
            log_access(
                invited_by,
                AuditEntry.Action.INVITATION,
                f"staff {staff.uuid} <{staff.email}>",
                detail=invitation.message,
            )
            return invitation
    except IntegrityError as error:
        raise StaffAccountError(RACE_MESSAGE) from error


def _invite(staff: Staff) -> Invitation:
    if not staff.is_active:
        raise StaffAccountError(f"{staff} is inactive: reactivate them before inviting.")
    account = staff.user
    if account is not None:
        if not account_follows_staff(account):
            raise StaffAccountError(
                f"{staff}'s sign-in also holds a coordinator or liaison role, so no "
                "invitation was sent: they can reset their own password from the sign-in page."
            )
        send_invitation(staff=staff, user=account)
        return Invitation(account.email, f"Invitation sent to {account.email}.", linked=True)
    email = staff.email.strip().lower()
    existing = User.objects.filter(email__iexact=email).first()
    if existing is None:
        account = User(email=email, full_name=staff.full_name)
        account.set_unusable_password()
        account.save()
        staff.user = account
        staff.save(update_fields=["user", "updated_at"])
        send_invitation(staff=staff, user=account)
        return Invitation(email, f"Invitation sent to {email}.", linked=True)
    if Staff.objects.filter(user=existing).exists():
        raise StaffAccountError(
            f"{email} is the sign-in of another staff member, so it cannot be linked to "
            f"{staff}: check the email address. Nothing was sent."
        )
    send_link_request(staff=staff, user=existing, url=link_url(staff=staff, user=existing))
    return Invitation(
        email,
        f"{email} already has a sign-in, so it was not linked to {staff}. We emailed that "
        "address a link that connects them once its owner opens it signed in.",
        linked=False,
    )


# ---- linking an existing account --------------------------------------------------------


@dataclass(frozen=True)
class LinkRequest:
    staff: Staff
    expired: bool


def read_link_token(*, token: str, user: User) -> LinkRequest | None:
    """The staff record an emailed link names, if the link was made for ``user``."""
    try:
        payload, expired = signing.loads(token, salt=LINK_SALT, max_age=LINK_MAX_AGE), False
    except signing.SignatureExpired:
        payload, expired = signing.loads(token, salt=LINK_SALT), True
    except signing.BadSignature:
        return None
    if not isinstance(payload, dict) or payload.get("user") != str(user.uuid):
        return None
    staff = (
        Staff.objects.select_related("district", "school", "user")
        .filter(uuid=payload.get("staff"))
        .first()
    )
    return None if staff is None else LinkRequest(staff=staff, expired=expired)


def account_for_email(email: str) -> User | None:
    return User.objects.filter(email__iexact=email.strip()).first()


def link_problem(*, staff: Staff, user: User) -> str | None:
    """Why ``user``'s account cannot be linked to ``staff`` now, else None."""
    if staff.user_id == user.pk:
        return f"{user.email} is already linked to the staff record of {staff}."
    if staff.user_id is not None:
        return f"The staff record of {staff} is already linked to another sign-in."
    other = Staff.objects.filter(user=user).select_related("district").first()
    if other is not None:
        return (
            f"{user.email} is already linked to the staff record of {other} "
            f"({other.district.name}); a sign-in belongs to one staff record."
        )
    if staff.email.strip().lower() != user.email.lower():
        return (
            f"The staff record of {staff} now has another email than {user.email}; "
            "ask for a new invitation."
        )
    if not staff.is_active:
        return f"The staff record of {staff} is inactive."
    return None


def link_account(*, staff: Staff, user: User, linked_by: User, proof: str) -> None:
    """Link ``user``'s existing account to ``staff``, logged with ``proof`` (how we know
    the account is this person's)."""
    try:
        with transaction.atomic():
            staff = Staff.objects.select_for_update(of=("self",)).get(pk=staff.pk)
            problem = link_problem(staff=staff, user=user)
            if problem:
                raise StaffAccountError(problem)
            staff.user = user
            staff.save(update_fields=["user", "updated_at"])
            log_access(
                linked_by,
                AuditEntry.Action.ACCOUNT_LINK,
                f"staff {staff.uuid} <{staff.email}> to account {user.email}",
                detail=proof,
            )
    except IntegrityError as error:
        raise StaffAccountError(RACE_MESSAGE) from error
    forget(user)  # the account now has a staff member's pages
