from django.urls import reverse

from tests.factories import SessionFactory


def test_calendar_lists_an_upcoming_session(client, db):
    session = SessionFactory(course__title="Neglect – An Analytical Approach")

    response = client.get(reverse("courses:calendar"))

    assert response.status_code == 200
    assert session.course.title in response.content.decode()
