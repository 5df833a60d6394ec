"""The fictional pilot that `seed_demo` builds: districts, schools, staff and sign-ins.

Deterministic (a seeded random generator) and idempotent (rows are found by their
natural keys before they are made), so running it twice changes nothing.
"""

import random
from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from django.db.models import QuerySet
from simple_history.utils import bulk_create_with_history

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
    # The pilot's first year (two years back) and the paraprofessionals of it who did not
    # stay on as paraprofessionals (hired as teachers, withdrew), by district.
    first_cohort: Cohort | None = None
    alumni: dict[int, list[Staff]] = field(default_factory=dict)


def _user(email: str, full_name: str) -> User:
    user, created = User.objects.get_or_create(email=email, defaults={"full_name": full_name})
    if created or not user.check_password(DEMO_PASSWORD):
        user.set_password(DEMO_PASSWORD)
        user.save()
    return user


def _role(user: User, role: str, **scope: object) -> None:
    RoleAssignment.objects.get_or_create(user=user, role=role, **scope)


@dataclass(frozen=True)
class Profile:
    """How big the seeded program is."""

    copies: int  # how many times the eight demo districts repeat
    schools_per_district: int | None  # None: two to four, as in the demo
    teachers_per_school: int
    paras_per_school: int


def profile_for(scale: str | int) -> Profile:
    if str(scale) == "state":
        # ~150 districts, 1,800 schools, 12,600 teachers, 14,400 paraprofessionals.
        return Profile(
            copies=19, schools_per_district=12, teachers_per_school=7, paras_per_school=8
        )
    return Profile(
        copies=int(scale), schools_per_district=None, teachers_per_school=3, paras_per_school=3
    )


@transaction.atomic
def seed_core(scale: str | int = 1, seed: int = 2026) -> DemoWorld:
    rng = random.Random(seed)
    profile = profile_for(scale)
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
    first, _ = Cohort.objects.get_or_create(
        name="2024–2025 Pilot",
        defaults={
            "starts_on": date(2024, 8, 1),
            "ends_on": date(2025, 6, 30),
            "status": Cohort.Status.CLOSED,
        },
    )
    districts = _seed_districts(profile, cohort, past)
    _seed_schools_and_staff(districts, profile, rng)
    world = DemoWorld(rng, profile.copies, cohort, past, college, districts)
    _seed_sign_ins(world)
    world.first_cohort = first
    world.alumni = _seed_first_year(districts, first)
    return world


# The first year ran in the first four demo districts (in every copy); each also had
# paraprofessionals who are no longer paraprofessionals there: ALUMNI per district.
FIRST_YEAR_DISTRICTS = 4
ALUMNI = 4
ALUMNI_ID = "A"  # their employee ids start so; the other generated staff's with "E"


def without_alumni(staff: QuerySet[Staff]) -> QuerySet[Staff]:
    """``staff`` less the first year's alumni: the other seeds pair and enroll the staff
    of today's schools, the same on every run whatever became of the alumni."""
    return staff.exclude(employee_id__startswith=ALUMNI_ID)


def _seed_first_year(districts: list[District], first: Cohort) -> dict[int, list[Staff]]:
    """The first cohort's districts and its alumni (records of their own, made as
    paraprofessionals; ``demo.pathways`` records what became of them). Its own generator,
    so the staff and choices above are unchanged."""
    rng = random.Random("core:first-year")
    taking_part = [d for i, d in enumerate(districts) if i % len(DISTRICTS) < FIRST_YEAR_DISTRICTS]
    CohortEnrollment.objects.bulk_create(
        [
            CohortEnrollment(cohort=first, district=d, enrolled_on=date(2024, 8, 1))
            for d in taking_part
        ],
        ignore_conflicts=True,
        batch_size=1000,
    )
    schools = {}
    for school in School.objects.filter(district__in=taking_part).order_by("name", "id"):
        schools.setdefault(school.district_id, school)
    wanted = {
        f"{ALUMNI_ID}{district.pk:05d}{k:02d}": (district, k)
        for district in taking_part
        for k in range(ALUMNI)
    }
    existing = set(
        Staff.objects.filter(employee_id__in=wanted).values_list("employee_id", flat=True)
    )
    batch = []
    for employee_id, (district, _k) in wanted.items():
        first_name, last_name = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        if employee_id in existing:
            continue
        batch.append(
            Staff(
                district=district,
                school=schools[district.pk],
                role=Staff.Role.PARAPROFESSIONAL,
                first_name=first_name,
                last_name=last_name,
                email=f"{first_name}.{last_name}.{employee_id}@{district.slug}.k12.test".lower(),
                employee_id=employee_id,
            )
        )
    _create_staff(batch)
    alumni: dict[int, list[Staff]] = {}
    for member in (
        Staff.objects.filter(employee_id__in=wanted)
        .select_related("district", "school")
        .order_by("employee_id")
    ):
        alumni.setdefault(member.district_id, []).append(member)
    return alumni


def _seed_districts(profile: Profile, cohort: Cohort, past: Cohort) -> list[District]:
    wanted = []
    for copy in range(profile.copies):
        suffix = "" if copy == 0 else f"-{copy + 1}"
        for index, (name, slug, state) in enumerate(DISTRICTS):
            wanted.append(
                District(
                    slug=slug + suffix,
                    name=name + (f" {copy + 1}" if copy else ""),
                    state=state,
                    contact_name=f"{FIRST_NAMES[index]} {LAST_NAMES[index]}",
                    contact_email=f"pilot@{slug}{suffix}.k12.test",
                )
            )
    existing = set(District.objects.values_list("slug", flat=True))
    District.objects.bulk_create([d for d in wanted if d.slug not in existing], batch_size=500)
    by_slug = District.objects.in_bulk([d.slug for d in wanted], field_name="slug")
    districts = [by_slug[d.slug] for d in wanted]
    enrollments = [
        CohortEnrollment(cohort=cohort, district=d, enrolled_on=date(2026, 8, 1)) for d in districts
    ] + [
        CohortEnrollment(cohort=past, district=d, enrolled_on=date(2025, 8, 1))
        for i, d in enumerate(districts)
        if i % len(DISTRICTS) < 6
    ]
    CohortEnrollment.objects.bulk_create(enrollments, ignore_conflicts=True, batch_size=1000)
    return districts


def _school_shapes(index: int, profile: Profile) -> list[tuple[str, str]]:
    if profile.schools_per_district is None:
        return SCHOOL_NAMES[: 2 + (index % len(DISTRICTS)) % 3]  # two to four schools
    shapes = []
    for n in range(profile.schools_per_district):
        name, band = SCHOOL_NAMES[n % len(SCHOOL_NAMES)]
        shapes.append(
            (name if n < len(SCHOOL_NAMES) else f"{name} {n // len(SCHOOL_NAMES) + 1}", band)
        )
    return shapes


def _seed_schools_and_staff(
    districts: list[District], profile: Profile, rng: random.Random
) -> None:
    existing = set(School.objects.values_list("district_id", "name"))
    new_schools = []
    for index, district in enumerate(districts):
        for n, (name, band) in enumerate(_school_shapes(index, profile)):
            if (district.id, name) not in existing:
                new_schools.append(
                    School(
                        district=district,
                        name=name,
                        grade_band=band,
                        support_model=School.SupportModel.PARA_LED
                        if n % 2 == 0
                        else School.SupportModel.TEACHER_LED,
                    )
                )
    School.objects.bulk_create(new_schools, batch_size=1000)
    staffed = set(Staff.objects.values_list("school_id", flat=True).distinct())
    schools = (
        School.objects.filter(district__in=districts)
        .exclude(id__in=staffed)
        .select_related("district")
        .order_by("id")
    )
    batch: list[Staff] = []
    per_school = profile.teachers_per_school + profile.paras_per_school
    for school in schools.iterator(chunk_size=2000):
        for k in range(per_school):
            role = (
                Staff.Role.TEACHER
                if k < profile.teachers_per_school
                else Staff.Role.PARAPROFESSIONAL
            )
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            batch.append(
                Staff(
                    district=school.district,
                    school=school,
                    role=role,
                    first_name=first,
                    last_name=last,
                    email=f"{first}.{last}.{school.pk}-{k}@{school.district.slug}.k12.test".lower(),
                    employee_id=f"E{school.pk:05d}{k:02d}",
                )
            )
        if len(batch) >= 5000:
            _create_staff(batch)
            batch = []
    _create_staff(batch)


def _create_staff(batch: list[Staff]) -> None:
    """Bulk-created, each with its first history record (people keep a change history)."""
    if batch:
        bulk_create_with_history(batch, Staff, batch_size=1000, default_change_reason="demo data")


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
