"""The e-learning pages through their URLs: the catalogue, taking a module,
the training record, the report and its exports, and the staff area's
module editor and import (upload, preview, confirm)."""

import datetime as dt
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from accounts.models import JobRole
from accounts.roles import Role
from bookings.models import Booking
from elearning.models import Completion, CompletionImport, Module, ModuleImage
from tests.dates import ago
from tests.factories import AgencyFactory, BookingFactory, SessionFactory, UserFactory

from .factories import ModuleFactory, hosted_module
from .test_imports import csv_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


# --- the catalogue and a module -----------------------------------------------------------


def test_the_catalogue_lists_published_modules_hosted_and_external(client):
    hosted_module(title="Introduction to safeguarding children")
    ModuleFactory(title="Safeguarding Children Level 2", level="level_2", delivery="external",
                  provider="Learning Hub", external_url="https://elearning.example.org/l2")
    ModuleFactory(title="Hidden draft", is_published=False)

    page = client.get(reverse("elearning:catalogue")).content.decode()

    assert "Introduction to safeguarding children" in page
    assert "Safeguarding Children Level 2" in page and "With Learning Hub" in page
    assert "Hidden draft" not in page


def test_an_external_module_links_out_with_its_instructions(client):
    module = ModuleFactory(delivery="external", provider="Learning Hub", external_url="https://elearning.example.org/l2",
                           access_instructions="Ask your coordinator for a licence code.")

    page = client.get(module.get_absolute_url()).content.decode()

    assert 'href="https://elearning.example.org/l2"' in page and 'rel="noopener noreferrer"' in page
    assert "Ask your coordinator for a licence code." in page


def test_an_unpublished_module_is_missing_except_to_the_training_team(client, administrator):
    module = ModuleFactory(is_published=False)

    assert client.get(module.get_absolute_url()).status_code == 404
    client.force_login(administrator)
    assert client.get(module.get_absolute_url()).status_code == 200


def test_a_delegate_reads_the_pages_stops_resumes_and_passes(client, delegate):
    module = hosted_module(pages=2)
    client.force_login(delegate)

    client.post(reverse("elearning:module_page", args=[module.slug, 1]))
    detail = client.get(module.get_absolute_url()).content.decode()
    assert "Continue where you left off" in detail
    assert reverse("elearning:module_page", args=[module.slug, 2]) in detail

    response = client.post(reverse("elearning:module_page", args=[module.slug, 2]))
    assert response.url == reverse("elearning:knowledge_check", args=[module.slug])
    check = client.get(response.url)
    form = check.context["form"]
    answers = {}
    for name, field in form.fields.items():
        question_id = int(name.removeprefix("question_"))
        correct = Module.objects.get(pk=module.pk).questions.get(pk=question_id).choices.get(is_correct=True)
        assert any(value == correct.pk for value, _label in field.choices)
        answers[name] = correct.pk
    result = client.post(response.url, answers, follow=True)

    page = result.content.decode()
    assert "You passed" in page and "Download your certificate (PDF)" in page
    assert Completion.objects.filter(user=delegate, module=module).exists()


def test_an_unanswered_question_is_an_error_on_the_page(client, delegate):
    module = hosted_module(pages=1)
    client.force_login(delegate)
    client.post(reverse("elearning:module_page", args=[module.slug, 1]))

    response = client.post(reverse("elearning:knowledge_check", args=[module.slug]), {})

    assert response.status_code == 200
    assert "Choose an answer to question 1" in response.content.decode()


def test_someone_elses_attempt_is_missing(client, delegate):
    module = hosted_module(pages=1)
    other = UserFactory()
    client.force_login(other)
    client.post(reverse("elearning:module_page", args=[module.slug, 1]))
    attempt = other.elearning_attempts.get()
    client.force_login(delegate)

    assert client.get(reverse("elearning:attempt_result", args=[attempt.pk])).status_code == 404


def test_a_picture_is_served_as_a_picture_only(client):
    module = ModuleFactory()
    out = io.BytesIO()
    Image.new("RGB", (10, 10), "red").save(out, "PNG")
    from elearning import services

    image = services.module_image_add(module=module, upload=SimpleUploadedFile("x.png", out.getvalue()),
                                      alt_text="Red")

    response = client.get(image.get_absolute_url())

    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert response["Content-Disposition"] == f'attachment; filename="picture-{image.pk}.png"'


# --- the training record --------------------------------------------------------------------


def test_the_training_record_shows_classroom_and_e_learning_with_renewals(client, delegate, settings):
    settings.ELEARNING_RENEWAL_REMINDER_DAYS = 30
    session = SessionFactory(course__title="Neglect: an analytical approach", start=ago(days=30),
                             end=ago(days=30) + dt.timedelta(hours=7))
    BookingFactory(session=session, user=delegate, attendance=Booking.Attendance.ATTENDED)
    today = dt.date.today()
    due = ModuleFactory(title="Level 2", renewal_months=12)
    Completion.objects.create(user=delegate, module=due, completed_on=today - dt.timedelta(days=355),
                              source="imported")
    forever = ModuleFactory(title="Prevent awareness")
    Completion.objects.create(user=delegate, module=forever, completed_on=today, source="imported")
    client.force_login(delegate)

    page = client.get(reverse("elearning:training_record")).content.decode()

    assert "Neglect: an analytical approach" in page and "Attended" in page
    assert "Renew soon" in page and "Some of your e-learning needs renewing." in page
    assert "Does not expire" in page


# --- reports and exports ---------------------------------------------------------------------


def test_the_report_shows_completions_by_role_and_agency(client, user_with_role):
    nursery = AgencyFactory(name="Little Acorns Nursery")
    module = ModuleFactory(level="level_1")
    for _ in range(3):
        user = UserFactory(agency=nursery, job_role=JobRole.EARLY_YEARS)
        Completion.objects.create(user=user, module=module, completed_on=dt.date.today(), source="imported",
                                  job_role=user.job_role, agency=nursery)
    client.force_login(user_with_role(Role.PPT_REVIEWER))

    response = client.get(reverse("elearning:report"))

    role_table = response.context["tables"]["role"]
    assert [(row["role"], row["level_1"]) for row in role_table.data] == [
        ("Early years practitioner or childminder", 3)]
    assert [(row["agency_name"], row["completions"]) for row in response.context["tables"]["agency"].data] == [
        ("Little Acorns Nursery", 3)]
    assert "Level 1 completions by role" in response.content.decode()


def test_a_coordinator_sees_only_their_own_agencys_completions(client, user_with_role):
    coordinator = user_with_role(Role.AGENCY_COORDINATOR)
    module = ModuleFactory()
    mine = UserFactory(agency=coordinator.agency, last_name="Mine")
    theirs = UserFactory(last_name="Theirs")
    for user in (mine, theirs):
        Completion.objects.create(user=user, module=module, completed_on=dt.date.today(), source="imported",
                                  agency=user.agency)
    client.force_login(coordinator)

    report = client.get(reverse("elearning:report"))
    listing = client.get(reverse("elearning:agency_completions")).content.decode()

    assert report.context["report"].totals["completions"] == 1
    assert "Mine" in listing and "Theirs" not in listing


def test_exports_escape_formulas_in_csv_and_xlsx(client, administrator):
    agency = AgencyFactory(name="=cmd|' /C calc'!A0")
    user = UserFactory(agency=agency)
    Completion.objects.create(user=user, module=ModuleFactory(title="+SUM(1,2)"), completed_on=dt.date.today(),
                              source="imported", agency=agency)
    client.force_login(administrator)

    csv_text = client.get(reverse("elearning:report"), {"_export": "csv", "_table": "agency"}).content.decode()
    xlsx = client.get(reverse("elearning:report"), {"_export": "xlsx", "_table": "module"}).content

    assert "'=cmd|' /C calc'!A0" in csv_text
    assert "\n=cmd" not in csv_text and ",=cmd" not in csv_text
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx)).active
    assert sheet.cell(row=2, column=1).value == "'+SUM(1,2)"
    assert sheet.cell(row=2, column=1).data_type == "s"


def test_the_report_period_must_be_real_dates(client, administrator):
    client.force_login(administrator)

    response = client.get(reverse("elearning:report"), {"start": "2025-04-01", "end": "2024-04-01"})

    assert "The last day of the period must be the same as or after the first day" in response.content.decode()


# --- the staff area ----------------------------------------------------------------------------


def test_an_administrator_writes_a_page_and_is_told_about_script_tags(client, administrator):
    module = ModuleFactory()
    client.force_login(administrator)
    url = reverse("elearning:staff_page_create", args=[module.pk])

    refused = client.post(url, {"title": "Bad", "body": "Hello\n\n<script>alert(1)</script>"})
    saved = client.post(url, {"title": "Good", "body": "Hello **world**"})

    assert "Line 3: HTML such as &lt;script&gt; is not allowed" in refused.content.decode()
    assert saved.status_code == 302
    assert list(module.pages.values_list("title", flat=True)) == ["Good"]


def test_an_administrator_adds_a_question_and_a_picture(client, administrator):
    module = ModuleFactory()
    client.force_login(administrator)
    client.post(reverse("elearning:staff_question_create", args=[module.pk]), {
        "text": "Who is a child?", "answer_1": "Under 18", "answer_2": "Under 16", "answer_3": "", "correct": "1",
    })
    out = io.BytesIO()
    Image.new("RGB", (10, 10), "red").save(out, "GIF")
    client.post(reverse("elearning:staff_image_create", args=[module.pk]),
                {"alt_text": "Red square", "image": SimpleUploadedFile("red.gif", out.getvalue())})

    question = module.questions.get()
    assert list(question.choices.values_list("text", "is_correct")) == [("Under 18", True), ("Under 16", False)]
    assert ModuleImage.objects.get(module=module).content_type == "image/gif"
    page = client.get(reverse("elearning:staff_module_content", args=[module.pk])).content.decode()
    assert "![Red square](/e-learning/images/" in page


def test_an_administrator_uploads_previews_and_confirms_an_import(client, administrator,
                                                                    django_capture_on_commit_callbacks):
    client.force_login(administrator)
    upload = SimpleUploadedFile("provider.csv", csv_bytes(
        "ann@provider.example,Ann Smith,New Nursery,early_years,Early years practitioner or childminder,"
        "Safeguarding Children Level 1,2025-05-01"))

    with django_capture_on_commit_callbacks(execute=True):  # the check and the import are tasks, run on commit
        checked = client.post(reverse("elearning:staff_import"), {"file": upload})
    preview = client.get(checked.url).content.decode()

    assert Completion.objects.count() == 0
    assert "Completions to add" in preview and "New Nursery (early_years)" in preview
    with django_capture_on_commit_callbacks(execute=True):
        client.post(checked.url)
    assert "Completions imported" in client.get(checked.url).content.decode()
    assert Completion.objects.count() == 1
    assert CompletionImport.objects.get().status == "applied"


def test_a_bad_upload_lists_every_bad_row_and_keeps_nothing(client, administrator,
                                                             django_capture_on_commit_callbacks):
    client.force_login(administrator)
    upload = SimpleUploadedFile("provider.csv", csv_bytes(
        ",No Email,,,,Module,2025-05-01", "x@provider.example,X,,,,Module,31/12/2024"))

    with django_capture_on_commit_callbacks(execute=True):  # the rows are checked by a task, run on commit
        response = client.post(reverse("elearning:staff_import"), {"file": upload})
    page = client.get(response.url).content.decode()

    assert "Nothing was imported: 2 rows have problems" in page
    assert "the e-mail address is missing" in page and "“31/12/2024” is not a date" in page
    # Only why it was refused is kept, not the file.
    assert CompletionImport.objects.get().content == "" and not Completion.objects.exists()


def test_a_50_mb_upload_is_refused_without_being_read(client, administrator, settings):
    client.force_login(administrator)
    upload = SimpleUploadedFile("huge.csv", b"a" * (50 * 1024 * 1024))

    page = client.post(reverse("elearning:staff_import"), {"file": upload}).content.decode()

    assert "The file is 50.0\xa0MB. The largest file that can be imported is 20.0\xa0MB" in page
    assert not CompletionImport.objects.exists()


def test_a_binary_upload_is_refused(client, administrator):
    client.force_login(administrator)
    upload = SimpleUploadedFile("photo.csv", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(256)))

    page = client.post(reverse("elearning:staff_import"), {"file": upload}).content.decode()

    assert "The file is not a CSV file" in page


@pytest.mark.parametrize("role", [Role.DELEGATE, Role.PPT_REVIEWER, Role.AGENCY_COORDINATOR])
def test_only_training_administrators_can_import(client, user_with_role, role):
    client.force_login(user_with_role(role))
    upload = SimpleUploadedFile("provider.csv", csv_bytes("a@provider.example,A,,,,M,2025-05-01"))

    assert client.post(reverse("elearning:staff_import"), {"file": upload}).status_code == 403
    assert not CompletionImport.objects.exists()
