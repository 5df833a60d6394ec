"""The coursework demo data: idempotent, and para@demo.test has real progress."""

import pytest
from django.urls import reverse

from coursework.models import (
    Course,
    Enrollment,
    ModuleCompletion,
    Offering,
    PlanDeclaration,
    TransferCredit,
)
from demo import coursework as demo
from demo.core import seed_core

pytestmark = pytest.mark.django_db

MODELS = [Course, Offering, Enrollment, ModuleCompletion, TransferCredit, PlanDeclaration]


def counts():
    return {m.__name__: m.objects.count() for m in MODELS}


def test_demo_is_idempotent_and_covers_every_state(client):
    world = seed_core()
    demo.seed(world)
    first = counts()
    demo.seed(seed_core())
    assert counts() == first

    assert 10 <= first["Course"] <= 15
    statuses = set(Enrollment.objects.values_list("status", flat=True))
    assert statuses == {"enrolled", "completed", "withdrawn", "incomplete"}
    demo_paras = Enrollment.objects.filter(para__email__in=["para@demo.test", "para2@demo.test"])
    assert set(demo_paras.values_list("status", flat=True)) == statuses
    assert TransferCredit.objects.filter(verified_at__isnull=True).exists()
    assert TransferCredit.objects.filter(verified_at__isnull=False).exists()

    client.force_login(world.users["para@demo.test"])
    page = client.get(reverse("coursework:progress")).content.decode()
    assert "Toward Paraeducator Certificate" in page
    assert "9 of 17 credits earned" in page

    client.force_login(world.users["college@demo.test"])
    page = client.get(reverse("pilot:dashboard")).content.decode()
    assert "EDU 150 Multi-Tiered Systems of Support" in page  # ended, waiting for grades
