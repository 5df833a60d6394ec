"""Cohorts, their districts' enrollments, districts and schools: the one place for their rules.

Each function validates (``ValidationError`` keyed by field name), writes in a transaction
and leaves the change history to django-simple-history. The database's constraints stay
as the last line.
"""

import datetime
import re
from collections.abc import Iterable
from typing import Any, Required, TypedDict, Unpack

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.formats import date_format

from pilot.models import Cohort, CohortEnrollment, District, School
from pilot.validators import split_domains

from .checks import Errors, field_problems, refuse_if


def _assign(record: Model, values: dict[str, Any]) -> None:
    for field, value in values.items():
        setattr(record, field, value)


# ---- cohorts ----------------------------------------------------------------------------


def cohort_problems(cohort: Cohort) -> Errors:
    """What refuses ``cohort`` (new or changed) as it stands, by field."""
    errors: Errors = {}
    if cohort.starts_on and cohort.ends_on and cohort.ends_on <= cohort.starts_on:
        errors["ends_on"] = ["The end date must be after the start date."]
    clash = Cohort.objects.filter(name=cohort.name).exclude(pk=cohort.pk)
    if cohort.name and clash.exists():
        errors["name"] = ["Another cohort already has this name."]
    field_problems(cohort, errors)
    return errors


def _save_cohort(cohort: Cohort, values: dict[str, Any]) -> Cohort:
    _assign(cohort, values)
    refuse_if(cohort_problems(cohort))
    with transaction.atomic():
        cohort.save()
    return cohort


def create_cohort(
    *, name: str, starts_on: datetime.date, ends_on: datetime.date, status: str
) -> Cohort:
    return _save_cohort(Cohort(), locals())


def update_cohort(
    *, cohort: Cohort, name: str, starts_on: datetime.date, ends_on: datetime.date, status: str
) -> Cohort:
    values = {"name": name, "starts_on": starts_on, "ends_on": ends_on, "status": status}
    return _save_cohort(cohort, values)


def cohort_closed_problem(cohort: Cohort) -> str | None:
    """The one message of the closed-cohort rule: a closed cohort is read-only everywhere
    (its districts, pairings, sessions, goals, observations, offerings and grades)."""
    if cohort.status == Cohort.Status.CLOSED:
        return f"{cohort} is closed: its records can no longer change."
    return None


def refuse_if_closed(cohort: Cohort) -> None:
    """Raise the closed-cohort message (not tied to a field) when ``cohort`` is closed."""
    if problem := cohort_closed_problem(cohort):
        raise ValidationError(problem)


def enroll_district(
    *, cohort: Cohort, district: District, enrolled_on: datetime.date
) -> CohortEnrollment:
    """Enroll ``district`` in ``cohort`` from ``enrolled_on``; a district withdrawn earlier
    is enrolled again on its one row (the row keeps the cohort-district pair unique)."""
    refuse_if_closed(cohort)
    errors: Errors = {}
    if not cohort.starts_on <= enrolled_on <= cohort.ends_on:
        errors["enrolled_on"] = [
            f"Choose a date within the cohort ({date_format(cohort.starts_on)} – "
            f"{date_format(cohort.ends_on)})."
        ]
    with transaction.atomic():
        current = (
            CohortEnrollment.objects.select_for_update()
            .filter(cohort=cohort, district=district)
            .first()
        )
        if current is not None and current.withdrawn_on is None:
            errors["district"] = [f"{district} is already enrolled in {cohort}."]
        refuse_if(errors)
        enrollment = current or CohortEnrollment(cohort=cohort, district=district)
        enrollment.enrolled_on, enrollment.withdrawn_on = enrolled_on, None
        enrollment.save()
    return enrollment


def enroll_districts(
    *, cohort: Cohort, districts: Iterable[District], enrolled_on: datetime.date
) -> list[CohortEnrollment]:
    """Enroll several districts from one date, all or none (one transaction); a refusal
    names the district it concerns."""
    enrolled: list[CohortEnrollment] = []
    with transaction.atomic():
        for district in districts:
            try:
                enrolled.append(
                    enroll_district(cohort=cohort, district=district, enrolled_on=enrolled_on)
                )
            except ValidationError as refused:
                if hasattr(refused, "error_dict") and "enrolled_on" in refused.error_dict:
                    raise
                raise ValidationError({"districts": refused.messages}) from None
    return enrolled


def withdraw_district(
    *, enrollment: CohortEnrollment, on: datetime.date | None = None
) -> CohortEnrollment:
    """Withdraw an enrolled district (today by default); the row stays, with its date, and
    never says it was withdrawn before it was enrolled."""
    refuse_if_closed(enrollment.cohort)
    if enrollment.withdrawn_on is not None:
        raise ValidationError(
            f"{enrollment.district} was already withdrawn from {enrollment.cohort}."
        )
    enrollment.withdrawn_on = max(on or timezone.localdate(), enrollment.enrolled_on)
    with transaction.atomic():
        enrollment.save(update_fields=["withdrawn_on", "updated_at"])
    return enrollment


# ---- the year rollover ------------------------------------------------------------------

NOT_LATEST = "{later} already follows {cohort}: only the latest cohort rolls over."


def _one_year_on(day: datetime.date) -> datetime.date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # February 29th
        return day.replace(year=day.year + 1, day=28)


def next_year(cohort: Cohort) -> dict[str, Any]:
    """The defaults of the cohort that follows ``cohort``: every year in its name one on
    (“2026–2027 Pilot” -> “2027–2028 Pilot”), the same span starting a year later (or the
    day after it ends, when it lasts longer than a year)."""
    name = re.sub(r"\b(19|20)(\d\d)\b", lambda m: str(int(m.group(0)) + 1), cohort.name)
    if name == cohort.name:
        name = f"{cohort.name} (next year)"
    starts_on, ends_on = _one_year_on(cohort.starts_on), _one_year_on(cohort.ends_on)
    if starts_on <= cohort.ends_on:  # a cohort longer than a year
        starts_on = cohort.ends_on + datetime.timedelta(days=1)
        ends_on = starts_on + (cohort.ends_on - cohort.starts_on)
    return {
        "name": name[: Cohort._meta.get_field("name").max_length],
        "starts_on": starts_on,
        "ends_on": ends_on,
    }


def later_cohort(cohort: Cohort) -> Cohort | None:
    """The first cohort starting after ``cohort`` (the one a rollover made, if any)."""
    return (
        Cohort.objects.filter(starts_on__gt=cohort.starts_on)
        .exclude(pk=cohort.pk)
        .order_by("starts_on")
        .first()
    )


def rollover_problems(
    *, cohort: Cohort, name: str, starts_on: datetime.date | None, ends_on: datetime.date | None
) -> Errors:
    """Why ``cohort`` cannot roll over into a new cohort with these name and dates."""
    errors: Errors = {}
    if later := later_cohort(cohort):
        errors[NON_FIELD_ERRORS] = [NOT_LATEST.format(later=later, cohort=cohort)]
    if starts_on and ends_on and starts_on <= cohort.ends_on and ends_on >= cohort.starts_on:
        errors["starts_on"] = [
            f"These dates overlap {cohort} ({date_format(cohort.starts_on)} – "
            f"{date_format(cohort.ends_on)}): start after it ends."
        ]
    new = Cohort(name=name, starts_on=starts_on, ends_on=ends_on)
    for field, messages in cohort_problems(new).items():
        errors.setdefault(field, []).extend(messages)
    return errors


def roll_over_cohort(
    *,
    cohort: Cohort,
    name: str,
    starts_on: datetime.date,
    ends_on: datetime.date,
    districts: Iterable[District],
) -> Cohort:
    """The cohort that follows ``cohort`` (planning), with ``districts`` (enrolled in
    ``cohort``) enrolled from its first day. All or nothing; the caller's transaction may
    add the carried pairings. A second rollover of the same cohort is refused (it is no
    longer the latest)."""
    with transaction.atomic():
        # Two confirms at once: the second waits here, then sees the first's cohort.
        Cohort.objects.select_for_update().get(pk=cohort.pk)
        errors = rollover_problems(cohort=cohort, name=name, starts_on=starts_on, ends_on=ends_on)
        districts = list(districts)
        enrolled = set(
            cohort.enrollments.filter(withdrawn_on__isnull=True).values_list(
                "district_id", flat=True
            )
        )
        if strangers := [d.name for d in districts if d.pk not in enrolled]:
            errors["districts"] = [f"Not enrolled in {cohort}: {', '.join(strangers)}."]
        refuse_if(errors)
        new = create_cohort(
            name=name, starts_on=starts_on, ends_on=ends_on, status=Cohort.Status.PLANNING
        )
        enroll_districts(cohort=new, districts=districts, enrolled_on=starts_on)
    return new


# ---- districts --------------------------------------------------------------------------


def district_problems(district: District) -> Errors:
    """What refuses ``district`` as it stands (new or changed), by field."""
    errors: Errors = {}
    others = District.objects.exclude(pk=district.pk)
    if district.slug and others.filter(slug=district.slug).exists():
        errors["slug"] = ["Another district already uses this slug."]
    if district.nces_id and others.filter(nces_id=district.nces_id).exists():
        errors["nces_id"] = ["Another district already has this NCES id."]
    field_problems(district, errors)
    return errors


def _save_district(district: District, values: dict[str, Any]) -> District:
    values["state"] = values["state"].upper()
    if "sign_in_domains" in values:
        values["sign_in_domains"] = ", ".join(split_domains(values["sign_in_domains"]))
    _assign(district, values)
    refuse_if(district_problems(district))
    with transaction.atomic():
        district.save()
    return district


class DistrictFields(TypedDict, total=False):
    name: Required[str]
    slug: Required[str]
    state: Required[str]  # two capitals; lower case is raised
    nces_id: str
    contact_name: str
    contact_email: str
    contact_phone: str
    sign_in_domains: str  # domains separated by commas or spaces; stored lowercased, once each


def create_district(**fields: Unpack[DistrictFields]) -> District:
    return _save_district(District(), dict(fields))


def update_district(*, district: District, **fields: Unpack[DistrictFields]) -> District:
    """Change the fields given; the others keep their values."""
    return _save_district(district, dict(fields))


# ---- schools ----------------------------------------------------------------------------


def school_problems(school: School) -> Errors:
    """What refuses ``school`` (in its district) as it stands, by field."""
    errors: Errors = {}
    clash = School.objects.filter(district=school.district_id, name__iexact=school.name)
    if school.name and clash.exclude(pk=school.pk).exists():
        errors["name"] = ["This district already has a school with that name."]
    field_problems(school, errors)
    return errors


def _save_school(school: School, values: dict[str, Any]) -> School:
    values["name"] = (values.get("name") or "").strip()
    _assign(school, values)
    refuse_if(school_problems(school))
    with transaction.atomic():
        school.save()
    return school


def create_school(*, district: District, name: str, grade_band: str, support_model: str) -> School:
    return _save_school(School(district=district), locals())


def update_school(*, school: School, name: str, grade_band: str, support_model: str) -> School:
    values = {"name": name, "grade_band": grade_band, "support_model": support_model}
    return _save_school(school, values)
