"""``ManyOptionsSelect``, the select of long lists (the state's 152 districts) rendered in
Python: the same HTML as Django's own select, in the report filter, the pairing list's
filter and the unpaired staff's."""

import re
from html.parser import HTMLParser

import pytest
from django import forms
from django.http import QueryDict
from django.urls import reverse

from mentoring.forms import PairingFilter, UnpairedFilterForm
from pilot.forms.widgets import ManyOptionsSelect
from pilot.models import Cohort, District
from portal.reports.forms import ReportFilterForm, filter_data
from portal.reports.program import cohort_choices

from .factories import CohortFactory, DistrictFactory

pytestmark = pytest.mark.django_db


class _Parsed(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.items: list = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.items.append((tag, sorted(attrs)))  # the order of attributes does not matter

    def handle_endtag(self, tag: str) -> None:
        self.items.append(f"/{tag}")

    def handle_data(self, data: str) -> None:
        if data.strip():
            self.items.append(data.strip())

    def handle_entityref(self, name: str) -> None:
        self.items.append(f"&{name};")

    def handle_charref(self, name: str) -> None:
        self.items.append(f"&#{name};")


def tags(html: object) -> list:
    """The elements, their attributes and text, as a browser reads them."""
    parsed = _Parsed()
    parsed.feed(str(html))
    return parsed.items


def as_djangos(form: forms.Form, *names: str) -> None:
    """Give ``form``'s fields Django's own select (same attributes and choices)."""
    for name in names:
        field = form.fields[name]
        assert isinstance(field.widget, ManyOptionsSelect)
        field.widget = forms.Select(attrs=field.widget.attrs)
        field.widget.choices = field.choices


def test_the_report_filter_renders_as_djangos_select(world) -> None:
    CohortFactory(name="Cohort <B> & co")
    DistrictFactory(name="O'Brien & Sons", slug="obrien")
    user = world.users["pc"]
    for query in (f"district={world.district_b.slug}", "", "district=nowhere"):
        data = filter_data(QueryDict(query), world.cohort)
        ours = ReportFilterForm(data, user=user, cohorts=cohort_choices(user))
        djangos = ReportFilterForm(data, user=user, cohorts=cohort_choices(user))
        as_djangos(djangos, "cohort", "district")
        ours.full_clean()
        djangos.full_clean()
        for name in ("cohort", "district"):
            assert tags(ours[name]) == tags(djangos[name]), (query, name)
    assert "Cohort &lt;B&gt; &amp; co" in str(ours["cohort"])
    assert "O&#x27;Brien &amp; Sons" in str(ours["district"])
    # A refused district shows as invalid, as Django's would.
    assert 'aria-invalid="true"' in str(ours["district"])


def test_the_pairing_and_unpaired_filters_render_as_djangos_select(world) -> None:
    cohorts, districts = Cohort.objects.all(), District.objects.all()
    for data in ({"district": world.district_a.slug}, {}, {"district": "nowhere"}):
        ours = PairingFilter(data, cohorts=cohorts, districts=districts)
        djangos = PairingFilter(data, cohorts=cohorts, districts=districts)
        as_djangos(djangos.form, "district")
        assert tags(ours.form["district"]) == tags(djangos.form["district"])
        ours = UnpairedFilterForm(data, cohorts=cohorts, districts=districts)
        djangos = UnpairedFilterForm(data, cohorts=cohorts, districts=districts)
        as_djangos(djangos, "district")
        assert tags(ours["district"]) == tags(djangos["district"])
        if data == {"district": world.district_a.slug}:
            assert '<option value="alpha" selected>Alpha District</option>' in str(ours["district"])


def test_the_pairing_list_filters_by_a_chosen_district(world, login) -> None:
    client = login(world.users["pc"])
    html = client.get(reverse("mentoring:pairing-list"), {"district": "beta"}).content.decode()
    select = re.search(r'<select name="district"[^>]*>.*?</select>', html, re.S)[0]
    assert "form-select" in select and 'id="id_district"' in select
    assert '<option value="beta" selected>Beta District</option>' in select
    assert '<option value="">Any district</option>' in select
