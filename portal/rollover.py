"""Next year in one step: a cohort's districts and continuing pairings carried into a new
cohort. It composes the core (the cohort and its enrollments) and mentoring (the pairings),
so it is the site's: both services run in one transaction, and any refusal undoes all."""

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse

from mentoring import services as mentoring
from pathways import queries as pathways
from pilot.access import Capability, capability_required, get_visible_or_404, visible_cohorts
from pilot.forms.errors import add_service_errors
from pilot.forms.widgets import DateInput
from pilot.middleware import many_fields
from pilot.models import Cohort, District, Staff
from pilot.services import program
from pilot.views.generic import one_time_submit

LEAVE = ""  # the teacher choice "leave for re-pairing"
# The confirm sends one teacher per continuing pairing, beyond Django's usual guard of
# 1,000 fields (pilot.middleware.ManyFieldsMiddleware); a state has about 12,000.
MAX_FIELDS = 100_000


def _field(carryover: mentoring.Carryover) -> str:
    return f"teacher_{carryover.pairing.uuid.hex}"


class RolloverForm(forms.Form):
    """The new cohort's name and dates, the districts that carry over (all ticked), and for
    each continuing pairing the teacher it goes on with."""

    name = forms.CharField(label="Name of the new cohort", max_length=120)
    starts_on = forms.DateField(label="Start date", widget=DateInput())
    ends_on = forms.DateField(label="End date", widget=DateInput())
    districts = forms.ModelMultipleChoiceField(
        label="Districts that carry over",
        queryset=District.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Untick a district to leave it (and its pairings) out of the new cohort.",
    )

    def __init__(
        self,
        *args: Any,
        cohort: Cohort,
        carryovers: list[mentoring.Carryover],
        teachers: dict[int, list[Staff]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        districts = District.objects.filter(
            cohort_enrollments__cohort=cohort, cohort_enrollments__withdrawn_on__isnull=True
        ).order_by("name")
        self.fields["districts"].queryset = districts
        self.fields["districts"].initial = list(districts)
        for carryover in carryovers:
            pairing = carryover.pairing
            choices = [(str(t.pk), t.full_name) for t in teachers.get(pairing.district_id, [])]
            self.fields[_field(carryover)] = forms.ChoiceField(
                label=f"Mentor teacher of {pairing.paraprofessional.full_name}",
                choices=[*choices, (LEAVE, "Leave for re-pairing")],
                initial=str(carryover.teacher.pk) if carryover.teacher else LEAVE,
                required=False,
            )

    def teacher_for(self, carryover: mentoring.Carryover) -> int | None:
        chosen = self.cleaned_data.get(_field(carryover)) or LEAVE
        return None if chosen == LEAVE else int(chosen)


class _Refused(Exception):
    """Leaves the rollover's transaction so that nothing it wrote stays."""


@many_fields(MAX_FIELDS)
@capability_required(Capability.MANAGE_COHORTS)
@one_time_submit
def rollover(request: HttpRequest, uuid: str) -> HttpResponse:
    cohort = get_visible_or_404(visible_cohorts(request.user), uuid=uuid)
    enrolled = set(
        cohort.enrollments.filter(withdrawn_on__isnull=True).values_list("district_id", flat=True)
    )
    data = request.POST if request.method == "POST" else None
    # The preview ticks every district; a POST's unticked ones change who continues.
    carried = enrolled
    if data is not None:
        carried = {int(pk) for pk in data.getlist("districts") if pk.isdigit()} & enrolled
    # Those who completed the program or withdrew (their pathway status) do not continue.
    leaving = pathways.leaving_paraprofessionals(cohort)
    carryovers = mentoring.rollover_pairings(cohort=cohort, carried=carried, leaving=leaving)
    continuing = [c for c in carryovers if c.continues]
    teachers: dict[int, list[Staff]] = {}
    for teacher in Staff.objects.filter(
        role=Staff.Role.TEACHER, is_active=True, district_id__in=enrolled
    ).order_by("last_name", "first_name"):
        teachers.setdefault(teacher.district_id, []).append(teacher)
    form = RolloverForm(
        data,
        initial=program.next_year(cohort),
        cohort=cohort,
        carryovers=continuing,
        teachers=teachers,
    )
    # Refused whatever is typed (e.g. not the latest cohort): said at once, before typing.
    notices = []
    if data is None:
        problems = program.rollover_problems(cohort=cohort, **program.next_year(cohort))
        notices = problems.get(NON_FIELD_ERRORS, [])
    if data is not None and form.is_valid():
        try:
            _roll_over(request, cohort, form, continuing)
        except ValidationError as refused:
            add_service_errors(form, refused)
        except _Refused:
            pass
        else:
            return HttpResponseRedirect(reverse("pilot:cohort-list"))
    rows = [{"carryover": c, "field": form[_field(c)] if c.continues else None} for c in carryovers]
    return render(
        request,
        "portal/rollover.html",
        {
            "cohort": cohort,
            "form": form,
            "continuing": [r for r in rows if r["field"] is not None],
            "stopping": [r for r in rows if r["field"] is None],
            "title": f"Start next year from {cohort}",
            "notices": notices,
        },
    )


def _roll_over(
    request: HttpRequest,
    cohort: Cohort,
    form: RolloverForm,
    continuing: list[mentoring.Carryover],
) -> Cohort:
    """The new cohort, its districts and the carried pairings, in one transaction: a
    refused pairing shows on its row and undoes everything."""
    data = form.cleaned_data
    chosen = {c.pairing.pk: form.teacher_for(c) for c in continuing}
    staff = Staff.objects.in_bulk([pk for pk in chosen.values() if pk is not None])
    carried, left = 0, 0
    with transaction.atomic():
        new = program.roll_over_cohort(
            cohort=cohort,
            name=data["name"],
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
            districts=data["districts"],
        )
        refused = False
        for carryover in continuing:
            teacher = staff.get(chosen[carryover.pairing.pk])
            if teacher is None:
                left += 1
                continue
            try:
                mentoring.carry_pairing(
                    pairing=carryover.pairing, into=new, teacher=teacher, by=request.user
                )
            except ValidationError as problem:
                form.add_error(_field(carryover), problem.messages)
                refused = True
            else:
                carried += 1
        if refused:
            raise _Refused
    messages.success(
        request,
        f"{new} created with {len(data['districts'])} district"
        f"{'s' if len(data['districts']) != 1 else ''} and {carried} pairing"
        f"{'s' if carried != 1 else ''} carried over"
        + (f"; {left} left for re-pairing." if left else "."),
    )
    return new
