"""The demo partnership's evaluations: pre-course, post-course and follow-up
answers for the sessions already held (most delegates improve, many stay the
same on some ratings, a few go down), knowledge checks on a few courses, line
managers' views, equal opportunities returns, certificates and published
quotes; and, for the demo delegate, one evaluation of each stage still open.

Written through the services, so the data obeys the same rules as real
answers. Idempotent: bookings that already have an evaluation request are
left alone, and knowledge checks and quotes are added only where none exist."""

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from bookings.models import Booking
from courses.models import Session

from . import services
from .models import (
    Answer,
    EqualOpportunitiesReturn,
    EvaluationRequest,
    EvaluationTemplate,
    Key,
    Kind,
    Quote,
    Section,
    Stage,
    Timing,
)
from .selectors import default_template, questionnaire_questions

KNOWLEDGE_CHECKS = {
    "neglect-an-analytical-approach": [
        (
            "Which tool helps practitioners assess the care a child receives?",
            ["The Graded Care Profile", "The Common Assessment Framework", "A body map"],
            "The Graded Care Profile",
        ),
        (
            "Neglect is most often identified by…",
            ["A single serious incident", "A pattern of concerns over time", "A child telling a teacher"],
            "A pattern of concerns over time",
        ),
    ],
    "marac-awareness": [
        (
            "What does MARAC assess?",
            ["High-risk domestic abuse cases", "School attendance", "Missing children"],
            "High-risk domestic abuse cases",
        ),
        (
            "Which checklist is used to identify high risk?",
            ["The DASH risk checklist", "The Early Help assessment", "The CSE screening tool"],
            "The DASH risk checklist",
        ),
    ],
    "safeguarding-children-level-3-designated-safeguarding-leads": [
        (
            "Who should you contact when an allegation is made against a member of staff?",
            ["The LADO", "The police only", "The child's GP"],
            "The LADO",
        ),
        (
            "Keeping Children Safe in Education is guidance for…",
            ["Schools and colleges", "Health visitors", "The police"],
            "Schools and colleges",
        ),
    ],
}
ONLINE_ADVICE = [
    "The partnership website",
    "MASH (Multi-Agency Safeguarding Hub)",
    "My line manager",
    "CEOP",
    "Internet Watch Foundation",
    "UK Safer Internet Centre",
    "The course toolkit",
]
PRACTICE_CHANGES = [
    "I will use the Graded Care Profile when I am worried about neglect, rather than relying on my instinct.",
    "I will record my concerns more clearly and share them with our DSL on the same day.",
    "I now know to phone the MASH for advice before a situation escalates.",
    "I will ask children directly about what life is like at home and write down what they say.",
    "I will check the London Child Protection Procedures before making a referral.",
    "I will think about the whole family, including fathers and new partners, not just mum.",
    "I feel more confident challenging other professionals when I disagree with a decision.",
    "I will share the toolkit with my team at our next meeting.",
    "I will contact the LADO whenever a concern is about a member of staff or a volunteer.",
    "I will look out for signs of exploitation in young people who go missing, even for a few hours.",
    "I will make sure the young carers in our school are identified and offered support.",
    "I will be professionally curious and not accept the first explanation I am given.",
]
COMMENTS = [
    "A really engaging trainer with lots of practical examples from local cases.",
    "Hearing from other agencies was the most useful part of the day.",
    "Would have liked more time for the case studies.",
    "Very relevant to my role as a designated safeguarding lead.",
    "A lot of content for the time available, but the handouts will help.",
    "Excellent – every practitioner working with families should attend this.",
    "The venue was hard to find but the course itself was very good.",
]
FOLLOW_UP_EXAMPLES = [
    "I made a referral to the MASH that I would not have made before the course, and it was accepted.",
    "Our team now uses the neglect toolkit in supervision.",
    "I now record the child's voice in every assessment I write.",
    "I challenged a decision at a strategy meeting using what I learned.",
    "I asked a young person about who they spend time with and it led to a disclosure.",
]
MANAGER_EXAMPLES = [
    "Their referrals are clearer and better evidenced.",
    "They led a team briefing on the learning and others have changed their practice too.",
    "More confident in multi-agency meetings.",
]
HOPES = [
    "To feel more confident about when to refer.",
    "To understand what other agencies do.",
    "Refresh my knowledge for my new role.",
]
EO_WEIGHTS = {
    "age_band": {"16_24": 5, "25_34": 25, "35_44": 30, "45_54": 25, "55_64": 10, "65_plus": 2, "prefer_not_to_say": 3},
    "sex": {"female": 78, "male": 19, "prefer_not_to_say": 3},
    "gender_same_as_birth": {"yes": 95, "no": 1, "prefer_not_to_say": 4},
    "ethnicity": {"white": 58, "black": 16, "asian": 15, "mixed": 5, "other": 2, "prefer_not_to_say": 4},
    "disability": {"no": 86, "yes": 9, "prefer_not_to_say": 5},
    "religion": {
        "none": 33,
        "christian": 40,
        "muslim": 14,
        "hindu": 4,
        "jewish": 2,
        "sikh": 2,
        "buddhist": 1,
        "other": 1,
        "prefer_not_to_say": 3,
    },
    "sexual_orientation": {"straight": 88, "gay_lesbian": 4, "bisexual": 3, "other": 1, "prefer_not_to_say": 4},
}


def _pick(rng, weights: dict):
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _clamp(value):
    return max(1, min(5, value))


class _Delegate:
    """One delegate's ratings on one session: where they start on each
    dimension, how much the course moves them, and how they look back."""

    def __init__(self, rng):
        self.rng = rng
        self.start = {
            dimension: rng.choice([1, 2, 2, 2, 3, 3, 3, 4]) for dimension in ("knowledge", "skills", "confidence")
        }
        self.gain = {dimension: _pick(rng, {2: 25, 1: 48, 0: 22, -1: 5}) for dimension in self.start}

    def pre(self, dimension):
        return self.start[dimension]

    def post(self, dimension):
        return _clamp(self.start[dimension] + self.gain[dimension])

    def then(self, dimension):
        # Looking back, people often find they knew less than they thought.
        return _clamp(self.start[dimension] + _pick(self.rng, {-1: 35, 0: 55, 1: 10}))


def _answers(rng, questions, delegate: _Delegate, *, stage, knowledge_rate=0.6, changed=True):
    values = {}
    for question in questions:
        if question.is_outcome_rating:
            if stage == "pre":
                number = delegate.pre(question.dimension)
            elif question.timing == Timing.THEN:
                number = delegate.then(question.dimension)
            else:
                number = delegate.post(question.dimension)
            values[question.pk] = {"number": number}
        elif question.kind == Kind.KNOWLEDGE:
            right = rng.random() < knowledge_rate
            wrong = [option for option in question.options if option != question.correct_option]
            values[question.pk] = {"choices": [question.correct_option if right else rng.choice(wrong)]}
        elif question.key == Key.TRAINER_RATING:
            values[question.pk] = {"number": _pick(rng, {5: 45, 4: 35, 3: 15, 2: 4, 1: 1})}
        elif question.key == Key.RELEVANCE:
            values[question.pk] = {"number": _pick(rng, {5: 35, 4: 40, 3: 18, 2: 6, 1: 1})}
        elif question.key in (Key.SHARE_LEARNING, Key.MANAGER_SEEN_CHANGE):
            values[question.pk] = {"number": 1 if rng.random() < 0.88 else 0}
        elif question.key == Key.PRACTICE_CHANGED:
            values[question.pk] = {"number": 1 if changed else 0}
        elif question.key == Key.ADVICE_SOURCES:
            chosen = rng.sample(question.options, k=rng.choice([1, 2, 2, 3]))
            other = rng.random() < 0.05
            values[question.pk] = {
                "choices": chosen + (["Other"] if other else []),
                "text": "Our school nurse" if other else "",
            }
        elif question.key == Key.REQUIREMENTS_MET:
            values[question.pk] = {
                "choices": [_pick(rng, {question.options[-1]: 80, question.options[0]: 17, question.options[1]: 3})]
            }
        elif question.key == Key.PRACTICE_CHANGE:
            values[question.pk] = {"text": rng.choice(PRACTICE_CHANGES)}
        elif question.key == Key.COMMENTS:
            values[question.pk] = {"text": rng.choice(COMMENTS) if rng.random() < 0.35 else ""}
        elif question.key == Key.PRACTICE_EXAMPLES:
            values[question.pk] = {"text": rng.choice(FOLLOW_UP_EXAMPLES) if changed else ""}
        elif question.key == Key.MANAGER_EXAMPLES:
            values[question.pk] = {"text": rng.choice(MANAGER_EXAMPLES)}
        elif question.key == "hopes":
            values[question.pk] = {"text": rng.choice(HOPES) if rng.random() < 0.3 else ""}
    return values


def _course_setup(by):
    """Knowledge checks on a few courses, and the online-safety course's own advice sources."""
    from courses.models import Course

    for slug, questions in KNOWLEDGE_CHECKS.items():
        course = Course.objects.filter(slug=slug).first()
        if course is None:
            continue
        template = services.course_template_for(course=course)
        if template.questions.filter(section=Section.KNOWLEDGE).exists():
            continue
        for text, options, correct in questions:
            services.template_question_create(
                template=template,
                section=Section.KNOWLEDGE,
                kind=Kind.KNOWLEDGE,
                text=text,
                options=options,
                correct_option=correct,
                by=by,
            )
    online = Course.objects.filter(slug="online-safety-for-practitioners").first()
    if online is not None and not EvaluationTemplate.objects.filter(course=online).exists():
        advice = default_template().questions.get(key=Key.ADVICE_SOURCES)
        copy = services.template_question_override(course=online, question=advice, by=by)
        services.template_question_update(
            question=copy,
            kind=Kind.MULTIPLE_CHOICE,
            text=copy.text,
            help_text=copy.help_text,
            options=ONLINE_ADVICE,
            allow_other=True,
            by=by,
        )


class _Questionnaires:
    """Each course's questionnaire, frozen once: the templates do not change
    while the demo is written."""

    def __init__(self):
        self.versions = {}
        self.questions = {}

    def get(self, course, stage):
        if course.pk not in self.versions:
            self.versions[course.pk] = services.questionnaire_current(course=course)
        version = self.versions[course.pk]
        if (version.pk, stage) not in self.questions:
            self.questions[version.pk, stage] = questionnaire_questions(version, stage)
        return version, self.questions[version.pk, stage]


def _submit(booking, stage, values_for, *, now, forms):
    version, questions = forms.get(booking.session.course, stage)
    # Three in four agree to be quoted; decided by the booking, not the
    # random stream, so the rest of the demo data stays as it was.
    may_quote = stage in (Stage.POST, Stage.FOLLOW_UP) and booking.pk % 4 != 0
    return services.evaluation_submit(
        booking=booking, stage=stage, version=version, answers=values_for(questions), may_quote=may_quote, now=now
    )


def _evaluate(booking, rng, *, now, forms):
    """A delegate's whole history on a held session: pre-course (most),
    post-course (most of those who came), follow-up (some), as it would
    have happened."""
    session = booking.session
    delegate = _Delegate(rng)
    attended = booking.attendance in Booking.ATTENDED_VALUES
    knowledge_pre = rng.uniform(0.4, 0.7)
    if rng.random() < 0.78:
        _submit(
            booking,
            Stage.PRE,
            lambda qs: _answers(rng, qs, delegate, stage="pre", knowledge_rate=knowledge_pre),
            now=session.start - dt.timedelta(days=rng.randint(1, 6)),
            forms=forms,
        )
    if not attended:
        return
    answered_at = session.register_submitted_at + dt.timedelta(days=rng.randint(0, 6))
    EvaluationRequest.objects.get_or_create(
        booking=booking,
        stage=Stage.POST,
        defaults={"closes_at": session.register_submitted_at + dt.timedelta(days=28)},
    )
    if rng.random() < 0.86:
        response = _submit(
            booking,
            Stage.POST,
            lambda qs: _answers(rng, qs, delegate, stage="post", knowledge_rate=0.85),
            now=answered_at,
            forms=forms,
        )
        if rng.random() < 0.5:
            services.equal_opportunities_submit(
                request=response.request, answers={name: _pick(rng, EO_WEIGHTS[name]) for name in EO_WEIGHTS}
            )
    follow_up_due = session.end + dt.timedelta(weeks=8)
    if follow_up_due > now:
        return
    request, _created = EvaluationRequest.objects.get_or_create(
        booking=booking, stage=Stage.FOLLOW_UP, defaults={"closes_at": follow_up_due + dt.timedelta(days=28)}
    )
    if rng.random() < 0.45:
        changed = rng.random() < 0.72
        answered_at = follow_up_due + dt.timedelta(days=rng.randint(1, 10))
        _submit(
            booking,
            Stage.FOLLOW_UP,
            lambda qs: _answers(rng, qs, delegate, stage="follow_up", changed=changed),
            now=answered_at,
            forms=forms,
        )
        if changed and rng.random() < 0.2:
            # The line manager was asked and answered (set directly: the demo sends no e-mail).
            request.line_manager_email = booking.user.line_manager_email
            request.line_manager_invited_at = answered_at
            request.line_manager_closes_at = answered_at + dt.timedelta(days=28)
            request.save(update_fields=["line_manager_email", "line_manager_invited_at", "line_manager_closes_at"])
            version, questions = forms.get(session.course, "line_manager")
            services.line_manager_submit(
                request=request,
                version=version,
                answers=_answers(rng, questions, delegate, stage="line_manager"),
                now=answered_at + dt.timedelta(days=2),
            )


def _quotes(by, rng):
    if Quote.objects.exists():
        return
    candidates = list(
        Answer.objects.filter(question__key__in=[Key.PRACTICE_CHANGE, Key.PRACTICE_EXAMPLES], response__may_quote=True)
        .select_related("question", "response")
        .order_by("pk")
    )
    seen = set()
    for answer in rng.sample(candidates, k=min(40, len(candidates))):
        if answer.text in seen or len(seen) >= 10:
            continue
        seen.add(answer.text)
        services.quote_publish(answer=answer, text=answer.text, by=by)


def _demo_delegate(delegate, now, forms):
    """Dana Delegate has one evaluation of each stage open, and one done with its certificate."""
    if Booking.objects.filter(user=delegate).exists():
        return

    def with_place(sessions):
        for session in sessions:
            if session.bookings.filter(status__in=Booking.PLACE_STATUSES).count() < session.capacity:
                return session
        return None

    held = Session.objects.filter(end__lt=now, register_submitted_at__isnull=False).order_by("-start")
    upcoming = with_place(Session.objects.filter(start__gt=now, status=Session.Status.SCHEDULED).order_by("start"))
    recent = with_place(held)
    earlier = with_place(held.filter(end__lt=now - dt.timedelta(weeks=8)))
    if upcoming:
        booking = Booking.objects.create(session=upcoming, user=delegate, status=Booking.Status.CONFIRMED)
        services.evaluation_pre_course_open(booking=booking, now=now)
    if recent:
        booking = Booking.objects.create(
            session=recent, user=delegate, status=Booking.Status.CONFIRMED, attendance=Booking.Attendance.ATTENDED
        )
        # The demo keeps it open whenever it is run.
        EvaluationRequest.objects.create(booking=booking, stage=Stage.POST, closes_at=now + dt.timedelta(days=21))
    if earlier and earlier != recent:
        booking = Booking.objects.create(
            session=earlier, user=delegate, status=Booking.Status.CONFIRMED, attendance=Booking.Attendance.ATTENDED
        )
        rng = random.Random(7)
        person = _Delegate(rng)
        EvaluationRequest.objects.create(booking=booking, stage=Stage.POST, closes_at=now + dt.timedelta(days=21))
        _submit(booking, Stage.POST, lambda qs: _answers(rng, qs, person, stage="post"), now=now, forms=forms)
        EvaluationRequest.objects.create(booking=booking, stage=Stage.FOLLOW_UP, closes_at=now + dt.timedelta(days=21))


@transaction.atomic
def evaluation_demo_seed(*, administrator, delegate, today: dt.date | None = None) -> dict:
    now = timezone.now()
    if today is not None:  # the demo's "today", which may not be the real one
        now = timezone.make_aware(dt.datetime.combine(today, timezone.localtime(now).time()))
    rng = random.Random(2026)
    _course_setup(administrator)
    forms = _Questionnaires()
    _demo_delegate(delegate, now, forms)
    bookings = (
        Booking.objects.filter(
            status=Booking.Status.CONFIRMED,
            session__end__lt=now,
            session__register_submitted_at__isnull=False,
            evaluation_requests__isnull=True,
        )
        .select_related("session__course", "user")
        .order_by("session__start", "pk")
    )
    count = 0
    for booking in bookings:
        _evaluate(booking, random.Random(f"{booking.session.course.slug}/{booking.user.email}"), now=now, forms=forms)
        count += 1
    upcoming = Booking.objects.filter(
        status=Booking.Status.CONFIRMED, session__start__gt=now, evaluation_requests__isnull=True
    ).select_related("session__course", "user")
    for booking in upcoming:
        services.evaluation_pre_course_open(booking=booking, now=now)
        person_rng = random.Random(f"pre/{booking.session.course.slug}/{booking.user.email}")
        if person_rng.random() < 0.4:
            person = _Delegate(person_rng)
            _submit(
                booking,
                Stage.PRE,
                lambda qs, p=person, r=person_rng: _answers(r, qs, p, stage="pre"),
                now=now,
                forms=forms,
            )
    _quotes(administrator, rng)
    return {"evaluated_bookings": count, "equal_opportunities_returns": EqualOpportunitiesReturn.objects.count()}
