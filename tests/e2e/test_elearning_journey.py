"""E-learning in the browser: a delegate takes a module hosted on the site
(reading its pages, stopping and resuming, failing and retaking the knowledge
check) and gets a certificate; an administrator imports a provider's
completions and sees them by role and agency."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from accounts.models import JobRole
from accounts.roles import Role
from elearning.models import Completion
from tests.elearning.factories import hosted_module
from tests.factories import AgencyFactory, UserFactory

from .conftest import scan, sign_in, visit

QUESTIONS = [
    ("Who is a child?", ["Anyone under 18", "Anyone under 16", "Anyone still at school"], 0),
    ("Who do you tell first?", ["Your designated safeguarding lead", "Nobody, until you have proof"], 0),
]


def _answer(page, question, answer):
    page.get_by_role("group", name=re.compile(re.escape(question))).get_by_label(answer, exact=True).check()


def test_a_delegate_completes_a_hosted_module_and_gets_a_certificate(page, live_server):
    module = hosted_module(title="Recognising neglect", pages=2, questions=QUESTIONS, estimated_minutes=20)
    delegate = UserFactory(role=Role.DELEGATE, first_name="Dana", last_name="Delegate")

    sign_in(page, delegate)
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="E-learning").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("E-learning")
    scan(page)
    page.get_by_role("link", name="Recognising neglect").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Recognising neglect")
    scan(page)

    # The first page, then stop and come back later: the place is kept.
    page.get_by_role("button", name="Start now").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Page 1 title")
    expect(page.get_by_text("page 1 of 2")).to_be_visible()
    scan(page)
    page.get_by_role("button", name="Continue", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Page 2 title")
    scan(page)
    page.get_by_role("link", name="Stop here and come back later").click()
    scan(page)
    page.get_by_role("button", name="Continue where you left off").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Page 2 title")
    scan(page)
    page.get_by_role("button", name="Continue to the knowledge check").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Knowledge check")
    scan(page)

    # Nothing chosen: the errors say which questions.
    page.get_by_role("button", name="Submit your answers").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Choose an answer to question 1")
    scan(page)

    # A wrong answer fails; a retake passes.
    _answer(page, "Who is a child?", "Anyone under 16")
    _answer(page, "Who do you tell first?", "Your designated safeguarding lead")
    page.get_by_role("button", name="Submit your answers").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("You did not pass this time")
    expect(page.get_by_text("Your score was 50%. You need 80% to pass.")).to_be_visible()
    scan(page)
    assert not Completion.objects.exists()
    page.get_by_role("button", name="Try the knowledge check again").click()
    scan(page)
    _answer(page, "Who is a child?", "Anyone under 18")
    _answer(page, "Who do you tell first?", "Your designated safeguarding lead")
    page.get_by_role("button", name="Submit your answers").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("You passed")
    expect(page.locator(".govuk-panel")).to_contain_text("Your score: 100%")
    scan(page)

    # The certificate is a PDF (fetched, not opened: it is no page to scan).
    link = page.get_by_role("link", name="Download your certificate (PDF)").get_attribute("href")
    response = page.request.get(link)
    assert response.ok and response.headers["content-type"] == "application/pdf"
    completion = Completion.objects.get(user=delegate, module=module)
    assert delegate.certificates.get().source == f"completion:{completion.pk}"

    page.get_by_role("link", name="Go to your training record").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your training record")
    expect(page.get_by_role("row").filter(has_text="Recognising neglect")).to_contain_text("Download (PDF)")
    scan(page)


PROVIDER_FILE = (
    "email,name,agency,sector,role,module,completed_at\n"
    "ann@provider.example,Ann Smith,Little Acorns Nursery,early_years,Early years practitioner or childminder,"
    "Safeguarding Children Level 1,2025-05-01\n"
    "bea@provider.example,Bea Jones,little acorns nursery,early_years,Early years practitioner or childminder,"
    "Safeguarding Children Level 2,2025-06-12T10:15:00\n"
    "cal@provider.example,Cal Brown,Riverside Police,police,Police officer or staff,"
    "Safeguarding Children Level 1,2025-07-03\n"
)


def _cells(page, table_id, row_text):
    return page.locator(f"#{table_id}").get_by_role("row").filter(has_text=row_text).get_by_role("cell")


def _upload(page, name, text):
    page.get_by_label("Provider's CSV file").set_input_files(
        {"name": name, "mimeType": "text/csv", "buffer": text.encode()})
    page.get_by_role("button", name="Check the file").click()


@pytest.mark.parametrize("period", [{"start": "2025-04-01", "end": "2026-03-31"}])
def test_an_administrator_imports_a_provider_file_and_sees_completions_by_role_and_agency(page, live_server, period):
    AgencyFactory(name="Little Acorns Nursery")
    administrator = UserFactory(role=Role.TRAINING_ADMINISTRATOR, job_role=JobRole.MANAGER)

    sign_in(page, administrator)
    visit(page, reverse("core:staff_home"))
    page.get_by_role("link", name="Import e-learning completions").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Import e-learning completions")
    scan(page)

    # A file with a bad row is refused whole, naming the row (on the import's
    # page: the worker checks the rows, here at once as tasks run in-process).
    _upload(page, "bad.csv", PROVIDER_FILE + "dan@provider.example,Dan,,,,Safeguarding Children Level 1,31/07/2025\n")
    expect(page.locator(".govuk-error-summary")).to_contain_text("Nothing was imported: 1 row has a problem")
    expect(page.get_by_role("row").filter(has_text="“31/07/2025” is not a date")).to_contain_text("5")
    scan(page)
    assert not Completion.objects.exists()
    page.get_by_role("link", name="Upload a corrected file").click()
    scan(page)

    _upload(page, "provider-2025.csv", PROVIDER_FILE)
    expect(page.get_by_role("heading", level=1)).to_have_text("Check the import")
    expect(page.locator("#completions-new")).to_have_text("3")
    expect(page.get_by_text("Riverside Police (police)")).to_be_visible()
    scan(page)
    page.get_by_role("button", name="Import these completions").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Completions imported")
    scan(page)
    assert Completion.objects.count() == 3

    page.get_by_role("link", name="See the e-learning report").click()
    scan(page)
    page.get_by_label("From").fill(period["start"])
    page.get_by_label("To").fill(period["end"])
    page.get_by_role("button", name="Show this period").click()
    expect(page.locator("#total-completions")).to_have_text("3")
    scan(page)
    # Role | Level 1 | Level 2 | All modules | People
    expect(_cells(page, "table-role", "Early years practitioner or childminder")).to_have_text(
        ["Early years practitioner or childminder", "1", "1", "2", "2"])
    expect(_cells(page, "table-role", "Police officer or staff")).to_have_text(
        ["Police officer or staff", "1", "0", "1", "1"])
    # Agency | Sector | Contributes | Completions | People
    expect(_cells(page, "table-agency", "Little Acorns Nursery")).to_have_text(
        ["Little Acorns Nursery", "Early years and childcare", "No", "2", "2"])
    expect(_cells(page, "table-agency", "Riverside Police")).to_have_text(
        ["Riverside Police", "Police", "No", "1", "1"])
