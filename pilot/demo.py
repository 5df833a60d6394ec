"""The fictional pilot that `seed_demo` builds: districts, schools, staff and sign-ins.

Deterministic (a seeded random generator) and idempotent (rows are found by their
natural keys before they are made), so running it twice changes nothing.
"""

import random
from dataclasses import dataclass, field
from datetime import date

from django.db import transaction

from pilot.models import (
    Cohort,
    CohortEnrollment,
    College,
    District,
    RoleAssignment,
    School,
    Staff,
    User,
)

DEMO_PASSWORD = "pilot-demo"  # noqa: S105 - documented demo sign-in

DISTRICTS = [
    ("Cedar Valley Community Schools", "cedar-valley", "IA"),
    ("Prairie Ridge School District", "prairie-ridge", "IA"),
    ("North Fork Unified", "north-fork", "IA"),
    ("Maple Grove Public Schools", "maple-grove", "IA"),
    ("Riverbend Independent Schools", "riverbend", "IA"),
    ("Stone Creek School District", "stone-creek", "IA"),
    ("Willow Lake Consolidated", "willow-lake", "IA"),
    ("Harbor Heights Schools", "harbor-heights", "IA"),
]
SCHOOL_NAMES = [
    ("Lincoln Elementary", "elementary"),
    ("Jefferson Middle School", "middle"),
    ("Roosevelt High School", "high"),
    ("Washington Elementary", "elementary"),
    ("Hawthorne K-8", "k8"),
    ("Oak Park Elementary", "elementary"),
]
FIRST_NAMES = [
    "Maria",
    "James",
    "Aisha",
    "Daniel",
    "Sofia",
    "Michael",
    "Grace",
    "Luis",
    "Hannah",
    "Kevin",
    "Priya",
    "Marcus",
    "Emily",
    "Jamal",
    "Olivia",
    "Carlos",
    "Leah",
    "Tyrone",
    "Mei",
    "Samuel",
    "Rosa",
    "Ethan",
    "Fatima",
    "Noah",
    "Chloe",
    "Andre",
    "Ruth",
    "Victor",
]
LAST_NAMES = [
    "Garcia",
    "Johnson",
    "Nguyen",
    "Smith",
    "Patel",
    "Brown",
    "Martinez",
    "Lee",
    "Davis",
    "Hernandez",
    "Wilson",
    "Anderson",
    "Thomas",
    "Moore",
    "Jackson",
    "White",
    "Lopez",
    "Harris",
    "Clark",
    "Lewis",
    "Robinson",
    "Walker",
    "Young",
    "Allen",
    "King",
    "Wright",
]

SIGN_INS = [
    ("coordinator@demo.test", "program coordinator"),
    ("district@demo.test", "district coordinator of the first district"),
    ("college@demo.test", "college liaison"),
    ("teacher@demo.test", "teacher in the first district, mentoring two paraprofessionals"),
    ("para@demo.test", "paraprofessional paired with teacher@demo.test"),
    ("teacher2@demo.test", "teacher in the second district"),
    ("para2@demo.test", "paraprofessional paired with teacher2@demo.test"),
]


@dataclass
class DemoWorld:
    """What the core seed made, handed to each app's seed in turn."""

    rng: random.Random
    scale: int
    cohort: Cohort
    past_cohort: Cohort
    college: College
    districts: list[District]
    users: dict[str, User] = field(default_factory=dict)
    staff: dict[str, Staff] = field(default_factory=dict)  # demo staff by email


def _user(email: str, full_name: str) -> User:
    user, created = User.objects.get_or_create(email=email, defaults={"full_name": full_name})
    if created or not user.check_password(DEMO_PASSWORD):
        user.set_password(DEMO_PASSWORD)
        user.save()
    return user


def _role(user: User, role: str, **scope: object) -> None:
    RoleAssignment.objects.get_or_create(user=user, role=role, **scope)


@transaction.atomic
def seed_core(scale: int = 1, seed: int = 2026) -> DemoWorld:
    rng = random.Random(seed)
    cohort, _ = Cohort.objects.get_or_create(
        name="2026–2027 Pilot",
        defaults={
            "starts_on": date(2026, 8, 1),
            "ends_on": date(2027, 6, 30),
            "status": Cohort.Status.ACTIVE,
        },
    )
    past, _ = Cohort.objects.get_or_create(
        name="2025–2026 Pilot",
        defaults={
            "starts_on": date(2025, 8, 1),
            "ends_on": date(2026, 6, 30),
            "status": Cohort.Status.CLOSED,
        },
    )
    college, _ = College.objects.get_or_create(
        slug="prairie-valley-cc",
        defaults={"name": "Prairie Valley Community College", "city": "Des Moines"},
    )

    districts: list[District] = []
    for copy in range(scale):
        for index, (name, slug, state) in enumerate(DISTRICTS):
            suffix = "" if copy == 0 else f"-{copy + 1}"
            district, _ = District.objects.get_or_create(
                slug=slug + suffix,
                defaults={
                    "name": name + (f" {copy + 1}" if copy else ""),
                    "state": state,
                    "contact_name": f"{FIRST_NAMES[index]} {LAST_NAMES[index]}",
                    "contact_email": f"pilot@{slug}{suffix}.k12.test",
                },
            )
            districts.append(district)
            CohortEnrollment.objects.get_or_create(
                cohort=cohort, district=district, defaults={"enrolled_on": date(2026, 8, 1)}
            )
            if index < 6:
                CohortEnrollment.objects.get_or_create(
                    cohort=past, district=district, defaults={"enrolled_on": date(2025, 8, 1)}
                )
            _seed_schools_and_staff(district, index, rng)

    world = DemoWorld(rng, scale, cohort, past, college, districts)
    _seed_sign_ins(world)
    return world


def _seed_schools_and_staff(district: District, index: int, rng: random.Random) -> None:
    school_count = 2 + (index % 3)  # two to four schools
    existing = {s.name: s for s in district.schools.all()}
    for n, (school_name, band) in enumerate(SCHOOL_NAMES[:school_count]):
        school = existing.get(school_name) or School.objects.create(
            district=district,
            name=school_name,
            grade_band=band,
            support_model=School.SupportModel.PARA_LED
            if n % 2 == 0
            else School.SupportModel.TEACHER_LED,
        )
        if school.staff.exists():
            continue
        staff = []
        for k in range(6):
            role = Staff.Role.TEACHER if k < 3 else Staff.Role.PARAPROFESSIONAL
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            staff.append(
                Staff(
                    district=district,
                    school=school,
                    role=role,
                    first_name=first,
                    last_name=last,
                    email=f"{first}.{last}.{school.pk}{k}@{district.slug}.k12.test".lower(),
                    employee_id=f"E{school.pk:04d}{k:02d}",
                )
            )
        Staff.objects.bulk_create(staff)


def _demo_staff(
    email: str, first: str, last: str, role: str, district: District, world: DemoWorld
) -> Staff:
    user = _user(email, f"{first} {last}")
    school = district.schools.order_by("name").first()
    member, _ = Staff.objects.get_or_create(
        district=district,
        email=email,
        defaults={
            "school": school,
            "role": role,
            "first_name": first,
            "last_name": last,
            "employee_id": "DEMO-" + email.split("@")[0].upper(),
            "user": user,
        },
    )
    world.users[email] = user
    world.staff[email] = member
    return member


def _seed_sign_ins(world: DemoWorld) -> None:
    first, second = world.districts[0], world.districts[1]
    world.users["coordinator@demo.test"] = coordinator = _user(
        "coordinator@demo.test", "Dana Whitfield"
    )
    _role(coordinator, RoleAssignment.Role.PROGRAM_COORDINATOR)
    world.users["district@demo.test"] = district_user = _user("district@demo.test", "Marcus Ortega")
    _role(district_user, RoleAssignment.Role.DISTRICT_COORDINATOR, district=first)
    world.users["college@demo.test"] = liaison = _user("college@demo.test", "Helen Park")
    _role(liaison, RoleAssignment.Role.COLLEGE_LIAISON, college=world.college)
    teacher, para = Staff.Role.TEACHER, Staff.Role.PARAPROFESSIONAL
    _demo_staff("teacher@demo.test", "Teresa", "Alvarez", teacher, first, world)
    _demo_staff("para@demo.test", "Paul", "Okafor", para, first, world)
    _demo_staff("teacher2@demo.test", "Tom", "Reilly", teacher, second, world)
    _demo_staff("para2@demo.test", "Pam", "Desai", para, second, world)
