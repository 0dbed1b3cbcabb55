"""The evaluation report's figures, worked out by hand for a small session, and
the report pages' fixed number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.roles import Role
from evaluations import selectors, services
from evaluations.models import Key, Kind, Section, Stage
from evaluations.selectors import default_template, financial_year
from tests.factories import BookingFactory, TrainerFactory, UserFactory

from .builders import answered, attendee, held_session

pytestmark = pytest.mark.django_db

OUTCOME = "Recognise the signs of neglect"


def _post(booking, *, rating, then, trainer, share, advice, other="", **kwargs):
    overrides = {
        Key.TRAINER_RATING: {"number": trainer},
        Key.SHARE_LEARNING: {"number": share},
        Key.ADVICE_SOURCES: {"choices": advice, "text": other},
        **kwargs.pop("overrides", {}),
    }
    return answered(booking, Stage.POST, rating=rating, then=then, overrides=overrides, **kwargs)


@pytest.fixture
def small_session(administrator):
    """Five attendees and a no-show on a one-outcome course with a knowledge check.

        delegate  pre  post  then  trainer  share  advice             knowledge pre/post
        d1        2    4     1     5        yes    MASH, LADO         wrong / right
        d2        3    3     3     3        yes    MASH               right / right
        d3        4    3     4     2        no     Other: school nurse
        d4        –    5     2     4        yes    MASH
        d5        3    –     –     (no post-course answers)
        no-show   1    (not an attendee, so not counted)

    The template changes between the pre- and post-course answers: pairs
    still match, by the outcome's text.
    """
    session = held_session(course__learning_outcomes=OUTCOME)
    services.template_question_create(
        template=services.course_template_for(course=session.course), section=Section.KNOWLEDGE,
        kind=Kind.KNOWLEDGE, text="Who can refer to MASH?", options=["Anyone", "Only social workers"],
        correct_option="Anyone", by=administrator,
    )
    d1, d2, d3, d4, d5 = (attendee(session) for _ in range(5))
    no_show = attendee(session, "did_not_attend")
    answered(d1, Stage.PRE, rating=2, knowledge_right=False)
    answered(d2, Stage.PRE, rating=3)
    answered(d3, Stage.PRE, rating=4)
    answered(d5, Stage.PRE, rating=3)
    answered(no_show, Stage.PRE, rating=1)
    services.template_question_update(
        question=default_template().questions.get(key="hopes"), kind=Kind.LONG_TEXT, text="Hopes?", required=False,
        by=administrator,
    )
    lado = "LADO (Local Authority Designated Officer)"
    _post(d1, rating=4, then=1, trainer=5, share=1, advice=["My line manager", lado])
    _post(d2, rating=3, then=3, trainer=3, share=1, advice=["My line manager"])
    _post(d3, rating=3, then=4, trainer=2, share=0, advice=["Other"], other="School nurse")
    _post(d4, rating=5, then=2, trainer=4, share=1, advice=["My line manager"])
    return session


def test_response_rates_count_attendees_only(small_session):
    rates = selectors.session_report(small_session).rates

    assert (rates.attendees, rates.pre, rates.post, rates.follow_up) == (5, 4, 4, 0)
    assert rates.post_percent == 80


def test_pre_and_post_are_paired_per_delegate_by_outcome(small_session):
    report = selectors.session_report(small_session)

    [outcome] = report.outcomes
    assert outcome.outcome == OUTCOME
    knowledge = outcome.dimensions[0]
    assert knowledge.dimension == "Knowledge"
    change = knowledge.pre_post  # pairs (2,4) (3,3) (4,3)
    assert change.n == 3
    assert (change.median_before, change.median_after) == (3, 3)
    assert change.mean_change == pytest.approx(1 / 3)
    assert (change.improved, change.same, change.worse) == (1, 1, 1)
    assert change.test is None and change.no_test_reason == "too_few"


def test_the_then_test_pairs_within_the_post_course_answers(small_session):
    change = selectors.session_report(small_session).outcomes[0].dimensions[0].then_post  # (1,4) (3,3) (4,3) (2,5)

    assert change.n == 4
    assert (change.median_before, change.median_after) == (2.5, 3.5)
    assert (change.improved, change.same, change.worse) == (2, 1, 1)


def test_overall_increase_is_the_share_of_delegates_whose_ratings_rose(small_session):
    report = selectors.session_report(small_session)

    assert (report.overall_pre_post.n, report.overall_pre_post.increased) == (3, 1)
    assert report.overall_pre_post.percent_increased == pytest.approx(100 / 3)
    assert (report.overall_then_post.n, report.overall_then_post.increased) == (4, 2)


def test_the_course_headlines_counted_by_the_database_are_the_programme_reports(small_session):
    year = financial_year(small_session.start.date())

    headlines = selectors.programme_course_headlines(year)

    assert headlines == selectors.programme_report(year).course_headlines
    headline = headlines[small_session.course_id]
    assert (headline.overall_pre_post.n, headline.overall_pre_post.increased) == (3, 1)
    assert (headline.trainer_good.n, headline.trainer_good.yes) == (4, 3)
    assert (headline.share_learning.n, headline.share_learning.yes) == (4, 3)


def test_trainer_share_and_advice_figures(small_session):
    report = selectors.session_report(small_session)

    assert (report.trainer_good.n, report.trainer_good.yes) == (4, 3)  # Good (3) or better
    assert report.trainer_good.percent_yes == 75
    assert report.share_learning.percent_yes == 75
    counts = {bar.label: bar.count for bar in report.advice_sources.bars}
    assert counts["My line manager"] == 3
    assert counts["LADO (Local Authority Designated Officer)"] == 1
    assert counts["Other"] == 1
    assert counts["CEOP"] == 0
    assert report.advice_sources.bars[0].label == "My line manager"
    assert report.advice_sources.others == ["School nurse"]


def test_knowledge_check_scores_before_and_after(small_session):
    knowledge = selectors.session_report(small_session).knowledge

    # Pre: d1 0%, d2 100%, d3 100%, d5 100%; post: 100% for d1-d4.
    assert knowledge.pre_mean == 75
    assert knowledge.post_mean == 100
    assert knowledge.change.n == 3
    assert knowledge.change.improved == 1


def test_rating_distributions_count_every_answer(small_session):
    chart = selectors.session_report(small_session).rating_charts[0]

    assert chart.series == ["Before the course", "Before, looking back", "After the course"]
    assert chart.totals == [4, 4, 4]
    assert [bars[0].count for _label, bars in chart.rows] == [0, 1, 2, 1, 0]  # pre: 2, 3, 4, 3


def test_follow_up_reports_changed_practice_with_examples_and_the_line_managers_view():
    session = held_session(days_ago=8 * 7 + 1)
    bookings = [attendee(session) for _ in range(3)]
    services.evaluation_requests_open()
    answered(bookings[0], Stage.FOLLOW_UP, line_manager_email="boss@example.org",
             overrides={Key.PRACTICE_CHANGED: {"number": 1}, Key.PRACTICE_EXAMPLES: {"text": "I use the toolkit"}})
    answered(bookings[1], Stage.FOLLOW_UP, overrides={Key.PRACTICE_CHANGED: {"number": 0},
                                                      Key.PRACTICE_EXAMPLES: {"text": ""}})

    report = selectors.session_report(session)

    assert (report.practice_changed.n, report.practice_changed.percent_yes) == (2, 50)
    assert report.practice_examples == ["I use the toolkit"]
    assert report.rates.follow_up == 2


def test_the_test_runs_with_enough_pairs():
    session = held_session()
    for index in range(12):
        booking = attendee(session)
        answered(booking, Stage.PRE, rating=2 + index % 2)
        answered(booking, Stage.POST, rating=4, then=2)

    change = selectors.session_report(session).dimensions[0].pre_post

    assert change.n == 12
    assert change.test is not None
    assert change.test.z > 0 and change.test.p_value < 0.01


def test_the_course_report_covers_its_sessions_in_the_period(small_session):
    other_session = held_session(course=small_session.course, days_ago=10)
    booking = attendee(other_session)
    answered(booking, Stage.POST, rating=4)

    report = selectors.course_report(small_session.course, financial_year(small_session.start.date()))

    assert report.rates.post == 5


# --- a fixed number of queries -------------------------------------------------------


def _fill(session, number):
    for _ in range(number):
        booking = BookingFactory(session=session, attendance="attended")
        answered(booking, Stage.PRE, rating=2)
        answered(booking, Stage.POST, rating=4, then=1, may_quote=True,
                 overrides={Key.COMMENTS: {"text": "Useful day"}})


def _count(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("page", ["session", "course", "programme", "sessions"])
def test_report_pages_run_the_same_queries_for_few_and_many_responses(client, administrator, page):
    session = held_session()
    trainer = UserFactory(role=Role.TRAINER)
    session.trainers.add(TrainerFactory(user=trainer), TrainerFactory())
    quote_answer = None
    urls = {
        "session": reverse("evaluations:report_session", args=[session.pk]),
        "course": reverse("evaluations:report_course", args=[session.course.pk]),
        "programme": reverse("evaluations:report_programme"),
        "sessions": reverse("evaluations:result_sessions"),
    }
    client.force_login(administrator)
    _fill(session, 3)
    from evaluations.models import Answer

    quote_answer = Answer.objects.filter(text="Useful day").first()
    services.quote_publish(answer=quote_answer, text="Useful", by=administrator)
    client.get(urls[page])
    few = _count(client, urls[page])

    _fill(session, 30)
    _fill(held_session(course=session.course, days_ago=9), 10)
    many = _count(client, urls[page])

    assert many == few
    assert few <= 15, f"{page} runs {few} queries"
