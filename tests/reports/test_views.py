"""The dashboard, the Training Summary and the history import through their
URLs: who may use them, what they show, the downloads."""

import csv
import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import Agency, Sector
from accounts.roles import Role
from bookings.models import Booking
from reports import services
from reports.models import HistoryImport, ReportRun
from tests.factories import AgencyFactory, BookingFactory, SessionFactory, UserFactory
from tests.reports import history

pytestmark = pytest.mark.django_db

YEAR = {"start": "2023-04-01", "end": "2024-03-31"}


@pytest.fixture
def reviewer_client(client):
    client.force_login(UserFactory(role=Role.PPT_REVIEWER))
    return client


@pytest.fixture
def imported():
    history.contributing_police()
    record, _plan = services.history_import_check(filename="2023-24.csv", data=history.csv_bytes())
    return services.history_import_apply(history_import=record)


def _csv(response):
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


# --- the dashboard ------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.DELEGATE, Role.TRAINER, Role.AGENCY_COORDINATOR, Role.FINANCE])
def test_only_ppt_reviewers_and_administrators_see_the_dashboard(client, role):
    client.force_login(UserFactory(role=role))

    assert client.get(reverse("reports:dashboard")).status_code == 403
    assert client.get(reverse("reports:dashboard"), {**YEAR, "_export": "csv", "_table": "agencies"}).status_code == 403


def test_the_dashboard_shows_the_years_figures_and_the_definitions(reviewer_client, imported):
    page = reviewer_client.get(reverse("reports:dashboard"), YEAR).content.decode()

    assert "From 1 April 2023 to 31 March 2024" in page
    assert "Compared with 1 April 2022 to 31 March 2023" in page
    assert 'id="total-attended">65<' in page
    assert 'id="total-attendance-rate">59.1%<' in page  # 65 of 110 places
    assert "81.3%" in page and "90.3%" in page
    assert "Cancelled by the trainer due to service pressures (1)" in page
    assert "How the figures are counted" in page
    assert "65 of 80 is 81.3%" in page


def test_without_dates_the_dashboard_shows_the_current_financial_year(reviewer_client, monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args: dt.date(2024, 2, 14))

    response = reviewer_client.get(reverse("reports:dashboard"))

    assert (response.context["period"].start, response.context["period"].end) == (
        dt.date(2023, 4, 1),
        dt.date(2024, 3, 31),
    )


def test_wrong_dates_or_filters_are_explained(reviewer_client):
    page = reviewer_client.get(
        reverse("reports:dashboard"), {"start": "2024-02-30", "end": "2024-03-31", "sector": "999999"}
    ).content.decode()

    assert "The first day of the period must be a real date" in page
    assert "Select one from the list" in page


def test_a_sector_filter_narrows_the_bookings_to_that_sectors_delegates(reviewer_client, imported):
    voluntary = Sector.objects.get(slug="voluntary_community")

    response = reviewer_client.get(reverse("reports:dashboard"), {**YEAR, "sector": voluntary.pk})

    totals = response.context["totals"]
    assert (totals["booked"], totals["attended"], totals["places"]) == (13, 10, 110)
    assert "sector: <strong>Voluntary and community</strong>" in response.content.decode()


def test_the_year_before_is_set_beside_this_year(reviewer_client, imported):
    # The year after the imported one: a voluntary-sector agency sends two people, who both come.
    youth_club = Agency.objects.get(name=history.YOUTH)
    session = SessionFactory(
        start=dt.datetime(2024, 6, 4, 9, 30, tzinfo=dt.UTC),
        end=dt.datetime(2024, 6, 4, 16, 30, tzinfo=dt.UTC),
        capacity=20,
    )
    for _n in range(2):
        BookingFactory(session=session, user=UserFactory(agency=youth_club), attendance="attended")

    response = reviewer_client.get(reverse("reports:dashboard"), {"start": "2024-04-01", "end": "2025-03-31"})

    sectors = {row["sector_slug"]: row for row in response.context["data"].report.sectors}
    assert (sectors["voluntary_community"]["attended"], sectors["voluntary_community"]["attended_before"]) == (2, 10)
    assert sectors["voluntary_community"]["attended_change"] == -8
    attended = next(row for row in response.context["data"].year_on_year if row["name"] == "attended")
    assert (attended["now"], attended["before"], attended["change"]) == (2, 65, -63)


def test_agencies_whose_delegates_did_not_come_are_listed_most_no_shows_first(reviewer_client, imported):
    response = reviewer_client.get(reverse("reports:dashboard"), YEAR)

    rows = [(row["agency"], row["no_shows"], row["no_show_rate"]) for row in response.context["data"].no_shows]
    assert rows == [(history.NURSERY, 5, 16.7), (history.POLICE, 1, 3.1)]  # 5 of 30 confirmed; 1 of 32


def test_tables_sort_by_the_column_asked_for(reviewer_client, imported):
    response = reviewer_client.get(reverse("reports:dashboard"), {**YEAR, "agencies-sort": "-booked"})

    table = response.context["tables"]["agencies"]
    assert [row.record["agency"] for row in table.rows] == [history.NURSERY, history.POLICE, history.YOUTH]


def test_a_table_downloads_as_csv(reviewer_client, imported):
    response = reviewer_client.get(reverse("reports:dashboard"), {**YEAR, "_export": "csv", "_table": "courses"})

    assert response["Content-Disposition"] == 'attachment; filename="uptake-courses-2023-04-01-to-2024-03-31.csv"'
    rows = _csv(response)
    neglect = dict(zip(rows[0], next(row for row in rows if row[0] == history.NEGLECT), strict=True))
    assert (neglect["Places"], neglect["Attended"], neglect["Attendance rate"], neglect["Turnout"]) == (
        "80",
        "65",
        "81.3",
        "90.3",
    )


def test_a_table_downloads_as_xlsx_with_numbers(reviewer_client, imported):
    response = reviewer_client.get(reverse("reports:dashboard"), {**YEAR, "_export": "xlsx", "_table": "sectors"})

    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = {row[0]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows["Police"][1:4] == (1, 32, 30)


def test_downloads_cannot_be_made_to_run_a_formula(reviewer_client):
    agency = AgencyFactory(name='=HYPERLINK("http://evil.example","x")')
    start = dt.datetime(2023, 6, 1, 9, 0, tzinfo=dt.UTC)
    BookingFactory(
        session=SessionFactory(start=start, end=start + dt.timedelta(hours=3)),
        user=UserFactory(agency=agency),
        attendance="attended",
    )

    response = reviewer_client.get(reverse("reports:dashboard"), {**YEAR, "_export": "csv", "_table": "agencies"})

    assert _csv(response)[1][0] == '\'=HYPERLINK("http://evil.example","x")'


# --- the Training Summary ----------------------------------------------------------------


def test_asking_for_a_summary_makes_the_pdf_in_the_background_and_offers_it(
    reviewer_client, imported, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    neglect = Booking.objects.filter(session__course__title=history.NEGLECT).first().session.course

    with django_capture_on_commit_callbacks(execute=True):
        response = reviewer_client.post(
            reverse("reports:summary_request") + "?start=2023-04-01&end=2024-03-31", {"courses": [neglect.pk]}
        )

    run = ReportRun.objects.get()
    assert response.url == reverse("reports:run_detail", args=[run.pk])
    assert (run.status, run.progress, run.course_ids) == (ReportRun.Status.DONE, 100, [neglect.pk])
    assert str(tmp_path) in run.file.path
    state = reviewer_client.get(reverse("reports:run_status", args=[run.pk])).json()
    assert state["status"] == "done" and state["download_url"] == reverse("reports:run_download", args=[run.pk])
    page = reviewer_client.get(reverse("reports:run_detail", args=[run.pk])).content.decode()
    assert "Download the Training Summary (PDF)" in page
    download = reviewer_client.get(reverse("reports:run_download", args=[run.pk]))
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"] == ('attachment; filename="training-summary-2023-04-01-to-2024-03-31.pdf"')
    assert b"".join(download.streaming_content).startswith(b"%PDF")


def test_a_summary_still_being_made_cannot_be_downloaded(reviewer_client):
    run = ReportRun.objects.create(
        period_start=dt.date(2024, 4, 1),
        period_end=dt.date(2025, 3, 31),
        status=ReportRun.Status.RUNNING,
        progress=40,
        stage="Course 2 of 5",
    )

    assert reviewer_client.get(reverse("reports:run_download", args=[run.pk])).status_code == 404
    state = reviewer_client.get(reverse("reports:run_status", args=[run.pk])).json()
    assert state == {
        "status": "running",
        "status_label": "Being made",
        "progress": 40,
        "stage": "Course 2 of 5",
        "download_url": None,
    }


def test_a_failed_summary_says_so(reviewer_client, imported, monkeypatch, django_capture_on_commit_callbacks):
    def broken(summary):
        raise RuntimeError("out of paper")

    monkeypatch.setattr("reports.pdf.training_summary_pdf", broken)
    with django_capture_on_commit_callbacks(execute=True):
        reviewer_client.post(reverse("reports:summary_request") + "?start=2023-04-01&end=2024-03-31", {})

    run = ReportRun.objects.get()
    assert (run.status, run.error) == (ReportRun.Status.FAILED, "RuntimeError: out of paper")
    assert (
        "The summary could not be made"
        in reviewer_client.get(reverse("reports:run_detail", args=[run.pk])).content.decode()
    )


# --- the history import in the staff area ---------------------------------------------------


def test_an_administrator_uploads_sees_a_preview_and_confirms(
    client, administrator, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(administrator)
    upload = SimpleUploadedFile("2023-24.csv", history.csv_bytes(), content_type="text/csv")

    with django_capture_on_commit_callbacks(execute=True):  # the check is a task, run on commit
        response = client.post(reverse("reports:history_import"), {"file": upload})

    record = HistoryImport.objects.get()
    assert response.url == reverse("reports:history_import_preview", args=[record.pk])
    preview = client.get(response.url).content.decode()
    assert 'id="bookings-new">83<' in preview
    assert "St Mark&#x27;s Youth Club" in preview and not Booking.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):  # so is the import
        client.post(response.url)
    assert Booking.objects.count() == 83
    assert "Past years imported" in client.get(response.url).content.decode()
    assert mailoutbox == []


def test_an_upload_with_bad_rows_lists_them_and_keeps_nothing(
    client, administrator, django_capture_on_commit_callbacks
):
    client.force_login(administrator)
    rows = history.history_rows()
    rows[3][4] = ""
    upload = SimpleUploadedFile("2023-24.csv", history.csv_bytes(rows), content_type="text/csv")

    with django_capture_on_commit_callbacks(execute=True):  # the rows are checked by a task, run on commit
        response = client.post(reverse("reports:history_import"), {"file": upload})
    page = client.get(response.url).content.decode()

    assert "Nothing was imported: 1 row has a problem" in page
    assert '<td class="govuk-table__cell">5</td><td class="govuk-table__cell">the venue is missing</td>' in page
    # Only why it was refused is kept, not the file.
    assert HistoryImport.objects.get().content == "" and not Booking.objects.exists()


def test_an_upload_that_is_not_a_csv_is_refused(client, administrator, settings):
    client.force_login(administrator)
    settings.HISTORY_IMPORT_MAX_BYTES = 10

    too_big = client.post(
        reverse("reports:history_import"), {"file": SimpleUploadedFile("a.csv", b"x" * 11, content_type="text/csv")}
    )
    spreadsheet = client.post(
        reverse("reports:history_import"), {"file": SimpleUploadedFile("a.xlsx", b"PK", content_type="application/zip")}
    )

    assert "The largest file that can be imported is 10" in too_big.content.decode()
    assert "The file must be a CSV file" in spreadsheet.content.decode()


def test_ppt_reviewers_cannot_import(reviewer_client):
    assert reviewer_client.get(reverse("reports:history_import")).status_code == 403
