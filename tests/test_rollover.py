"""The year rollover: /cohorts/<uuid>/rollover/ carries a cohort's districts and continuing
pairings into next year's cohort, all or nothing, once."""

import re
import uuid
from datetime import date
from html.parser import HTMLParser
from urllib.parse import urlencode

import pytest
from django.core.exceptions import NON_FIELD_ERRORS
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mentoring import services as mentoring
from mentoring.models import Pairing, SupportRole
from pilot.models import Cohort, CohortEnrollment, Staff
from pilot.services import program

from .factories import CohortFactory, PairingFactory, ParaFactory, SchoolFactory, TeacherFactory

pytestmark = pytest.mark.django_db


def pairings(world) -> dict[str, Pairing]:
    """Alpha's pair and Beta's pair continue; one pairing ended early and one
    paraprofessional left: those two do not."""
    alpha = PairingFactory(
        cohort=world.cohort,
        teacher=world.teacher,
        paraprofessional=world.para,
        district=world.district_a,
        focus_areas=["classroom_support"],
    )
    SupportRole.objects.create(pairing=alpha, role="small_group", tier=2)
    beta = PairingFactory(
        cohort=world.cohort,
        teacher=world.teacher_b,
        paraprofessional=world.para_b,
        district=world.district_b,
    )
    quit_para = ParaFactory(school=world.school_a, first_name="Quinn", last_name="Early")
    ended = PairingFactory(
        cohort=world.cohort,
        teacher=world.teacher,
        paraprofessional=quit_para,
        district=world.district_a,
        status=Pairing.Status.ENDED_EARLY,
        closed_on=world.cohort.starts_on,
        end_reason="Took a job elsewhere.",
    )
    gone = ParaFactory(school=world.school_a, first_name="Gale", last_name="Gone")
    left = PairingFactory(
        cohort=world.cohort, teacher=world.teacher, paraprofessional=gone, district=world.district_a
    )
    gone.is_active = False
    gone.save()
    return {"alpha": alpha, "beta": beta, "ended": ended, "left": left}


def url(cohort) -> str:
    return reverse("pilot:cohort-rollover", args=[cohort.uuid])


def box(pairing: Pairing) -> str:
    """The name of a continuing pairing's teacher box."""
    return f"t{pairing.pk}"


def label(teacher: Staff) -> str:
    """A teacher as the box shows them and the district's list suggests them."""
    return f"{teacher.last_name}, {teacher.first_name} · {teacher.employee_id}"


def confirm_data(world, found: dict[str, Pairing], **changes) -> dict:
    """What the preview's form sends unchanged: every box with its teacher."""
    data = {
        "name": "2027–2028 Pilot",
        "starts_on": "2027-08-01",
        "ends_on": "2028-06-30",
        "districts": [world.district_a.pk, world.district_b.pk],
        box(found["alpha"]): label(world.teacher),
        box(found["beta"]): label(world.teacher_b),
    }
    return data | changes


class Page(HTMLParser):
    """What a user sees of the rollover page's form: each input (by name) with its
    attributes, each message under a box (by the box's name), each datalist's options, and
    which district sections are open."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.inputs: dict[str, dict[str, str]] = {}
        self.labels: dict[str, str] = {}
        self.datalists: dict[str, list[str]] = {}
        self.errors: dict[str, str] = {}
        self.open_sections: list[str] = []
        self._in: tuple[str, str] | None = None
        self._text: list[str] = []
        self._datalist = ""
        self._details_open = False
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list) -> None:
        named = dict(attrs)
        if tag == "input" and named.get("name"):
            self.inputs[named["name"]] = {k: v or "" for k, v in named.items()}
        elif tag == "datalist":
            self._datalist = named["id"]
            self.datalists[self._datalist] = []
        elif tag == "option" and self._datalist:
            self.datalists[self._datalist].append(named["value"])
        elif tag == "label" and named.get("for"):
            self._in, self._text = ("label", named["for"]), []
        elif tag == "div" and (named.get("id") or "").endswith("-error"):
            self._in, self._text = ("error", named["id"].removesuffix("-error")), []
        elif tag == "details" and "rollover-district" in (named.get("class") or ""):
            self._details_open = "open" in named
        elif tag == "summary" and self._details_open:
            self._in, self._text = ("summary", ""), []

    def handle_data(self, data: str) -> None:
        if self._in:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "datalist":
            self._datalist = ""
        if self._in and tag in ("label", "div", "summary"):
            kind, name = self._in
            text = " ".join("".join(self._text).split())
            if kind == "label":
                self.labels[name] = text
            elif kind == "error":
                self.errors[name] = text
            else:
                self.open_sections.append(text)
            self._in = None

    @property
    def boxes(self) -> dict[str, dict[str, str]]:
        """The teacher boxes, one per continuing pairing (``t`` and the pairing's id)."""
        return {name: attrs for name, attrs in self.inputs.items() if re.fullmatch(r"t\d+", name)}


def counts() -> tuple[int, int, int]:
    return Cohort.objects.count(), CohortEnrollment.objects.count(), Pairing.objects.count()


def test_preview_lists_what_carries_over_and_what_does_not(world, login) -> None:
    found = pairings(world)
    page = login(world.users["pc"]).get(url(world.cohort))
    assert page.status_code == 200
    form = page.context["form"]
    assert form["name"].initial == "2027–2028 Pilot"
    assert form["starts_on"].initial == date(2027, 8, 1)
    assert form["ends_on"].initial == date(2028, 6, 30)
    html = page.content.decode()
    shown = Page(html)
    # Both districts ticked.
    ticked = {attrs["value"] for attrs in _all_inputs(html, "districts") if "checked" in attrs}
    assert ticked == {str(world.district_a.pk), str(world.district_b.pk)}
    # One box per continuing pairing, labelled with the paraprofessional, holding this
    # year's teacher and suggesting the teachers of the pairing's own district.
    boxes = shown.boxes
    assert set(boxes) == {box(found["alpha"]), box(found["beta"])}
    alpha = boxes[box(found["alpha"])]
    assert alpha["value"] == label(world.teacher)
    assert shown.labels[alpha["id"]] == f"Mentor teacher of {world.para.full_name}"
    assert label(world.teacher) in shown.datalists[alpha["list"]]
    assert label(world.teacher_b) not in shown.datalists[alpha["list"]]
    assert label(world.teacher_b) in shown.datalists[boxes[box(found["beta"])]["list"]]
    # One list per district, not one per pairing.
    assert len(shown.datalists) == 2
    reasons = {c.pairing_id: c.reason for c in page.context["stopping"]}
    assert reasons == {
        found["ended"].pk: "The pairing ended early: Took a job elsewhere.",
        found["left"].pk: "Gale Gone is no longer active.",
    }
    assert "The pairing ended early: Took a job elsewhere." in html
    assert "Gale Gone is no longer active." in html
    assert counts() == (1, 2, 4)  # a preview writes nothing


def _all_inputs(html: str, name: str) -> list[dict[str, str | None]]:
    """Every input called ``name`` (the district checkboxes share one)."""
    found: list[dict[str, str | None]] = []

    class Inputs(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list) -> None:
            named = dict(attrs)
            if tag == "input" and named.get("name") == name:
                found.append(named)

    Inputs().feed(html)
    return found


def test_confirm_creates_the_cohort_its_districts_and_the_pairings(world, login) -> None:
    found = pairings(world)
    other = TeacherFactory(school=world.school_a, first_name="Olive", last_name="Other")
    client = login(world.users["pc"])
    # The coordinator types (or picks from the district's list) another teacher of Alpha.
    data = confirm_data(world, found, **{box(found["alpha"]): label(other)})
    response = client.post(url(world.cohort), data)
    assert response.status_code == 302
    new = Cohort.objects.get(name="2027–2028 Pilot")
    assert (new.starts_on, new.ends_on, new.status) == (
        date(2027, 8, 1),
        date(2028, 6, 30),
        Cohort.Status.PLANNING,
    )
    assert set(new.enrollments.values_list("district__slug", "enrolled_on")) == {
        ("alpha", date(2027, 8, 1)),
        ("beta", date(2027, 8, 1)),
    }
    carried = {p.paraprofessional_id: p for p in Pairing.objects.filter(cohort=new)}
    assert set(carried) == {world.para.pk, world.para_b.pk}
    alpha = carried[world.para.pk]
    assert alpha.teacher == other and alpha.focus_areas == ["classroom_support"]
    assert (alpha.starts_on, alpha.ends_on) == (new.starts_on, new.ends_on)
    assert [(r.role, r.tier) for r in alpha.support_roles.all()] == [("small_group", 2)]
    assert carried[world.para_b.pk].teacher == world.teacher_b


def test_unticked_district_and_left_for_repairing_are_not_carried(world, login) -> None:
    found = pairings(world)
    client = login(world.users["pc"])
    data = confirm_data(
        world,
        found,
        districts=[world.district_a.pk],
        **{box(found["alpha"]): ""},
    )
    response = client.post(url(world.cohort), data, follow=True)
    assert "1 left for re-pairing" in response.content.decode()
    new = Cohort.objects.get(name="2027–2028 Pilot")
    assert list(new.enrollments.values_list("district__slug", flat=True)) == ["alpha"]
    assert not Pairing.objects.filter(cohort=new).exists()
    # The preview says why Beta's pair does not continue once Beta is unticked.
    world_preview = mentoring.rollover_pairings(cohort=world.cohort, carried={world.district_a.pk})
    beta = next(c for c in world_preview if c.pairing_id == found["beta"].pk)
    assert beta.reason == "Beta District does not carry over."


def test_second_confirm_creates_nothing(world, login) -> None:
    found = pairings(world)
    client = login(world.users["pc"])
    client.post(url(world.cohort), confirm_data(world, found))
    after_first = counts()
    again = client.post(url(world.cohort), confirm_data(world, found, name="Another name"))
    assert again.status_code == 200
    assert again.context["form"].non_field_errors() == [
        f"2027–2028 Pilot already follows {world.cohort}: only the latest cohort rolls over."
    ]
    assert counts() == after_first
    # The preview says so at once, too.
    preview = client.get(url(world.cohort))
    assert "only the latest cohort rolls over" in preview.content.decode()


def test_a_refused_pairing_mid_way_undoes_everything(world, login) -> None:
    found = pairings(world)
    client = login(world.users["pc"])
    before = counts()
    # Beta's pairing holds a focus area the program no longer has, so carrying it is
    # refused after Alpha's was carried: Alpha's pairing and the new cohort are undone too.
    Pairing.objects.filter(pk=found["beta"].pk).update(focus_areas=["retired_area"])
    response = client.post(url(world.cohort), confirm_data(world, found))
    assert response.status_code == 200
    shown = Page(response.content.decode())
    assert shown.errors == {
        box(found["beta"]): "Choose focus areas from the pilot's three questions."
    }
    assert shown.inputs[box(found["beta"])]["aria-invalid"] == "true"
    assert shown.open_sections == ["Beta District · 1 pairing · 1 to correct"]
    assert counts() == before


def test_a_crash_mid_way_undoes_everything(world, login, monkeypatch) -> None:
    found = pairings(world)
    client = login(world.users["pc"])
    before = counts()
    carry = mentoring.carry_pairing
    calls = []

    def carry_then_crash(**kwargs) -> Pairing:
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("the database went away")
        return carry(**kwargs)

    monkeypatch.setattr(mentoring, "carry_pairing", carry_then_crash)
    with pytest.raises(RuntimeError):
        client.post(url(world.cohort), confirm_data(world, found))
    assert len(calls) == 2
    assert counts() == before


def test_overlapping_dates_are_refused_on_the_field(world, login) -> None:
    found = pairings(world)
    client = login(world.users["pc"])
    response = client.post(url(world.cohort), confirm_data(world, found, starts_on="2027-06-01"))
    assert (
        response.context["form"]
        .errors["starts_on"][0]
        .startswith(f"These dates overlap {world.cohort} (")
    )
    assert counts() == (1, 2, 4)


def test_only_the_latest_cohort_rolls_over(world) -> None:
    earlier = CohortFactory(
        name="2025–2026 Pilot", starts_on=date(2025, 8, 1), ends_on=date(2026, 6, 30)
    )
    defaults = program.next_year(earlier)
    assert defaults["name"] == "2026–2027 Pilot"
    problems = program.rollover_problems(cohort=earlier, **defaults)
    assert problems[NON_FIELD_ERRORS] == [
        f"{world.cohort} already follows 2025–2026 Pilot: only the latest cohort rolls over."
    ]
    assert problems["name"] == ["Another cohort already has this name."]
    assert "starts_on" not in problems


def test_unknown_cohort_is_404(world, login) -> None:
    client = login(world.users["pc"])
    assert client.get(reverse("pilot:cohort-rollover", args=[uuid.uuid4()])).status_code == 404


def test_cohort_list_offers_start_next_year_on_the_latest_only(world, login) -> None:
    CohortFactory(name="2025–2026 Pilot", starts_on=date(2025, 8, 1), ends_on=date(2026, 6, 30))
    html = login(world.users["pc"]).get(reverse("pilot:cohort-list")).content.decode()
    assert html.count("Start next year") == 1
    assert url(world.cohort) in html
    dc_html = login(world.users["dc_own"]).get(reverse("pilot:cohort-list")).content.decode()
    assert "Start next year" not in dc_html


def test_leaving_paraprofessionals_do_not_continue_with_their_reason(world) -> None:
    found = pairings(world)
    rows = mentoring.rollover_pairings(
        cohort=world.cohort,
        carried={world.district_a.pk, world.district_b.pk},
        leaving={world.para.pk: "Completed the program on June 1, 2027."},
    )
    alpha = next(c for c in rows if c.pairing_id == found["alpha"].pk)
    assert not alpha.continues and alpha.reason == "Completed the program on June 1, 2027."


def grow(world, times: int) -> int:
    """``times`` more of each kind of row in both districts: a pair that continues, one
    whose teacher left (continues, box empty), one that ended early, one whose
    paraprofessional completed the program. Returns how many continue."""
    from pathways.models import CohortStatus

    for _ in range(times):
        for district, school in ((world.district_a, world.school_a), (world.district_b, None)):
            school = school or SchoolFactory(district=district)
            teachers = [TeacherFactory(school=school) for _ in range(3)]
            PairingFactory(
                cohort=world.cohort,
                district=district,
                teacher=teachers[0],
                paraprofessional=ParaFactory(school=school),
            )
            PairingFactory(
                cohort=world.cohort,
                district=district,
                teacher=teachers[1],
                paraprofessional=ParaFactory(school=school),
            )
            Staff.objects.filter(pk=teachers[1].pk).update(is_active=False)
            PairingFactory(
                cohort=world.cohort,
                district=district,
                teacher=teachers[2],
                paraprofessional=ParaFactory(school=school),
                status=Pairing.Status.ENDED_EARLY,
                closed_on=world.cohort.starts_on,
                end_reason="Moved away.",
            )
            done = PairingFactory(
                cohort=world.cohort,
                district=district,
                teacher=teachers[2],
                paraprofessional=ParaFactory(school=school),
            )
            CohortStatus.objects.create(
                para=done.paraprofessional,
                cohort=world.cohort,
                status=CohortStatus.Status.COMPLETED,
                recorded_on=world.cohort.starts_on,
                recorded_by=world.users["pc"],
            )
    return 2 * 2 * times


def test_preview_queries_stay_flat_at_1x_and_10x(
    world, login, django_assert_max_num_queries
) -> None:
    """The preview's queries do not grow with the pairings, districts' teachers or
    statuses: the same at 1x and 10x data, and within the page budget."""
    pairings(world)
    client = login(world.users["pc"])
    counted = []
    continuing = 2
    for times in (1, 9):  # 1x, then 10x in all
        continuing += grow(world, times)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url(world.cohort))
        counted.append(len(queries))
        assert len(Page(response.content.decode()).boxes) == continuing
    assert continuing == 2 + 4 + 36
    assert counted[0] == counted[1], counted
    with django_assert_max_num_queries(14):
        client.get(url(world.cohort))


def test_a_paraprofessional_who_completed_or_withdrew_does_not_continue(world, login) -> None:
    """Their pathway status in the cohort decides: the preview says why they stop."""
    from pathways.models import CohortStatus

    found = pairings(world)
    CohortStatus.objects.create(
        para=found["alpha"].paraprofessional,
        cohort=world.cohort,
        status=CohortStatus.Status.COMPLETED,
        recorded_on=world.cohort.starts_on,
        recorded_by=world.users["pc"],
    )
    CohortStatus.objects.create(
        para=found["beta"].paraprofessional,
        cohort=world.cohort,
        status=CohortStatus.Status.WITHDREW,
        reason=CohortStatus.Reason.FAMILY,
        recorded_on=world.cohort.starts_on,
        recorded_by=world.users["pc"],
    )
    page = login(world.users["pc"]).get(url(world.cohort))
    assert not Page(page.content.decode()).boxes
    assert "No pairing continues." in page.content.decode()
    reasons = {c.pairing_id: c.reason for c in page.context["stopping"]}
    assert reasons[found["alpha"].pk] == "Completed the program"
    assert reasons[found["beta"].pk] == "Withdrew (family or personal reasons)"


def test_changing_a_teacher_in_the_box_carries_the_pair_with_that_teacher(world, login) -> None:
    """Another teacher of the district, typed as the list shows them or by employee id
    alone, in any case and spacing; the untouched box keeps its teacher."""
    found = pairings(world)
    other = TeacherFactory(school=world.school_a, first_name="Olive", last_name="Other")
    beta_other = TeacherFactory(
        school=world.school_b, first_name="Bea", last_name="Bright", employee_id="B-77"
    )
    data = confirm_data(
        world,
        found,
        **{
            box(found["alpha"]): f"  other,   OLIVE · {other.employee_id} ",
            box(found["beta"]): "b-77",
        },
    )
    response = login(world.users["pc"]).post(url(world.cohort), data, follow=True)
    assert "2 pairings carried over." in response.content.decode()
    new = Cohort.objects.get(name="2027–2028 Pilot")
    teachers = dict(Pairing.objects.filter(cohort=new).values_list("paraprofessional", "teacher"))
    assert teachers == {world.para.pk: other.pk, world.para_b.pk: beta_other.pk}


@pytest.mark.parametrize(
    "typed, message",
    [
        (
            "Nobody, Known · X1",
            "No active teacher of Alpha District answers to “Nobody, Known · X1”: choose one "
            "from the list (Last, First · employee id), or empty the box to leave the "
            "paraprofessional for re-pairing.",
        ),
        (
            "beta teacher",  # Beta's teacher, on Alpha's pair
            "works in Beta District, not Alpha District: a pairing joins two people of "
            "one district. Choose a teacher of Alpha District, or empty the box to leave the "
            "paraprofessional for re-pairing.",
        ),
    ],
)
def test_a_name_that_is_no_teacher_of_the_district_is_refused_on_its_row(
    world, login, typed, message
) -> None:
    found = pairings(world)
    if typed == "beta teacher":
        typed = label(world.teacher_b)
        message = f"“{typed}” {message}"
    before = counts()
    data = confirm_data(world, found, **{box(found["alpha"]): typed})
    response = login(world.users["pc"]).post(url(world.cohort), data)
    assert response.status_code == 200
    assert counts() == before  # nothing written: no cohort, enrollment or pairing
    html = response.content.decode()
    shown = Page(html)
    # On Alpha's row, with what was typed kept in the box; Beta's row untouched.
    assert shown.errors == {box(found["alpha"]): message}
    alpha = shown.inputs[box(found["alpha"])]
    assert alpha["value"] == typed
    assert alpha["aria-invalid"] == "true"
    assert alpha["aria-describedby"] == f"{box(found['alpha'])}-error"
    assert shown.inputs[box(found["beta"])]["value"] == label(world.teacher_b)
    # Its district opens; the summary at the top links to the box.
    assert shown.open_sections == ["Alpha District · 1 pairing · 1 to correct"]
    link = f'<a class="alert-link" href="#{box(found["alpha"])}">'
    assert f"{link}Mentor teacher of {world.para.full_name}</a>" in html
    assert "Nothing was created." in html


def test_an_inactive_teacher_or_a_paraprofessional_is_not_a_teacher_to_choose(world, login) -> None:
    found = pairings(world)
    gone = TeacherFactory(school=world.school_a, first_name="Ina", last_name="Active")
    Staff.objects.filter(pk=gone.pk).update(is_active=False)
    for typed in (label(gone), label(world.para)):
        data = confirm_data(world, found, **{box(found["alpha"]): typed})
        response = login(world.users["pc"]).post(url(world.cohort), data)
        assert (
            Page(response.content.decode())
            .errors[box(found["alpha"])]
            .startswith(f"No active teacher of Alpha District answers to “{typed}”")
        )
    assert counts() == (1, 2, 4)


def test_two_teachers_of_one_name_need_the_employee_id(world, login) -> None:
    found = pairings(world)
    TeacherFactory(school=world.school_a, first_name="Sam", last_name="Same")
    second = TeacherFactory(school=world.school_a, first_name="Sam", last_name="Same")
    client = login(world.users["pc"])
    data = confirm_data(world, found, **{box(found["alpha"]): "Same, Sam"})
    error = Page(client.post(url(world.cohort), data).content.decode()).errors
    assert error[box(found["alpha"])].startswith(
        "More than one teacher of Alpha District answers to “Same, Sam”"
    )
    data = confirm_data(world, found, **{box(found["alpha"]): label(second)})
    assert client.post(url(world.cohort), data).status_code == 302
    assert (
        Pairing.objects.get(cohort__name="2027–2028 Pilot", paraprofessional=world.para).teacher
        == second
    )


def test_an_empty_box_leaves_the_paraprofessional_for_repairing(world, login) -> None:
    found = pairings(world)
    data = confirm_data(world, found, **{box(found["beta"]): "   "})
    response = login(world.users["pc"]).post(url(world.cohort), data, follow=True)
    assert (
        "2027–2028 Pilot created with 2 districts and 1 pairing carried over; "
        "1 left for re-pairing."
    ) in response.content.decode()
    new = Cohort.objects.get(name="2027–2028 Pilot")
    assert list(Pairing.objects.filter(cohort=new).values_list("paraprofessional", flat=True)) == [
        world.para.pk
    ]


def test_a_teacher_who_left_the_district_leaves_the_box_empty(world, login) -> None:
    """The pair continues, but not with a teacher who is no longer an active teacher of the
    district: the box is empty (re-pairing) unless the coordinator fills it."""
    found = pairings(world)
    Staff.objects.filter(pk=world.teacher_b.pk).update(is_active=False)
    html = login(world.users["pc"]).get(url(world.cohort)).content.decode()
    beta = Page(html).inputs[box(found["beta"])]
    assert beta["value"] == ""
    assert "(no longer an active teacher here)" in html


def test_a_state_sized_confirm_is_not_refused_for_its_number_of_fields(world, login) -> None:
    """A browser sends one box per continuing pairing, form-encoded: about 12,000 for a
    state, beyond Django's usual guard of 1,000 fields, which other pages keep."""
    found = pairings(world)
    data = confirm_data(world, found) | {f"t{900_000 + n}": "" for n in range(1_500)}
    client = login(world.users["pc"])
    body = urlencode(data, doseq=True)
    response = client.post(
        url(world.cohort), body, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 302
    assert Pairing.objects.filter(cohort__name="2027–2028 Pilot").count() == 2
    # Another page still refuses that many.
    other = client.post(
        reverse("pilot:cohort-enroll", args=[world.cohort.uuid]),
        body,
        content_type="application/x-www-form-urlencoded",
    )
    assert other.status_code == 400


# ---- a state-sized rollover written by a background job ------------------------------


def test_a_long_rollover_is_written_by_a_job(
    world, login, settings, django_capture_on_commit_callbacks
) -> None:
    """More pairings than ROLLOVER_BACKGROUND_PAIRINGS: the confirm checks everything it
    can at once, then a job writes it all (one transaction) while its page shows the count."""
    from pilot.models import Job

    found = pairings(world)
    settings.ROLLOVER_BACKGROUND_PAIRINGS = 1  # "long" here: more pairings than this
    other = TeacherFactory(school=world.school_a, first_name="Olive", last_name="Other")
    client = login(world.users["pc"])
    data = confirm_data(world, found, **{box(found["alpha"]): label(other)})
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url(world.cohort), data)
    job = Job.objects.get()
    assert response["Location"] == reverse("pilot:job-detail", args=[job.uuid])
    assert job.status == "done" and (job.done, job.total) == (2, 2)
    new = Cohort.objects.get(name="2027–2028 Pilot")
    teachers = dict(Pairing.objects.filter(cohort=new).values_list("paraprofessional", "teacher"))
    assert teachers == {world.para.pk: other.pk, world.para_b.pk: world.teacher_b.pk}
    page = client.get(response["Location"]).content.decode()
    assert "2027–2028 Pilot created with 2 districts and 2 pairings carried over." in page
    # A second confirm is refused on the page, before any job.
    again = client.post(url(world.cohort), confirm_data(world, found, name="Another"))
    assert "only the latest cohort rolls over" in again.content.decode()
    assert Job.objects.count() == 1


def test_a_long_rollover_refused_by_the_job_writes_nothing_and_says_why(
    world, login, settings, django_capture_on_commit_callbacks
) -> None:
    """What changed between the confirm and the job (here a focus area the program no
    longer has) is said on the job's page, naming the pairing; nothing stays."""
    from pilot.models import Job

    found = pairings(world)
    settings.ROLLOVER_BACKGROUND_PAIRINGS = 1
    client = login(world.users["pc"])
    before = counts()
    Pairing.objects.filter(pk=found["beta"].pk).update(focus_areas=["retired_area"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url(world.cohort), confirm_data(world, found))
    job = Job.objects.get()
    assert job.status == "failed"
    assert counts() == before
    page = client.get(response["Location"]).content.decode()
    assert (
        "Nothing was written: 1 pairing could not be carried over. "
        f"{world.para_b.full_name} (Beta District): Choose focus areas from the pilot&#x27;s "
        "three questions."
    ) in page
    assert url(world.cohort) in page


def test_a_long_rollover_with_a_box_to_correct_starts_no_job(world, login, settings) -> None:
    from pilot.models import Job

    found = pairings(world)
    settings.ROLLOVER_BACKGROUND_PAIRINGS = 1
    data = confirm_data(world, found, **{box(found["alpha"]): "Nobody"}, starts_on="2027-06-01")
    response = login(world.users["pc"]).post(url(world.cohort), data)
    shown = Page(response.content.decode())
    assert set(shown.errors) == {box(found["alpha"])}
    assert response.context["form"].errors["starts_on"][0].startswith("These dates overlap")
    assert not Job.objects.exists() and counts() == (1, 2, 4)


def test_the_job_checks_the_owner_again(world, login, settings) -> None:
    """Its owner no longer a program coordinator when it runs: nothing is written."""
    from pilot.jobs import run_job
    from pilot.models import Job

    found = pairings(world)
    settings.ROLLOVER_BACKGROUND_PAIRINGS = 1
    login(world.users["pc"]).post(url(world.cohort), confirm_data(world, found))
    job = Job.objects.get()
    world.users["pc"].role_assignments.all().delete()
    run_job(job.pk)
    job.refresh_from_db()
    assert (job.status, job.message) == (
        "failed",
        "Your role no longer allows this: nothing was written.",
    )
    assert counts() == (1, 2, 4)


def test_a_job_handed_out_again_reports_what_it_wrote(world, login, settings) -> None:
    """The queue may hand a long task out twice (a lost worker, a visibility timeout): the
    second run writes nothing more and reports the rollover done, not refused."""
    from pilot.jobs import run_job
    from pilot.models import Job

    found = pairings(world)
    settings.ROLLOVER_BACKGROUND_PAIRINGS = 1
    login(world.users["pc"]).post(url(world.cohort), confirm_data(world, found))
    job = Job.objects.get()
    run_job(job.pk)
    after_first = counts()
    assert after_first == (2, 4, 6)
    Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING, finished_at=None)
    run_job(job.pk)
    job.refresh_from_db()
    assert counts() == after_first
    assert (job.status, job.message) == (
        "done",
        "2027–2028 Pilot created with 2 districts and 2 pairings carried over.",
    )
