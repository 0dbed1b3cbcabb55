"""Who may open which page. The matrix is built from the URL configuration, so a
new named URL without a rule in EXPECTED fails the tests until someone decides
who may see it.

Each page is opened by every role on someone else's records (EXPECTED), and the
pages that name a person's record (a booking, a certificate, a trainer's
session ...) again on the principal's OWN record (OWNERS). Someone else's
record answers 404, as a missing one does, and the refusal is logged."""

import logging
from dataclasses import dataclass

import pytest
from django.urls import URLResolver, get_resolver, reverse

from accounts.models import AgencyRequest
from accounts.roles import Role
from accounts.services import user_details_update
from bookings import tokens
from bookings.models import Booking
from certificates.services import certificate_issue
from courses.models import Venue
from elearning.services import attempt_start, module_page_read
from evaluations.models import Stage
from payments.models import Charge, ChargingBand
from payments.services import fee_charge
from tests.elearning.factories import elearning_records
from tests.evaluations.builders import answered, attendee, evaluation_records, held_session
from tests.factories import (
    AgencyFactory,
    BookingFactory,
    CourseFactory,
    SessionFactory,
    TrainerFactory,
    UserFactory,
    VenueFactory,
)
from tests.reports.builders import reports_records

pytestmark = pytest.mark.django_db

LOGIN = "login"


@dataclass(frozen=True)
class Rule:
    """Who gets a page (200) and what everyone else gets when they ask for it."""

    allowed: frozenset = frozenset()  # roles given the page
    signed_in: str = "403"  # anyone else signed in
    anonymous: str = LOGIN  # sent to the sign-in page, coming back here after


PUBLIC = Rule(signed_in="200", anonymous="200")
SIGNED_IN = Rule(signed_in="200")
PROGRAMME_STAFF = Rule(frozenset({Role.TRAINING_ADMINISTRATOR}))
# Someone else's booking: the training team may open it; to anyone else it does not exist.
SOMEONE_ELSES_BOOKING = Rule(frozenset({Role.TRAINING_ADMINISTRATOR}), signed_in="404")
FINANCE = Rule(frozenset({Role.FINANCE}))
# An invoice or a register is finance's or the training team's; to anyone else it does not exist.
INVOICE = Rule(frozenset({Role.FINANCE}), signed_in="404")
REGISTER = Rule(frozenset({Role.TRAINING_ADMINISTRATOR}), signed_in="404")
# Waiving a fee is the business unit's call: training administrators or finance.
FEE_WAIVERS = Rule(frozenset({Role.FINANCE, Role.TRAINING_ADMINISTRATOR}))
EVALUATION_REPORTS = Rule(frozenset({Role.TRAINING_ADMINISTRATOR, Role.PPT_REVIEWER}))
UPTAKE_AND_INCOME = Rule(frozenset({Role.FINANCE, Role.PPT_REVIEWER, Role.TRAINING_ADMINISTRATOR}))
UPTAKE_REPORTS = Rule(frozenset({Role.PPT_REVIEWER, Role.TRAINING_ADMINISTRATOR}))

EXPECTED = {
    "courses:calendar": PUBLIC,
    "courses:calendar_month": PUBLIC,
    "courses:programme_ics": PUBLIC,
    "courses:course_detail": PUBLIC,
    "courses:course_ics": PUBLIC,
    "accounts:profile": SIGNED_IN,
    "core:staff_home": PROGRAMME_STAFF,
    # Load balancers poll it without signing in; it says only which parts are up (core/health.py).
    "core:health": PUBLIC,
    "core:health_jobs": PUBLIC,  # monitoring's: the broker, the worker's heartbeat, cache, storage
    "core:email_failed_list": PROGRAMME_STAFF,
    "accounts:agency_list": PROGRAMME_STAFF,
    "accounts:agency_create": PROGRAMME_STAFF,
    "accounts:agency_update": PROGRAMME_STAFF,
    "accounts:agency_request_list": PROGRAMME_STAFF,
    "accounts:agency_request_decide": PROGRAMME_STAFF,
    "courses:staff_session_list": PROGRAMME_STAFF,
    "courses:staff_session_create": PROGRAMME_STAFF,
    "courses:staff_session_update": PROGRAMME_STAFF,
    "courses:staff_course_list": PROGRAMME_STAFF,
    "courses:staff_course_create": PROGRAMME_STAFF,
    "courses:staff_course_update": PROGRAMME_STAFF,
    "courses:staff_venue_list": PROGRAMME_STAFF,
    "courses:staff_venue_create": PROGRAMME_STAFF,
    "courses:staff_venue_update": PROGRAMME_STAFF,
    "courses:staff_trainer_list": PROGRAMME_STAFF,
    "courses:staff_trainer_create": PROGRAMME_STAFF,
    "courses:staff_trainer_update": PROGRAMME_STAFF,
    "bookings:book": Rule(frozenset({Role.DELEGATE, Role.AGENCY_COORDINATOR})),
    "bookings:my_bookings": SIGNED_IN,
    "bookings:detail": SOMEONE_ELSES_BOOKING,
    "bookings:cancel": SOMEONE_ELSES_BOOKING,
    "bookings:substitute": SOMEONE_ELSES_BOOKING,
    "bookings:offer_respond": Rule(signed_in="405"),  # a button's POST only
    "bookings:non_attendance": Rule(signed_in="404"),  # only the delegate marked absent
    "bookings:approval": PUBLIC,  # the signed link is the permission
    "bookings:staff_approval": Rule(signed_in="405"),  # a button's POST only
    "bookings:release": PUBLIC,
    "bookings:agency_bookings": Rule(frozenset({Role.AGENCY_COORDINATOR})),
    "bookings:agency_book": Rule(frozenset({Role.AGENCY_COORDINATOR})),
    "bookings:trainer_sessions": Rule(frozenset({Role.TRAINER, Role.TRAINING_ADMINISTRATOR})),
    # The trainer of a session opens its register too: see OWNERS.
    "bookings:register": REGISTER,
    "bookings:sign_in_sheet": REGISTER,
    "bookings:session_cancel": PROGRAMME_STAFF,
    "bookings:session_bookings": PROGRAMME_STAFF,
    "bookings:move": PROGRAMME_STAFF,
    "bookings:undersubscribed": PROGRAMME_STAFF,
    # Paying for a place: only its delegate pays, so to everyone else (the training team too) it does not exist.
    "payments:pay": Rule(signed_in="404"),
    "payments:pay_return": Rule(signed_in="404"),
    "payments:stripe_webhook": Rule(signed_in="405", anonymous="405"),  # Stripe's signed POST only
    # Finance and charging bands
    "payments:finance_summary": FINANCE,
    "payments:finance_uptake": UPTAKE_AND_INCOME,
    "payments:invoice_list": FINANCE,
    "payments:invoice_detail": INVOICE,
    "payments:invoice_pdf": INVOICE,
    "payments:invoice_mark_paid": Rule(signed_in="405"),  # a button's POST only
    "payments:invoice_cancel": INVOICE,
    "payments:fee_list": FEE_WAIVERS,
    "payments:fee_waive": FEE_WAIVERS,
    "payments:band_list": PROGRAMME_STAFF,
    "payments:band_create": PROGRAMME_STAFF,
    "payments:band_update": PROGRAMME_STAFF,
    "payments:sector_bands": PROGRAMME_STAFF,
    # Certificates: anyone may check one by its code; only its holder downloads it.
    "certificates:mine": SIGNED_IN,
    "certificates:check": PUBLIC,
    "certificates:verify": PUBLIC,
    "certificates:download": Rule(signed_in="404"),
    # E-learning: the catalogue is public; taking a module needs an account; the
    # report is the PPT subgroup's and the training team's, and a coordinator's for their own agency.
    "elearning:catalogue": PUBLIC,
    "elearning:module_detail": PUBLIC,
    "elearning:image": PUBLIC,
    "elearning:module_page": SIGNED_IN,
    "elearning:knowledge_check": SIGNED_IN,
    "elearning:attempt_result": Rule(signed_in="404"),  # only the delegate who took it
    "elearning:training_record": SIGNED_IN,
    "elearning:report": Rule(frozenset({Role.TRAINING_ADMINISTRATOR, Role.PPT_REVIEWER, Role.AGENCY_COORDINATOR})),
    "elearning:agency_completions": Rule(frozenset({Role.AGENCY_COORDINATOR})),
    "elearning:staff_module_list": PROGRAMME_STAFF,
    "elearning:staff_module_create": PROGRAMME_STAFF,
    "elearning:staff_module_update": PROGRAMME_STAFF,
    "elearning:staff_module_content": PROGRAMME_STAFF,
    "elearning:staff_page_create": PROGRAMME_STAFF,
    "elearning:staff_page_update": PROGRAMME_STAFF,
    "elearning:staff_question_create": PROGRAMME_STAFF,
    "elearning:staff_question_update": PROGRAMME_STAFF,
    "elearning:staff_image_create": PROGRAMME_STAFF,
    "elearning:staff_content_delete": PROGRAMME_STAFF,
    "elearning:staff_import": PROGRAMME_STAFF,
    "elearning:staff_import_preview": PROGRAMME_STAFF,
    # Evaluations: a delegate answers for their own booking only (the matrix's
    # booking is someone else's); a line manager's signed link is the permission.
    "evaluations:mine": SIGNED_IN,
    "evaluations:respond": Rule(signed_in="404"),
    "evaluations:equal_opportunities": Rule(signed_in="404"),
    "evaluations:line_manager": PUBLIC,
    # Results: trainers list their own sessions (the matrix's trainer delivered
    # none of these, see tests/evaluations); report readers see everything.
    "evaluations:result_sessions": Rule(frozenset({Role.TRAINER, Role.TRAINING_ADMINISTRATOR, Role.PPT_REVIEWER})),
    "evaluations:report_session": EVALUATION_REPORTS,
    "evaluations:report_course": EVALUATION_REPORTS,
    "evaluations:report_programme": EVALUATION_REPORTS,
    "evaluations:report_equality": EVALUATION_REPORTS,
    "evaluations:quotes": EVALUATION_REPORTS,
    "evaluations:quote_publish": PROGRAMME_STAFF,
    "evaluations:quote_withdraw": Rule(signed_in="405"),  # a button's POST only
    "evaluations:template_list": PROGRAMME_STAFF,
    "evaluations:template_default": PROGRAMME_STAFF,
    "evaluations:rating_labels": PROGRAMME_STAFF,
    "evaluations:default_question_create": PROGRAMME_STAFF,
    "evaluations:template_course": PROGRAMME_STAFF,
    "evaluations:course_question_create": PROGRAMME_STAFF,
    "evaluations:question_override": Rule(signed_in="405"),
    "evaluations:question_update": PROGRAMME_STAFF,
    "evaluations:question_delete": Rule(signed_in="405"),
    "evaluations:question_move": Rule(signed_in="405"),
    # Reports: the uptake dashboard and Training Summaries are the PPT subgroup's and the training team's;
    # importing past years is the training team's, in the staff area.
    "reports:dashboard": UPTAKE_REPORTS,
    "reports:summary_request": UPTAKE_REPORTS,
    "reports:run_detail": UPTAKE_REPORTS,
    "reports:run_status": UPTAKE_REPORTS,
    "reports:run_download": UPTAKE_REPORTS,
    "reports:history_import": PROGRAMME_STAFF,
    "reports:history_import_preview": PROGRAMME_STAFF,
    # Privacy: the notices are public; each person downloads only their own data;
    # retention and erasure are the training team's.
    "privacy:notice": PUBLIC,
    "privacy:accessibility": PUBLIC,
    "privacy:my_data": SIGNED_IN,
    "privacy:retention": PROGRAMME_STAFF,
    "privacy:erasure_search": PROGRAMME_STAFF,
    "privacy:erasure_confirm": PROGRAMME_STAFF,
    # The audit log: read by the training team and finance, written by nobody through the site.
    "audit:entry_list": Rule(frozenset({Role.TRAINING_ADMINISTRATOR, Role.FINANCE})),
}


def _not_ours(name):
    """Django admin and allauth's own pages (accounts, two-factor) have their
    own access rules; tests/accounts/test_mfa.py covers who is offered two-factor."""
    return name.startswith(("admin:", "account_", "mfa_"))


# How to fill each URL's arguments from the records below.
URL_KWARGS = {
    "courses:course_detail": lambda r: {"slug": r["course"].slug},
    "courses:course_ics": lambda r: {"slug": r["course"].slug},
    "accounts:agency_update": lambda r: {"pk": r["agency"].pk},
    "accounts:agency_request_decide": lambda r: {"pk": r["agency_request"].pk},
    "courses:staff_session_update": lambda r: {"pk": r["session"].pk},
    "courses:staff_course_update": lambda r: {"pk": r["course"].pk},
    "courses:staff_venue_update": lambda r: {"pk": r["venue"].pk},
    "courses:staff_trainer_update": lambda r: {"pk": r["trainer"].pk},
    "bookings:book": lambda r: {"pk": r["session"].pk},
    "bookings:agency_book": lambda r: {"pk": r["session"].pk},
    "bookings:register": lambda r: {"pk": r["session"].pk},
    "bookings:sign_in_sheet": lambda r: {"pk": r["session"].pk},
    "bookings:session_cancel": lambda r: {"pk": r["session"].pk},
    "bookings:session_bookings": lambda r: {"pk": r["session"].pk},
    "bookings:detail": lambda r: {"pk": r["booking"].pk},
    "bookings:cancel": lambda r: {"pk": r["booking"].pk},
    "bookings:offer_respond": lambda r: {"pk": r["booking"].pk},
    "bookings:substitute": lambda r: {"pk": r["booking"].pk},
    "bookings:non_attendance": lambda r: {"pk": r["booking"].pk},
    "bookings:move": lambda r: {"pk": r["booking"].pk},
    "bookings:approval": lambda r: {"token": tokens.approval_make(r["booking"].pk, "manager@example.org")},
    "bookings:staff_approval": lambda r: {"pk": r["booking"].pk},
    "bookings:release": lambda r: {"token": tokens.make(r["booking"].pk, tokens.RELEASE_SALT)},
    "payments:pay": lambda r: {"pk": r["booking"].pk},
    "payments:pay_return": lambda r: {"pk": r["booking"].pk},
    "payments:invoice_detail": lambda r: {"pk": r["invoice"].pk},
    "payments:invoice_pdf": lambda r: {"pk": r["invoice"].pk},
    "payments:invoice_mark_paid": lambda r: {"pk": r["invoice"].pk},
    "payments:invoice_cancel": lambda r: {"pk": r["invoice"].pk},
    "payments:fee_waive": lambda r: {"pk": r["fee"].pk},
    "payments:band_update": lambda r: {"pk": r["band"].pk},
    "certificates:verify": lambda r: {"code": r["certificate"].code},
    "certificates:download": lambda r: {"code": r["certificate"].code},
    "elearning:module_detail": lambda r: {"slug": r["module"].slug},
    "elearning:image": lambda r: {"pk": r["module_image"].pk},
    "elearning:module_page": lambda r: {"slug": r["module"].slug, "position": 1},
    "elearning:knowledge_check": lambda r: {"slug": r["module"].slug},
    "elearning:attempt_result": lambda r: {"pk": r["attempt"].pk},
    "elearning:staff_module_update": lambda r: {"pk": r["module"].pk},
    "elearning:staff_module_content": lambda r: {"pk": r["module"].pk},
    "elearning:staff_page_create": lambda r: {"module_pk": r["module"].pk},
    "elearning:staff_page_update": lambda r: {"pk": r["module_page"].pk},
    "elearning:staff_question_create": lambda r: {"module_pk": r["module"].pk},
    "elearning:staff_question_update": lambda r: {"pk": r["question"].pk},
    "elearning:staff_image_create": lambda r: {"module_pk": r["module"].pk},
    "elearning:staff_content_delete": lambda r: {"kind": "page", "pk": r["module_page"].pk},
    "elearning:staff_import_preview": lambda r: {"pk": r["completion_import"].pk},
    "evaluations:respond": lambda r: {"pk": r["booking"].pk, "stage": "pre-course"},
    "evaluations:equal_opportunities": lambda r: {"pk": r["evaluated_booking"].pk},
    "evaluations:line_manager": lambda r: {"token": r["line_manager_token"]},
    "evaluations:report_session": lambda r: {"pk": r["session"].pk},
    "evaluations:report_course": lambda r: {"pk": r["course"].pk},
    "evaluations:quote_publish": lambda r: {"pk": r["evaluation_comment"].pk},
    "evaluations:quote_withdraw": lambda r: {"pk": r["evaluation_comment"].pk},
    "evaluations:default_question_create": lambda r: {"section": "post"},
    "evaluations:template_course": lambda r: {"course_pk": r["course"].pk},
    "evaluations:course_question_create": lambda r: {"course_pk": r["course"].pk, "section": "knowledge"},
    "evaluations:question_override": lambda r: {"course_pk": r["course"].pk, "pk": r["template_question"].pk},
    "evaluations:question_update": lambda r: {"pk": r["template_question"].pk},
    "evaluations:question_delete": lambda r: {"pk": r["template_question"].pk},
    "evaluations:question_move": lambda r: {"pk": r["template_question"].pk},
    "reports:run_detail": lambda r: {"pk": r["report_run"].pk},
    "reports:run_status": lambda r: {"pk": r["report_run"].pk},
    "reports:run_download": lambda r: {"pk": r["report_run"].pk},
    "reports:history_import_preview": lambda r: {"pk": r["history_import"].pk},
    "privacy:erasure_confirm": lambda r: {"pk": r["booking"].user.pk},
}

ANONYMOUS = "anonymous"
NO_ROLE = "signed in, no role"
STAFF_FLAG_ONLY = "is_staff flag, no role"
PRINCIPALS = [ANONYMOUS, NO_ROLE, STAFF_FLAG_ONLY, *Role]

# Records a person can call their own. A URL whose arguments name one must say
# in OWNERS who opens it when the record is the principal's own.
OWNABLE = {"booking", "evaluated_booking", "certificate", "attempt", "session"}
ANYONE_SIGNED_IN = frozenset(PRINCIPALS) - {ANONYMOUS}
# The person the record is about. (A coordinator's "own" records here are a
# colleague's at their agency, which they may see but not pay for or answer.)
THE_DELEGATE = ANYONE_SIGNED_IN - {Role.AGENCY_COORDINATOR}
NOBODY_MORE = frozenset()  # owning the record opens nothing EXPECTED does not
# Pages that refuse the record's own person what EXPECTED gives anyone else, and
# how: an approval link never works for the delegate whose place it names.
OWN_REFUSED = {"bookings:approval": (THE_DELEGATE, "403")}

# Who opens each page when the record it names is their own (_own_records);
# everyone else gets what EXPECTED says, and a 404 is a logged refusal.
OWNERS = {
    "bookings:detail": ANYONE_SIGNED_IN,
    "bookings:cancel": ANYONE_SIGNED_IN,
    "bookings:substitute": ANYONE_SIGNED_IN,
    "bookings:non_attendance": THE_DELEGATE,
    "payments:pay": THE_DELEGATE,
    "payments:pay_return": THE_DELEGATE,
    "evaluations:respond": THE_DELEGATE,
    "evaluations:equal_opportunities": THE_DELEGATE,
    "certificates:download": THE_DELEGATE,
    "elearning:attempt_result": THE_DELEGATE,
    # A trainer's own session: its register and sign-in sheet, cancelling it, its results.
    "bookings:register": frozenset({Role.TRAINER}),
    "bookings:sign_in_sheet": frozenset({Role.TRAINER}),
    "bookings:session_cancel": frozenset({Role.TRAINER}),
    "evaluations:report_session": frozenset({Role.TRAINER}),
    # The training team's pages, and signed links, whoever's record they name.
    "bookings:offer_respond": NOBODY_MORE,
    "bookings:move": NOBODY_MORE,
    "bookings:approval": NOBODY_MORE,
    "bookings:staff_approval": NOBODY_MORE,
    "bookings:release": NOBODY_MORE,
    "certificates:verify": NOBODY_MORE,
    "bookings:book": NOBODY_MORE,
    "bookings:agency_book": NOBODY_MORE,
    "bookings:session_bookings": NOBODY_MORE,
    "courses:staff_session_update": NOBODY_MORE,
    "privacy:erasure_confirm": NOBODY_MORE,
}


def _named_patterns(patterns=None, namespace=None):
    """(full name, pattern) for every named URL, following includes."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            inner = ":".join(part for part in (namespace, entry.namespace) if part) or None
            yield from _named_patterns(entry.url_patterns, inner)
        elif entry.name:
            yield (f"{namespace}:{entry.name}" if namespace else entry.name), entry


def _our_url_names():
    return {name for name, _pattern in _named_patterns() if not _not_ours(name)}


@pytest.fixture
def records(settings, tmp_path):
    """One of each record a URL can name. The booking belongs to a delegate of
    another agency than anyone in the matrix; its no-show fee is invoiced."""
    course = CourseFactory()
    session = SessionFactory(course=course)
    requester = UserFactory()
    user_details_update(user=requester, details={}, unlisted=("Riverside Physiotherapy", requester.agency.sector))
    booking = BookingFactory(session=session, user=UserFactory(role=Role.DELEGATE), fee_pence=2500)
    fee = fee_charge(booking=booking, kind=Charge.Kind.NO_SHOW)
    settings.MEDIA_ROOT = tmp_path  # the e-learning picture
    return {
        **elearning_records(),
        **reports_records(),
        **evaluation_records(),
        "agency": AgencyFactory(),
        "agency_request": AgencyRequest.objects.get(user=requester),
        "session": session,
        "course": course,
        "venue": VenueFactory(),
        "trainer": TrainerFactory(),
        "booking": booking,
        "evaluated_booking": booking,  # someone else's, whether evaluated or not
        "fee": fee,
        "invoice": fee.invoice_lines.get().invoice,
        "band": ChargingBand.objects.create(name="Voluntary sector", slug="voluntary"),
        "certificate": certificate_issue(source=f"booking:{booking.pk}", kind="course", user=booking.user,
                                         title=course.title, awarded_on=session.start.date()),
    }


def _url(name, records):
    if name in URL_KWARGS:
        return reverse(name, kwargs=URL_KWARGS[name](records))
    try:
        return reverse(name)
    except Exception as error:
        raise AssertionError(f"{name}: say in URL_KWARGS how to fill its arguments") from error


def _principal(principal):
    if principal == NO_ROLE:
        return UserFactory()
    if principal == STAFF_FLAG_ONLY:
        return UserFactory(is_staff=True)
    return UserFactory(role=principal)


def _expected(rule, principal, url):
    if principal == ANONYMOUS:
        return f"login?next={url}" if rule.anonymous == LOGIN else rule.anonymous
    return "200" if principal in rule.allowed else rule.signed_in


def _outcome(response):
    login = reverse("account_login")
    if response.status_code == 302 and response.url.startswith(f"{login}?next="):
        return f"login?next={response.url.removeprefix(f'{login}?next=')}"
    if response.status_code == 302:
        return f"302 to {response.url}"
    return str(response.status_code)


def test_every_named_url_has_an_access_rule():
    missing = sorted(_our_url_names() - set(EXPECTED))

    assert missing == [], f"add these URL names to EXPECTED: {missing}"


def test_the_access_rules_name_only_urls_that_exist():
    assert sorted(set(EXPECTED) - _our_url_names()) == []


def _refused(caplog, name):
    """Was a refusal of someone else's record logged for the URL `name`?"""
    return any(record.name == "security" and record.url_name == name for record in caplog.records)


@pytest.mark.parametrize("principal", PRINCIPALS, ids=str)
def test_each_page_answers_as_its_rule_says(client, records, principal, caplog):
    client.raise_request_exception = False  # a page that crashes is reported as 500 with the rest
    if principal != ANONYMOUS:
        client.force_login(_principal(principal))
    wrong = []

    for name, rule in EXPECTED.items():
        url = _url(name, records)
        caplog.clear()
        expected, actual = _expected(rule, principal, url), _outcome(client.get(url))
        if actual != expected:
            wrong.append(f"{name} ({url}): expected {expected}, got {actual}")
        elif actual == "404" and principal != ANONYMOUS and not _refused(caplog, name):
            wrong.append(f"{name} ({url}): refused with 404 but the refusal was not logged (core.http.not_found_for)")

    assert not wrong, "\n".join(wrong)


def _own_records(principal, user, records):
    """The records `user` calls their own: a booking on a past session they
    missed, one they attended and evaluated, a certificate and a knowledge-check
    attempt; for a trainer, a session they deliver. A coordinator's are a
    colleague's at their agency."""
    owner = UserFactory(agency=user.agency) if principal == Role.AGENCY_COORDINATOR else user
    missed = BookingFactory(session=held_session(), user=owner, attendance=Booking.Attendance.DID_NOT_ATTEND)
    evaluated = attendee(held_session(), user=owner)
    answered(evaluated, Stage.POST)
    session = SessionFactory()
    if principal == Role.TRAINER:
        session.trainers.add(TrainerFactory(user=user))
    module_page_read(user=owner, module=records["module"], position=1)
    return {
        **records,
        "booking": missed,
        "evaluated_booking": evaluated,
        "session": session,
        "certificate": certificate_issue(source=f"booking:{evaluated.pk}", kind="course", user=owner,
                                         title="Neglect", awarded_on=evaluated.session.start.date()),
        "attempt": attempt_start(user=owner, module=records["module"]),
    }


def _served(outcome):
    """The page, or a step of it (a redirect that is not to the sign-in page)."""
    return outcome == "200" or outcome.startswith("302 to ")


@pytest.mark.parametrize("principal", sorted(ANYONE_SIGNED_IN), ids=str)
def test_each_page_answers_as_its_rule_says_on_the_principals_own_records(client, records, principal, caplog):
    client.raise_request_exception = False
    user = _principal(principal)
    own = _own_records(principal, user, records)
    client.force_login(user)
    wrong = []

    for name, owners in OWNERS.items():
        url = _url(name, own)
        caplog.clear()
        actual = _outcome(client.get(url))
        refused_to, refusal = OWN_REFUSED.get(name, (frozenset(), ""))
        if principal in owners:
            if not _served(actual) or _refused(caplog, name):
                wrong.append(f"{name} ({url}): their own, yet refused: {actual}")
        elif principal in refused_to:
            if actual != refusal:
                wrong.append(f"{name} ({url}): their own, so expected {refusal}, got {actual}")
        elif actual != (expected := _expected(EXPECTED[name], principal, url)):
            wrong.append(f"{name} ({url}): expected {expected} as for anyone's, got {actual}")
        elif actual == "404" and not _refused(caplog, name):
            wrong.append(f"{name} ({url}): refused with 404 but the refusal was not logged")

    assert not wrong, "\n".join(wrong)


class _Noting(dict):
    """Stands in for the records and notes which of them a URL's arguments name."""

    class _Any:
        pk = slug = code = 1
        user = property(lambda self: self)

    def __init__(self):
        super().__init__()
        self.named = set()

    def __getitem__(self, key):
        self.named.add(key)
        return self._Any()


def _named_records(name):
    noting = _Noting()
    try:
        URL_KWARGS[name](noting)
    except Exception:  # the stand-ins may not make a real URL; only which records were named matters
        pass
    return noting.named


def test_every_url_naming_a_persons_record_says_who_owns_it():
    naming = {name for name in URL_KWARGS if _named_records(name) & OWNABLE}

    assert sorted(naming - set(OWNERS)) == [], "say in OWNERS who opens these on their own record"
    assert sorted(set(OWNERS) - naming) == []


def test_refusing_someone_elses_booking_logs_who_asked_where_and_for_what(client, records, caplog):
    delegate = UserFactory(role=Role.DELEGATE)
    client.force_login(delegate)
    booking = records["booking"]

    with caplog.at_level(logging.WARNING, logger="security"):
        response = client.get(reverse("bookings:detail", args=[booking.pk]))

    assert response.status_code == 404
    [refusal] = [record for record in caplog.records if record.name == "security"]
    assert (refusal.levelname, refusal.user_id, refusal.url_name, refusal.refused_object_id) == (
        "WARNING", delegate.pk, "bookings:detail", booking.pk
    )
    assert refusal.path == f"/bookings/{booking.pk}/"
    assert booking.user.email not in refusal.getMessage()


def test_a_booking_that_does_not_exist_is_404_and_no_refusal(client, caplog):
    client.force_login(UserFactory(role=Role.DELEGATE))

    response = client.get(reverse("bookings:detail", args=[999_999]))

    assert response.status_code == 404
    assert not [record for record in caplog.records if record.name == "security"]


@pytest.mark.parametrize("role", [role for role in Role if role != Role.TRAINING_ADMINISTRATOR])
def test_only_training_administrators_can_add_records_by_posting(client, role):
    client.force_login(UserFactory(role=role))

    response = client.post(
        reverse("courses:staff_venue_create"), {"name": "Back Door Venue", "address": "1 Road", "postcode": "RV1 1AA"}
    )

    assert response.status_code == 403
    assert not Venue.objects.filter(name="Back Door Venue").exists()


def test_a_training_administrator_can_add_a_record(client, administrator):
    client.force_login(administrator)

    response = client.post(
        reverse("courses:staff_venue_create"), {"name": "Front Door Venue", "address": "1 Road", "postcode": "RV1 1AA"}
    )

    assert response.status_code == 302
    assert Venue.objects.filter(name="Front Door Venue").exists()


def test_the_profile_page_shows_only_the_signed_in_persons_data(client, delegate):
    other = UserFactory(
        email="other.person@example.org", first_name="Otto", line_manager_email="otto.manager@example.org"
    )
    client.force_login(delegate)

    page = client.get(reverse("accounts:profile")).content.decode()

    assert delegate.email in page
    assert other.email not in page
    assert "otto.manager@example.org" not in page
    assert 'value="Otto"' not in page


def test_the_profile_page_takes_no_user_id(client, delegate):
    other = UserFactory(email="other.person@example.org")
    client.force_login(delegate)

    page = client.get(reverse("accounts:profile"), {"pk": other.pk, "user": other.pk}).content.decode()

    assert delegate.email in page
    assert other.email not in page


def test_a_trainer_opens_the_register_of_their_own_sessions_only(client):
    trainer = UserFactory(role=Role.TRAINER)
    theirs = SessionFactory()
    theirs.trainers.add(TrainerFactory(user=trainer))
    someone_elses = SessionFactory()
    client.force_login(trainer)

    assert client.get(reverse("bookings:register", args=[theirs.pk])).status_code == 200
    assert client.get(reverse("bookings:register", args=[someone_elses.pk])).status_code == 404


@pytest.mark.parametrize(
    ("name", "make"),
    [
        ("bookings:approval", lambda pk: tokens.approval_make(pk, "manager@example.org")),
        ("bookings:release", lambda pk: tokens.make(pk, tokens.RELEASE_SALT)),
    ],
)
def test_an_altered_e_mail_link_opens_nothing(client, name, make):
    token = make(BookingFactory().pk)
    altered = token[:-1] + ("A" if token[-1] != "A" else "B")

    assert client.get(reverse(name, args=[token])).status_code == 200
    assert client.get(reverse(name, args=[altered])).status_code == 404
    assert client.get(reverse(name, args=["not-a-token"])).status_code == 404


def test_an_approval_link_does_not_release_a_place(client):
    token = tokens.make(BookingFactory().pk, tokens.APPROVAL_SALT)

    assert client.get(reverse("bookings:release", args=[token])).status_code == 404
