"""The partnership-wide default evaluation template: the questions every course
asks, which administrators then edit on the staff pages. Courses add their own
learning outcomes (rated in every questionnaire), knowledge checks and questions.

The keys of these questions are the ones the reports read (evaluations.models.Key).
"""

from django.db import migrations

RATING_LABELS = ["Very low", "Low", "Fair", "Good", "Very good"]

# (section, key, kind, text, hint, required, options, allow_other)
QUESTIONS = [
    (
        "pre", "hopes", "long_text", "What do you most hope to learn from this course?",
        "Your trainer reads these before the session.", False, [], False,
    ),
    (
        "post", "trainer_rating", "rating", "How would you rate the trainer?", "", True,
        ["Poor", "Fair", "Good", "Very good", "Excellent"], False,
    ),
    (
        "post", "relevance", "rating", "How relevant was the course content to your work?", "", True,
        ["Not relevant", "Slightly relevant", "Fairly relevant", "Very relevant", "Extremely relevant"], False,
    ),
    (
        "post", "share_learning", "yes_no", "I will share this learning with colleagues and my line manager",
        "", True, [], False,
    ),
    (
        "post", "advice_sources", "multiple_choice", "Where would you go for further advice and support?",
        "Select all that apply.", True,
        [
            "The partnership website",
            "MASH (Multi-Agency Safeguarding Hub)",
            "My line manager",
            "My organisation's designated safeguarding lead",
            "London Child Protection Procedures",
            "LADO (Local Authority Designated Officer)",
            "CAMHS",
            "CEOP",
            "Safer London",
            "The course toolkit",
        ],
        True,
    ),
    (
        "post", "practice_change", "long_text", "How will this course change your practice?",
        "For example, something you will do differently next week.", True, [], False,
    ),
    (
        "post", "requirements_met", "single_choice", "Were your additional requirements met?", "", True,
        ["Yes", "Partly", "No", "I had no additional requirements"], False,
    ),
    ("post", "comments", "long_text", "Any other comments about the course", "", False, [], False),
    (
        "follow_up", "practice_changed", "yes_no", "Has the course changed your practice?", "", True, [], False,
    ),
    (
        "follow_up", "practice_examples", "long_text", "Give an example of what you now do differently",
        "Leave out anything that could identify a child or family.", False, [], False,
    ),
    (
        "follow_up", "barriers", "long_text", "Has anything made it hard to use what you learned?", "", False, [],
        False,
    ),
    (
        "line_manager", "manager_seen_change", "yes_no",
        "Have you seen a change in their practice since the course?", "", True, [], False,
    ),
    (
        "line_manager", "manager_examples", "long_text", "What difference has it made?",
        "Leave out anything that could identify a child or family.", False, [], False,
    ),
]


def create_default(apps, schema_editor):
    EvaluationTemplate = apps.get_model("evaluations", "EvaluationTemplate")
    TemplateQuestion = apps.get_model("evaluations", "TemplateQuestion")
    template, created = EvaluationTemplate.objects.get_or_create(
        is_default=True, defaults={"rating_labels": RATING_LABELS}
    )
    if not created:
        return
    positions = {}
    for section, key, kind, text, hint, required, options, allow_other in QUESTIONS:
        positions[section] = positions.get(section, 0) + 1
        TemplateQuestion.objects.create(
            template=template,
            section=section,
            position=positions[section],
            key=key,
            kind=kind,
            text=text,
            help_text=hint,
            required=required,
            options=options,
            allow_other=allow_other,
        )


def remove_default(apps, schema_editor):
    apps.get_model("evaluations", "EvaluationTemplate").objects.filter(is_default=True).delete()


class Migration(migrations.Migration):
    dependencies = [("evaluations", "0001_initial")]

    operations = [migrations.RunPython(create_default, remove_default)]
