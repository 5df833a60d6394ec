"""Account takeover through a staff record: a district coordinator adds a staff member with
the email of someone else's account, invites and deactivates them. Every account stays as
it was, the coordinator gets a clear message, and an existing account is linked to a staff
record only by its owner (the emailed link, signed in) or a program coordinator (logged)."""

import re
import time
from unittest import mock

import pytest
from django.conf import settings
from django.test import Client, TestCase
from django.urls import reverse

from pilot.access import Capability, can
from pilot.models import AuditEntry, RoleAssignment, Staff, User
from pilot.services.staff import link_token

from .factories import ParaFactory, TeacherFactory
from .test_forms_core import staff_data
from .test_imports import STAFF_HEADER, csv_upload, outcomes, staff_line, upload

pytestmark = pytest.mark.django_db

OUTSIDE = (
    "{email} is used by a staff member in a district outside yours. Check the address, "
    "or ask the program coordinator."
)
KEPT = (
    "Their sign-in also holds a coordinator or liaison role, so it was left as it is: "
    "only a program coordinator manages it."
)


def alpha_teacher_line(member: Staff, email: str = "", active: str = "yes") -> str:
    """A staff file's row for a teacher at Alpha Elementary (by default, as stored)."""
    return staff_line(
        "alpha",
        "Alpha Elementary",
        "teacher",
        member.first_name,
        member.last_name,
        email or member.email,
        member.employee_id,
        active,
    )


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def said(response) -> list[str]:
    """The messages shown on the page a POST led to (``follow=True``)."""
    return [str(m) for m in response.context["messages"]]


def account_state(user: User) -> tuple:
    """Everything a takeover could change about an account."""
    user = User.objects.get(pk=user.pk)
    roles = sorted(user.role_assignments.values_list("role", "district_id", "college_id"))
    staff = list(Staff.objects.filter(user=user).values_list("pk", "is_active"))
    return (user.email, user.full_name, user.is_active, user.password, roles, staff)


def add_staff(client: Client, world, email: str) -> tuple[Staff | None, list[str]]:
    """As the district coordinator: the add-staff form with ``email``; the record made, or
    the email field's errors."""
    response = client.post(reverse("pilot:staff-create"), staff_data(world, email=email))
    if response.status_code == 302:
        client.get(response["Location"])  # shows (and so clears) the "added" message
        return Staff.objects.get(email__iexact=email), []
    return None, response.context["form"].errors.get("email", [])


def invite(client: Client, member: Staff) -> list[str]:
    # The mail leaves the outbox once the invitation's transaction commits.
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(reverse("pilot:staff-invite", args=[member.uuid]), follow=True)
    return said(response)


def deactivate(client: Client, member: Staff) -> list[str]:
    url = reverse("pilot:staff-set-active", args=[member.uuid])
    return said(client.post(url, {"active": "false"}, follow=True))


def emailed_link(mail) -> str:
    """The path of the link-your-account link in a mail."""
    url = re.search(r"\S+/account/link/\S+/", mail.body).group(0)
    return url.removeprefix(settings.SITE_URL.rstrip("/"))


def invited_with_existing_account(world, account: User, mailoutbox) -> tuple[Client, Staff, str]:
    """The district coordinator adds and invites a staff member with ``account``'s email:
    their client, the record, and the path of the link mailed to the account."""
    coordinator = client_for(world.users["dc_own"])
    member, _ = add_staff(coordinator, world, account.email)
    invite(coordinator, member)
    return coordinator, member, emailed_link(mailoutbox[0])


# ---- the takeover attempts, one per kind of existing account --------------------------


@pytest.mark.parametrize("victim", ["pc", "liaison", "dc_other"])
def test_takeover_of_an_account_without_a_staff_record_leaves_it_untouched(
    world, mailoutbox, victim
) -> None:
    account = world.users[victim]
    before = account_state(account)
    attacker = client_for(world.users["dc_own"])

    member, errors = add_staff(attacker, world, account.email.upper())
    assert errors == [] and member.district == world.district_a

    assert invite(attacker, member) == [
        f"{account.email} already has a sign-in, so it was not linked to {member}. We emailed "
        "that address a link that connects them once its owner opens it signed in."
    ]
    member.refresh_from_db()
    assert member.user is None
    # The mail goes to the account's owner, and the attacker cannot use its link.
    assert [m.to for m in mailoutbox] == [[account.email]]
    link = emailed_link(mailoutbox[0])
    assert "/accounts/reset/" not in mailoutbox[0].body
    assert attacker.get(link).status_code == 404
    assert attacker.post(link).status_code == 404

    assert deactivate(attacker, member) == [f"{member} deactivated."]
    assert account_state(account) == before
    assert not can(User.objects.get(pk=account.pk), Capability.LEARN)  # no para pages
    entry = AuditEntry.objects.get(action=AuditEntry.Action.INVITATION)
    assert entry.actor == world.users["dc_own"] and "not linked" in entry.detail
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.ACCOUNT_LINK).exists()


def test_takeover_of_another_districts_staff_member_without_an_account(world) -> None:
    real = ParaFactory(school=world.school_b, email="nia.cole@beta.test", user=None)
    attacker = client_for(world.users["dc_own"])

    member, errors = add_staff(attacker, world, "Nia.Cole@beta.test")
    assert member is None
    # Refused without naming a record outside the coordinator's districts.
    assert errors == [OUTSIDE.format(email="nia.cole@beta.test")]
    assert real.full_name not in errors[0] and "Beta" not in errors[0]

    run = upload(
        attacker,
        "staff",
        csv_upload(
            [
                STAFF_HEADER,
                staff_line(
                    "alpha", "Alpha Elementary", "para", "Nia", "Cole", "NIA.COLE@beta.test"
                ),
            ]
        ),
    )
    assert outcomes(run)[2]["errors"] == [["email", OUTSIDE.format(email="nia.cole@beta.test")]]
    assert not run.can_confirm
    assert not User.objects.filter(email__iexact="nia.cole@beta.test").exists()

    # The real record's coordinator invites them: their account, in their district.
    response = client_for(world.users["dc_other"]).post(
        reverse("pilot:staff-invite", args=[real.uuid]), follow=True
    )
    assert said(response) == ["Invitation sent to nia.cole@beta.test."]
    real.refresh_from_db()
    assert real.user.email == "nia.cole@beta.test" and real.district == world.district_b


def test_takeover_of_another_districts_staff_member_with_an_account(world, mailoutbox) -> None:
    victim = world.teacher_b  # staff email staff…@school.test, signs in as teacher-b@…
    before = account_state(victim.user)
    attacker = client_for(world.users["dc_own"])

    member, errors = add_staff(attacker, world, victim.email)
    assert member is None and errors == [OUTSIDE.format(email=victim.email)]

    # Their sign-in email is not a staff email, so a record can be added with it, but the
    # invitation links nothing and mails nobody.
    member, errors = add_staff(attacker, world, victim.user.email)
    assert errors == []
    assert invite(attacker, member) == [
        f"{victim.user.email} is the sign-in of another staff member, so it cannot be linked "
        f"to {member}: check the email address. Nothing was sent."
    ]
    assert mailoutbox == []
    assert deactivate(attacker, member) == [f"{member} deactivated."]
    assert account_state(victim.user) == before
    victim.refresh_from_db()
    assert victim.is_active and victim.district == world.district_b


def test_the_import_names_only_records_in_scope(world, login) -> None:
    own = world.para
    program = client_for(world.users["pc"])
    run = upload(
        program,
        "staff",
        csv_upload(
            [
                STAFF_HEADER,
                staff_line("alpha", "Alpha Elementary", "para", "Al", "Ex", world.teacher_b.email),
            ]
        ),
    )
    # The program coordinator sees every district: the row names who has the email.
    assert outcomes(run)[2]["errors"] == [
        [
            "email",
            f"{world.teacher_b.email} is used by another person in Beta District: "
            f"{world.teacher_b.full_name} (employee id {world.teacher_b.employee_id}).",
        ]
    ]
    # The teacher's row (found by employee id) given the paraprofessional's email.
    run = upload(
        client_for(world.users["dc_own"]),
        "staff",
        csv_upload([STAFF_HEADER, alpha_teacher_line(world.teacher, email=own.email.upper())]),
    )
    assert outcomes(run)[2]["errors"] == [
        [
            "email",
            f"{own.email} is used by another person in Alpha District: "
            f"{own.full_name} (employee id {own.employee_id}).",
        ]
    ]


def test_editing_a_staff_email_to_another_districts_is_refused(world) -> None:
    client = client_for(world.users["dc_own"])
    data = staff_data(world, email=world.para_b.email.upper(), employee_id="")
    response = client.post(reverse("pilot:staff-update", args=[world.teacher.uuid]), data)
    assert response.context["form"].errors["email"] == [OUTSIDE.format(email=world.para_b.email)]
    world.teacher.refresh_from_db()
    assert world.teacher.email == "teacher@example.test"


# ---- linking with proof ---------------------------------------------------------------


def test_the_owner_links_their_account_by_following_the_link_signed_in(world, mailoutbox) -> None:
    liaison = world.users["liaison"]
    attacker, member, link = invited_with_existing_account(world, liaison, mailoutbox)

    # Signed out, the link asks for the sign-in first.
    anonymous = Client().get(link)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/accounts/login/")

    owner = client_for(liaison)
    page = owner.get(link)
    assert page.status_code == 200 and "Link my sign-in" in page.content.decode()
    assert Staff.objects.get(pk=member.pk).user is None  # opening the link links nothing

    response = owner.post(link, follow=True)
    assert response.redirect_chain == [(reverse("pilot:dashboard"), 302)]
    assert said(response) == [f"Your sign-in is now linked to {member}'s staff record."]
    member.refresh_from_db()
    assert member.user == liaison
    entry = AuditEntry.objects.get(action=AuditEntry.Action.ACCOUNT_LINK)
    assert entry.actor == liaison
    assert entry.detail == "confirmed by the account's owner through the emailed link"

    # Once linked, the district coordinator still cannot switch off or reach the account.
    assert deactivate(attacker, member) == [f"{member} deactivated. {KEPT}"]
    liaison.refresh_from_db()
    assert liaison.is_active
    reactivate = reverse("pilot:staff-set-active", args=[member.uuid])
    assert said(attacker.post(reactivate, {"active": "true"}, follow=True)) == [
        f"{member} reactivated. {KEPT}"
    ]
    assert invite(attacker, member) == [
        f"{member}'s sign-in also holds a coordinator or liaison role, so no invitation was "
        "sent: they can reset their own password from the sign-in page."
    ]
    assert len(mailoutbox) == 1

    # The link has done its work: following it again links nothing more.
    again = owner.get(link)
    assert "is already linked to the staff record of" in again.content.decode()


def test_a_stale_or_expired_link_says_why_and_links_nothing(world, mailoutbox) -> None:
    liaison = world.users["liaison"]
    _, member, link = invited_with_existing_account(world, liaison, mailoutbox)
    owner = client_for(liaison)

    with mock.patch("time.time", return_value=time.time() - 8 * 24 * 3600):
        old = link_token(staff=member, user=liaison)  # made eight days ago
    expired = owner.post(reverse("pilot:account-link", args=[old]))
    assert expired.status_code == 200
    assert "This link has expired: ask your coordinator to send the invitation again." in (
        expired.content.decode()
    )

    member.email = "someone.else@alpha.test"
    member.save()
    changed = owner.post(link)
    assert "now has another email than" in changed.content.decode()
    assert Staff.objects.get(pk=member.pk).user is None

    tampered = link.replace("/link/", "/link/x")
    assert owner.get(tampered).status_code == 404
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.ACCOUNT_LINK).exists()


def test_a_program_coordinator_links_an_existing_account_explicitly(world) -> None:
    liaison = world.users["liaison"]
    member = ParaFactory(school=world.school_a, email=liaison.email, user=None)
    url = reverse("pilot:staff-link-account", args=[member.uuid])
    assert client_for(world.users["dc_own"]).post(url).status_code == 403

    program = client_for(world.users["pc"])
    detail = program.get(reverse("pilot:staff-detail", args=[member.uuid])).content.decode()
    assert "Link the existing sign-in" in detail
    page = program.get(url).content.decode()
    assert "College liaison" in page and "recorded in the access log" in page
    assert Staff.objects.get(pk=member.pk).user is None

    response = program.post(url, follow=True)
    assert said(response) == [f"{member} now signs in as {liaison.email}."]
    member.refresh_from_db()
    assert member.user == liaison
    entry = AuditEntry.objects.get(action=AuditEntry.Action.ACCOUNT_LINK)
    assert entry.actor == world.users["pc"] and entry.detail == "linked by a program coordinator"
    assert str(member.uuid) in entry.subject and liaison.email in entry.subject


def test_a_program_coordinator_cannot_link_an_account_that_has_a_staff_record(world) -> None:
    taken = world.teacher_b.user
    member = TeacherFactory(school=world.school_a, email=taken.email, user=None)
    response = client_for(world.users["pc"]).post(
        reverse("pilot:staff-link-account", args=[member.uuid]), follow=True
    )
    assert said(response) == [
        f"{taken.email} is already linked to the staff record of {world.teacher_b} "
        "(Beta District); a sign-in belongs to one staff record."
    ]
    member.refresh_from_db()
    assert member.user is None
    world.teacher_b.refresh_from_db()
    assert world.teacher_b.user == taken


# ---- deactivation follows the staff record only for an account that is theirs alone ----


def test_deactivation_by_form_or_import_keeps_accounts_that_hold_a_role(world) -> None:
    coordinator_account = world.users["dc_other"]  # a coordinator of B, also a teacher in A
    member = TeacherFactory(
        school=world.school_a, email=coordinator_account.email, user=coordinator_account
    )
    client = client_for(world.users["dc_own"])
    run = upload(
        client,
        "staff",
        csv_upload(
            [
                STAFF_HEADER,
                alpha_teacher_line(member, active="no"),
                alpha_teacher_line(world.teacher, active="no"),
            ]
        ),
    )
    assert run.can_confirm
    client.post(reverse("imports:confirm", args=[run.uuid]))
    member.refresh_from_db()
    assert not member.is_active
    coordinator_account.refresh_from_db()
    assert coordinator_account.is_active
    assert coordinator_account.role_assignments.filter(
        role=RoleAssignment.Role.DISTRICT_COORDINATOR
    ).exists()
    # A plain teacher's sign-in is switched off with their record, as before.
    assert not User.objects.get(pk=world.teacher.user_id).is_active
