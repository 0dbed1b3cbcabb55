"""Evaluations: what is asked (editable templates and the frozen questionnaire
versions built from them), who is asked (requests), what they answered, the
quotes the business unit publishes and the anonymous equal opportunities returns.

Templates are edited freely; what a delegate answers is always a frozen
`QuestionnaireVersion` with its own `Question` rows, so editing a template never
changes an answer already given.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    """The kinds of question an administrator can ask."""

    RATING = "rating", _("Rating scale (1 to 5, each point labelled)")
    SINGLE_CHOICE = "single_choice", _("Single choice")
    MULTIPLE_CHOICE = "multiple_choice", _("Multiple choice")
    YES_NO = "yes_no", _("Yes or no")
    SHORT_TEXT = "short_text", _("Short text")
    LONG_TEXT = "long_text", _("Long text")
    KNOWLEDGE = "knowledge", _("Knowledge check (multiple choice with one correct answer)")


CHOICE_KINDS = (Kind.SINGLE_CHOICE, Kind.MULTIPLE_CHOICE, Kind.KNOWLEDGE)
TEXT_KINDS = (Kind.SHORT_TEXT, Kind.LONG_TEXT)


class Section(models.TextChoices):
    """Where a template question is asked. Knowledge-check questions are asked
    twice, before and after the course."""

    PRE = "pre", _("Pre-course")
    POST = "post", _("Post-course")
    FOLLOW_UP = "follow_up", _("Follow-up")
    LINE_MANAGER = "line_manager", _("Line manager's view")
    KNOWLEDGE = "knowledge", _("Knowledge check (pre and post)")


class Dimension(models.TextChoices):
    """What a delegate rates for each learning outcome."""

    KNOWLEDGE = "knowledge", _("Knowledge")
    SKILLS = "skills", _("Skills")
    CONFIDENCE = "confidence", _("Confidence")


class Timing(models.TextChoices):
    NOW = "now", _("Now")
    # The retrospective "then-test": after the course, how the delegate now
    # judges they were before it (corrects response-shift bias).
    THEN = "then", _("Before the course, looking back")


class Key:
    """Keys of the questions the reports read. Administrators may reword these
    questions and change their options, but not their kind, and the default
    template always keeps them."""

    OUTCOME = "outcome"  # the rating block asked for each learning outcome
    TRAINER_RATING = "trainer_rating"
    RELEVANCE = "relevance"
    SHARE_LEARNING = "share_learning"
    ADVICE_SOURCES = "advice_sources"
    PRACTICE_CHANGE = "practice_change"
    REQUIREMENTS_MET = "requirements_met"
    COMMENTS = "comments"
    PRACTICE_CHANGED = "practice_changed"
    PRACTICE_EXAMPLES = "practice_examples"
    MANAGER_SEEN_CHANGE = "manager_seen_change"
    MANAGER_EXAMPLES = "manager_examples"

    RESERVED = {
        TRAINER_RATING: Kind.RATING,
        RELEVANCE: Kind.RATING,
        SHARE_LEARNING: Kind.YES_NO,
        ADVICE_SOURCES: Kind.MULTIPLE_CHOICE,
        PRACTICE_CHANGE: Kind.LONG_TEXT,
        REQUIREMENTS_MET: Kind.SINGLE_CHOICE,
        COMMENTS: Kind.LONG_TEXT,
        PRACTICE_CHANGED: Kind.YES_NO,
        PRACTICE_EXAMPLES: Kind.LONG_TEXT,
        MANAGER_SEEN_CHANGE: Kind.YES_NO,
        MANAGER_EXAMPLES: Kind.LONG_TEXT,
    }


class EvaluationTemplate(models.Model):
    """The partnership-wide default (no course) or one course's own additions.

    A course's questionnaire is the default's questions, with any the course
    template overrides (same key) replaced, plus the course's own questions,
    its knowledge check and a rating block for each of its learning outcomes."""

    course = models.OneToOneField(
        "courses.Course", on_delete=models.CASCADE, null=True, blank=True, related_name="evaluation_template"
    )
    is_default = models.BooleanField(default=False)
    rating_labels = models.JSONField(
        default=list,
        blank=True,
        help_text=_("The five labelled points delegates rate each learning outcome on (default template only)."),
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["is_default"], condition=Q(is_default=True), name="one_default_template"),
            models.CheckConstraint(
                condition=Q(is_default=True, course__isnull=True) | Q(is_default=False, course__isnull=False),
                name="template_is_default_or_for_a_course",
            ),
        ]

    def __str__(self):
        return str(_("Partnership default")) if self.is_default else str(self.course)


class TemplateQuestion(models.Model):
    """An editable question of a template."""

    template = models.ForeignKey(EvaluationTemplate, on_delete=models.CASCADE, related_name="questions")
    section = models.CharField(max_length=20, choices=Section.choices)
    position = models.PositiveIntegerField(default=0)
    # Stable across edits and versions: reports find "the trainer rating" by
    # key, and a course question with a default question's key replaces it.
    key = models.SlugField(max_length=60)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    text = models.CharField(_("question"), max_length=300)
    help_text = models.CharField(_("hint"), max_length=300, blank=True)
    required = models.BooleanField(_("an answer is required"), default=True)
    options = models.JSONField(default=list, blank=True)
    allow_other = models.BooleanField(_('offer "Other" with a box to say what'), default=False)
    correct_option = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["section", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["template", "key"], name="one_question_per_key_per_template"),
        ]

    def __str__(self):
        return self.text


class QuestionnaireVersion(models.Model):
    """A frozen questionnaire for one course: every question of every stage as
    it was when first shown. Made when the composition (default, course
    template, learning outcomes) changes; never edited afterwards."""

    course = models.ForeignKey("courses.Course", on_delete=models.PROTECT, related_name="questionnaire_versions")
    number = models.PositiveIntegerField()
    fingerprint = models.CharField(max_length=64)
    learning_outcomes = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["course", "number"]
        constraints = [
            models.UniqueConstraint(fields=["course", "number"], name="one_version_number_per_course"),
            models.UniqueConstraint(fields=["course", "fingerprint"], name="one_version_per_composition"),
        ]

    def __str__(self):
        return f"{self.course} v{self.number}"


class Stage(models.TextChoices):
    """The questionnaires a delegate is asked, in order."""

    PRE = "pre", _("Pre-course")
    POST = "post", _("Post-course")
    FOLLOW_UP = "follow_up", _("Follow-up")


# How each stage is named in URLs.
STAGE_SLUGS = {Stage.PRE: "pre-course", Stage.POST: "post-course", Stage.FOLLOW_UP: "follow-up"}


class Respondent(models.TextChoices):
    DELEGATE = "delegate", _("Delegate")
    LINE_MANAGER = "line_manager", _("Line manager")


class QuestionStage(models.TextChoices):
    PRE = "pre", _("Pre-course")
    POST = "post", _("Post-course")
    FOLLOW_UP = "follow_up", _("Follow-up")
    LINE_MANAGER = "line_manager", _("Line manager's view")


class Question(models.Model):
    """One frozen question of a version, the thing an answer points at."""

    version = models.ForeignKey(QuestionnaireVersion, on_delete=models.CASCADE, related_name="questions")
    stage = models.CharField(max_length=20, choices=QuestionStage.choices)
    position = models.PositiveIntegerField()
    key = models.SlugField(max_length=60)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    text = models.CharField(max_length=300)
    help_text = models.CharField(max_length=300, blank=True)
    required = models.BooleanField(default=True)
    options = models.JSONField(default=list, blank=True)
    allow_other = models.BooleanField(default=False)
    correct_option = models.CharField(max_length=200, blank=True)
    # Set on the rating block asked for each learning outcome.
    outcome = models.CharField(max_length=500, blank=True)
    dimension = models.CharField(max_length=20, choices=Dimension.choices, blank=True)
    timing = models.CharField(max_length=10, choices=Timing.choices, blank=True)

    class Meta:
        ordering = ["version", "stage", "position"]
        constraints = [
            models.UniqueConstraint(fields=["version", "stage", "position"], name="one_question_per_place"),
        ]

    def __str__(self):
        return self.text

    @property
    def is_outcome_rating(self):
        return bool(self.outcome)


class EvaluationRequest(models.Model):
    """A delegate asked for one stage of a course's evaluation. One per booking
    and stage; the delegate's answers hang off it as a Response, and a
    line manager's view of the follow-up as a second one."""

    booking = models.ForeignKey("bookings.Booking", on_delete=models.PROTECT, related_name="evaluation_requests")
    stage = models.CharField(max_length=20, choices=Stage.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    # Post-course and follow-up close on a date; pre-course closes when the session starts.
    closes_at = models.DateTimeField(null=True, blank=True)
    reminders_sent = models.PositiveSmallIntegerField(default=0)
    last_reminded_at = models.DateTimeField(null=True, blank=True)
    # That the delegate gave an equal opportunities return; the return itself
    # is stored with no link back (see EqualOpportunitiesReturn).
    equal_opportunities_given = models.BooleanField(default=False)
    line_manager_email = models.EmailField(blank=True)
    line_manager_invited_at = models.DateTimeField(null=True, blank=True)
    line_manager_closes_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["booking", "stage"], name="one_request_per_booking_per_stage"),
        ]
        indexes = [models.Index(fields=["stage", "created_at"])]

    def __str__(self):
        return f"{self.get_stage_display()} evaluation for booking {self.booking_id}"

    @property
    def stage_slug(self):
        return STAGE_SLUGS[self.stage]


class Response(models.Model):
    """A submitted questionnaire. Submitted once: there is no draft and no edit."""

    request = models.ForeignKey(EvaluationRequest, on_delete=models.PROTECT, related_name="responses")
    respondent = models.CharField(max_length=20, choices=Respondent.choices, default=Respondent.DELEGATE)
    version = models.ForeignKey(QuestionnaireVersion, on_delete=models.PROTECT, related_name="responses")
    submitted_at = models.DateTimeField(auto_now_add=True)
    # The delegate's answer to "may we quote your comments anonymously?";
    # only then are their comments offered for publishing. Responses from
    # before the question was asked count as not agreed.
    may_quote = models.BooleanField(_("comments may be quoted anonymously"), default=False)

    class Meta:
        ordering = ["submitted_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["request", "respondent"], name="one_response_per_request_per_respondent"),
        ]

    def __str__(self):
        return f"{self.get_respondent_display()} response to request {self.request_id}"


class Answer(models.Model):
    """One answer. A rating is `number` (1 to 5) and yes/no is `number` 1 or 0;
    choices (single, multiple, knowledge) are the chosen option labels in
    `choices`, with `text` holding what was written under "Other"; text
    questions use `text`. A knowledge-check answer records `is_correct`."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    number = models.PositiveSmallIntegerField(null=True, blank=True)
    choices = models.JSONField(default=list, blank=True)
    text = models.TextField(blank=True)
    is_correct = models.BooleanField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="one_answer_per_question"),
        ]

    def __str__(self):
        return f"Answer to {self.question_id}"


class Quote(models.Model):
    """A delegate's comment an administrator published, anonymously, for the
    annual report. The text may be trimmed (names removed); the answer itself
    is never changed."""

    answer = models.OneToOneField(Answer, on_delete=models.CASCADE, related_name="quote")
    text = models.TextField()
    published_at = models.DateTimeField(auto_now_add=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-published_at", "-pk"]

    def __str__(self):
        return self.text[:60]


PREFER_NOT_TO_SAY = ("prefer_not_to_say", _("Prefer not to say"))


class AgeBand(models.TextChoices):
    UNDER_25 = "16_24", _("16 to 24")
    FROM_25 = "25_34", _("25 to 34")
    FROM_35 = "35_44", _("35 to 44")
    FROM_45 = "45_54", _("45 to 54")
    FROM_55 = "55_64", _("55 to 64")
    OVER_65 = "65_plus", _("65 or over")
    PREFER_NOT_TO_SAY = PREFER_NOT_TO_SAY


class Sex(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    PREFER_NOT_TO_SAY = PREFER_NOT_TO_SAY


class YesNoPrefer(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")
    PREFER_NOT_TO_SAY = PREFER_NOT_TO_SAY


class Ethnicity(models.TextChoices):
    # The five high-level groups of the 2021 Census for England.
    ASIAN = "asian", _("Asian or Asian British")
    BLACK = "black", _("Black, Black British, Caribbean or African")
    MIXED = "mixed", _("Mixed or multiple ethnic groups")
    WHITE = "white", _("White")
    OTHER = "other", _("Another ethnic group")
    PREFER_NOT_TO_SAY = PREFER_NOT_TO_SAY


class Religion(models.TextChoices):
    NONE = "none", _("No religion")
    BUDDHIST = "buddhist", _("Buddhist")
    CHRISTIAN = "christian", _("Christian")
    HINDU = "hindu", _("Hindu")
    JEWISH = "jewish", _("Jewish")
    MUSLIM = "muslim", _("Muslim")
    SIKH = "sikh", _("Sikh")
    OTHER = "other", _("Another religion")
    PREFER_NOT_TO_SAY = PREFER_NOT_TO_SAY


class SexualOrientation(models.TextChoices):
    STRAIGHT = "straight", _("Straight or heterosexual")
    GAY_LESBIAN = "gay_lesbian", _("Gay or lesbian")
    BISEXUAL = "bisexual", _("Bisexual")
    OTHER = "other", _("Another sexual orientation")
    PREFER_NOT_TO_SAY = PREFER_NOT_TO_SAY


class EqualOpportunitiesReturn(models.Model):
    """An anonymous equal opportunities return, kept apart from identity: no
    link to a user, booking, request or response, a random key (so the order
    of rows reveals nothing) and no time finer than the session's month.
    Reported only in aggregate, with small counts suppressed (see
    evaluations.statistics); never registered in the admin, exported row by
    row or logged (tests/privacy/test_equality_monitoring.py)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    course = models.ForeignKey("courses.Course", on_delete=models.PROTECT, related_name="+")
    session_month = models.DateField(help_text=_("The first day of the month the session was held in."))
    age_band = models.CharField(_("age"), max_length=20, choices=AgeBand.choices, blank=True)
    sex = models.CharField(_("sex"), max_length=20, choices=Sex.choices, blank=True)
    gender_same_as_birth = models.CharField(
        _("gender identity the same as the sex registered at birth"),
        max_length=20,
        choices=YesNoPrefer.choices,
        blank=True,
    )
    ethnicity = models.CharField(_("ethnic group"), max_length=20, choices=Ethnicity.choices, blank=True)
    disability = models.CharField(_("disability"), max_length=20, choices=YesNoPrefer.choices, blank=True)
    religion = models.CharField(_("religion or belief"), max_length=20, choices=Religion.choices, blank=True)
    sexual_orientation = models.CharField(
        _("sexual orientation"), max_length=20, choices=SexualOrientation.choices, blank=True
    )

    MONITORED_FIELDS = (
        "age_band",
        "sex",
        "gender_same_as_birth",
        "ethnicity",
        "disability",
        "religion",
        "sexual_orientation",
    )

    class Meta:
        indexes = [models.Index(fields=["session_month", "course"])]

    def __str__(self):
        return f"Equal opportunities return {self.id}"
