"""Demo coursework: Prairie Valley Community College's education catalog, a certificate and
an associate degree, offerings with blended modules, enrollments in every state, and
transfer credit. Idempotent (rows are found by natural keys first) and deterministic.

Last year, most paraprofessionals of the districts in that cohort passed or failed a course
or two, so the reports can line growth up with coursework.

``para@demo.test`` has a declared certificate plan with real progress: credit earned
last year, courses in progress this fall (one ended and waiting for its grade), a
withdrawal and a D, and transfer credit both verified and awaiting verification.
"""

import random
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from django.db import transaction
from simple_history.utils import bulk_create_with_history

from coursework.models import (
    BlockCourse,
    Course,
    CourseDomain,
    DegreePlan,
    Delivery,
    Enrollment,
    Module,
    ModuleCompletion,
    Offering,
    PlanDeclaration,
    RequirementBlock,
    TransferCredit,
)
from demo.core import DemoWorld, without_alumni
from pilot.models import Staff
from pilot.questions import PilotQuestion

TODAY = date(2026, 11, 24)
CS, EN, CM = (
    PilotQuestion.CLASSROOM_SUPPORT,
    PilotQuestion.ENGAGEMENT,
    PilotQuestion.CLASSROOM_MANAGEMENT,
)
ONLINE, IN_PERSON, BLENDED = Delivery.ONLINE, Delivery.IN_PERSON, Delivery.BLENDED

# code, title, credit hours, delivery, targeted pilot questions, description
COURSES = [
    ("EDU 101", "Introduction to Education", "3", BLENDED, [EN],
     "The profession of teaching: schools, roles, ethics and the path to licensure."),
    ("EDU 110", "Foundations of the Paraeducator", "3", BLENDED, [CS, EN],
     "The paraeducator's role on the instructional team, confidentiality and communication."),
    ("EDU 115", "Child Growth and Development", "3", ONLINE, [CS],
     "Physical, cognitive and social development from birth through adolescence."),
    ("EDU 120", "Classroom Management and Positive Behavior Support", "3", BLENDED, [CM],
     "Routines, expectations and de-escalation; supporting the teacher's behavior plan."),
    ("EDU 130", "Supporting Early Literacy", "3", BLENDED, [CS],
     "Phonemic awareness, phonics and fluency practice in small groups."),
    ("EDU 135", "Math Intervention for Small Groups", "3", IN_PERSON, [CS],
     "Number sense and problem solving with manipulatives for Tier 2 groups."),
    ("EDU 140", "Exceptional Learners", "3", ONLINE, [CS, CM],
     "Disabilities, IEPs, accommodations and working with special educators."),
    ("EDU 150", "Multi-Tiered Systems of Support", "2", BLENDED, [CS, CM],
     "MTSS and RTI: tiers, progress monitoring and who leads which intervention."),
    ("EDU 210", "Instructional Technology for the Classroom", "2", ONLINE, [EN],
     "Learning platforms, assistive technology and digital citizenship."),
    ("EDU 220", "Paraeducator Practicum", "1", IN_PERSON, [CS, EN, CM],
     "Supervised field experience with a mentor teacher, with reflective seminars."),
    ("EDU 245", "Diversity and Equity in Education", "3", ONLINE, [EN],
     "Culturally responsive practice and family partnerships."),
    ("ENG 105", "Composition I", "3", ONLINE, [],
     "Academic writing: thesis, evidence, revision."),
    ("PSY 111", "Introduction to Psychology", "3", ONLINE, [],
     "Behavior, learning, memory and development."),
    ("MAT 120", "Mathematics for Elementary Teachers", "3", BLENDED, [CS],
     "Number systems and operations taught for understanding."),
]  # fmt: skip

# name, kind, total, description, blocks (name, credits, open?, course codes)
PLANS = [
    (
        "Paraeducator Certificate",
        DegreePlan.Kind.CERTIFICATE,
        "17",
        "A one-year certificate for working paraeducators; its courses transfer into the "
        "associate degree.",
        [
            ("Paraeducator core", "11", False, ["EDU 110", "EDU 120", "EDU 130", "EDU 150"]),
            ("Education electives", "6", True, []),
        ],
    ),
    (
        "Associate of Arts in Education",
        DegreePlan.Kind.ASSOCIATE,
        "60",
        "The first two years toward a teaching license; transfers to Iowa's public universities.",
        [
            (
                "Education core",
                "21",
                False,
                ["EDU 101", "EDU 110", "EDU 115", "EDU 120", "EDU 140", "EDU 150", "EDU 245"],
            ),
            ("General education", "27", False, ["ENG 105", "PSY 111", "MAT 120"]),
            ("Electives", "12", True, []),
        ],
    ),
]

# term, cohort ("past"/"current"), start, end, course codes
TERMS = [
    ("Fall 2025", "past", date(2025, 8, 25), date(2025, 12, 12),
     ["EDU 101", "EDU 115", "EDU 110", "ENG 105"]),
    ("Spring 2026", "past", date(2026, 1, 20), date(2026, 5, 15),
     ["EDU 120", "EDU 140", "EDU 210", "PSY 111"]),
    ("Fall 2026 (first 8 weeks)", "current", date(2026, 8, 24), date(2026, 10, 16),
     ["EDU 150", "EDU 220"]),
    ("Fall 2026", "current", date(2026, 8, 24), date(2026, 12, 11),
     ["EDU 110", "EDU 115", "EDU 130", "EDU 245"]),
    ("Spring 2027", "current", date(2027, 1, 19), date(2027, 5, 14),
     ["EDU 120", "EDU 130", "EDU 135", "EDU 140"]),
]  # fmt: skip
INSTRUCTORS = [
    "Dr. Janet Kowalski",
    "Prof. Luis Ortega",
    "Dr. Amara Okafor",
    "Prof. Beth Lindqvist",
]
MODULE_TITLES = [
    ("Orientation and course goals", Module.Mode.ONLINE),
    ("Observing in the classroom", Module.Mode.IN_PERSON),
    ("Reading and reflection", Module.Mode.ONLINE),
    ("Practice with a small group", Module.Mode.IN_PERSON),
    ("Case study discussion", Module.Mode.ONLINE),
    ("Final project and presentation", Module.Mode.IN_PERSON),
]

# The story of para@demo.test: (term, course code, grade); "" means still enrolled.
PARA_STORY = [
    ("Fall 2025", "EDU 101", "A"),
    ("Fall 2025", "EDU 115", "B"),
    ("Spring 2026", "EDU 120", "B"),
    ("Spring 2026", "EDU 140", "W"),
    ("Spring 2026", "EDU 210", "D"),
    ("Fall 2026 (first 8 weeks)", "EDU 150", ""),  # ended: waiting for its grade
    ("Fall 2026", "EDU 110", ""),
    ("Spring 2027", "EDU 130", ""),
]
PARA2_STORY = [
    ("Fall 2025", "ENG 105", "C"),
    ("Spring 2026", "PSY 111", "F"),
    ("Fall 2026 (first 8 weeks)", "EDU 220", "P"),
    ("Fall 2026", "EDU 115", ""),
    ("Fall 2026", "EDU 245", "I"),
]
PAST_GRADES = ["A", "A", "B", "B", "B", "C", "C", "D", "F", "P", "W", "I"]


def _rng(*key: object) -> random.Random:
    """A generator seeded by a record's natural key: the same choices on every run, however
    much of ``world.rng`` other apps' seeds have used, so a second run adds nothing."""
    return random.Random(":".join(["coursework", *map(str, key)]))


@transaction.atomic
def seed(world: DemoWorld) -> None:
    courses = _catalog(world)
    plans = _plans(world, courses)
    offerings = _offerings(world, courses)
    _modules(offerings)
    paras = list(
        without_alumni(
            Staff.objects.filter(
                role=Staff.Role.PARAPROFESSIONAL, district__in=world.districts, is_active=True
            )
        )
        .exclude(email__in=["para@demo.test", "para2@demo.test"])
        .order_by("id")
    )
    para = world.staff["para@demo.test"]
    para2 = world.staff["para2@demo.test"]
    _story(para, PARA_STORY, offerings)
    _story(para2, PARA2_STORY, offerings)
    _enroll_others(world, paras, offerings)
    _past_catch_up(world, paras, offerings)
    _complete_modules(world, offerings)
    choices = list(plans.values())
    _declare(
        [
            (para, plans["Paraeducator Certificate"]),
            (para2, plans["Associate of Arts in Education"]),
        ]
        + [(other, choices[n % 2]) for n, other in enumerate(paras[: max(10, len(paras) // 3)])]
    )
    _transfer_credit(world, para, para2, courses)


def _catalog(world: DemoWorld) -> dict[str, Course]:
    courses: dict[str, Course] = {}
    for code, title, hours, delivery, domains, description in COURSES:
        course, created = Course.objects.get_or_create(
            college=world.college,
            code=code,
            defaults={
                "title": title,
                "credit_hours": Decimal(hours),
                "delivery": delivery,
                "description": description,
            },
        )
        if created:
            CourseDomain.objects.bulk_create(CourseDomain(course=course, domain=d) for d in domains)
        courses[code] = course
    return courses


def _plans(world: DemoWorld, courses: dict[str, Course]) -> dict[str, DegreePlan]:
    plans: dict[str, DegreePlan] = {}
    for name, kind, total, description, blocks in PLANS:
        plan, created = DegreePlan.objects.get_or_create(
            college=world.college,
            name=name,
            defaults={"kind": kind, "total_credits": Decimal(total), "description": description},
        )
        plans[name] = plan
        if not created:
            continue
        for order, (block_name, credits, is_open, codes) in enumerate(blocks, start=1):
            block = RequirementBlock.objects.create(
                plan=plan,
                name=block_name,
                credits_required=Decimal(credits),
                order=order,
                is_open=is_open,
            )
            BlockCourse.objects.bulk_create(
                BlockCourse(block=block, plan=plan, course=courses[c]) for c in codes
            )
    return plans


def _sections(world: DemoWorld) -> dict[int, str]:
    """Each copy of the eight demo districts studies in its own section ("01", "02", ...),
    so offerings keep class-sized rosters at any scale."""
    per_copy = len(world.districts) // max(1, world.scale)
    return {d.pk: f"{i // max(1, per_copy) + 1:02d}" for i, d in enumerate(world.districts)}


def _offerings(world: DemoWorld, courses: dict[str, Course]) -> dict[tuple, Offering]:
    """Offerings by (term, course code, section), made in bulk where missing."""
    sections = sorted(set(_sections(world).values()))
    wanted: dict[tuple, Offering] = {}
    n = 0
    for term, which, starts, ends, codes in TERMS:
        cohort = world.past_cohort if which == "past" else world.cohort
        for code in codes:
            for section in sections:
                wanted[(term, code, section)] = Offering(
                    course=courses[code],
                    cohort=cohort,
                    term=term,
                    section=section,
                    starts_on=starts,
                    ends_on=ends,
                    instructor=INSTRUCTORS[n % len(INSTRUCTORS)],
                )
                n += 1

    def existing() -> dict[tuple, Offering]:
        rows = Offering.objects.filter(course__college=world.college).select_related("course")
        return {(o.term, o.course.code, o.section): o for o in rows}

    have = existing()
    Offering.objects.bulk_create(
        [o for key, o in wanted.items() if key not in have], batch_size=1000
    )
    have = existing()
    return {key: have[key] for key in wanted}


def _modules(offerings: dict[tuple, Offering]) -> None:
    have = set(Module.objects.filter(offering__in=offerings.values()).values_list("offering_id"))
    new = []
    for offering in offerings.values():
        if (offering.pk,) in have:
            continue
        count = 4 if (offering.ends_on - offering.starts_on).days < 70 else 6
        span = (offering.ends_on - offering.starts_on).days
        for i, (title, mode) in enumerate(MODULE_TITLES[:count], start=1):
            new.append(
                Module(
                    offering=offering,
                    title=title,
                    mode=mode,
                    order=i,
                    due_on=offering.starts_on + timedelta(days=span * i // count),
                )
            )
    Module.objects.bulk_create(new)


def _enrollment(offering: Offering, grade: str, para: Staff) -> Enrollment:
    status = Enrollment.status_for(grade)
    return Enrollment(
        para=para,
        offering=offering,
        grade=grade,
        status=status,
        completed_on=offering.ends_on if status == Enrollment.Status.COMPLETED else None,
    )


def _story(para: Staff, story: list, offerings: dict[tuple, Offering]) -> None:
    have = set(Enrollment.objects.filter(para=para).values_list("offering_id", flat=True))
    new = [
        _enrollment(offerings[(term, code, "01")], grade, para)
        for term, code, grade in story
        if offerings[(term, code, "01")].pk not in have
    ]
    bulk_create_with_history(new, Enrollment, default_change_reason="demo data")


def _enroll_others(world: DemoWorld, paras: list[Staff], offerings: dict) -> None:
    """Most paraprofessionals take one to three courses: past ones graded on the whole
    scale, the ended eight-week course partly graded, current and future ones open."""
    past_districts = set(world.past_cohort.enrollments.values_list("district_id", flat=True))
    current_districts = set(world.cohort.enrollments.values_list("district_id", flat=True))
    have = set(
        Enrollment.objects.filter(offering__in=offerings.values()).values_list(
            "para_id", "offering_id"
        )
    )
    new = []
    by_term: dict[tuple[str, str], list[Offering]] = {}
    for (term, _code, section), offering in offerings.items():
        by_term.setdefault((term, section), []).append(offering)
    section_of = _sections(world)
    for para in paras:
        rng = _rng(para.email)
        if rng.random() < 0.2:
            continue  # not every paraprofessional takes courses
        section = section_of[para.district_id]

        def offered(term: str, rng=rng, section=section) -> Offering:
            return rng.choice(by_term[(term, section)])

        picks: list[tuple[Offering, str]] = []
        if para.district_id in past_districts and rng.random() < 0.6:
            for term in ("Fall 2025", "Spring 2026"):
                picks.append((offered(term), rng.choice(PAST_GRADES)))
        if para.district_id in current_districts:
            eight_weeks = offered("Fall 2026 (first 8 weeks)")
            if rng.random() < 0.5:
                picks.append((eight_weeks, rng.choice(["", "", "A", "B", "P"])))
            picks.append((offered("Fall 2026"), rng.choice(["", "", "", "W"])))
            if rng.random() < 0.4:
                picks.append((offered("Spring 2027"), ""))
        for offering, grade in picks:
            if (para.pk, offering.pk) in have:
                continue
            have.add((para.pk, offering.pk))
            new.append(_enrollment(offering, grade, para))
    bulk_create_with_history(new, Enrollment, batch_size=2000, default_change_reason="demo data")


CATCH_UP_GRADES = ["A", "B", "B", "C", "P", "D", "W"]


def _past_catch_up(world: DemoWorld, paras: list[Staff], offerings: dict) -> None:
    """Last year, most paraprofessionals who had taken no course took one in the spring,
    so the reports can set growth next to coursework in groups of five or more."""
    past_districts = set(world.past_cohort.enrollments.values_list("district_id", flat=True))
    studied = set(
        Enrollment.objects.filter(offering__cohort=world.past_cohort).values_list(
            "para_id", flat=True
        )
    )
    section_of = _sections(world)
    spring = {}
    for (term, _code, section), offering in offerings.items():
        if term == "Spring 2026":
            spring.setdefault(section, []).append(offering)
    new = []
    for para in paras:
        if para.district_id not in past_districts or para.pk in studied:
            continue
        rng = _rng("catch-up", para.email)
        if rng.random() < 0.25:
            continue
        offering = rng.choice(sorted(spring[section_of[para.district_id]], key=lambda o: o.pk))
        new.append(_enrollment(offering, rng.choice(CATCH_UP_GRADES), para))
    bulk_create_with_history(new, Enrollment, batch_size=2000, default_change_reason="demo data")


def _complete_modules(world: DemoWorld, offerings: dict) -> None:
    """Modules already due in this year's offerings are mostly done by those enrolled."""
    current = [
        o for o in offerings.values() if o.cohort_id == world.cohort.pk and o.starts_on <= TODAY
    ]
    modules = list(Module.objects.filter(offering__in=current, due_on__lte=TODAY))
    by_offering: dict[int, list[Module]] = {}
    for m in modules:
        by_offering.setdefault(m.offering_id, []).append(m)
    done = set(
        ModuleCompletion.objects.filter(offering__in=current).values_list(
            "enrollment_id", "module_id"
        )
    )
    new = []
    enrollments = Enrollment.objects.filter(
        offering__in=current, status__in=[Enrollment.Status.ENROLLED, Enrollment.Status.COMPLETED]
    ).order_by("id")
    for e in enrollments:
        rng = _rng(e.para_id, e.offering_id)
        due = sorted(by_offering.get(e.offering_id, []), key=lambda m: m.order)
        kept_up = len(due)
        if e.status == Enrollment.Status.ENROLLED:  # some fall behind from a module on
            kept_up = next((i for i in range(len(due)) if rng.random() < 0.2), len(due))
        for m in due[:kept_up]:
            if (e.pk, m.pk) in done:
                continue
            new.append(
                ModuleCompletion(
                    enrollment=e, module=m, offering_id=e.offering_id, completed_on=m.due_on
                )
            )
    ModuleCompletion.objects.bulk_create(new, batch_size=5000)


def _declare(pairs: list[tuple[Staff, DegreePlan]]) -> None:
    have = set(PlanDeclaration.objects.values_list("para_id", flat=True))
    bulk_create_with_history(
        [
            PlanDeclaration(para=para, plan=plan, declared_on=date(2026, 8, 15))
            for para, plan in pairs
            if para.pk not in have
        ],
        PlanDeclaration,
        batch_size=2000,
        default_change_reason="demo data",
    )


def _transfer_credit(world: DemoWorld, para: Staff, para2: Staff, courses: dict) -> None:
    liaison = world.users.get("college@demo.test")
    verified_at = datetime(2026, 9, 2, 15, 0, tzinfo=UTC)
    rows = [
        # para, institution, title, hours, completed, equivalent course, verified?
        (para, "Des Moines Area Community College", "General Psychology", "3",
         date(2019, 5, 10), "PSY 111", True),
        (para, "Des Moines Area Community College", "Public Speaking", "3",
         date(2019, 12, 13), None, True),
        (para, "Iowa State University", "College Algebra", "3", date(2021, 5, 7), None, False),
        (para2, "Kirkwood Community College", "Composition II", "3",
         date(2020, 5, 8), None, False),
    ]  # fmt: skip
    for who, institution, title, hours, completed, code, verified in rows:
        TransferCredit.objects.get_or_create(
            para=who,
            course_title=title,
            institution=institution,
            defaults={
                "college": world.college,
                "credit_hours": Decimal(hours),
                "completed_on": completed,
                "equivalent_course": courses[code] if code else None,
                "verified_at": verified_at if verified else None,
                "verified_by": liaison if verified else None,
            },
        )
