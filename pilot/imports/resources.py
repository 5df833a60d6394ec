"""django-import-export resources for roster files, each bound to one user's scope.

A resource is built for one import by one user (``Resource(user=..., file_name=...)``).
Before the rows are read it loads, in a few queries, every record the file could touch
within the user's scope (``visible_*`` querysets) into dictionaries keyed by natural key;
rows are matched against those dictionaries, never by a query per row.

Row errors are raised as a ``ValidationError`` keyed by the file's column names (``""`` for
the row as a whole), so the preview can say "row 12, email: used by another person".

Unchanged rows are skipped (``skip_unchanged``) by comparing each existing record's values
as exported before and after the row is applied; import-export's own diff (``skip_diff =
False``) deep-copies every instance with its related records, which was more than half
the time of a 10,000-row import. ``RowResult.diff`` then holds an update's changed columns
as ``[column, old, new]`` lists rather than import-export's HTML.
"""

import datetime
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import NON_FIELD_ERRORS, ObjectDoesNotExist, ValidationError
from django.core.validators import validate_email
from django.db.models import TextChoices
from django.utils import timezone
from import_export.fields import Field
from import_export.instance_loaders import BaseInstanceLoader
from import_export.resources import ModelResource
from import_export.results import RowResult
from import_export.widgets import Widget
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from pilot.access import Capability, can
from pilot.access.scopes import staff_named_scope
from pilot.models import District, School, Staff, User
from pilot.services import program
from pilot.services.staff import (
    email_in_use_message,
    staff_with_emails,
    switch_accounts_with_staff,
)

from .districts import DISTRICT, EXAMPLE, Districts, new_district_slug
from .files import PROBLEM_COLUMN, ROW_COLUMN

Errors = dict[str, list[str]]


def name_key(text: str) -> str:
    """How names are matched: case and runs of spaces do not matter."""
    return re.sub(r"\s+", " ", text).strip().casefold()


def tidy(value: object) -> str:
    return re.sub(r"\s+", " ", "" if value is None else str(value)).strip()


# ---- widgets ---------------------------------------------------------------------------


class TextWidget(Widget):
    """Trimmed text; with ``blank_is_none`` an empty cell leaves the stored value alone."""

    def __init__(self, blank_is_none: bool = False, lower: bool = False, upper: bool = False):
        super().__init__(coerce_to_string=True)
        self.blank_is_none, self.lower, self.upper = blank_is_none, lower, upper

    def clean(self, value: object, row: Any = None, **kwargs: Any) -> str | None:
        text = tidy(value)
        if self.lower:
            text = text.lower()
        if self.upper:
            text = text.upper()
        return None if (self.blank_is_none and not text) else text

    def render(self, value: object, obj: Any = None, **kwargs: Any) -> str:
        return "" if value is None else str(value)


class ChoiceWidget(Widget):
    """One of a model's choices, by value or label (any case); blank keeps what is stored."""

    def __init__(self, choices: type[TextChoices], aliases: dict[str, str] | None = None):
        super().__init__(coerce_to_string=True)
        self.values = [str(v) for v in choices.values]
        self.lookup = {name_key(str(v)): str(v) for v in choices.values}
        self.lookup.update({self._key(label): str(v) for v, label in choices.choices})
        self.lookup.update({self._key(a): v for a, v in (aliases or {}).items()})

    @staticmethod
    def _key(text: str) -> str:
        return name_key(re.sub(r"[-–—_]", " ", text))

    def clean(self, value: object, row: Any = None, **kwargs: Any) -> str | None:
        text = tidy(value)
        if not text:
            return None
        found = self.lookup.get(self._key(text)) or self.lookup.get(name_key(text))
        if found is None:
            raise ValueError(f"“{text}” is not one of: {', '.join(self.values)}.")
        return found

    def render(self, value: object, obj: Any = None, **kwargs: Any) -> str:
        return "" if value is None else str(value)


class YesNoWidget(Widget):
    TRUE = {"yes", "y", "true", "1", "active"}
    FALSE = {"no", "n", "false", "0", "inactive"}

    def clean(self, value: object, row: Any = None, **kwargs: Any) -> bool | None:
        text = tidy(value).lower()
        if not text:
            return None
        if text in self.TRUE:
            return True
        if text in self.FALSE:
            return False
        raise ValueError(f"“{tidy(value)}” is not yes or no.")

    def render(self, value: object, obj: Any = None, **kwargs: Any) -> str:
        return "" if value is None else ("yes" if value else "no")


class LookupWidget(Widget):
    """A related record found through the resource's prefetched dictionaries."""

    def __init__(self, clean_method: str, render_attribute: str):
        super().__init__(coerce_to_string=True)
        self.clean_method, self.render_attribute = clean_method, render_attribute
        self.resource: RosterResource | None = None  # bound when the resource is built

    def clean(self, value: object, row: Any = None, **kwargs: Any) -> Any:
        return getattr(self.resource, self.clean_method)(tidy(value), row)

    def render(self, value: object, obj: Any = None, **kwargs: Any) -> str:
        for attribute in self.render_attribute.split("."):
            if value is None:
                break
            value = getattr(value, attribute)
        return "" if value is None else str(value)


class DateTextWidget(Widget):
    """A date as ``YYYY-MM-DD`` (what exports write and Excel dates become) or ``M/D/YYYY``;
    a blank cell is ``None`` (keep what is stored)."""

    FORMATS = ("%Y-%m-%d", "%m/%d/%Y")

    def clean(self, value: object, row: Any = None, **kwargs: Any) -> datetime.date | None:
        text = tidy(value)
        if not text:
            return None
        for pattern in self.FORMATS:
            try:
                return datetime.datetime.strptime(text, pattern).date()
            except ValueError:
                continue
        raise ValueError(f"“{text}” is not a date: write it as YYYY-MM-DD, e.g. 2026-09-01.")

    def render(self, value: object, obj: Any = None, **kwargs: Any) -> str:
        return value.isoformat() if isinstance(value, datetime.date) else ""


class LabelWidget(Widget):
    """A read-only column showing a choice's label (e.g. a status)."""

    def __init__(self, choices: type[TextChoices]):
        super().__init__(coerce_to_string=True)
        self.labels = dict(choices.choices)

    def render(self, value: object, obj: Any = None, **kwargs: Any) -> str:
        return "" if value in (None, "") else str(self.labels.get(value, value))


class StaffDirectory:
    """The staff a file names (by email or employee id), found within a district.

    Built from one query's results; ``find`` looks a person up in a district, ``elsewhere``
    finds the same email in another of the districts loaded (for "works in another
    district" messages, so load only districts the user may see)."""

    def __init__(self, staff: Any):
        self.by_email: dict[tuple[int, str], Staff] = {}
        self.by_employee_id: dict[tuple[int, str], Staff] = {}
        self.email_anywhere: dict[str, list[Staff]] = {}
        for member in staff:
            self.by_email[(member.district_id, member.email.lower())] = member
            if member.employee_id:
                self.by_employee_id[(member.district_id, member.employee_id)] = member
            self.email_anywhere.setdefault(member.email.lower(), []).append(member)

    @staticmethod
    def tokens(dataset: Any, columns: tuple[str, ...]) -> tuple[set[str], set[str]]:
        """The emails and the other values (employee ids) in the given columns."""
        emails: set[str] = set()
        ids: set[str] = set()
        for column in columns:
            if column not in (dataset.headers or []):
                continue
            for value in dataset[column]:
                text = tidy(value)
                if "@" in text:
                    emails.add(text.lower())
                elif text:
                    ids.add(text)
        return emails, ids

    def find(self, district: District | None, token: str) -> Staff | None:
        if district is None or district.pk is None or not token:
            return None
        if "@" in token:
            return self.by_email.get((district.pk, token.lower()))
        return self.by_employee_id.get((district.pk, token))

    def elsewhere(self, district: District, token: str) -> Staff | None:
        if "@" not in token:
            return None
        others = [
            m for m in self.email_anywhere.get(token.lower(), []) if m.district_id != district.pk
        ]
        return others[0] if others else None


# ---- shared machinery ------------------------------------------------------------------


class NaturalKeyLoader(BaseInstanceLoader):
    """Find the existing record for a row in the resource's prefetched dictionaries."""

    def get_instance(self, row: dict) -> Any:
        return self.resource.find_existing(row)


class RosterResource(ModelResource):
    """A resource for one import by one user; subclasses define a kind's columns and rules.

    Subclasses implement ``prefetch(dataset)``, ``find_existing(row)``, ``check_row(instance,
    row, errors)`` and ``describe(row)``, and set ``example_row`` (the template's example)
    and ``required_columns``.
    """

    example_row: dict[str, str] = {}
    required_columns: tuple[str, ...] = ()

    class Meta:
        instance_loader_class = NaturalKeyLoader
        skip_unchanged = True
        skip_diff = True  # see the module docstring: skip_row below compares exported values
        report_skipped = True
        store_row_values = True
        clean_model_instances = False  # the checks run in check_row, without a query per row
        use_transactions = True

    def __init__(self, user: User | AnonymousUser, file_name: str = "", **kwargs: Any):
        super().__init__(**kwargs)
        self.user = user
        self.file_name = file_name
        self.first_row_for: dict[tuple, int] = {}  # natural key -> first row naming it
        self.import_fields = super().get_import_fields()
        self.before: list[str] | None = None  # the current row's stored values, as exported
        self.after: list[str] = []
        # A long confirmed import reports its count of rows done (pilot.jobs).
        self.progress: Callable[[int, int], None] | None = None
        self.rows_done = self.rows_total = 0
        for f in self.fields.values():
            if isinstance(f.widget, LookupWidget):
                f.widget.resource = self

    # -- what the templates and the preview need -----------------------------------------

    @classmethod
    def columns(cls) -> list[str]:
        return [cls.fields[name].column_name for name in cls._meta.fields]

    def describe(self, row: dict) -> str:
        """Who or what the row is, for the preview."""
        raise NotImplementedError

    def summary(self, row: dict) -> str:
        """What a new row adds, for the preview."""
        return ""

    # -- import-export hooks -------------------------------------------------------------

    def get_import_fields(self) -> list[Field]:
        return self.import_fields

    def exported(self, instance: Any) -> list[str]:
        return [field.export(instance) for field in self.import_fields]

    def after_init_instance(self, instance: Any, new: bool, row: dict, **kwargs: Any) -> None:
        self.before = None if new else self.exported(instance)

    def skip_row(self, instance, original, row, import_validation_errors=None) -> bool:
        if import_validation_errors or self.before is None:
            return False
        self.after = self.exported(instance)
        return self._meta.skip_unchanged and self.after == self.before

    def after_import_row(self, row: dict, row_result: RowResult, **kwargs: Any) -> None:
        self.rows_done += 1
        if self.progress and (self.rows_done % 50 == 0 or self.rows_done == self.rows_total):
            self.progress(self.rows_done, self.rows_total)
        if row_result.import_type == RowResult.IMPORT_TYPE_UPDATE and self.before is not None:
            row_result.diff = [
                [field.column_name, old, new]
                for field, old, new in zip(self.import_fields, self.before, self.after, strict=True)
                if old != new
            ]

    def before_import(self, dataset: Any, **kwargs: Any) -> None:
        self.rows_total = len(dataset)
        self.prefetch(dataset)

    def prefetch(self, dataset: Any) -> None:
        raise NotImplementedError

    def find_existing(self, row: dict) -> Any:
        raise NotImplementedError

    def row_number(self, row: dict) -> int:
        return int(row.get(ROW_COLUMN) or 0)

    def import_instance(self, instance: Any, row: dict, **kwargs: Any) -> None:
        errors: Errors = {}
        if row.get(PROBLEM_COLUMN):
            errors[""] = [row[PROBLEM_COLUMN]]
        for field in self.get_import_fields():
            if field.column_name not in row or not self._parent_present(instance, field):
                continue
            try:
                self.import_field(field, instance, row, **kwargs)
            except ValueError as error:
                errors.setdefault(field.column_name, []).append(str(error))
        self.check_row(instance, row, errors)
        if errors:
            raise ValidationError(
                {(column or NON_FIELD_ERRORS): messages for column, messages in errors.items()}
            )

    def check_row(self, instance: Any, row: dict, errors: Errors) -> None:
        """Add the kind's rules to ``errors`` (column -> messages)."""

    # -- helpers for subclasses ----------------------------------------------------------

    @staticmethod
    def _parent_present(instance: Any, field: Field) -> bool:
        """``district__name`` can only be set once the row's district is known."""
        if "__" not in (field.attribute or ""):
            return True
        try:
            return getattr(instance, field.attribute.split("__")[0]) is not None
        except ObjectDoesNotExist:
            return False

    def note_key(self, key: tuple, row: dict, column: str, errors: Errors, what: str) -> None:
        """A natural key met twice in one file is an error on the later row."""
        number = self.row_number(row)
        first = self.first_row_for.setdefault(key, number)
        if first != number:
            errors.setdefault(column, []).append(f"Duplicate row: {what} as row {first}.")

    @staticmethod
    def require(instance: Any, attribute: str, column: str, errors: Errors, why: str = "") -> None:
        if column not in errors and getattr(instance, attribute) in (None, ""):
            errors[column] = [f"Required{why}."]

    @staticmethod
    def field_errors(instance: Any, columns: dict[str, str], errors: Errors) -> None:
        """Model field validation (lengths, formats) without the uniqueness queries; blank
        values are left to ``require``."""
        checked = [
            f
            for f, column in columns.items()
            if column not in errors and getattr(instance, f) not in (None, "")
        ]
        skip = [f.name for f in instance._meta.fields if f.name not in checked]
        try:
            instance.clean_fields(exclude=skip)
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                errors.setdefault(columns.get(name, ""), []).extend(messages)


@contextmanager
def refusal_in_columns(columns: dict[str, str]) -> Iterator[None]:
    """A service's refusal, keyed by model field, re-raised keyed by the file's columns
    (``""``, the row as a whole, for a field the file has no column for)."""
    try:
        yield
    except ValidationError as refused:
        by_field = (
            refused.message_dict if hasattr(refused, "error_dict") else {"": refused.messages}
        )
        by_column: Errors = {}
        for field, messages in by_field.items():
            by_column.setdefault(columns.get(field, ""), []).extend(messages)
        raise ValidationError(
            {(column or NON_FIELD_ERRORS): messages for column, messages in by_column.items()}
        ) from refused


# ---- districts and schools -------------------------------------------------------------


class DistrictSchoolResource(RosterResource):
    """One row per school; its district is created (program coordinators) or updated."""

    district = Field(
        attribute="district",
        column_name=DISTRICT,
        widget=LookupWidget("clean_district", "name"),
    )
    state = Field(
        attribute="district__state",
        column_name="state",
        widget=TextWidget(blank_is_none=True, upper=True),
        saves_null_values=False,
    )
    name = Field(attribute="name", column_name="school name", widget=TextWidget())
    grade_band = Field(
        attribute="grade_band",
        column_name="grade band",
        widget=ChoiceWidget(School.GradeBand, {"k-8": "k8", "k-12": "k12", "elem": "elementary"}),
        saves_null_values=False,
    )
    support_model = Field(
        attribute="support_model",
        column_name="support model",
        widget=ChoiceWidget(
            School.SupportModel,
            {"para led": "para_led", "teacher led": "teacher_led"},
        ),
        saves_null_values=False,
    )

    example_row = {
        DISTRICT: EXAMPLE,
        "state": "IA",
        "school name": "Lincoln Elementary",
        "grade band": "elementary",
        "support model": "para_led",
    }
    required_columns = (DISTRICT, "school name")

    class Meta(RosterResource.Meta):
        model = School
        fields = ("district", "state", "name", "grade_band", "support_model")
        import_id_fields = ("district", "name")

    def prefetch(self, dataset: Any) -> None:
        self.districts = Districts(dataset[DISTRICT], self.user)
        self.saved_district = {d.slug: (d.name, d.state) for d in self.districts.values()}
        self.may_add_districts = can(self.user, Capability.MANAGE_COHORTS)
        self.schools: dict[tuple[int, str], School] = {}
        by_id = {d.id: d for d in self.districts.values()}
        for school in School.objects.filter(district__in=by_id):
            school.district = by_id[school.district_id]
            self.schools[(school.district_id, name_key(school.name))] = school
        self.district_values: dict[tuple[str, str], tuple[int, str]] = {}

    def describe(self, row: dict) -> str:
        return f"{tidy(row.get('school name'))} ({tidy(row.get(DISTRICT))})"

    def summary(self, row: dict) -> str:
        return ", ".join(tidy(row.get(c)) for c in ("grade band", "support model") if row.get(c))

    def find_existing(self, row: dict) -> School | None:
        district = self.districts.get(row.get(DISTRICT))
        if district is None or district.pk is None:
            return None
        return self.schools.get((district.pk, name_key(tidy(row.get("school name")))))

    def clean_district(self, given: str, row: dict) -> District:
        """An existing district by name or code; a name no district has adds the district
        (program coordinators), its short code made from the name."""
        try:
            return self.districts.find(given)
        except ValueError:
            if not given or self.districts.elsewhere(given) or not self.may_add_districts:
                raise
        slug = new_district_slug(given, taken={d.slug for d in self.districts.values()})
        if not slug:
            raise ValueError(f"“{given}” is not a district name: use letters or digits.")
        district = District(name=given, slug=slug)
        self.districts.add(district)
        return district

    def check_row(self, school: School, row: dict, errors: Errors) -> None:
        self.require(school, "name", "school name", errors)
        new_school = school.pk is None
        if DISTRICT not in errors:  # else whether the school is new is not known
            self.require(school, "grade_band", "grade band", errors, " for a new school")
            self.require(school, "support_model", "support model", errors, " for a new school")
        self.field_errors(
            school,
            {"name": "school name", "grade_band": "grade band", "support_model": "support model"},
            errors,
        )
        district = getattr(school, "district", None) if DISTRICT not in errors else None
        if district is None:
            return
        if district.pk is None:
            self.require(district, "state", "state", errors, " for a new district")
        self.field_errors(district, {"name": DISTRICT, "state": "state"}, errors)
        # Every row of one district must agree on its state.
        for column in ("state",):
            value = tidy(row.get(column))
            if not value or column in errors:
                continue
            first = self.district_values.setdefault(
                (district.slug, column), (self.row_number(row), value)
            )
            if name_key(first[1]) != name_key(value):
                errors[column] = [f"Row {first[0]} gives “{first[1]}” for the same district."]
        if "school name" not in errors:
            self.note_key(
                ("school", district.slug, name_key(school.name)),
                row,
                "school name",
                errors,
                "the same school" if not new_school else "the same new school",
            )

    # -- writing: through the services, their refusals shown in the row's columns ----------

    DISTRICT_COLUMNS = {"name": DISTRICT, "state": "state", "slug": DISTRICT}
    SCHOOL_COLUMNS = {
        "name": "school name",
        "grade_band": "grade band",
        "support_model": "support model",
    }

    def before_save_instance(self, school: School, row: dict, **kwargs: Any) -> None:
        district = school.district
        values = (district.name, district.state)
        if district.pk is not None and self.saved_district.get(district.slug) == values:
            return
        fields = {"name": district.name, "slug": district.slug, "state": district.state}
        with refusal_in_columns(self.DISTRICT_COLUMNS):
            if district.pk is None:
                created = program.create_district(**fields)
                district.pk, district.uuid = created.pk, created.uuid
                district._state.adding = False
            else:
                program.update_district(district=district, **fields)
        self.saved_district[district.slug] = values
        school.district = district

    def do_instance_save(self, school: School, is_create: bool) -> None:
        fields = {f: getattr(school, f) for f in self.SCHOOL_COLUMNS}
        with refusal_in_columns(self.SCHOOL_COLUMNS):
            if is_create:
                created = program.create_school(district=school.district, **fields)
                school.pk, school.uuid = created.pk, created.uuid
                school._state.adding = False
            else:
                program.update_school(school=school, **fields)


# ---- staff -----------------------------------------------------------------------------


class StaffResource(RosterResource):
    """Teachers and paraprofessionals, matched by employee id or email within a district."""

    district = Field(
        attribute="district",
        column_name=DISTRICT,
        widget=LookupWidget("clean_district", "name"),
    )
    school = Field(
        attribute="school", column_name="school name", widget=LookupWidget("clean_school", "name")
    )
    role = Field(
        attribute="role",
        column_name="role",
        widget=ChoiceWidget(
            Staff.Role,
            {
                "para": "paraprofessional",
                "paraeducator": "paraprofessional",
                "aide": "paraprofessional",
                "instructional aide": "paraprofessional",
            },
        ),
        saves_null_values=False,
    )
    first_name = Field(attribute="first_name", column_name="first name", widget=TextWidget())
    last_name = Field(attribute="last_name", column_name="last name", widget=TextWidget())
    email = Field(attribute="email", column_name="email", widget=TextWidget(lower=True))
    employee_id = Field(attribute="employee_id", column_name="employee id", widget=TextWidget())
    is_active = Field(
        attribute="is_active", column_name="active", widget=YesNoWidget(), saves_null_values=False
    )

    example_row = {
        DISTRICT: EXAMPLE,
        "school name": "Lincoln Elementary",
        "role": "paraprofessional",
        "first name": "Maria",
        "last name": "Garcia",
        "email": "maria.garcia@cedarvalley.example.org",
        "employee id": "E10442",
        "active": "yes",
    }
    required_columns = (DISTRICT, "school name", "role", "first name", "last name", "email")
    BULK_FIELDS = [
        "school",
        "role",
        "first_name",
        "last_name",
        "email",
        "employee_id",
        "is_active",
        "updated_at",
    ]

    class Meta(RosterResource.Meta):
        model = Staff
        fields = (
            "district",
            "school",
            "role",
            "first_name",
            "last_name",
            "email",
            "employee_id",
            "is_active",
        )
        import_id_fields = ("district", "email")
        use_bulk = True
        batch_size = 1000

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.user_activity: dict[int, bool] = {}  # sign-ins to (de)activate with their staff

    # -- lookups -------------------------------------------------------------------------

    def prefetch(self, dataset: Any) -> None:
        self.districts = Districts(dataset[DISTRICT], self.user)
        by_id = {d.id: d for d in self.districts.values()}
        schools = {}
        self.schools: dict[tuple[int, str], School] = {}
        for school in School.objects.filter(district__in=by_id):
            school.district = by_id[school.district_id]
            schools[school.id] = school
            self.schools[(school.district_id, name_key(school.name))] = school
        self.by_email: dict[tuple[int, str], Staff] = {}
        self.by_employee_id: dict[tuple[int, str], Staff] = {}
        self.stored: dict[int, tuple[str, bool, str]] = {}  # as in the database
        for member in Staff.objects.filter(district__in=by_id):
            self.stored[member.pk] = (member.role, member.is_active, member.full_name)
            member.district = by_id[member.district_id]
            member.school = schools[member.school_id]
            self.by_email[(member.district_id, member.email.lower())] = member
            if member.employee_id:
                self.by_employee_id[(member.district_id, member.employee_id)] = member
        # An email belongs to one person across the program: who already has the file's.
        emails = (
            {tidy(e).lower() for e in dataset["email"]}
            if "email" in (dataset.headers or [])
            else set()
        )
        self.email_owner = {email: m for (_, email), m in self.by_email.items()}
        others = staff_with_emails(emails - self.email_owner.keys()).exclude(district__in=by_id)
        for member in others.select_related("district"):
            self.email_owner[member.email.lower()] = member
        self.scope = staff_named_scope(self.user)

    def describe(self, row: dict) -> str:
        name = f"{tidy(row.get('first name'))} {tidy(row.get('last name'))}".strip()
        email = tidy(row.get("email")).lower()
        return f"{name} <{email}>" if email else name

    def summary(self, row: dict) -> str:
        return f"{tidy(row.get('role')).lower()} at {tidy(row.get('school name'))}"

    def find_existing(self, row: dict) -> Staff | None:
        district = self.districts.get(row.get(DISTRICT))
        if district is None:
            return None
        employee_id = tidy(row.get("employee id"))
        if employee_id and (district.pk, employee_id) in self.by_employee_id:
            return self.by_employee_id[(district.pk, employee_id)]
        return self.by_email.get((district.pk, tidy(row.get("email")).lower()))

    def clean_district(self, given: str, row: dict) -> District | None:
        return self.districts.find(given)

    def clean_school(self, name: str, row: dict) -> School | None:
        district = self.districts.get(row.get(DISTRICT))
        if district is None:
            return None  # the district column carries the error
        if not name:
            raise ValueError("Required.")
        school = self.schools.get((district.pk, name_key(name)))
        if school is None:
            raise ValueError(f"Unknown school “{name}” in {district.name}.")
        return school

    # -- rules ---------------------------------------------------------------------------

    def check_row(self, member: Staff, row: dict, errors: Errors) -> None:
        for attribute, column in (
            ("first_name", "first name"),
            ("last_name", "last name"),
            ("email", "email"),
            ("role", "role"),
        ):
            self.require(member, attribute, column, errors)
        if "email" not in errors:
            try:
                validate_email(member.email)
            except ValidationError:
                errors["email"] = [f"“{member.email}” is not an email address."]
        self.field_errors(
            member,
            {
                "first_name": "first name",
                "last_name": "last name",
                "email": "email",
                "employee_id": "employee id",
            },
            errors,
        )
        stored_role, _, stored_name = self.stored.get(member.pk, ("", True, ""))
        if member.pk is not None and "role" not in errors and member.role != stored_role:
            errors["role"] = [
                f"{stored_name} is a {Staff.Role(stored_role).label.lower()}; this row gives "
                f"{Staff.Role(member.role).label.lower()}. Change a role on the staff page, "
                "not by import."
            ]
        district = member.district if DISTRICT not in errors else None
        if district is None:
            return
        if "email" not in errors:
            owner = self.email_owner.get(member.email)
            if owner is not None and owner.pk != member.pk:
                errors["email"] = [
                    email_in_use_message(email=member.email, owner=owner, scope=self.scope)
                ]
            else:
                self.note_key(("email", member.email), row, "email", errors, "the same email")
        # A stored employee id is never another person's: ``find_existing`` matches the row
        # to its owner first. Only two rows of the file can give the same one.
        if member.employee_id and "employee id" not in errors:
            self.note_key(
                ("employee id", district.pk, member.employee_id),
                row,
                "employee id",
                errors,
                "the same employee id",
            )

    # -- writing -------------------------------------------------------------------------

    def before_save_instance(self, member: Staff, row: dict, **kwargs: Any) -> None:
        if member.pk is not None:
            member.updated_at = timezone.now()  # bulk_update does not touch auto_now fields
            if member.user_id and member.is_active != self.stored[member.pk][1]:
                self.user_activity[member.user_id] = member.is_active

    def get_bulk_update_fields(self) -> list[str]:
        return self.BULK_FIELDS

    def _history_options(self) -> dict[str, Any]:
        user = self.user if getattr(self.user, "is_authenticated", False) else None
        reason = f"Imported from {self.file_name}"[:100] if self.file_name else "Imported"
        return {"default_user": user, "default_change_reason": reason}

    def bulk_create(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        """As import-export's, but keeping the change history (who, when) of each person.

        A dry run (the preview) validates every row in Python against the prefetched
        records and writes nothing: writing 10,000 rows only to roll them back doubled the
        preview's time. The confirmed import writes, in one transaction.
        """
        if dry_run:
            self.create_instances.clear()
        elif self.create_instances:
            try:
                bulk_create_with_history(
                    self.create_instances, Staff, batch_size=batch_size, **self._history_options()
                )
            except Exception as error:
                self.handle_import_error(result, error, raise_errors)
            finally:
                self.create_instances.clear()

    def bulk_update(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        if dry_run:
            self.update_instances.clear()
        elif self.update_instances:
            try:
                bulk_update_with_history(
                    self.update_instances,
                    Staff,
                    self.get_bulk_update_fields(),
                    batch_size=batch_size,
                    **self._history_options(),
                )
            except Exception as error:
                self.handle_import_error(result, error, raise_errors)
            finally:
                self.update_instances.clear()

    def after_import(self, dataset: Any, result: Any, **kwargs: Any) -> None:
        super().after_import(dataset, result, **kwargs)
        if self._is_dry_run(kwargs):
            return
        switch_accounts_with_staff(self.user_activity)

    # -- export --------------------------------------------------------------------------

    def export_staff(self, queryset: Any) -> Any:
        """The staff as a dataset with the template's columns."""
        return self.export(queryset.select_related("district", "school"))
