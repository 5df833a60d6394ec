"""How many characters each kind of free text may hold (the README's "Text limits").

A limit is kept three times over: the form shows it (``maxlength`` and "Up to N
characters.") and refuses more with a message naming the field, the model refuses it in
``full_clean`` (imports and services that validate), and the database refuses it with a
CHECK constraint per column named ``<table>_<column>_max_length`` (``max_length_check``).
Names and other one-line text are ``CharField``s: their ``varchar(N)`` is the limit.
"""

from typing import Any

from django.db import models
from django.db.models import Value
from django.db.models.functions import Concat, Left, Length
from django.db.models.lookups import LessThanOrEqual

NOTES = 4000  # a mentoring session's notes
NEXT_STEPS = 2000  # a session's next steps
GOAL = 1000  # a mentoring goal
REASON = 1000  # why a pairing ended early; why an observation was reopened
COMMENT = 2000  # an observation's strengths, areas for growth, next steps
EVIDENCE = 1000  # the evidence note of one rating
RESPONSE = 2000  # a paraprofessional's response to an observation
QUOTE = 600  # a quotable comment: short enough to quote in the pilot report
DESCRIPTION = 2000  # a course or degree plan; what changed in a rubric version
DESCRIPTOR = 500  # what one level of the rubric looks like for one indicator
AUDIT_DETAIL = 2000  # the detail of an access-log entry (written by the application)
EMAIL_BODY = 20000  # an email the site sends (written by the application)
SYSTEM_MESSAGE = 2000  # why a mail or a background job failed (written by the application)


def max_length_check(field: str, limit: int) -> models.CheckConstraint:
    """The database's copy of a text field's limit, for the model's ``Meta.constraints``."""
    return models.CheckConstraint(
        condition=LessThanOrEqual(Length(field), limit),
        name=f"%(app_label)s_%(class)s_{field}_max_length",
    )


def shorten_stored_text(apps: Any, model: str, fields: dict[str, int]) -> int:
    """For the migration that adds limits: cut text stored before them to fit, ending it
    with "…", so that the CHECK constraints can be added. Returns the rows shortened."""
    manager = apps.get_model(model)._base_manager
    shortened = 0
    for field, limit in fields.items():
        shortened += (
            manager.alias(chars=Length(field))
            .filter(chars__gt=limit)
            .update(
                **{
                    field: Concat(
                        Left(field, limit - 1), Value("…"), output_field=models.TextField()
                    )
                }
            )
        )
    return shortened
