"""``pilot.links.each_url``: a URL reversed once, then filled in for each record, is the
URL ``reverse`` gives; and the cohort list's links use it."""

import uuid

import pytest
from django.urls import reverse

from pilot.links import each_url

from .factories import CohortEnrollmentFactory, DistrictFactory


def test_each_url_is_what_reverse_gives() -> None:
    district = each_url("pilot:district-detail", "district-slug")
    for slug in ("alpha", "district-slug-2", "x_y"):
        assert district(slug) == reverse("pilot:district-detail", args=[slug])
    withdraw = each_url("pilot:cohort-withdraw", str(uuid.UUID(int=0)))
    for value in (uuid.uuid4(), uuid.UUID(int=0)):
        assert withdraw(value) == reverse("pilot:cohort-withdraw", args=[value])


def test_a_marker_that_is_not_in_the_url_is_refused() -> None:
    with pytest.raises(ValueError):
        each_url("pilot:district-detail", "districts")  # also the path's own word


@pytest.mark.django_db
def test_the_cohort_list_links_each_district_and_its_withdrawal(world, login) -> None:
    gamma = DistrictFactory(name="Gamma District", slug="gamma")
    enrollment = CohortEnrollmentFactory(cohort=world.cohort, district=gamma)
    html = login(world.users["pc"]).get(reverse("pilot:cohort-list")).content.decode()
    assert (
        f'<a href="{reverse("pilot:district-detail", args=["gamma"])}">Gamma District</a>' in html
    )
    withdraw = reverse("pilot:cohort-withdraw", args=[enrollment.uuid])
    assert f'href="{withdraw}">Withdraw<span class="visually-hidden"> Gamma District' in html
