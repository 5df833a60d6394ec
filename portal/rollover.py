"""Next year in one step: a cohort's districts and continuing pairings carried into a new
cohort. It composes the core (the cohort and its enrollments) and mentoring (the pairings),
so it is the site's: both services run in one transaction, and any refusal undoes all.

The preview has to work for a whole state (about 150 districts and 12,000 continuing
pairings), so each continuing pairing is one plain table row with one text box for next
year's teacher, prefilled with the current one and suggesting, through one ``<datalist>``
per district, that district's active teachers as “Last, First · employee id”. An empty box
leaves the paraprofessional for re-pairing. On confirm only the boxes whose text differs
from the default are looked up; a name that is not an active teacher of the pairing's
district is refused on its row, and nothing is written."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from mentoring import services as mentoring
from pathways import queries as pathways
from pilot.access import (
    Capability,
    can,
    capability_required,
    get_visible_or_404,
    visible_cohorts,
)
from pilot.forms.errors import add_service_errors
from pilot.forms.widgets import DateInput
from pilot.jobs import JobFailed, JobResult, Progress, start_job
from pilot.middleware import many_fields
from pilot.models import Cohort, District, Job, Staff, User
from pilot.services import program
from pilot.services.checks import refuse_if
from pilot.views.generic import one_time_submit

# The confirm sends one teacher box per continuing pairing, beyond Django's usual guard of
# 1,000 fields (pilot.middleware.ManyFieldsMiddleware); a state has about 12,000.
MAX_FIELDS = 100_000
SEPARATOR = " · "
PROGRESS_EVERY = 100  # pairings carried between two reports of a job's progress
GONE = "This pairing or its teacher no longer exists: check the page again."


def field_name(pairing_pk: int) -> str:
    """The name (and id) of a continuing pairing's teacher box."""
    return f"t{pairing_pk}"


def teacher_label(last_name: str, first_name: str, employee_id: str, email: str) -> str:
    """How a teacher is shown and typed in a teacher box: “Last, First · employee id” (the
    email for someone without one), which tells apart two teachers of the same name."""
    return f"{last_name}, {first_name}{SEPARATOR}{employee_id or email}"


def _label_of(teacher: mentoring.Member) -> str:
    return teacher_label(teacher.last_name, teacher.first_name, teacher.employee_id, teacher.email)


def _key(text: str) -> str:
    """Typed text compared without regard to case and spacing."""
    return " ".join(text.split()).casefold()


class DistrictTeachers:
    """The active teachers of the districts whose pairings continue, in one query: each
    district's labels (its datalist) and, when a confirm needs it, what a typed text
    names."""

    AMBIGUOUS = 0

    def __init__(self, districts: set[int]) -> None:
        self._rows = list(
            Staff.objects.filter(mentoring.may_join(role=Staff.Role.TEACHER, districts=districts))
            .order_by("last_name", "first_name", "pk")
            .values_list("pk", "district_id", "last_name", "first_name", "employee_id", "email")
        )
        self.labels: dict[int, list[str]] = {}
        for _pk, district_id, last, first, employee_id, email in self._rows:
            self.labels.setdefault(district_id, []).append(
                teacher_label(last, first, employee_id, email)
            )
        self._index: dict[tuple[int, str], int] | None = None
        self._districts_of: dict[str, set[int]] = {}

    def _build_index(self) -> dict[tuple[int, str], int]:
        """(district, typed text) -> teacher id, or AMBIGUOUS where two teachers of the
        district answer to it: the label, the employee id, the email, “Last, First” and
        “First Last”."""
        index: dict[tuple[int, str], int] = {}
        for pk, district_id, last, first, employee_id, email in self._rows:
            texts = {
                teacher_label(last, first, employee_id, email),
                f"{last}, {first}",
                f"{first} {last}",
                email,
            }
            if employee_id:
                texts.add(employee_id)
            for text in texts:
                key = _key(text)
                found = index.get((district_id, key))
                index[(district_id, key)] = pk if found in (None, pk) else self.AMBIGUOUS
                self._districts_of.setdefault(key, set()).add(district_id)
        return index

    def find(self, district_id: int, text: str) -> int | None:
        """The teacher of the district ``text`` names (AMBIGUOUS: more than one; None:
        none)."""
        if self._index is None:
            self._index = self._build_index()
        return self._index.get((district_id, _key(text)))

    def districts_naming(self, text: str) -> set[int]:
        """The districts (among these) with an active teacher answering to ``text``."""
        if self._index is None:
            self._index = self._build_index()
        return self._districts_of.get(_key(text), set())


@dataclass
class Row:
    """A continuing pairing as the preview shows it."""

    carryover: mentoring.Carryover
    name: str
    para: str
    teacher: str  # this year's
    default: str  # the box's text on the preview: the same teacher, or empty
    value: str  # the box's text now (the posted text after a confirm)
    chosen: int | None = None  # the teacher it continues with (None: left for re-pairing)
    error: str = ""


# A continuing pairing's row, and the same with the box's message. Built with format_html
# (every value escaped) rather than a template loop: Django's template engine takes seconds
# for a state's 12,000 rows. The district's datalist id (``dl`` and a number) is put in
# once per district.
_CELLS = (
    '<tr><th scope="row">{para}</th><td>{teacher}{note}</td><td>'
    '<label class="visually-hidden" for="{name}">Mentor teacher of {para}</label>'
    '<input type="text" name="{name}" id="{name}" value="{value}" list="DATALIST" '
    'autocomplete="off" class="form-control form-control-sm'
)
ROW = _CELLS + '"></td></tr>\n'
ROW_REFUSED = (
    _CELLS + ' is-invalid" aria-invalid="true" aria-describedby="{name}-error">'
    '<div class="invalid-feedback" id="{name}-error">{error}</div></td></tr>\n'
)
NOTE = ' <span class="form-text">{}</span>'


@dataclass
class Group:
    """One district's continuing pairings and its teachers' labels."""

    pk: int
    name: str
    labels: list[str]
    rows: list[Row] = field(default_factory=list)

    @property
    def errors(self) -> int:
        return sum(1 for row in self.rows if row.error)

    @property
    def datalist(self) -> str:
        return f"dl{self.pk}"

    def options(self) -> SafeString:
        """The district's datalist: its active teachers."""
        return format_html_join("", '<option value="{}">', ((label,) for label in self.labels))

    def table_rows(self) -> SafeString:
        """Its rows, each with the box for next year's teacher (and the box's message)."""
        note = format_html(NOTE, "(no longer an active teacher here)")
        plain = ROW.replace("DATALIST", self.datalist)
        refused = ROW_REFUSED.replace("DATALIST", self.datalist)
        rows = (
            format_html(
                refused if row.error else plain,
                para=row.para,
                teacher=row.teacher,
                note="" if row.default else note,
                name=row.name,
                value=row.value,
                error=row.error,
            )
            for row in self.rows
        )
        return format_html_join("", "{}", ((row,) for row in rows))


class TeacherChoices:
    """Next year's teacher of each continuing pairing: on the preview the same one (or
    none, where they no longer teach in the district); on a confirm what each box says,
    looked up only where it differs from the default, with a message on each row whose
    text names no active teacher of the pairing's district."""

    def __init__(
        self,
        continuing: list[mentoring.Carryover],
        districts: dict[int, str],
        data: QueryDict | None,
    ) -> None:
        self.teachers = DistrictTeachers({c.district_id for c in continuing})
        self.groups: dict[int, Group] = {}
        self.rows: list[Row] = []
        for carryover in continuing:
            default = _label_of(carryover.teacher) if carryover.teacher else ""
            name = field_name(carryover.pairing_id)
            value = default if data is None else data.get(name, default).strip()
            row = Row(
                carryover=carryover,
                name=name,
                para=carryover.para.full_name,
                teacher=carryover.this_teacher.full_name,
                default=default,
                value=value,
                chosen=carryover.teacher.pk if carryover.teacher else None,
            )
            if _key(value) != _key(default):
                self._resolve(row, districts)
            self.rows.append(row)
            district = carryover.district_id
            if district not in self.groups:
                self.groups[district] = Group(
                    pk=district,
                    name=districts[district],
                    labels=self.teachers.labels.get(district, []),
                )
            self.groups[district].rows.append(row)

    def _resolve(self, row: Row, districts: dict[int, str]) -> None:
        if not row.value:
            row.chosen = None
            return
        found = self.teachers.find(row.carryover.district_id, row.value)
        if found:
            row.chosen = found
            return
        district = row.carryover.district
        if found == DistrictTeachers.AMBIGUOUS:
            row.error = (
                f"More than one teacher of {district} answers to “{row.value}”: choose one "
                "from the list (Last, First · employee id)."
            )
            return
        elsewhere = sorted(
            districts[d] for d in self.teachers.districts_naming(row.value) if d in districts
        )
        if elsewhere:
            row.error = (
                f"{mentoring.other_district(f'“{row.value}”', ', '.join(elsewhere), district)} "
                f"Choose a teacher of {district}, or empty the box to leave the "
                "paraprofessional for re-pairing."
            )
            return
        row.error = (
            f"No active teacher of {district} answers to “{row.value}”: choose one from the "
            "list (Last, First · employee id), or empty the box to leave the "
            "paraprofessional for re-pairing."
        )

    @property
    def errors(self) -> list[Row]:
        return [row for row in self.rows if row.error]


class RolloverForm(forms.Form):
    """The new cohort's name and dates and the districts that carry over (all ticked); the
    teachers are TeacherChoices'."""

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
        self, *args: Any, districts: QuerySet[District], enrolled: list[int], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["districts"].queryset = districts
        self.fields["districts"].initial = enrolled


class Refused(Exception):
    """Pairings the carry refused (pairing id -> why): the rollover's transaction is left
    so that nothing it wrote stays."""

    def __init__(self, refusals: dict[int, str]) -> None:
        super().__init__(f"{len(refusals)} pairings refused")
        self.refusals = refusals


def _enrolled(cohort: Cohort) -> QuerySet[District]:
    return District.objects.filter(
        cohort_enrollments__cohort=cohort, cohort_enrollments__withdrawn_on__isnull=True
    ).order_by("name")


@many_fields(MAX_FIELDS)
@capability_required(Capability.MANAGE_COHORTS)
@one_time_submit
def rollover(request: HttpRequest, uuid: str) -> HttpResponse:
    cohort = get_visible_or_404(visible_cohorts(request.user), uuid=uuid)
    districts = _enrolled(cohort)
    names = dict(districts.values_list("pk", "name"))
    enrolled = set(names)
    data = request.POST if request.method == "POST" else None
    # The preview ticks every district; a POST's unticked ones change who continues.
    carried = enrolled
    if data is not None:
        carried = {int(pk) for pk in data.getlist("districts") if pk.isdigit()} & enrolled
    # Those who completed the program or withdrew (their pathway status) do not continue.
    leaving = pathways.leaving_paraprofessionals(cohort)
    carryovers = mentoring.rollover_pairings(cohort=cohort, carried=carried, leaving=leaving)
    continuing = [c for c in carryovers if c.continues]
    choices = TeacherChoices(continuing, names, data)
    defaults = program.next_year(cohort)
    form = RolloverForm(data, initial=defaults, districts=districts, enrolled=list(names))
    # Refused whatever is typed (e.g. not the latest cohort): said at once, before typing.
    notices = []
    if data is None:
        problems = program.rollover_problems(cohort=cohort, **defaults)
        notices = problems.get(NON_FIELD_ERRORS, [])
    if data is not None and form.is_valid():
        fields = {k: form.cleaned_data[k] for k in ("name", "starts_on", "ends_on")}
        try:
            # The cohort's name and dates, refused whatever the boxes say: shown beside the
            # rows' messages, and before any background job starts.
            refuse_if(program.rollover_problems(cohort=cohort, **fields))
            if not choices.errors and (done := _confirm(request, cohort, form, choices)):
                return done
        except ValidationError as refused:
            add_service_errors(form, refused)
    groups = [choices.groups[pk] for pk in names if pk in choices.groups]  # by name
    return render(
        request,
        "portal/rollover.html",
        {
            "cohort": cohort,
            "form": form,
            "groups": groups,
            "continuing": len(choices.rows),
            "row_errors": choices.errors,
            "stopping": [c for c in carryovers if not c.continues],
            "title": f"Start next year from {cohort}",
            "notices": notices,
        },
    )


def carry_over(
    *,
    cohort: Cohort,
    name: str,
    starts_on: date,
    ends_on: date,
    districts: Iterable[District],
    teachers: dict[int, int],
    by: User,
    progress: Progress | None = None,
) -> Cohort:
    """The new cohort, its districts and each pairing of ``teachers`` (pairing id ->
    the teacher it goes on with) carried into it, in one transaction. A refused cohort
    raises ValidationError; refused pairings raise ``Refused`` once all were tried;
    either way nothing stays."""
    pairings = mentoring.pairings_to_carry(list(teachers))
    staff = Staff.objects.select_related("district", "school").in_bulk(set(teachers.values()))
    refusals: dict[int, str] = {}
    with transaction.atomic():
        new = program.roll_over_cohort(
            cohort=cohort, name=name, starts_on=starts_on, ends_on=ends_on, districts=districts
        )
        for done, (pairing_id, teacher_id) in enumerate(teachers.items(), start=1):
            pairing, teacher = pairings.get(pairing_id), staff.get(teacher_id)
            if pairing is None or teacher is None:  # deleted since the page was shown
                refusals[pairing_id] = GONE
                continue
            try:
                mentoring.carry_pairing(pairing=pairing, into=new, teacher=teacher, by=by)
            except ValidationError as problem:
                refusals[pairing_id] = " ".join(problem.messages)
            if progress is not None and (done % PROGRESS_EVERY == 0 or done == len(teachers)):
                progress(done, len(teachers))
        if refusals:
            raise Refused(refusals)
    return new


def _created_text(name: str, districts: int, carried: int, left: int) -> str:
    return (
        f"{name} created with {districts} district{'s' if districts != 1 else ''} and "
        f"{carried} pairing{'s' if carried != 1 else ''} carried over"
        + (f"; {left} left for re-pairing." if left else ".")
    )


def _confirm(
    request: HttpRequest, cohort: Cohort, form: RolloverForm, choices: TeacherChoices
) -> HttpResponse | None:
    """Write the rollover now, or (more pairings than ``ROLLOVER_BACKGROUND_PAIRINGS``)
    have a background job write it, still all or nothing, while its page shows the count.
    None when refused: the messages are on the form and the rows."""
    data = form.cleaned_data
    teachers = {row.carryover.pairing_id: row.chosen for row in choices.rows if row.chosen}
    left = len(choices.rows) - len(teachers)
    districts = list(data["districts"])
    cohort_fields = {k: data[k] for k in ("name", "starts_on", "ends_on")}
    if len(teachers) > settings.ROLLOVER_BACKGROUND_PAIRINGS:
        job = start_job(
            owner=request.user,
            label=f"Next year's cohort from {cohort}",
            runner="portal.rollover.rollover_job",
            params={
                "cohort": str(cohort.uuid),
                "name": data["name"],
                "starts_on": data["starts_on"].isoformat(),
                "ends_on": data["ends_on"].isoformat(),
                "districts": [d.pk for d in districts],
                "teachers": {str(k): v for k, v in teachers.items()},
                "left": left,
            },
        )
        return HttpResponseRedirect(reverse("pilot:job-detail", args=[job.uuid]))
    try:
        new = carry_over(
            cohort=cohort, districts=districts, teachers=teachers, by=request.user, **cohort_fields
        )
    except Refused as refused:
        for row in choices.rows:
            row.error = refused.refusals.get(row.carryover.pairing_id, row.error)
        return None
    messages.success(request, _created_text(str(new), len(districts), len(teachers), left))
    return HttpResponseRedirect(reverse("pilot:cohort-list"))


def rollover_job(job: Job, progress: Progress) -> JobResult:
    """A long rollover confirmed in the background (``pilot.jobs``): the same all-or-nothing
    ``carry_over``; the owner's role and the cohort are checked again.

    A state's rollover takes minutes. Should the queue hand the task out again while it
    runs (a worker lost, or longer than ``TASK_VISIBILITY_TIMEOUT``), the second run waits
    for the first's lock on the job's row and finds what it wrote, noted on that row in
    the same transaction: it reports that, rather than a refusal ("not the latest")."""
    params = job.params
    back = reverse("pilot:cohort-rollover", args=[params["cohort"]])
    if not can(job.owner, Capability.MANAGE_COHORTS):
        raise JobFailed("Your role no longer allows this: nothing was written.")
    cohort = visible_cohorts(job.owner).filter(uuid=params["cohort"]).first()
    if cohort is None:
        raise JobFailed("That cohort is no longer there: nothing was written.")
    districts = list(District.objects.filter(pk__in=params["districts"]))
    teachers = {int(k): v for k, v in params["teachers"].items()}
    done = JobResult(
        message=_created_text(params["name"], len(districts), len(teachers), params["left"]),
        link=reverse("pilot:cohort-list"),
    )
    try:
        with transaction.atomic():
            locked = Job.objects.select_for_update().get(pk=job.pk)
            if locked.params.get("written"):
                return done
            carry_over(
                cohort=cohort,
                name=params["name"],
                starts_on=date.fromisoformat(params["starts_on"]),
                ends_on=date.fromisoformat(params["ends_on"]),
                districts=districts,
                teachers=teachers,
                by=job.owner,
                progress=progress,
            )
            Job.objects.filter(pk=job.pk).update(params={**locked.params, "written": True})
    except ValidationError as refused:
        raise JobFailed(f"Nothing was written: {' '.join(refused.messages)}", link=back) from None
    except Refused as refused:
        raise JobFailed(_refusals(refused.refusals), link=back) from None
    return done


def _refusals(refusals: dict[int, str], shown: int = 5) -> str:
    """What a job says of the pairings it could not carry: the first few, by name."""
    first = dict(list(refusals.items())[:shown])
    found = mentoring.pairings_to_carry(list(first))
    listed = [
        f"{found[pk].paraprofessional.full_name} ({found[pk].district.name}): {why}"
        if pk in found
        else why
        for pk, why in first.items()
    ]
    more = len(refusals) - len(listed)
    return (
        f"Nothing was written: {len(refusals)} pairing{'s' if len(refusals) != 1 else ''} "
        f"could not be carried over. " + " ".join(listed) + (f" And {more} more." if more else "")
    )
