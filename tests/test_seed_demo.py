import pytest
from django.core.management import CommandError, call_command

from pilot.access import principal
from pilot.models import District, Staff, User

pytestmark = pytest.mark.django_db

SIGN_INS = [
    "coordinator@demo.test",
    "district@demo.test",
    "college@demo.test",
    "teacher@demo.test",
    "para@demo.test",
    "teacher2@demo.test",
    "para2@demo.test",
]


def counts() -> dict[str, int]:
    from django.apps import apps

    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.app_label in {"pilot", "mentoring", "coursework", "observations", "pathways"}
        and model._meta.label != "pilot.AuditEntry"
    }


def test_seed_twice_is_idempotent_and_creates_sign_ins(settings) -> None:
    settings.DEBUG = True
    call_command("seed_demo", verbosity=0)
    first = counts()
    call_command("seed_demo", verbosity=0)
    assert counts() == first
    assert District.objects.count() == 8
    schools_per_district = [d.schools.count() for d in District.objects.all()]
    assert all(2 <= n <= 4 for n in schools_per_district)
    for email in SIGN_INS:
        user = User.objects.get(email=email)
        assert user.check_password("pilot-demo")
    p = principal(User.objects.get(email="coordinator@demo.test"))
    assert p.is_program_coordinator
    assert principal(User.objects.get(email="district@demo.test")).district_ids
    assert principal(User.objects.get(email="college@demo.test")).is_college_liaison
    teacher = Staff.objects.get(email="teacher@demo.test")
    para = Staff.objects.get(email="para@demo.test")
    assert teacher.role == "teacher" and para.role == "paraprofessional"
    assert teacher.district == para.district
    assert Staff.objects.get(email="teacher2@demo.test").district != teacher.district


def test_seed_refuses_with_debug_off_unless_forced(settings) -> None:
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG off"):
        call_command("seed_demo", verbosity=0)
    assert not User.objects.exists()
    call_command("seed_demo", "--force", verbosity=0)
    assert User.objects.filter(email="coordinator@demo.test").exists()
