"""A delegate's comment is published as a quote only if they agreed, on the
post-course (or follow-up) form, that it may be quoted anonymously."""

import pytest
from django.urls import reverse

from core.periods import financial_year
from evaluations import services
from evaluations.exceptions import EvaluationError
from evaluations.models import Answer, Key, Quote, Response, Stage
from evaluations.selectors import quotes_published
from tests.evaluations.builders import answered, answers, attendee, held_session

pytestmark = pytest.mark.django_db


def _comment(booking):
    return Answer.objects.get(response__request__booking=booking, question__key=Key.COMMENTS)


def _post_course_form(booking, **extra):
    version = services.questionnaire_current(course=booking.session.course)
    values = answers(version, Stage.POST, overrides={Key.COMMENTS: {"text": "It changed how I refer"}})
    data = {"version": version.pk, **extra}
    for question in version.questions.filter(stage=Stage.POST):
        value = values[question.pk]
        if "number" in value:
            data[f"q{question.pk}"] = str(value["number"])
        elif "choices" in value:
            data[f"q{question.pk}"] = value["choices"]
        else:
            data[f"q{question.pk}"] = value["text"]
    return data


def test_the_post_course_form_asks_whether_comments_may_be_quoted(client):
    booking = attendee(held_session())
    client.force_login(booking.user)
    url = reverse("evaluations:respond", args=[booking.pk, "post-course"])

    assert "may be quoted anonymously" in client.get(url).content.decode()
    client.post(url, _post_course_form(booking, may_quote="on"))

    assert Response.objects.get(request__booking=booking).may_quote is True


def test_leaving_the_box_unticked_means_not_agreed(client):
    booking = attendee(held_session())
    client.force_login(booking.user)

    client.post(reverse("evaluations:respond", args=[booking.pk, "post-course"]), _post_course_form(booking))

    assert Response.objects.get(request__booking=booking).may_quote is False


def test_a_comment_not_agreed_for_quoting_cannot_be_published(administrator):
    booking = attendee(held_session())
    answered(booking, Stage.POST, overrides={Key.COMMENTS: {"text": "Jo from Northgate was brilliant."}})

    with pytest.raises(EvaluationError, match="did not agree"):
        services.quote_publish(answer=_comment(booking), text="The trainer was brilliant.", by=administrator)

    assert not Quote.objects.exists()


def test_the_report_offers_only_agreed_comments_for_publishing(client, administrator):
    session = held_session()
    agreed, refused = attendee(session), attendee(session)
    answered(agreed, Stage.POST, may_quote=True, overrides={Key.COMMENTS: {"text": "You may quote me"}})
    answered(refused, Stage.POST, overrides={Key.COMMENTS: {"text": "Keep this to yourselves"}})
    client.force_login(administrator)

    page = client.get(reverse("evaluations:report_session", args=[session.pk])).content.decode()

    assert reverse("evaluations:quote_publish", args=[_comment(agreed).pk]) in page
    assert reverse("evaluations:quote_publish", args=[_comment(refused).pk]) not in page
    refused_url = reverse("evaluations:quote_publish", args=[_comment(refused).pk])
    client.post(refused_url, {"text": "Keep this to yourselves"})
    assert not Quote.objects.exists()


def test_a_quote_published_before_anyone_was_asked_is_no_longer_shown(administrator):
    """Existing responses count as not agreed: a quote made from one before
    the question was asked stays out of the reports until withdrawn."""
    booking = attendee(held_session())
    answered(booking, Stage.POST, overrides={Key.COMMENTS: {"text": "Published without asking"}})
    Quote.objects.create(answer=_comment(booking), text="Published without asking", published_by=administrator)
    period = financial_year(booking.session.start.date())

    assert list(quotes_published(period)) == []



def test_a_quote_published_before_anyone_was_asked_can_be_withdrawn_from_the_report(client, administrator):
    booking = attendee(held_session())
    answered(booking, Stage.POST, overrides={Key.COMMENTS: {"text": "Published without asking"}})
    Quote.objects.create(answer=_comment(booking), text="Published without asking", published_by=administrator)
    client.force_login(administrator)
    report = reverse("evaluations:report_session", args=[booking.session_id])

    page = client.get(report).content.decode()
    withdraw = reverse("evaluations:quote_withdraw", args=[_comment(booking).pk])
    assert withdraw in page
    assert f'href="{reverse("evaluations:quote_publish", args=[_comment(booking).pk])}' not in page

    client.post(withdraw)
    assert not Quote.objects.exists()
