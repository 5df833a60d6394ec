"""The coursework policies, action by action: which persona may take each write, and that
each policy is the one registered for its model."""

import pytest
from django.urls import reverse

from coursework.access import COURSES, ENROLLMENTS, LEARNERS, OFFERINGS, PLANS, TRANSFER_CREDITS
from coursework.models import Course, DegreePlan, Enrollment, Offering, TransferCredit
from pilot.access import policy_for
from tests.factories import (
    CourseFactory,
    EnrollmentFactory,
    OfferingFactory,
    TransferCreditFactory,
)

pytestmark = pytest.mark.django_db

PERSONAS = ("pc", "dc_own", "liaison", "teacher", "para")


def allowed(world, policy, action, obj=None) -> set[str]:
    return {name for name in PERSONAS if policy.allows(world.users[name], action, obj)}


def test_each_model_has_its_policy_registered():
    assert policy_for(Course) is COURSES
    assert policy_for(DegreePlan) is PLANS
    assert policy_for(Offering) is OFFERINGS
    assert policy_for(Enrollment) is ENROLLMENTS
    assert policy_for(TransferCredit) is TRANSFER_CREDITS
    assert policy_for("coursework.Learner") is LEARNERS


def test_only_the_liaison_of_the_college_keeps_its_offerings(world):
    own = OfferingFactory(course=CourseFactory(college=world.college))
    foreign = OfferingFactory()  # another college's course
    for action in ("edit", "enroll", "grade"):
        assert allowed(world, OFFERINGS, action, own) == {"liaison"}, action
        assert allowed(world, OFFERINGS, action, foreign) == set(), action
    assert allowed(world, OFFERINGS, "add") == {"liaison"}
    assert allowed(world, OFFERINGS, "delete", own) == set()  # no such action


def test_only_the_paraprofessional_marks_modules_of_their_open_enrollment(world):
    offering = OfferingFactory(course=CourseFactory(college=world.college))
    open_one = EnrollmentFactory(offering=offering, para=world.para)
    assert allowed(world, ENROLLMENTS, "mark_module", open_one) == {"para"}
    graded = EnrollmentFactory(offering=OfferingFactory(), para=world.para, grade="A")
    assert allowed(world, ENROLLMENTS, "mark_module", graded) == set()
    someone_else = EnrollmentFactory(offering=offering, para=world.para_b)
    assert allowed(world, ENROLLMENTS, "mark_module", someone_else) == set()


def test_paraprofessionals_submit_transfer_credit_and_its_college_verifies_it(world):
    assert allowed(world, TRANSFER_CREDITS, "submit") == {"para"}
    own = TransferCreditFactory(para=world.para, college=world.college)
    assert allowed(world, TRANSFER_CREDITS, "verify", own) == {"liaison"}
    assert allowed(world, TRANSFER_CREDITS, "verify", TransferCreditFactory()) == set()


def test_the_liaison_edits_their_colleges_catalog_only(world):
    own, foreign = CourseFactory(college=world.college), CourseFactory()
    assert allowed(world, COURSES, "edit", own) == {"liaison"}
    assert allowed(world, COURSES, "edit", foreign) == set()
    assert allowed(world, COURSES, "add") == {"liaison"}


def test_only_the_paraprofessional_declares_their_own_plan(world):
    assert allowed(world, LEARNERS, "declare_plan", world.para) == {"para"}
    assert allowed(world, LEARNERS, "declare_plan", world.para_b) == set()


@pytest.mark.parametrize("action", ["edit", "enroll", "grade"])
def test_the_offering_pages_ask_the_policy_before_a_write(world, login, monkeypatch, action):
    """Refused by the policy, the page is a 403 even for the liaison who sees the record."""
    offering = OfferingFactory(course=CourseFactory(college=world.college))
    client = login(world.users["liaison"])
    name = {"edit": "offering-update", "enroll": "offering-enroll", "grade": "offering-grades"}
    target = reverse(f"coursework:{name[action]}", args=[offering.uuid])
    assert client.get(target).status_code == 200
    real = OFFERINGS.allows
    monkeypatch.setattr(OFFERINGS, "allows", lambda u, a, o=None: a != action and real(u, a, o))
    assert client.get(target).status_code == 403
