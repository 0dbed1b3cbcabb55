from django.urls import reverse

from tests.factories import SessionFactory


def test_calendar_lists_an_upcoming_session(client, db):
    session = SessionFactory(course__title="Neglect – An Analytical Approach")

    response = client.get(reverse("courses:calendar"))

    assert response.status_code == 200
    assert session.course.title in response.content.decode()


def test_link_checkers_and_monitors_may_ask_for_a_page_with_head(client, db):
    response = client.head(reverse("courses:calendar"))

    assert response.status_code == 200
    assert response.content == b""
