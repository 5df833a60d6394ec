"""The demo holds observations in every state, growth for last year's pairings, and each
sign-in sees its part."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from mentoring.models import Pairing
from observations import queries
from observations.models import Acknowledgement, Observation, Quote, Reopening
from pilot.models import User

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(settings):
    settings.DEBUG = True
    call_command("seed_demo", verbosity=0)


def test_demo_has_every_state_and_growth(demo):
    observations = Observation.objects.all()
    assert observations.filter(status="draft").exists()
    assert observations.filter(status="submitted", acknowledgement__isnull=True).exists()
    assert Acknowledgement.objects.exists()
    reopened = Reopening.objects.get().observation
    assert reopened.status == "draft" and not hasattr(reopened, "acknowledgement")
    assert {q.status for q in Quote.objects.all()} >= {"approved", "pending"}
    growth = queries.growth_by_pairing(Pairing.objects.all())
    # Last year's pairings were observed; the demo's first year (2024–2025) carries
    # milestones, not observations.
    completed = Pairing.objects.filter(status="completed", cohort__name="2025–2026 Pilot")
    assert completed.exists()
    assert set(growth.values_list("pk", flat=True)) == set(completed.values_list("pk", flat=True))
    assert all(row["change"] > 0 for row in queries.growth_by_domain(Pairing.objects.all()))


def test_each_sign_in_sees_its_part(demo, client):
    def page(email: str, url: str):
        client.force_login(User.objects.get(email=email))
        response = client.get(url)
        assert response.status_code == 200, (email, url)
        return response

    index = reverse("observations:index")
    teacher = page("teacher@demo.test", index)
    forms = [f for _, row in teacher.context["due_rows"] for f in row]
    assert {f.state for f in forms} >= {"submitted", "draft", "missing"}
    assert "Observation forms due" in page("teacher@demo.test", "/").content.decode()

    para = page("para@demo.test", index)
    own = list(para.context["own_observations"])
    assert {o.kind for o in own} == {"baseline", "mid", "end"}  # last year's and this year's
    assert any(not Acknowledgement.objects.filter(observation=o).exists() for o in own)
    assert "Please read and acknowledge it." in page("para@demo.test", "/").content.decode()
    last_year = Pairing.objects.get(
        paraprofessional__email="para@demo.test", cohort__name="2025–2026 Pilot"
    )
    growth = page("para@demo.test", reverse("observations:growth", args=[last_year.uuid]))
    assert growth.context["scores"].has_growth

    coordinator = page("coordinator@demo.test", index)
    assert coordinator.context["tracker_totals"]["no_baseline"] > 0
    assert coordinator.context["pending_quote_count"] > 0
    district = page("district@demo.test", index)
    assert len(district.context["tracker_rows"]) == 1

    teacher2 = page("teacher2@demo.test", index)
    assert teacher2.context["teacher_observations"].count() == 2
