"""factory-boy factories for every model the tests build."""

from datetime import date, timedelta

import factory
from factory.django import DjangoModelFactory

from pilot.models import (
    Cohort,
    CohortEnrollment,
    College,
    District,
    ImportRun,
    RoleAssignment,
    School,
    Staff,
    User,
)

PASSWORD = "a-long-test-password"


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.test")
    full_name = factory.Faker("name")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):  # noqa: N805
        if create:
            obj.save()


class CohortFactory(DjangoModelFactory):
    class Meta:
        model = Cohort

    name = factory.Sequence(lambda n: f"Cohort {2000 + n}")
    starts_on = date(2026, 8, 1)
    ends_on = date(2027, 6, 30)
    status = Cohort.Status.ACTIVE


class DistrictFactory(DjangoModelFactory):
    class Meta:
        model = District

    name = factory.Sequence(lambda n: f"District {n}")
    slug = factory.Sequence(lambda n: f"district-{n}")
    state = "IA"


class SchoolFactory(DjangoModelFactory):
    class Meta:
        model = School

    district = factory.SubFactory(DistrictFactory)
    name = factory.Sequence(lambda n: f"School {n}")
    grade_band = School.GradeBand.ELEMENTARY
    support_model = School.SupportModel.PARA_LED


class CollegeFactory(DjangoModelFactory):
    class Meta:
        model = College

    name = factory.Sequence(lambda n: f"College {n}")
    slug = factory.Sequence(lambda n: f"college-{n}")


class CohortEnrollmentFactory(DjangoModelFactory):
    class Meta:
        model = CohortEnrollment

    cohort = factory.SubFactory(CohortFactory)
    district = factory.SubFactory(DistrictFactory)
    enrolled_on = factory.LazyAttribute(lambda o: o.cohort.starts_on)


class StaffFactory(DjangoModelFactory):
    class Meta:
        model = Staff

    school = factory.SubFactory(SchoolFactory)
    district = factory.LazyAttribute(lambda o: o.school.district)
    role = Staff.Role.TEACHER
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.Sequence(lambda n: f"staff{n}@school.test")
    employee_id = factory.Sequence(lambda n: f"E{n:05d}")


class TeacherFactory(StaffFactory):
    role = Staff.Role.TEACHER


class ParaFactory(StaffFactory):
    role = Staff.Role.PARAPROFESSIONAL


class RoleAssignmentFactory(DjangoModelFactory):
    class Meta:
        model = RoleAssignment

    user = factory.SubFactory(UserFactory)
    role = RoleAssignment.Role.PROGRAM_COORDINATOR


# --- mentoring ---------------------------------------------------------------------


class PairingFactory(DjangoModelFactory):
    """A pairing in one district: pass ``teacher`` and/or ``paraprofessional`` (Staff)."""

    class Meta:
        model = "mentoring.Pairing"

    cohort = factory.SubFactory(CohortFactory)
    teacher = factory.SubFactory(TeacherFactory)
    paraprofessional = factory.SubFactory(
        ParaFactory, school=factory.SelfAttribute("..teacher.school")
    )
    district = factory.LazyAttribute(lambda o: o.teacher.district)
    starts_on = factory.LazyAttribute(lambda o: o.cohort.starts_on)
    ends_on = factory.LazyAttribute(lambda o: o.cohort.ends_on)
    focus_areas = factory.LazyFunction(lambda: ["classroom_support"])


class SupportRoleFactory(DjangoModelFactory):
    class Meta:
        model = "mentoring.SupportRole"

    pairing = factory.SubFactory(PairingFactory)
    role = "small_group"
    tier = 2


class MentoringSessionFactory(DjangoModelFactory):
    class Meta:
        model = "mentoring.MentoringSession"

    pairing = factory.SubFactory(PairingFactory)
    held_on = factory.LazyAttribute(lambda o: o.pairing.starts_on)
    minutes = 45
    focus_areas = factory.LazyFunction(lambda: ["classroom_support"])
    notes = factory.Sequence(lambda n: f"Private session note {n}")
    next_steps = "Try the new grouping."
    logged_by = factory.LazyAttribute(lambda o: o.pairing.teacher)


class GoalFactory(DjangoModelFactory):
    class Meta:
        model = "mentoring.Goal"

    pairing = factory.SubFactory(PairingFactory)
    focus_area = "classroom_management"
    text = factory.Sequence(lambda n: f"Private goal text {n}")
    target_on = factory.LazyAttribute(lambda o: o.pairing.ends_on)
    set_by = factory.LazyAttribute(lambda o: o.pairing.teacher)


# --- imports -----------------------------------------------------------------------


class ImportRunFactory(DjangoModelFactory):
    """A previewed import with no rows; tests that need real rows use
    ``pilot.imports.services.preview``."""

    class Meta:
        model = ImportRun

    owner = factory.SubFactory(UserFactory)
    owner_email = factory.LazyAttribute(lambda o: o.owner.email)
    kind = "staff"
    file_name = factory.Sequence(lambda n: f"staff-{n}.csv")


# --- observations ------------------------------------------------------------------


def current_rubric():
    """The current rubric (version 1 from the data migration, re-made if flushed)."""
    from observations.services import ensure_rubric

    return ensure_rubric()


class ObservationFactory(DjangoModelFactory):
    """An observation with a rating row per indicator of its rubric.

    ``scores=3`` rates every indicator 3; ``scores={"effective-feedback": 2, ...}`` rates
    by indicator key (others unrated); the default leaves every indicator unrated.
    ``submitted=True`` submits it afterwards (it is then read-only).
    """

    class Meta:
        model = "observations.Observation"
        skip_postgeneration_save = True

    pairing = factory.SubFactory(PairingFactory)
    kind = "baseline"
    observed_on = factory.LazyAttribute(lambda o: o.pairing.starts_on + timedelta(days=14))
    rubric = factory.LazyFunction(current_rubric)
    strengths = "Gives calm, clear directions during small-group reading."

    @factory.post_generation
    def scores(obj, create, extracted, **kwargs):  # noqa: N805
        if not create:
            return
        from observations.models import Rating

        for indicator in obj.rubric.indicators.all():
            score = extracted.get(indicator.key) if isinstance(extracted, dict) else extracted
            Rating.objects.create(
                observation=obj,
                indicator=indicator,
                score=score,
                evidence=f"Seen during the lesson ({indicator.key})." if score else "",
            )

    @factory.post_generation
    def submitted(obj, create, extracted, **kwargs):  # noqa: N805
        if create and extracted:
            from django.utils import timezone

            obj.status = "submitted"
            obj.submitted_at = timezone.now()
            obj.save()


# --- coursework -------------------------------------------------------------------------

from decimal import Decimal  # noqa: E402

from coursework.models import (  # noqa: E402
    BlockCourse,
    Course,
    DegreePlan,
    Delivery,
    Enrollment,
    Module,
    Offering,
    RequirementBlock,
    TransferCredit,
)


class CourseFactory(DjangoModelFactory):
    class Meta:
        model = Course

    college = factory.SubFactory(CollegeFactory)
    code = factory.Sequence(lambda n: f"EDU {100 + n}")
    title = factory.Sequence(lambda n: f"Education course {n}")
    credit_hours = Decimal("3.0")
    delivery = Delivery.BLENDED


class OfferingFactory(DjangoModelFactory):
    class Meta:
        model = Offering

    course = factory.SubFactory(CourseFactory)
    cohort = factory.SubFactory(CohortFactory)
    term = factory.Sequence(lambda n: f"Term {n}")
    starts_on = date(2026, 8, 24)
    ends_on = date(2026, 12, 11)
    instructor = "Dr. Test"


class ModuleFactory(DjangoModelFactory):
    class Meta:
        model = Module

    offering = factory.SubFactory(OfferingFactory)
    title = factory.Sequence(lambda n: f"Module {n}")
    mode = Module.Mode.ONLINE
    order = factory.Sequence(lambda n: n + 1)


class EnrollmentFactory(DjangoModelFactory):
    """An open enrollment; pass grade= to make it final (status and date follow)."""

    class Meta:
        model = Enrollment

    para = factory.SubFactory(ParaFactory)
    offering = factory.SubFactory(OfferingFactory)
    grade = ""
    status = factory.LazyAttribute(lambda o: Enrollment.status_for(o.grade))
    completed_on = factory.LazyAttribute(
        lambda o: o.offering.ends_on if o.status == Enrollment.Status.COMPLETED else None
    )


class TransferCreditFactory(DjangoModelFactory):
    class Meta:
        model = TransferCredit

    para = factory.SubFactory(ParaFactory)
    college = factory.SubFactory(CollegeFactory)
    institution = "Elsewhere Community College"
    course_title = factory.Sequence(lambda n: f"Transferred course {n}")
    credit_hours = Decimal("3.0")


class DegreePlanFactory(DjangoModelFactory):
    class Meta:
        model = DegreePlan

    college = factory.SubFactory(CollegeFactory)
    name = factory.Sequence(lambda n: f"Plan {n}")
    kind = DegreePlan.Kind.CERTIFICATE
    total_credits = Decimal("12.0")


class RequirementBlockFactory(DjangoModelFactory):
    class Meta:
        model = RequirementBlock
        skip_postgeneration_save = True

    plan = factory.SubFactory(DegreePlanFactory)
    name = factory.Sequence(lambda n: f"Block {n}")
    credits_required = Decimal("6.0")

    @factory.post_generation
    def courses(obj, create, extracted, **kwargs):  # noqa: N805
        for course in extracted or ():
            BlockCourse.objects.create(block=obj, plan=obj.plan, course=course)


# --- reports ----------------------------------------------------------------------------

from django.utils import timezone  # noqa: E402


class QuoteFactory(DjangoModelFactory):
    """A quotable comment of an observation, approved by default (what reports may quote)."""

    class Meta:
        model = "observations.Quote"

    observation = factory.SubFactory(ObservationFactory)
    comment = "strengths"
    text = factory.LazyAttribute(lambda o: o.observation.strengths)
    status = "approved"
    consented_by = factory.LazyAttribute(lambda o: o.observation.pairing.teacher.user)
    decided_at = factory.LazyAttribute(lambda o: None if o.status == "pending" else timezone.now())
