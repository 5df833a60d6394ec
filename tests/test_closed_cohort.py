"""A closed cohort is read-only everywhere: every write route of the authorization matrix
that touches its records is refused with the one message, and writes nothing."""

import pytest
from django.apps import apps
from django.db import transaction
from django.db.models import Max
from django.test import Client
from django.urls import reverse

from pilot.models import Cohort
from pilot.services.program import cohort_closed_problem

from .authz.mentoring_rows import pairing
from .authz.registry import all_rows
from .world import build_world

pytestmark = pytest.mark.django_db

# The matrix's POST rows whose record belongs to the world's cohort.
CLOSED_COHORT_WRITES = {
    "pilot:cohort-withdraw",
    "mentoring:pairing-end-early",
    "mentoring:session-create",
    "mentoring:session-update",
    "mentoring:goal-update",
    "observations:save",
    "observations:acknowledge",
    "observations:quote-consent",
    "observations:quote-decide",
    "observations:quote-approve-many",
    "observations:tracker-remind",
    "coursework:module-done",
}
# POST rows about records of no cohort: people, sign-ins, a person's own transfer credit
# and degree plan, a staff import.
NOT_A_COHORTS_RECORD = {
    "pilot:lockout-unlock",
    "pilot:role-revoke",
    "pilot:staff-invite",
    "pilot:staff-set-active",
    "coursework:declare-plan",
    "coursework:transfer-decline",
    "coursework:transfer-verify",
    "imports:confirm",
    "second-factor-reset",
    "pathways:assessment-verify",  # a person's assessment, of no cohort
    "pathways:teacher-record-unlink",  # a person's teacher record, of no cohort
    "reports:pilot-pdf-start",  # starts making a PDF: reads, writes only the job
}
# Written on any request, not by the write: the access log and the double-submit tokens.
NOT_WRITES = {"pilot.AuditEntry", "pilot.FormSubmission"}


def post_rows() -> set[str]:
    return {name for name, row in all_rows().items() if row.method == "post"}


def test_every_post_row_is_classified() -> None:
    """A new write route says whether it touches a cohort's records."""
    assert post_rows() == CLOSED_COHORT_WRITES | NOT_A_COHORTS_RECORD


def fingerprint() -> dict[str, tuple]:
    """Every table's row count and latest change: equal before and after means nothing was
    written."""
    seen = {}
    for model in apps.get_models():
        if model._meta.app_label not in {"pilot", "mentoring", "coursework", "observations"}:
            continue
        if model._meta.label in NOT_WRITES or model._meta.label.replace("Historical", "") in (
            NOT_WRITES
        ):
            continue
        names = {f.name for f in model._meta.concrete_fields}
        latest = Max("updated_at") if "updated_at" in names else Max("pk")
        seen[model._meta.label] = (
            model._base_manager.count(),
            model._base_manager.aggregate(m=latest)["m"],
        )
    return seen


@pytest.mark.parametrize("name", sorted(CLOSED_COHORT_WRITES))
def test_closed_cohort_refuses_every_write_route(name: str) -> None:
    row = all_rows()[name]
    world = build_world()
    url = row.url(world)
    data = row.data(world) if row.data else {}
    Cohort.objects.filter(pk=world.cohort.pk).update(status=Cohort.Status.CLOSED)
    world.cohort.refresh_from_db()
    closed = cohort_closed_problem(world.cohort)
    writers = [persona for persona, status in row.expect.items() if status == 302]
    assert writers, f"{name}: no persona may write it"
    for persona in writers:
        client = Client()
        client.force_login(
            world.users[persona], backend="django.contrib.auth.backends.ModelBackend"
        )
        with transaction.atomic():
            before = fingerprint()
            response = client.post(url, data, follow=True)
            after = fingerprint()
            transaction.set_rollback(True)
        assert response.status_code == 200, f"{name} as {persona}"
        assert closed in response.content.decode(), f"{name} as {persona}: no message"
        changed = {label for label in before if before[label] != after[label]}
        assert not changed, f"{name} as {persona} wrote {sorted(changed)}"


def test_closed_cohort_pages_say_so_and_offer_no_write(world, login) -> None:
    the_pairing = pairing(world)
    world.cohort.status = Cohort.Status.CLOSED
    world.cohort.save()
    closed = cohort_closed_problem(world.cohort)
    html = (
        login(world.users["teacher"])
        .get(reverse("mentoring:pairing-detail", args=[the_pairing.uuid]))
        .content.decode()
    )
    assert closed in html
    assert reverse("mentoring:session-create", args=[the_pairing.uuid]) not in html
    assert reverse("mentoring:goal-create", args=[the_pairing.uuid]) not in html
    pc_html = (
        login(world.users["pc"])
        .get(reverse("mentoring:pairing-detail", args=[the_pairing.uuid]))
        .content.decode()
    )
    assert reverse("mentoring:pairing-update", args=[the_pairing.uuid]) not in pc_html
    # The form pages send back to the pairing with the message.
    response = login(world.users["pc"]).get(
        reverse("mentoring:pairing-update", args=[the_pairing.uuid]), follow=True
    )
    assert closed in response.content.decode()
    assert response.redirect_chain[-1][0] == reverse(
        "mentoring:pairing-detail", args=[the_pairing.uuid]
    )


def test_closed_cohort_stays_in_the_reports(world, login) -> None:
    world.cohort.status = Cohort.Status.CLOSED
    world.cohort.save()
    client = login(world.users["pc"])
    for name in ("reports:index", "reports:pilot"):
        response = client.get(reverse(name), {"cohort": str(world.cohort.uuid)})
        assert response.status_code == 200, name
        assert world.cohort.name in response.content.decode(), name
    # Chosen by default too, when it is the only cohort.
    assert world.cohort.name in client.get(reverse("reports:index")).content.decode()


# The form pages of a closed cohort's records: each says so at once and sends back.
CLOSED_COHORT_FORM_PAGES = [
    "pilot:cohort-enroll",
    "mentoring:pairing-update",
    "mentoring:pairing-complete",
    "mentoring:pairing-end-early",
    "mentoring:session-create",
    "mentoring:goal-create",
    "coursework:offering-update",
    "coursework:module-create",
    "coursework:module-update",
    "coursework:offering-enroll",
    "coursework:offering-grades",
]


@pytest.mark.parametrize("name", CLOSED_COHORT_FORM_PAGES)
def test_closed_cohort_form_pages_say_so(name: str) -> None:
    row = all_rows()[name]
    world = build_world()
    url = row.url(world)
    Cohort.objects.filter(pk=world.cohort.pk).update(status=Cohort.Status.CLOSED)
    world.cohort.refresh_from_db()
    persona = next(p for p, status in row.expect.items() if status in (200, 302))
    client = Client()
    client.force_login(world.users[persona], backend="django.contrib.auth.backends.ModelBackend")
    response = client.get(url, follow=True)
    assert response.redirect_chain, f"{name}: the form was shown"
    assert cohort_closed_problem(world.cohort) in response.content.decode()
