"""Forms for observations: they parse and present; the rules are the services'.

Choices always come from what the user may reach."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Model

from mentoring.models import Pairing
from pilot import limits
from pilot.forms.widgets import DateInput
from pilot.validators import no_invisible_controls

from .models import (
    Acknowledgement,
    Indicator,
    Level,
    LevelDescriptor,
    Observation,
    Quote,
    Rating,
    Reopening,
    Rubric,
    RubricDomain,
)
from .schedule import KINDS
from .services import IndicatorEdit, ObservationInput

COMMENT_LABELS = {
    "strengths": "Strengths",
    "growth": "Areas for growth",
    "next_steps": "Next steps",
}
QUOTABLE_HELP = (
    "I agree that this comment may be quoted, without names, in the program report "
    f"(a quote can be up to {limits.QUOTE:,} characters)."
)


def _text_field(model: type[Model], name: str, *, rows: int, **kwargs: Any) -> forms.CharField:
    """A textarea for a model's limited text: the same maximum, shown on the form."""
    return model._meta.get_field(name).formfield(
        widget=forms.Textarea(attrs={"rows": rows}), **kwargs
    )


class NewObservationForm(forms.Form):
    kind = forms.ChoiceField(label="Kind of observation", widget=forms.RadioSelect)
    observed_on = forms.DateField(label="Date observed", widget=DateInput())

    def __init__(self, *args: object, pairing: Pairing, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.pairing = pairing
        taken = set(pairing.observations.values_list("kind", flat=True))
        self.fields["kind"].choices = [
            (kind, Observation.Kind(kind).label) for kind in KINDS if kind not in taken
        ]


@dataclass
class IndicatorFields:
    """One indicator's radio buttons and evidence note, for the template."""

    indicator: Indicator
    score: forms.BoundField
    evidence: forms.BoundField
    choices: list[dict]


@dataclass
class DomainFields:
    domain: RubricDomain
    indicators: list[IndicatorFields]


class ObservationForm(forms.Form):
    """The teacher's form: a rating and evidence per indicator, comments, quote consent.

    ``domains`` is the rubric outline (``observations.queries.rubric_outline``).
    Every rating is optional while drafting; ``require_every_rating()`` is for submitting.
    """

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    observed_on = forms.DateField(label="Date observed", widget=DateInput())
    strengths = _text_field(Observation, "strengths", label=COMMENT_LABELS["strengths"], rows=3)
    growth = _text_field(Observation, "growth", label=COMMENT_LABELS["growth"], rows=3)
    next_steps = _text_field(Observation, "next_steps", label=COMMENT_LABELS["next_steps"], rows=3)
    quotable_strengths = forms.BooleanField(
        label="Strengths may be quoted", required=False, help_text=QUOTABLE_HELP
    )
    quotable_growth = forms.BooleanField(
        label="Areas for growth may be quoted",
        required=False,
        help_text=QUOTABLE_HELP + " Not offered unless you tick it.",
    )
    quotable_next_steps = forms.BooleanField(
        label="Next steps may be quoted", required=False, help_text=QUOTABLE_HELP
    )

    def __init__(
        self,
        *args: object,
        observation: Observation,
        domains: list[RubricDomain],
        **kwargs: object,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.observation = observation
        self.domains = domains
        self.indicators = [i for d in domains for i in d.indicator_list]
        for indicator in self.indicators:
            self.fields[f"score_{indicator.pk}"] = forms.TypedChoiceField(
                label=indicator.statement,
                choices=Level.choices,
                coerce=int,
                empty_value=None,
                required=False,
                widget=forms.RadioSelect,
            )
            self.fields[f"evidence_{indicator.pk}"] = _text_field(
                Rating,
                "evidence",
                label="Evidence note",
                rows=2,
                help_text="What you saw or heard that supports this rating.",
            )

    @classmethod
    def initial_for(cls, observation: Observation, ratings: list) -> dict:
        initial = {
            "version": observation.version,
            "observed_on": observation.observed_on,
            **{name: getattr(observation, name) for name in Observation.COMMENT_FIELDS},
        }
        offered = {quote.comment for quote in observation.quotes.all()}
        for name in Observation.COMMENT_FIELDS:
            # A comment written and saved is offered only when the teacher left it ticked;
            # one not written yet starts from its kind's default.
            chosen = bool(getattr(observation, name))
            default = name in Quote.OFFERED_BY_DEFAULT
            initial[f"quotable_{name}"] = name in offered if chosen else default
        for rating in ratings:
            initial[f"score_{rating.indicator_id}"] = rating.score
            initial[f"evidence_{rating.indicator_id}"] = rating.evidence
        return initial

    def require_every_rating(self, missing: list[Indicator]) -> None:
        for indicator in missing:
            self.add_error(f"score_{indicator.pk}", "Choose a rating before submitting.")

    def to_input(self) -> ObservationInput:
        data = self.cleaned_data
        return ObservationInput(
            observed_on=data["observed_on"],
            ratings={
                i.pk: (data.get(f"score_{i.pk}"), data.get(f"evidence_{i.pk}", ""))
                for i in self.indicators
            },
            comments={name: data.get(name, "") for name in Observation.COMMENT_FIELDS},
            quotable={name for name in Observation.COMMENT_FIELDS if data.get(f"quotable_{name}")},
        )

    def grouped(self) -> list[DomainFields]:
        """The rating fields grouped by domain, each with its level descriptors."""
        groups = []
        for domain in self.domains:
            items = []
            for indicator in domain.indicator_list:
                score = self[f"score_{indicator.pk}"]
                selected = str(score.value() or "")
                descriptors = {d.level: d.text for d in indicator.descriptor_list}
                choices = [
                    {
                        "value": level,
                        "label": label,
                        "descriptor": descriptors.get(level, ""),
                        "id": f"id_score_{indicator.pk}_{level}",
                        "checked": selected == str(level),
                    }
                    for level, label in Level.choices
                ]
                items.append(
                    IndicatorFields(indicator, score, self[f"evidence_{indicator.pk}"], choices)
                )
            groups.append(DomainFields(domain, items))
        return groups


class AcknowledgeForm(forms.Form):
    response = _text_field(
        Acknowledgement,
        "response",
        label="Your response (optional)",
        rows=3,
        help_text="Acknowledging means you have received this observation, not that you agree.",
    )


class ReopenForm(forms.Form):
    reason = _text_field(
        Reopening,
        "reason",
        label="Reason for reopening",
        rows=3,
        help_text="The teacher reads this. The paraprofessional's acknowledgement is cleared.",
    )


class QuoteConsentForm(forms.Form):
    comments = forms.MultipleChoiceField(
        label="Comments that may be quoted",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=QUOTABLE_HELP,
    )

    def __init__(self, *args: object, observation: Observation, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.observation = observation
        self.fields["comments"].choices = [
            (name, COMMENT_LABELS[name])
            for name in Observation.COMMENT_FIELDS
            if getattr(observation, name)
        ]


class QuoteDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("approve", "Approve"), ("decline", "Decline"), ("undo", "Undo the decision")]
    )

    @property
    def approve(self) -> bool:
        return self.cleaned_data["decision"] == "approve"

    @property
    def undo(self) -> bool:
        return self.cleaned_data["decision"] == "undo"


class SeenQuotesField(forms.Field):
    """Quotes as a page showed them: each ``<uuid>@<updated_at>``, parsed to a dict, so the
    service can tell a quote reworded since the page was loaded."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value: object) -> dict[str, datetime]:
        seen = {}
        for token in value or []:
            uuid, _, when = str(token).partition("@")
            try:
                seen[str(UUID(uuid))] = datetime.fromisoformat(when)
            except ValueError:
                raise ValidationError(
                    "The quotes could not be read: load the page again.", code="invalid"
                ) from None
        return seen

    @staticmethod
    def token(quote: Quote) -> str:
        return f"{quote.uuid}@{quote.updated_at.isoformat()}"


class QuoteApprovalForm(forms.Form):
    """Approve the ticked quotes, or every one the page showed ("select all shown")."""

    quote = SeenQuotesField(required=False, label="Quotes to approve")
    shown = SeenQuotesField(required=False)
    everyone = forms.CharField(required=False)

    def chosen(self) -> dict[str, datetime]:
        data = self.cleaned_data
        return data["shown"] if data["everyone"] == "shown" else data["quote"]


class RubricPublishForm(forms.Form):
    """A new version: a copy of the current one, with any wording changed here."""

    title = forms.CharField(max_length=200, validators=[no_invisible_controls])
    notes = _text_field(
        Rubric,
        "notes",
        label="What changed",
        required=True,
        rows=3,
        help_text="Shown with the version, so observers know what is different.",
    )

    def __init__(self, *args: object, domains: list[RubricDomain], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.domains = domains
        for domain in domains:
            for indicator in domain.indicator_list:
                self.fields[f"statement_{indicator.pk}"] = forms.CharField(
                    label="Indicator",
                    max_length=200,
                    initial=indicator.statement,
                    validators=[no_invisible_controls],
                )
                descriptors = {d.level: d.text for d in indicator.descriptor_list}
                for level, label in Level.choices:
                    self.fields[f"descriptor_{indicator.pk}_{level}"] = _text_field(
                        LevelDescriptor,
                        "text",
                        label=f"{label} ({level})",
                        initial=descriptors.get(level, ""),
                        rows=2,
                    )

    def grouped(self) -> list[tuple[RubricDomain, list[tuple[Indicator, list]]]]:
        return [
            (
                domain,
                [
                    (
                        indicator,
                        [self[f"statement_{indicator.pk}"]]
                        + [self[f"descriptor_{indicator.pk}_{level}"] for level in Level.values],
                    )
                    for indicator in domain.indicator_list
                ],
            )
            for domain in self.domains
        ]

    def edits(self) -> dict[int, IndicatorEdit]:
        data = self.cleaned_data
        return {
            indicator.pk: IndicatorEdit(
                statement=data[f"statement_{indicator.pk}"].strip(),
                descriptors=[
                    data[f"descriptor_{indicator.pk}_{level}"].strip() for level in Level.values
                ],
            )
            for domain in self.domains
            for indicator in domain.indicator_list
        }
