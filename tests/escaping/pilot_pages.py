"""The foundation's pages that show typed names: cohorts, districts, schools, staff, roles."""

from allauth.mfa.models import Authenticator
from axes.models import AccessAttempt
from django.urls import reverse

from pilot.services.staff import link_token

from ..factories import DistrictFactory
from ..world import staff_with_liaison_email
from . import FORMULA, Page, hostile

COHORT = hostile("2026 Pilot")
DISTRICT = hostile("Alpha")
CONTACT = hostile("Dana")
SCHOOL = hostile("Alpha Elementary")
COLLEGE = hostile("Test CC")
PARA_FIRST = hostile("Pat")
PC_NAME = hostile("Casey")
DC_NAME = hostile("Dee")
NEW_DISTRICT = hostile("Gamma")
ATTACKER = hostile("mallory@example.test")
UNLINKED_FIRST = hostile("Lee")
LIAISON_NAME = hostile("Lou")
PASSKEY = hostile("Office key")


def make_hostile(w) -> None:
    w.cohort.name = COHORT
    w.cohort.save()
    w.district_a.name, w.district_a.contact_name = DISTRICT, CONTACT
    w.district_a.save()
    w.school_a.name = SCHOOL
    w.school_a.save()
    w.college.name = COLLEGE
    w.college.save()
    w.para.first_name, w.para.last_name = PARA_FIRST, FORMULA
    w.para.save()  # also a history row whose diff shows the names
    w.users["pc"].full_name = PC_NAME
    w.users["pc"].save()
    w.users["dc_own"].full_name = DC_NAME
    w.users["dc_own"].save()
    w.once("gamma", lambda w: DistrictFactory(name=NEW_DISTRICT, slug="gamma"))
    unlinked = staff_with_liaison_email(w)
    unlinked.first_name = UNLINKED_FIRST
    unlinked.save()
    w.users["liaison"].full_name = LIAISON_NAME
    w.users["liaison"].save()
    w.once("passkey", _passkey)
    # Sign-in attempts record whatever was typed as the email.
    AccessAttempt.objects.create(
        username=ATTACKER, ip_address="10.66.0.1", user_agent="x", failures_since_start=5
    )


def _passkey(w) -> Authenticator:
    """A passkey of the program coordinator's, named by its owner (the pages read the name)."""
    return Authenticator.objects.create(
        user=w.users["pc"], type=Authenticator.Type.WEBAUTHN, data={"name": PASSKEY}
    )


def _url(name: str, *args) -> object:
    return lambda w: reverse(name, args=[a(w) for a in args])


def _job(w):
    from pilot.models import Job

    return w.once(
        "job",
        lambda w: Job.objects.create(
            owner=w.users["pc"], label=f"End-of-pilot report PDF, {w.cohort.name}", runner="x"
        ),
    )


PAGES = {
    "passkey list": Page(_url("mfa_list_webauthn"), [PASSKEY]),
    "passkey rename": Page(
        _url("mfa_edit_webauthn", lambda w: w.once("passkey", _passkey).pk), [PASSKEY]
    ),
    "passkey removal": Page(
        _url("mfa_remove_webauthn", lambda w: w.once("passkey", _passkey).pk), [PASSKEY]
    ),
    "job progress": Page(lambda w: reverse("pilot:job-detail", args=[_job(w).uuid]), [COHORT]),
    "downloads": Page(lambda w: _job(w) and reverse("pilot:job-list"), [COHORT]),
    "dashboard as program coordinator": Page(_url("pilot:dashboard"), [PC_NAME]),
    "dashboard as district coordinator": Page(
        _url("pilot:dashboard"), [DC_NAME, DISTRICT], persona="dc_own"
    ),
    "dashboard as paraprofessional": Page(
        _url("pilot:dashboard"), [PARA_FIRST, SCHOOL, DISTRICT], persona="para"
    ),
    "cohort list": Page(_url("pilot:cohort-list"), [COHORT, DISTRICT]),
    "cohort edit form": Page(_url("pilot:cohort-update", lambda w: w.cohort.uuid), [COHORT]),
    "cohort enroll form": Page(
        _url("pilot:cohort-enroll", lambda w: w.cohort.uuid), [COHORT, NEW_DISTRICT]
    ),
    "district list": Page(_url("pilot:district-list"), [DISTRICT]),
    "district page": Page(
        _url("pilot:district-detail", lambda w: w.district_a.slug),
        [DISTRICT, CONTACT, SCHOOL, COHORT],
    ),
    "district edit form": Page(
        _url("pilot:district-update", lambda w: w.district_a.slug), [DISTRICT, CONTACT]
    ),
    "school add form": Page(_url("pilot:school-create", lambda w: w.district_a.slug), [DISTRICT]),
    "school edit form": Page(_url("pilot:school-update", lambda w: w.school_a.uuid), [SCHOOL]),
    "staff list": Page(_url("pilot:staff-list"), [PARA_FIRST, SCHOOL, DISTRICT]),
    "staff list searched": Page(lambda w: reverse("pilot:staff-list") + "?q=Pat", [PARA_FIRST]),
    "staff page with history": Page(
        _url("pilot:staff-detail", lambda w: w.para.uuid), [PARA_FIRST, SCHOOL, DISTRICT]
    ),
    "staff edit form": Page(
        _url("pilot:staff-update", lambda w: w.para.uuid), [PARA_FIRST, SCHOOL, DISTRICT]
    ),
    "staff add form": Page(_url("pilot:staff-create"), [SCHOOL, DISTRICT]),
    "link an existing sign-in": Page(
        _url("pilot:staff-link-account", lambda w: staff_with_liaison_email(w).uuid),
        [UNLINKED_FIRST, LIAISON_NAME, SCHOOL, DISTRICT],
    ),
    "link my sign-in (emailed link)": Page(
        lambda w: reverse(
            "pilot:account-link",
            args=[link_token(staff=staff_with_liaison_email(w), user=w.users["liaison"])],
        ),
        [UNLINKED_FIRST, SCHOOL, DISTRICT],
        persona="liaison",
    ),
    "role list": Page(_url("pilot:role-list"), [DC_NAME, DISTRICT, COLLEGE]),
    "role assign form": Page(_url("pilot:role-create"), [DISTRICT, COLLEGE]),
    "sign-in lockouts": Page(_url("pilot:lockout-list"), [ATTACKER]),
}
