"""Cohorts, their districts' enrollments, districts and schools: the one place for their rules.

Each function validates (``ValidationError`` keyed by field name), writes in a transaction
and leaves the change history to django-simple-history. The database's constraints stay
as the last line.
"""

import datetime
from typing import Any, Required, TypedDict, Unpack

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from pilot.models import Cohort, CohortEnrollment, District, School

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
    """A closed cohort keeps the districts it ended with."""
    if cohort.status == Cohort.Status.CLOSED:
        return f"{cohort} is closed: its districts can no longer change."
    return None


def enroll_district(
    *, cohort: Cohort, district: District, enrolled_on: datetime.date
) -> CohortEnrollment:
    """Enroll ``district`` in ``cohort`` from ``enrolled_on``; a district withdrawn earlier
    is enrolled again on its one row (the row keeps the cohort-district pair unique)."""
    closed = cohort_closed_problem(cohort)
    if closed:
        raise ValidationError(closed)
    errors: Errors = {}
    if not cohort.starts_on <= enrolled_on <= cohort.ends_on:
        errors["enrolled_on"] = [
            f"Choose a date within the cohort ({cohort.starts_on:%b %-d, %Y} – "
            f"{cohort.ends_on:%b %-d, %Y})."
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


def withdraw_district(
    *, enrollment: CohortEnrollment, on: datetime.date | None = None
) -> CohortEnrollment:
    """Withdraw an enrolled district (today by default); the row stays, with its date, and
    never says it was withdrawn before it was enrolled."""
    closed = cohort_closed_problem(enrollment.cohort)
    if closed:
        raise ValidationError(closed)
    if enrollment.withdrawn_on is not None:
        raise ValidationError(
            f"{enrollment.district} was already withdrawn from {enrollment.cohort}."
        )
    enrollment.withdrawn_on = max(on or timezone.localdate(), enrollment.enrolled_on)
    with transaction.atomic():
        enrollment.save(update_fields=["withdrawn_on", "updated_at"])
    return enrollment


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
