"""The pilot's three questions: one set of choices shared by every app.

Pairing focus areas, mentoring goals, the domains a course targets and the rubric's
domains all use these, so growth can be lined up with coursework.
"""

from django.db import models


class PilotQuestion(models.TextChoices):
    CLASSROOM_SUPPORT = "classroom_support", "Classroom Support"
    ENGAGEMENT = "engagement", "Engagement with the Profession"
    CLASSROOM_MANAGEMENT = "classroom_management", "Classroom Management"
