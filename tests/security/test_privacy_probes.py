"""Issue 12, items 11 and 12 and two of the low findings, replayed: equality
figures undone by differencing, erasure that left the person in e-mails, notes
and quotes, a subject access file holding a colleague's address, and the
erasure search that put the subject's name in the access logs."""

import datetime as dt
import itertools
import json
from collections import Counter

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from bookings import emails as booking_emails
from bookings.models import BookingHistory
from bookings.services import booking_substitute
from core.models import OutboundEmail
from evaluations.models import EqualOpportunitiesReturn, Key, Quote, Stage
from evaluations.services import quote_publish
from privacy import services
from tests.evaluations.builders import answered, attendee, held_session
from tests.factories import AgencyFactory, BookingFactory, CourseFactory, SessionFactory, UserFactory

pytestmark = pytest.mark.django_db

THRESHOLD = 5  # settings.EQUALITY_SUPPRESS_BELOW's default


# --- Item 11: equality figures and differencing ------------------------------------------------


def _month(year, month):
    return dt.date(year, month, 1)


def _returns(course, month, how_many, **answers):
    EqualOpportunitiesReturn.objects.bulk_create(
        EqualOpportunitiesReturn(course=course, session_month=month, **answers) for _ in range(how_many)
    )
    return [(course.pk, month, answers)] * how_many


def _published(response):
    """{(question, answer): count} of the equality figures a page showed, or
    None when it showed none."""
    monitoring = response.context.get("monitoring") if response.context else None
    if not monitoring:
        return None
    return {(table.field, label): count for table in monitoring["tables"] for label, count in table.rows}


def _labelled(answers):
    for name, value in answers.items():
        yield name, dict(EqualOpportunitiesReturn._meta.get_field(name).choices)[value]


def _hidden_counts_revealed(smaller, larger, difference):
    """The differencing attack: subtract one report's published counts from
    another's and read the result as the count of the returns in `larger` and
    not in `smaller` (`difference`, their true answers). A count there from 1
    to threshold − 1 that the subtraction gives exactly is a person's answer
    revealed, that neither report shows on its own."""
    truth = Counter(key for answers in difference for key in _labelled(answers))
    revealed = []
    for key, true_count in truth.items():
        if not 0 < true_count < THRESHOLD:
            continue
        if smaller.get(key) is not None and larger.get(key) is not None and larger[key] - smaller[key] == true_count:
            revealed.append((key, true_count))
    return revealed


@pytest.fixture
def returns_2024():
    """Financial year 2024–25: a programme's returns with four men in
    December, and one course with a single return in June."""
    programme, small = CourseFactory(), CourseFactory()
    rows = []
    rows += _returns(programme, _month(2024, 4), 20, sex="female")
    rows += _returns(programme, _month(2024, 5), 10, sex="male")
    rows += _returns(programme, _month(2024, 12), 4, sex="male")
    rows += _returns(small, _month(2024, 4), 6, sex="female", age_band="25_34")
    rows += _returns(small, _month(2024, 5), 3, sex="female", age_band="35_44")
    rows += _returns(small, _month(2024, 5), 3, sex="female", age_band="45_54")
    rows += _returns(small, _month(2024, 6), 1, sex="male", age_band="25_34")
    return {"programme": programme, "small": small, "rows": rows}


def _answers_between(rows, start, end, course=None):
    return [answers for course_pk, month, answers in rows
            if start <= month <= end and (course is None or course_pk == course.pk)]


def test_the_old_differencing_attacks_reveal_nothing(client, administrator, returns_2024):
    """April–November against April–December (four men in December), and one
    course to May against to June (one man in June), asked of every page that
    took a period or a course."""
    client.force_login(administrator)
    small, rows = returns_2024["small"], returns_2024["rows"]
    apr, nov, dec = dt.date(2024, 4, 1), dt.date(2024, 11, 30), dt.date(2024, 12, 31)
    may, june = dt.date(2024, 5, 31), dt.date(2024, 6, 30)
    attacks = [
        (reverse("evaluations:report_programme"), None, (apr, nov), (apr, dec)),
        (reverse("evaluations:report_course", args=[small.pk]), small, (apr, may), (apr, june)),
    ]
    revealed = []
    for url, course, (start_a, end_a), (start_b, end_b) in attacks:
        a = _published(client.get(url, {"start": start_a, "end": end_a}))
        b = _published(client.get(url, {"start": start_b, "end": end_b}))
        if a is None or b is None:
            continue
        difference = _answers_between(rows, end_a + dt.timedelta(days=1), end_b, course)
        revealed += _hidden_counts_revealed(a, b, difference)

    assert revealed == []


def test_equality_figures_cannot_be_asked_for_part_of_a_year_or_a_course(client, administrator, returns_2024):
    client.force_login(administrator)
    url = reverse("evaluations:report_equality")
    crafted = [
        {"start": "2024-04-01", "end": "2024-11-30"},
        {"year": "2024", "end": "2024-11-30"},
        {"year": "2024", "course": str(returns_2024["small"].pk)},
        {"year": "2024", "session": "1"},
        {"year": "2024-06"},
        {"year": "1999"},
    ]
    for query in crafted:
        response = client.get(url, query)

        assert response.status_code == 200
        assert _published(response) is None, query
        assert "There is a problem" in response.content.decode(), query

    assert _published(client.get(url, {"year": "2024"})) is not None


def test_every_pair_of_years_offered_reveals_nothing_below_the_threshold(client, administrator, returns_2024):
    """Four financial years and the one still running, with small groups in
    each; the attack runs over every pair of years the page offers."""
    programme, rows = returns_2024["programme"], list(returns_2024["rows"])
    for year, men in [(2021, 3), (2022, 7), (2023, 11), (2025, 4)]:
        rows += _returns(programme, _month(year, 9), 12, sex="female")
        rows += _returns(programme, _month(year, 10), men, sex="male")
    today = timezone.localdate()
    running = today.year if today.month >= 4 else today.year - 1
    rows += _returns(programme, _month(today.year, today.month), 1, sex="male")
    client.force_login(administrator)
    url = reverse("evaluations:report_equality")

    offered = [int(value) for value, _label in client.get(url).context["form"].fields["year"].choices]
    assert offered == list(range(running - 1, 2020, -1))  # whole years only: not the one still running

    reports = {year: _published(client.get(url, {"year": year})) for year in offered}
    for year, figures in reports.items():
        assert all(count is None or count == 0 or count >= THRESHOLD for count in figures.values()), year
        assert all(count is None or count % 5 == 0 for count in figures.values()), year
    revealed = []
    for a, b in itertools.permutations(offered, 2):
        a_start, a_end = dt.date(a, 4, 1), dt.date(a + 1, 3, 31)
        in_b_not_a = [answers for _course, month, answers in rows
                      if dt.date(b, 4, 1) <= month <= dt.date(b + 1, 3, 31) and not a_start <= month <= a_end]
        revealed += _hidden_counts_revealed(reports[a], reports[b], in_b_not_a)
    assert revealed == []


def test_the_equality_page_says_counts_are_rounded_to_the_nearest_five(client, administrator, returns_2024):
    client.force_login(administrator)

    response = client.get(reverse("evaluations:report_equality"), {"year": "2024"})

    page = response.content.decode()
    assert "rounded to the nearest 5" in page
    assert _published(response)[("sex", "Female")] == 30  # 32 women
    assert _published(response)[("sex", "Male")] == 15  # 15 men


def test_the_programme_and_course_reports_no_longer_show_equality_figures(client, administrator, returns_2024):
    client.force_login(administrator)
    period = {"start": "2024-04-01", "end": "2025-03-31"}

    for url in [reverse("evaluations:report_programme"),
                reverse("evaluations:report_course", args=[returns_2024["small"].pk])]:
        response = client.get(url, period)

        assert _published(response) is None
        assert reverse("evaluations:report_equality") in response.content.decode()


# --- Item 12: erasure and subject access -----------------------------------------------------


@pytest.fixture
def colleagues():
    """Erin passed her place to her colleague Cal, and the session was held.
    Her line manager was asked to approve a place for her, and a comment of
    hers was published as a quote."""
    agency = AgencyFactory()
    erin = UserFactory(first_name="Erin", last_name="Erase", email="erin.erase@example.org", agency=agency)
    cal = UserFactory(first_name="Cal", last_name="Colleague", email="cal.colleague@example.org", agency=agency)
    session = SessionFactory()
    erins = BookingFactory(session=session, user=erin)
    cals = booking_substitute(booking=erins, colleague=cal, by=erin)
    session.start, session.end = session.start - dt.timedelta(days=30), session.end - dt.timedelta(days=30)
    session.save()
    booking_emails.booking_awaiting_approval(erins, ["boss.of.erin@example.org"])
    earlier = attendee(held_session(), user=erin)
    response = answered(earlier, Stage.POST, may_quote=True,
                        overrides={Key.COMMENTS: {"text": "Erin thinks this changed her practice"}})
    comment = response.answers.get(question__key=Key.COMMENTS)
    quote_publish(answer=comment, text=comment.text, by=UserFactory())
    return {"erin": erin, "cal": cal, "erins": erins, "cals": cals}


def _mentions(text, *needles):
    return any(needle.lower() in text.lower() for needle in needles)


def test_erasure_takes_the_person_out_of_e_mails_to_others(colleagues, administrator):
    erin, cal = colleagues["erin"], colleagues["cal"]
    assert OutboundEmail.objects.filter(to=["boss.of.erin@example.org"]).exists()

    services.person_erase(user=erin, by=administrator)

    for email in OutboundEmail.objects.all():
        written = " ".join([*email.to, *email.cc, email.subject, email.body, email.html_body])
        assert not _mentions(written, "Erin Erase", "erin.erase@example.org"), email.subject
    assert OutboundEmail.objects.filter(to=[cal.email]).exists()  # Cal keeps his own


def test_erasure_takes_the_person_out_of_a_colleagues_booking_history(colleagues, administrator):
    services.person_erase(user=colleagues["erin"], by=administrator)

    for note in BookingHistory.objects.values_list("note", flat=True):
        assert not _mentions(note, "Erin Erase", "erin.erase@example.org"), note
    [cals] = BookingHistory.objects.filter(booking=colleagues["cals"])
    assert cals.note.startswith("substitute for ")


def test_erasure_unpublishes_quotes_copied_from_the_persons_answers(colleagues, administrator):
    assert Quote.objects.filter(text__icontains="Erin").exists()

    services.person_erase(user=colleagues["erin"], by=administrator)

    assert not Quote.objects.filter(text__icontains="Erin").exists()


def test_erasing_someone_else_leaves_a_namesakes_e_mails_alone(colleagues, administrator):
    erin = colleagues["erin"]
    body = f"Dear {erin.get_full_name()}"  # another person of the same name, at another address
    other = OutboundEmail.objects.create(to=["namesake@elsewhere.example"], subject="Your place", body=body)

    services.person_erase(user=erin, by=administrator)

    other.refresh_from_db()
    assert (other.subject, other.body) == ("Your place", body)


def test_the_subject_access_file_holds_no_one_elses_address(client, colleagues):
    for person, colleague in [(colleagues["cal"], colleagues["erin"]), (colleagues["erin"], colleagues["cal"])]:
        client.force_login(person)

        data = client.get(reverse("privacy:my_data")).content.decode()

        assert colleague.email not in data
        assert person.email in data
        notes = [entry["note"] for booking in json.loads(data)["bookings"] for entry in booking["history"]]
        assert any("a colleague" in note for note in notes), notes


# --- Low: the erasure search and quotes ---------------------------------------------------------


def test_the_erasure_search_keeps_the_name_out_of_the_address(client, administrator):
    erin = attendee(held_session(), user=UserFactory(first_name="Erin", last_name="Erase")).user
    client.force_login(administrator)
    url = reverse("privacy:erasure_search")

    asked_in_the_address = client.get(url, {"q": "erin erase"}).content.decode()
    found = client.post(url, {"q": "erin erase"}).content.decode()

    confirm = reverse("privacy:erasure_confirm", args=[erin.pk])
    assert confirm not in asked_in_the_address
    assert confirm in found
    assert 'method="post"' in client.get(url).content.decode()


def test_the_erasure_search_needs_the_csrf_token(administrator):
    client = Client(enforce_csrf_checks=True)
    client.force_login(administrator)

    assert client.post(reverse("privacy:erasure_search"), {"q": "erin"}).status_code == 403
