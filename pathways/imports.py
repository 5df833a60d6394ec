"""Milestones as roster-import kinds (``/imports/``): assessments and employment for
coordinators, credentials for the college liaison.

A row names the paraprofessional by email or employee id within a district (its name or
code; among
the people the importer may see, ``pathways.access.PERSONS``). Each row is checked by the
same service that will write it, run in a savepoint that is rolled back, so the preview
shows the service's own messages on the row's columns; on confirm every row is written
through ``pathways.services`` in the import's one transaction (all or nothing).
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from import_export.fields import Field
from import_export.widgets import IntegerWidget

from coursework.access import PLANS
from pilot.imports.districts import DISTRICT, EXAMPLE, Districts
from pilot.imports.resources import (
    ChoiceWidget,
    DateTextWidget,
    Errors,
    LookupWidget,
    RosterResource,
    StaffDirectory,
    TextWidget,
    YesNoWidget,
    name_key,
    tidy,
)
from pilot.models import School, Staff

from . import services
from .access import PERSONS
from .models import Assessment, Credential, EmploymentEvent


class MilestoneResource(RosterResource):
    """What the three kinds share: the person's columns, the lookups and the write path.
    Subclasses give ``COLUMNS`` (service field -> file column), ``existing_key(row, para)``,
    ``key_of(record)`` and ``call(instance, milestone)`` (the service call)."""

    COLUMNS: dict[str, str] = {}

    def prefetch(self, dataset: Any) -> None:
        people = PERSONS.visible(self.user)
        self.districts = Districts(dataset[DISTRICT])
        emails, ids = StaffDirectory.tokens(dataset, ("paraprofessional",))
        found = list(
            people.filter(district__in=self.districts.values())
            .filter(Q(email__in=emails) | Q(employee_id__in=ids))
            .select_related("district", "school")
        )
        self.directory = StaffDirectory(found)
        self.existing = {
            self.key_of(record): record
            for record in self.model_queryset().filter(para__in=[p.pk for p in found])
        }
        for record in self.existing.values():
            record.para = next(p for p in found if p.pk == record.para_id)

    def model_queryset(self) -> Any:
        return self._meta.model.objects.all()

    def _para_for(self, row: dict) -> Staff | None:
        district = self.districts.get(row.get(DISTRICT))
        return self.directory.find(district, tidy(row.get("paraprofessional")))

    def find_existing(self, row: dict) -> Any:
        para = self._para_for(row)
        if para is None:
            return None
        return self.existing.get(self.existing_key(row, para))

    def clean_para(self, token: str, row: dict) -> Staff:
        if not token:
            raise ValueError("Required: an email or employee id.")
        district = self.districts.find(row.get(DISTRICT))
        member = self.directory.find(district, token)
        if member is None:
            raise ValueError(
                f"Unknown person: nobody you may record for in {district.name} has the email "
                f"or employee id “{token}”."
            )
        return member

    def describe(self, row: dict) -> str:
        return tidy(row.get("paraprofessional name")) or tidy(row.get("paraprofessional"))

    def call(self, instance: Any, milestone: Any) -> services.Saved:
        raise NotImplementedError

    def check_row(self, instance: Any, row: dict, errors: Errors) -> None:
        if errors:
            return
        milestone = instance if instance.pk else None
        # The service's own check: run it and roll it back (the confirm writes for real).
        try:
            with transaction.atomic():
                self.call(instance, milestone)
                transaction.set_rollback(True)
        except ValidationError as refused:
            by_field = refused.message_dict if hasattr(refused, "error_dict") else {}
            for field, messages in by_field.items():
                errors.setdefault(self.COLUMNS.get(field, ""), []).extend(messages)
            if not by_field:
                errors.setdefault("", []).extend(refused.messages)
            return
        self.note_key(self.key_of(instance), row, "paraprofessional", errors, "the same milestone")

    def bulk_create(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        """Rows are written in ``after_import``, through the services."""

    def bulk_update(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        """See ``bulk_create``."""

    def after_import(self, dataset: Any, result: Any, **kwargs: Any) -> None:
        super().after_import(dataset, result, **kwargs)
        rows = [(i, None) for i in self.create_instances] + [(i, i) for i in self.update_instances]
        self.create_instances.clear()
        self.update_instances.clear()
        if self._is_dry_run(kwargs) or result.has_errors() or result.has_validation_errors():
            return
        for instance, milestone in rows:
            self.call(instance, milestone)


def _person_fields() -> dict[str, Field]:
    return {
        "district": Field(attribute="para__district__name", column_name=DISTRICT, readonly=True),
        "para": Field(
            attribute="para",
            column_name="paraprofessional",
            widget=LookupWidget("clean_para", "email"),
        ),
        "para_name": Field(
            attribute="para__full_name", column_name="paraprofessional name", readonly=True
        ),
    }


_PERSON = _person_fields()
PERSON_EXAMPLE = {
    DISTRICT: EXAMPLE,
    "paraprofessional": "maria.garcia@cedarvalley.example.org",
    "paraprofessional name": "Maria Garcia",
}


def _user(resource: RosterResource) -> Any:
    return resource.user


class AssessmentResource(MilestoneResource):
    district, para, para_name = _PERSON["district"], _PERSON["para"], _PERSON["para_name"]
    kind = Field(attribute="kind", column_name="kind", widget=ChoiceWidget(Assessment.Kind))
    name = Field(attribute="name", column_name="assessment", widget=TextWidget())
    code = Field(attribute="code", column_name="code", widget=TextWidget())
    taken_on = Field(attribute="taken_on", column_name="date", widget=DateTextWidget())
    passed = Field(attribute="passed", column_name="passed", widget=YesNoWidget())

    COLUMNS = {
        "kind": "kind",
        "name": "assessment",
        "code": "code",
        "taken_on": "date",
        "passed": "passed",
        "para": "paraprofessional",
    }
    example_row = {
        **PERSON_EXAMPLE,
        "kind": "licensure",
        "assessment": "Praxis Elementary Education",
        "code": "5001",
        "date": "2026-05-09",
        "passed": "yes",
    }
    required_columns = (DISTRICT, "paraprofessional", "assessment", "date", "passed")

    class Meta(RosterResource.Meta):
        model = Assessment
        fields = ("district", "para", "para_name", "kind", "name", "code", "taken_on", "passed")
        import_id_fields = ("para",)
        use_bulk = True
        batch_size = None

    def key_of(self, record: Assessment) -> tuple:
        return (record.para_id, name_key(record.code or record.name), record.taken_on)

    def existing_key(self, row: dict, para: Staff) -> tuple:
        try:
            on = DateTextWidget().clean(row.get("date"))
        except ValueError:
            on = None
        code = tidy(row.get("code")) or tidy(row.get("assessment"))
        return (para.pk, name_key(code), on)

    def check_row(self, instance: Any, row: dict, errors: Errors) -> None:
        self.require(instance, "passed", "passed", errors, ": yes or no")
        self.require(instance, "taken_on", "date", errors)
        super().check_row(instance, row, errors)

    def call(self, instance: Assessment, milestone: Assessment | None) -> services.Saved:
        return services.record_assessment(
            para=instance.para,
            kind=instance.kind or Assessment.Kind.LICENSURE,
            name=instance.name or "",
            code=instance.code or "",
            taken_on=instance.taken_on,
            passed=bool(instance.passed),
            by=_user(self),
            verified=PERSONS.allows(self.user, "verify_assessment", instance.para),
            milestone=milestone,
        )


class EmploymentResource(MilestoneResource):
    district, para, para_name = _PERSON["district"], _PERSON["para"], _PERSON["para_name"]
    kind = Field(attribute="kind", column_name="event", widget=ChoiceWidget(EmploymentEvent.Kind))
    school = Field(
        attribute="school", column_name="school", widget=LookupWidget("clean_school", "name")
    )
    occurred_on = Field(attribute="occurred_on", column_name="date", widget=DateTextWidget())
    still_teaching = Field(
        attribute="still_teaching", column_name="still teaching", widget=YesNoWidget()
    )
    check_year = Field(
        attribute="check_year", column_name="school year ending", widget=IntegerWidget()
    )

    COLUMNS = {
        "kind": "event",
        "school": "school",
        "occurred_on": "date",
        "still_teaching": "still teaching",
        "check_year": "school year ending",
        "para": "paraprofessional",
    }
    example_row = {
        **PERSON_EXAMPLE,
        "event": "teacher_of_record",
        "school": "Cedar Valley Elementary",
        "date": "2026-08-10",
        "still teaching": "",
        "school year ending": "",
    }
    required_columns = (DISTRICT, "paraprofessional", "event", "date")

    class Meta(RosterResource.Meta):
        model = EmploymentEvent
        fields = (
            "district",
            "para",
            "para_name",
            "kind",
            "school",
            "occurred_on",
            "still_teaching",
            "check_year",
        )
        import_id_fields = ("para",)
        use_bulk = True
        batch_size = None

    def prefetch(self, dataset: Any) -> None:
        super().prefetch(dataset)
        self.schools = {
            (s.district_id, name_key(s.name)): s
            for s in School.objects.filter(district__in=self.districts.values())
        }

    def clean_school(self, name: str, row: dict) -> School | None:
        if not name:
            return None
        district = self.districts.get(row.get(DISTRICT))
        school = self.schools.get((district.pk if district else None, name_key(name)))
        if school is None:
            raise ValueError(f"Unknown school “{name}” in this district.")
        return school

    def key_of(self, record: EmploymentEvent) -> tuple:
        return (record.para_id, record.kind, record.occurred_on)

    def existing_key(self, row: dict, para: Staff) -> tuple:
        try:
            on = DateTextWidget().clean(row.get("date"))
            kind = ChoiceWidget(EmploymentEvent.Kind).clean(row.get("event"))
        except ValueError:
            return (None,)
        return (para.pk, kind, on)

    def call(self, instance: EmploymentEvent, milestone: Any) -> services.Saved:
        year = instance.check_year
        return services.record_employment(
            para=instance.para,
            kind=instance.kind or "",
            district=instance.para.district,
            occurred_on=instance.occurred_on,
            by=_user(self),
            school=instance.school,
            still_teaching=instance.still_teaching,
            check_year=year,
            milestone=milestone,
        )


class CredentialResource(MilestoneResource):
    district, para, para_name = _PERSON["district"], _PERSON["para"], _PERSON["para_name"]
    plan = Field(attribute="plan", column_name="plan", widget=LookupWidget("clean_plan", "name"))
    awarded_on = Field(attribute="awarded_on", column_name="date awarded", widget=DateTextWidget())
    exception_reason = Field(
        attribute="exception_reason", column_name="exception reason", widget=TextWidget()
    )

    COLUMNS = {
        "plan": "plan",
        "awarded_on": "date awarded",
        "exception_reason": "exception reason",
        "para": "paraprofessional",
    }
    example_row = {
        **PERSON_EXAMPLE,
        "plan": "Paraeducator Certificate",
        "date awarded": "2026-06-20",
        "exception reason": "",
    }
    required_columns = (DISTRICT, "paraprofessional", "plan", "date awarded")

    class Meta(RosterResource.Meta):
        model = Credential
        fields = ("district", "para", "para_name", "plan", "awarded_on", "exception_reason")
        import_id_fields = ("para",)
        use_bulk = True
        batch_size = None

    def prefetch(self, dataset: Any) -> None:
        super().prefetch(dataset)
        self.plans = {name_key(p.name): p for p in PLANS.managed(self.user)}

    def clean_plan(self, name: str, row: dict) -> Any:
        plan = self.plans.get(name_key(name))
        if plan is None:
            raise ValueError(f"No plan “{name}” at your college.")
        return plan

    def key_of(self, record: Credential) -> tuple:
        return (record.para_id, record.plan_id)

    def existing_key(self, row: dict, para: Staff) -> tuple:
        plan = self.plans.get(name_key(tidy(row.get("plan"))))
        return (para.pk, plan.pk if plan else None)

    def call(self, instance: Credential, milestone: Any) -> services.Saved:
        return services.record_credential(
            para=instance.para,
            plan=instance.plan,
            awarded_on=instance.awarded_on,
            by=_user(self),
            exception_reason=instance.exception_reason or "",
            milestone=milestone,
        )


def register() -> None:
    from pilot.access import Capability
    from pilot.imports.kinds import ImportKind, register

    register(
        ImportKind(
            "assessments",
            "Assessments",
            AssessmentResource,
            (Capability.MANAGE_PROGRAM,),
            "One row per assessment sitting of a paraprofessional (email or employee id in "
            "the district). Kind: licensure or paraprofessional; passed: yes or no. A row "
            "with the same person, code and date changes that result. Rows you enter are "
            "marked verified.",
        )
    )
    register(
        ImportKind(
            "employment",
            "Employment",
            EmploymentResource,
            (Capability.MANAGE_PROGRAM,),
            "One row per event: teacher_of_record (with the school), left_district, or "
            "yearly_check (still teaching yes or no, and the school year ending, e.g. 2028).",
        )
    )
    register(
        ImportKind(
            "credentials",
            "Credentials",
            CredentialResource,
            (Capability.MANAGE_COLLEGE,),
            "One row per degree or certificate of your college awarded to a paraprofessional. "
            "When the plan's blocks are not all met, the exception reason says why it is "
            "awarded anyway.",
        )
    )
