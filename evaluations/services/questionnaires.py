"""Templates and the frozen questionnaires built from them.

Administrators edit templates (the partnership default and each course's own
questions); a delegate is always shown a frozen QuestionnaireVersion, found or
made from the templates as they are at that moment. Answers point at the
frozen questions, so later edits never change them."""

import hashlib
import json
import secrets

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from courses.models import Course

from ..exceptions import TemplateEditError
from ..models import (
    Dimension,
    EvaluationTemplate,
    Key,
    Kind,
    Question,
    QuestionnaireVersion,
    QuestionStage,
    Section,
    TemplateQuestion,
    Timing,
)

# What each stage of the questionnaire holds, in order: the learning-outcome
# ratings (with the "then" ratings after the course), the knowledge check, then
# the template questions of the stage's section.
STAGE_PLAN = {
    QuestionStage.PRE: ((Timing.NOW,), True, Section.PRE),
    QuestionStage.POST: ((Timing.NOW, Timing.THEN), True, Section.POST),
    QuestionStage.FOLLOW_UP: ((), False, Section.FOLLOW_UP),
    QuestionStage.LINE_MANAGER: ((), False, Section.LINE_MANAGER),
}
FROZEN_FIELDS = ("key", "kind", "text", "help_text", "required", "options", "allow_other", "correct_option")


def default_template() -> EvaluationTemplate:
    return EvaluationTemplate.objects.get(is_default=True)


def _composition(course: Course) -> list[dict]:
    """Every question the course asks now, as frozen question fields."""
    default = default_template()
    default_questions = list(default.questions.all())
    own = list(TemplateQuestion.objects.filter(template__course=course))
    default_keys = {q.key for q in default_questions}
    overrides = {q.key: q for q in own if q.key in default_keys}

    def section(name):
        asked = [overrides.get(q.key, q) for q in default_questions if q.section == name]
        added = [q for q in own if q.section == name and q.key not in default_keys]
        # A course's copy of a default question takes the default's place.
        return asked + sorted(added, key=lambda q: (q.position, q.pk))

    knowledge = section(Section.KNOWLEDGE)
    rows = []
    for stage, (timings, with_knowledge, section_name) in STAGE_PLAN.items():
        position = 0
        for timing in timings:
            for outcome in course.learning_outcome_list:
                for dimension in Dimension:
                    position += 1
                    rows.append(
                        {
                            "stage": stage,
                            "position": position,
                            "key": Key.OUTCOME,
                            "kind": Kind.RATING,
                            "text": str(dimension.label),
                            "help_text": "",
                            "required": True,
                            "options": list(default.rating_labels),
                            "allow_other": False,
                            "correct_option": "",
                            "outcome": outcome,
                            "dimension": dimension.value,
                            "timing": timing.value,
                        }
                    )
        for question in (knowledge if with_knowledge else []) + section(section_name):
            position += 1
            rows.append(
                {
                    "stage": stage,
                    "position": position,
                    **{name: getattr(question, name) for name in FROZEN_FIELDS},
                    "outcome": "",
                    "dimension": "",
                    "timing": "",
                }
            )
    return rows


def _fingerprint(rows: list[dict], outcomes: list[str]) -> str:
    data = json.dumps({"questions": rows, "outcomes": outcomes}, sort_keys=True, default=str)
    return hashlib.sha256(data.encode()).hexdigest()


def questionnaire_current(*, course: Course) -> QuestionnaireVersion:
    """The frozen questionnaire matching the course's templates as they are
    now: found, or made (numbered after the course's last) if they changed."""
    rows = _composition(course)
    outcomes = course.learning_outcome_list
    fingerprint = _fingerprint(rows, outcomes)
    for _attempt in range(3):
        existing = QuestionnaireVersion.objects.filter(course=course, fingerprint=fingerprint).first()
        if existing is not None:
            return existing
        try:
            with transaction.atomic():
                last = QuestionnaireVersion.objects.filter(course=course).aggregate(n=Max("number"))["n"] or 0
                version = QuestionnaireVersion.objects.create(
                    course=course, number=last + 1, fingerprint=fingerprint, learning_outcomes=outcomes
                )
                Question.objects.bulk_create(Question(version=version, **row) for row in rows)
                return version
        except IntegrityError:
            continue  # another request froze a version at the same moment; look again
    raise RuntimeError(f"Could not freeze a questionnaire for course {course.pk}")


# --- editing templates ----------------------------------------------------------


def _check_options(*, kind, options, correct_option):
    if kind == Kind.RATING and len(options) != 5:
        raise TemplateEditError(_("A rating scale needs exactly five labels, one for each point."))
    if kind in (Kind.SINGLE_CHOICE, Kind.MULTIPLE_CHOICE, Kind.KNOWLEDGE) and len(options) < 2:
        raise TemplateEditError(_("Give at least two options."))
    if len(set(options)) != len(options):
        raise TemplateEditError(_("Each option must be different."))
    if kind == Kind.KNOWLEDGE and correct_option not in options:
        raise TemplateEditError(_("The correct answer must be one of the options."))


def _touch(template: EvaluationTemplate, by) -> None:
    template.updated_by = by
    template.save(update_fields=["updated_by", "updated_at"])


@transaction.atomic
def course_template_for(*, course: Course) -> EvaluationTemplate:
    """The course's own template, made empty (asking only the default) the first time."""
    template, _created = EvaluationTemplate.objects.get_or_create(course=course, defaults={"is_default": False})
    return template


@transaction.atomic
def template_question_create(
    *,
    template: EvaluationTemplate,
    section: str,
    kind: str,
    text: str,
    help_text: str = "",
    required: bool = True,
    options: list[str] = (),
    allow_other: bool = False,
    correct_option: str = "",
    by,
) -> TemplateQuestion:
    """Add a question at the end of a template's section."""
    options = [option.strip() for option in options if option.strip()]
    if section == Section.KNOWLEDGE and kind != Kind.KNOWLEDGE:
        raise TemplateEditError(_("Questions in the knowledge check must be knowledge-check questions."))
    if kind == Kind.KNOWLEDGE and section != Section.KNOWLEDGE:
        raise TemplateEditError(_("Knowledge-check questions belong in the knowledge check."))
    if section == Section.KNOWLEDGE and template.is_default:
        raise TemplateEditError(_("Knowledge checks are written for each course, not in the default template."))
    _check_options(kind=kind, options=options, correct_option=correct_option)
    last = template.questions.filter(section=section).aggregate(n=Max("position"))["n"] or 0
    question = TemplateQuestion.objects.create(
        template=template,
        section=section,
        position=last + 1,
        key=f"q-{secrets.token_hex(4)}",
        kind=kind,
        text=text.strip(),
        help_text=help_text.strip(),
        required=required,
        options=options,
        allow_other=allow_other and kind in (Kind.SINGLE_CHOICE, Kind.MULTIPLE_CHOICE),
        correct_option=correct_option.strip() if kind == Kind.KNOWLEDGE else "",
    )
    _touch(template, by)
    return question


@transaction.atomic
def template_question_update(
    *,
    question: TemplateQuestion,
    kind: str,
    text: str,
    help_text: str = "",
    required: bool = True,
    options: list[str] = (),
    allow_other: bool = False,
    correct_option: str = "",
    by,
) -> TemplateQuestion:
    """Change a question. Questions the reports read keep their kind."""
    question = TemplateQuestion.objects.select_for_update().get(pk=question.pk)
    if question.key in Key.RESERVED and kind != question.kind:
        raise TemplateEditError(
            _("The reports read this question, so its kind stays “%(kind)s”. Change its wording or options instead.")
            % {"kind": question.get_kind_display()}
        )
    if (question.section == Section.KNOWLEDGE) != (kind == Kind.KNOWLEDGE):
        raise TemplateEditError(_("Only knowledge-check questions belong in the knowledge check."))
    options = [option.strip() for option in options if option.strip()]
    _check_options(kind=kind, options=options, correct_option=correct_option)
    question.kind = kind
    question.text = text.strip()
    question.help_text = help_text.strip()
    question.required = required
    question.options = options
    question.allow_other = allow_other and kind in (Kind.SINGLE_CHOICE, Kind.MULTIPLE_CHOICE)
    question.correct_option = correct_option.strip() if kind == Kind.KNOWLEDGE else ""
    question.save()
    _touch(question.template, by)
    return question


@transaction.atomic
def template_question_delete(*, question: TemplateQuestion, by) -> None:
    """Remove a question from a template. The default keeps the questions the
    reports read; a course's own version of one may go (the default's returns)."""
    if question.template.is_default and question.key in Key.RESERVED:
        raise TemplateEditError(
            _("The reports read this question, so the default template keeps it. You can reword it instead.")
        )
    template = question.template
    question.delete()
    _touch(template, by)


@transaction.atomic
def template_question_move(*, question: TemplateQuestion, up: bool, by) -> None:
    """Swap a question with its neighbour above or below in its section."""
    siblings = list(
        TemplateQuestion.objects.select_for_update()
        .filter(template_id=question.template_id, section=question.section)
        .order_by("position", "pk")
    )
    index = next(i for i, sibling in enumerate(siblings) if sibling.pk == question.pk)
    other = index - 1 if up else index + 1
    if not 0 <= other < len(siblings):
        return
    siblings[index], siblings[other] = siblings[other], siblings[index]
    for position, sibling in enumerate(siblings, start=1):
        if sibling.position != position:
            sibling.position = position
            sibling.save(update_fields=["position"])
    _touch(siblings[0].template, by)


@transaction.atomic
def template_question_override(*, course: Course, question: TemplateQuestion, by) -> TemplateQuestion:
    """Give a course its own copy of a default question (e.g. advice sources
    that fit the course), which then replaces the default's for that course."""
    if not question.template.is_default:
        raise TemplateEditError(_("Only questions of the default template can be changed for one course."))
    template = course_template_for(course=course)
    existing = template.questions.filter(key=question.key).first()
    if existing is not None:
        return existing
    copy = TemplateQuestion.objects.create(
        template=template,
        section=question.section,
        position=question.position,
        **{name: getattr(question, name) for name in FROZEN_FIELDS},
    )
    _touch(template, by)
    return copy


@transaction.atomic
def rating_labels_update(*, labels: list[str], by) -> EvaluationTemplate:
    """The five labelled points on which delegates rate each learning outcome."""
    labels = [label.strip() for label in labels]
    if len(labels) != 5 or not all(labels):
        raise TemplateEditError(_("Give a label for each of the five points."))
    template = default_template()
    template.rating_labels = labels
    template.updated_by = by
    template.save(update_fields=["rating_labels", "updated_by", "updated_at"])
    return template
