"""The default rubric (version 1): the pilot's three domains, their indicators, and a
descriptor for each level of the 1–4 scale (Beginning, Developing, Proficient, Exemplary).

Migration 0002 writes it; ``services.ensure_rubric`` writes it again into a database that
lost it (a flushed test database). Version 1 is fixed: do not edit this content; later
versions are published from the site by a program coordinator.
"""

from typing import Any

TITLE = "Paraprofessional Observation Rubric"

# (question, [(key, statement, (beginning, developing, proficient, exemplary)), ...])
DEFAULT_RUBRIC = [
    (
        "classroom_support",
        [
            (
                "clear-learning-targets",
                "States clear learning targets",
                (
                    "Rarely tells students what they are learning or why.",
                    "States the target when prompted; students cannot yet restate it.",
                    "States the lesson's target in student-friendly words and returns to it.",
                    "Students can explain the target and how they will know they have met it.",
                ),
            ),
            (
                "effective-feedback",
                "Gives effective feedback that moves students forward",
                (
                    "Feedback is general praise or correction without a next step.",
                    "Feedback names what is right or wrong but seldom a next step.",
                    "Feedback is specific, timely and tells the student what to do next.",
                    "Students act on the feedback at once and give useful feedback to peers.",
                ),
            ),
            (
                "student-ownership",
                "Builds student ownership of learning",
                (
                    "Does the work for students or gives answers directly.",
                    "Sometimes asks students to try first, then steps in quickly.",
                    "Prompts students to try, explain their thinking and check their own work.",
                    "Students set goals, choose strategies and track their own progress.",
                ),
            ),
            (
                "self-teach-self-assess",
                "Uses self-teach and self-assess strategies one-on-one",
                (
                    "One-on-one time is spent re-explaining the lesson.",
                    "Models a strategy but seldom has the student practise it alone.",
                    "Teaches a strategy, has the student use it and check the result.",
                    "The student uses the strategies unprompted in new tasks.",
                ),
            ),
        ],
    ),
    (
        "engagement",
        [
            (
                "each-students-needs",
                "Focuses on each student's needs",
                (
                    "Treats the group as one; individual needs go unnoticed.",
                    "Notices individual needs but responds the same way to each.",
                    "Adjusts support to each student's plan, strengths and needs.",
                    "Anticipates needs and shares what works for each student with the teacher.",
                ),
            ),
            (
                "many-avenues",
                "Reaches students through many avenues",
                (
                    "Uses one way of explaining regardless of the student.",
                    "Tries a second approach when the first does not work.",
                    "Uses visual, spoken, written and hands-on approaches as the task needs.",
                    "Draws on students' interests, languages and cultures to reach each one.",
                ),
            ),
            (
                "reflects-and-applies",
                "Reflects on practice with the mentor teacher and applies coursework",
                (
                    "Rarely discusses practice or coursework with the mentor teacher.",
                    "Discusses practice when asked; applies coursework occasionally.",
                    "Brings questions to mentoring and tries what coursework suggests.",
                    "Reflects on evidence, sets own goals and shares ideas with colleagues.",
                ),
            ),
        ],
    ),
    (
        "classroom_management",
        [
            (
                "monitors-continuously",
                "Monitors activities and behaviour continuously",
                (
                    "Notices off-task behaviour only once it disrupts the class.",
                    "Monitors the assigned group but loses sight of the room.",
                    "Scans and circulates, redirecting quietly before problems grow.",
                    "Students stay on task with little prompting; routines run themselves.",
                ),
            ),
            (
                "tier1-support",
                "Supports Tier 1 instruction as the teacher directs",
                (
                    "Support does not match the teacher's lesson or directions.",
                    "Follows directions but needs frequent reminders of the plan.",
                    "Supports the lesson as planned and reports back what students need.",
                    "Anticipates the teacher's plan and adapts support within it seamlessly.",
                ),
            ),
        ],
    ),
]


def create_default_rubric(apps: Any, schema_editor: Any) -> None:
    """Write version 1 with ``apps``' models (historical ones in the migration)."""
    Rubric = apps.get_model("observations", "Rubric")
    RubricDomain = apps.get_model("observations", "RubricDomain")
    Indicator = apps.get_model("observations", "Indicator")
    LevelDescriptor = apps.get_model("observations", "LevelDescriptor")
    if Rubric.objects.filter(version=1).exists():
        return
    rubric = Rubric.objects.create(
        version=1,
        title=TITLE,
        notes="The pilot's first rubric: three domains, nine indicators, a 1–4 scale.",
    )
    for d_pos, (question, indicators) in enumerate(DEFAULT_RUBRIC, start=1):
        domain = RubricDomain.objects.create(rubric=rubric, question=question, position=d_pos)
        for i_pos, (key, statement, descriptors) in enumerate(indicators, start=1):
            indicator = Indicator.objects.create(
                rubric=rubric, domain=domain, key=key, statement=statement, position=i_pos
            )
            LevelDescriptor.objects.bulk_create(
                LevelDescriptor(indicator=indicator, level=level, text=text)
                for level, text in enumerate(descriptors, start=1)
            )
