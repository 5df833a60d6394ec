"""Writes that touch several rows, each in one transaction: all or nothing."""

from datetime import date

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse

from pilot.models import Staff

from .models import Goal, MentoringSession, Pairing, SupportRole


def _set_support_roles(pairing: Pairing, roles: dict[str, int]) -> None:
    """Make the pairing's support roles exactly ``roles`` (role -> tier)."""
    current = {r.role: r for r in pairing.support_roles.all()}
    for role, existing in current.items():
        if role not in roles:
            existing.delete()
    for role, tier in roles.items():
        existing = current.get(role)
        if existing is None:
            SupportRole.objects.create(pairing=pairing, role=role, tier=tier)
        elif existing.tier != tier:
            existing.tier = tier
            existing.save(update_fields=["tier"])


def pairing_url(pairing: Pairing) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("mentoring:pairing-detail", args=[pairing.uuid])


def send_pairing_started(pairing: Pairing) -> None:
    """Each member gets an email naming the other, with the link to the pairing."""
    url = pairing_url(pairing)
    for member, other in (
        (pairing.teacher, pairing.paraprofessional),
        (pairing.paraprofessional, pairing.teacher),
    ):
        context = {"pairing": pairing, "member": member, "other": other, "url": url}
        send_mail(
            subject=f"Your mentoring pairing with {other.full_name}",
            message=render_to_string("mentoring/email/pairing_started.txt", context),
            from_email=None,
            recipient_list=[member.email],
        )


@transaction.atomic
def create_pairing(pairing: Pairing, roles: dict[str, int]) -> Pairing:
    """Save a new pairing with its support roles; email both members once it commits."""
    pairing.status = Pairing.Status.ACTIVE
    pairing.save()
    _set_support_roles(pairing, roles)
    transaction.on_commit(lambda: send_pairing_started(pairing))
    return pairing


@transaction.atomic
def update_pairing(pairing: Pairing, roles: dict[str, int]) -> Pairing:
    pairing.save()
    _set_support_roles(pairing, roles)
    return pairing


@transaction.atomic
def close_pairing(pairing: Pairing, status: str, closed_on: date, reason: str = "") -> Pairing:
    """Mark a pairing completed, or ended early with a reason. Nothing is deleted."""
    if status not in (Pairing.Status.COMPLETED, Pairing.Status.ENDED_EARLY):
        raise ValueError(f"Cannot close a pairing as {status!r}.")
    locked = Pairing.objects.select_for_update().get(pk=pairing.pk)
    if locked.status != Pairing.Status.ACTIVE:
        raise ValueError("This pairing is already closed.")
    pairing.status = status
    pairing.closed_on = closed_on
    pairing.end_reason = reason if status == Pairing.Status.ENDED_EARLY else ""
    pairing.save(update_fields=["status", "closed_on", "end_reason", "updated_at"])
    return pairing


def _require_member(pairing: Pairing, staff: Staff) -> None:
    if staff.pk not in (pairing.teacher_id, pairing.paraprofessional_id):
        raise ValueError("Only the pair's members write its sessions and goals.")


@transaction.atomic
def save_session(session: MentoringSession, by: Staff) -> MentoringSession:
    _require_member(session.pairing, by)
    if session.pk is None:
        session.logged_by = by
    session.save()
    return session


@transaction.atomic
def save_goal(goal: Goal, by: Staff) -> Goal:
    _require_member(goal.pairing, by)
    if goal.pk is None:
        goal.set_by = by
    goal.save()
    return goal
