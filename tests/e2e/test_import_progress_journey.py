"""A large import in the browser: while the worker checks the file, its page
shows how far the check has got and looks again by itself, then shows the
preview without anyone reloading it."""

from django.urls import reverse
from playwright.sync_api import expect

from accounts.roles import Role
from elearning import services
from elearning.models import Completion, CompletionImport
from tests.factories import UserFactory

from .conftest import scan, sign_in, visit

PROVIDER_FILE = (
    "email,name,agency,sector,role,module,completed_at\n"
    "ann@provider.example,Ann Smith,,,,Safeguarding Children Level 1,2025-05-01\n"
    "bob@provider.example,Bob Jones,,,,Safeguarding Children Level 1,2025-05-02\n"
)


def test_the_import_page_follows_the_check_in_the_worker_and_shows_the_preview(page, live_server):
    administrator = UserFactory(role=Role.TRAINING_ADMINISTRATOR)
    # A file the upload page has kept, its check queued for the worker.
    record = CompletionImport.objects.create(
        filename="provider-2025.csv", content=PROVIDER_FILE, rows=2, status=CompletionImport.Status.QUEUED
    )

    sign_in(page, administrator)
    visit(page, reverse("elearning:staff_import_preview", args=[record.pk]))
    expect(page.get_by_role("heading", level=1)).to_have_text("Checking the file")
    expect(page.get_by_text("0 of 2 rows checked")).to_be_visible()

    services.completion_import_check_rows(import_id=record.pk)  # what the worker does

    expect(page.get_by_role("heading", level=1)).to_have_text("Check the import")  # no reload by hand
    expect(page.locator("#completions-new")).to_have_text("2")
    scan(page)
    page.get_by_role("button", name="Import these completions").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Completions imported")
    scan(page)
    assert Completion.objects.count() == 2
