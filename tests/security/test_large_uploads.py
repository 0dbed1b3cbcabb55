"""Large uploads (issue 12: item 10 and the module picture): a file the site
accepts must not tie up a web worker while it is read or decoded."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image

from bookings.models import Booking
from elearning import services as elearning_services
from elearning.models import Completion, CompletionImport, ModuleImage
from reports import services as reports_services
from reports.models import HistoryImport
from tests.dates import ago
from tests.elearning.factories import ModuleFactory
from tests.reports import history
from tests.resilience.conftest import closed_port_url, point_broker_at

pytestmark = pytest.mark.django_db

HEADER = "email,name,agency,sector,role,module,completed_at"


def _completions_csv(rows: int, *, after: tuple[str, ...] = ()) -> bytes:
    lines = [HEADER]
    lines += [f"person{n}@provider.example,Person {n},,,,Module {n % 3},2025-05-01" for n in range(rows)]
    return ("\n".join([*lines, *after]) + "\n").encode()


def _upload(client, data: bytes, name="provider.csv"):
    return client.post(reverse("elearning:staff_import"), {"file": SimpleUploadedFile(name, data, "text/csv")})


def _rows_checked_updates(queries) -> int:
    """How many times the check wrote how far it had got, while it ran."""
    return sum(1 for query in queries if query["sql"].startswith("UPDATE") and '"rows_checked"' in query["sql"])


# --- large imports: the request keeps the file, a task checks its rows ---------------------------


def test_an_upload_returns_before_its_rows_are_checked_and_the_task_checks_them(
    client, administrator, django_capture_on_commit_callbacks
):
    client.force_login(administrator)

    with django_capture_on_commit_callbacks() as queued:  # the task is queued on commit, not run
        response = _upload(client, _completions_csv(3))

    record = CompletionImport.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("elearning:staff_import_preview", args=[record.pk])
    assert (record.status, record.rows, record.rows_checked, record.summary) == ("queued", 3, 0, {})
    waiting = client.get(response.url).content.decode()
    assert "Waiting to be checked" in waiting and "0 of 3 rows checked" in waiting
    assert "Check again" in waiting and "Import these completions" not in waiting
    assert len(queued) == 1

    queued[0]()  # what the worker does

    record.refresh_from_db()
    assert (record.status, record.rows_checked) == ("pending", 3)
    preview = client.get(response.url).content.decode()
    assert "Completions to add" in preview and 'id="completions-new">3<' in preview
    assert "Import these completions" in preview and "Check again" not in preview


def test_a_file_at_the_row_limit_is_accepted_and_checked_by_the_task_which_records_its_progress(
    client, administrator, settings, django_capture_on_commit_callbacks
):
    settings.ELEARNING_IMPORT_MAX_ROWS = 12_000
    client.force_login(administrator)
    with django_capture_on_commit_callbacks() as queued:
        _upload(client, _completions_csv(12_000))
    record = CompletionImport.objects.get()
    assert (record.status, record.rows) == ("queued", 12_000)

    with CaptureQueriesContext(connection) as queries:
        queued[0]()

    record.refresh_from_db()
    assert (record.status, record.rows_checked, record.summary["completions_new"]) == ("pending", 12_000, 12_000)
    assert _rows_checked_updates(queries) >= 3  # at 5,000 and 10,000 rows, and at the end
    assert not Completion.objects.exists()  # nothing imported until someone confirms


def test_a_file_over_the_row_limit_is_refused_at_once_and_its_rows_are_not_read(client, administrator, settings):
    settings.ELEARNING_IMPORT_MAX_ROWS = 1_000
    client.force_login(administrator)
    # The row past the limit is wrong: had the rows been checked, it would be listed.
    data = _completions_csv(1_000, after=("not-an-address,X,,,,Module 1,2025-05-01",))

    page = _upload(client, data).content.decode()

    assert "The file has more than 1,000 rows" in page and "split it into smaller files" in page
    assert "not-an-address" not in page
    assert not CompletionImport.objects.exists()


def test_the_row_limit_is_stated_on_the_upload_page(client, administrator, settings):
    settings.ELEARNING_IMPORT_MAX_ROWS = 200_000
    client.force_login(administrator)

    page = client.get(reverse("elearning:staff_import")).content.decode()

    assert "at most 200,000 rows" in page


def test_the_probe_a_million_short_rows_under_20_mb_is_refused_without_being_checked(client, administrator):
    """The probe: 1,000,000 short rows (16 MB, under the 20 MB limit) held a
    gunicorn worker until it was killed after 30 seconds, and answered 500."""
    client.force_login(administrator)
    data = HEADER.encode() + b"\n" + b"a@x.io,,,,,m,25\n" * 1_000_000
    assert 15_000_000 < len(data) < 20 * 1024 * 1024

    response = _upload(client, data, name="million.csv")

    assert response.status_code == 200
    assert "The file has more than 200,000 rows" in response.content.decode()
    assert not CompletionImport.objects.exists()


def test_bad_rows_found_by_the_task_are_listed_on_the_imports_page_and_the_file_is_not_kept(
    client, administrator, django_capture_on_commit_callbacks
):
    client.force_login(administrator)
    with django_capture_on_commit_callbacks(execute=True):
        response = _upload(client, _completions_csv(2, after=(",No Email,,,,Module,2025-05-01",)))

    record = CompletionImport.objects.get()
    assert (record.status, record.content) == ("rejected", "")
    assert record.problems == [[4, ["the e-mail address is missing"]]]
    page = client.get(response.url).content.decode()
    assert "This file cannot be imported" in page and "Nothing was imported: 1 row has a problem" in page
    assert "the e-mail address is missing" in page
    assert client.post(response.url).status_code == 302  # confirming a rejected file does nothing
    assert not Completion.objects.exists()


def test_confirming_imports_in_the_worker_and_the_page_says_so_meanwhile(
    client, administrator, django_capture_on_commit_callbacks
):
    client.force_login(administrator)
    with django_capture_on_commit_callbacks(execute=True):
        page_url = _upload(client, _completions_csv(3)).url

    with django_capture_on_commit_callbacks() as queued:
        client.post(page_url)
        client.post(page_url)  # a second click queues nothing more

    assert CompletionImport.objects.get().status == "applying" and not Completion.objects.exists()
    assert "Importing the file" in client.get(page_url).content.decode()
    assert len(queued) == 1
    queued[0]()
    assert Completion.objects.count() == 3
    assert "Completions imported" in client.get(page_url).content.decode()


def test_a_history_file_is_checked_and_imported_by_the_worker(
    client, administrator, settings, django_capture_on_commit_callbacks
):
    client.force_login(administrator)
    upload = SimpleUploadedFile("2023-24.csv", history.csv_bytes(), content_type="text/csv")

    with django_capture_on_commit_callbacks() as queued:
        response = client.post(reverse("reports:history_import"), {"file": upload})

    record = HistoryImport.objects.get()
    assert response.url == reverse("reports:history_import_preview", args=[record.pk])
    assert (record.status, record.rows, record.rows_checked) == ("queued", 84, 0)
    assert "0 of 84 rows checked" in client.get(response.url).content.decode()
    queued[0]()
    assert 'id="bookings-new">83<' in client.get(response.url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(response.url)
    assert Booking.objects.count() == 83
    assert "Past years imported" in client.get(response.url).content.decode()


def test_a_history_file_over_the_row_limit_is_refused_at_once(client, administrator, settings):
    settings.HISTORY_IMPORT_MAX_ROWS = 50
    client.force_login(administrator)
    upload = SimpleUploadedFile("2023-24.csv", history.csv_bytes(), content_type="text/csv")

    page = client.post(reverse("reports:history_import"), {"file": upload}).content.decode()

    assert "The file has more than 50 rows" in page
    assert "at most 50 rows" in page
    assert not HistoryImport.objects.exists()


# --- module pictures -------------------------------------------------------------------------


def _one_frame_gif(colour: int, size: tuple[int, int]) -> bytes:
    image = Image.new("P", size, colour)
    image.putpalette([255, 0, 0, 0, 0, 255] + [0] * 762)
    out = io.BytesIO()
    image.save(out, "GIF", optimize=False)  # keep the palette as given, so both frames share it
    return out.getvalue()


def _animated_gif(size: tuple[int, int], frames: int) -> bytes:
    """A GIF of `frames` frames of `size`, alternately red and blue. Pillow
    would take seconds and a gigabyte to write 40 large frames, so two are
    written and their image blocks repeated (each block is a whole frame)."""
    red, blue = _one_frame_gif(0, size), _one_frame_gif(1, size)
    flags = red[10]  # the logical screen descriptor: is there a global colour table, and how big
    start = 13 + (3 * 2 ** ((flags & 7) + 1) if flags & 0x80 else 0)
    assert red[start] == blue[start] == 0x2C and red[-1] == 0x3B  # an image descriptor; the trailer
    blocks = [red[start:-1], blue[start:-1]]
    return red[:start] + b"".join(blocks[n % 2] for n in range(frames)) + b";"


def _upload_picture(client, module, data: bytes, name="animation.gif"):
    return client.post(
        reverse("elearning:staff_image_create", args=[module.pk]),
        {"alt_text": "A flashing square", "image": SimpleUploadedFile(name, data, content_type="image/gif")},
    )


def test_a_40_frame_4999_pixel_square_gif_is_refused_before_it_is_decoded(client, administrator, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    module = ModuleFactory()
    data = _animated_gif((4999, 4999), 40)
    assert len(data) < settings.ELEARNING_IMAGE_MAX_BYTES  # under the size limit: only its pixels give it away
    client.force_login(administrator)

    response = _upload_picture(client, module, data)

    assert response.status_code == 200
    page = response.content.decode()
    assert "The picture is too large" in page and "40 frames" in page
    assert not ModuleImage.objects.exists()


def test_a_single_frame_over_the_pixel_limit_is_refused(client, administrator, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    module = ModuleFactory()
    client.force_login(administrator)

    response = _upload_picture(client, module, _animated_gif((6000, 5000), 1))

    assert "The picture is too large" in response.content.decode()
    assert not ModuleImage.objects.exists()


def test_a_small_animation_is_kept_with_all_its_frames(client, administrator, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    module = ModuleFactory()
    client.force_login(administrator)

    _upload_picture(client, module, _animated_gif((200, 100), 12))

    picture = ModuleImage.objects.get(module=module)
    with Image.open(picture.image.path) as kept:
        assert (kept.size, kept.n_frames) == ((200, 100), 12)


def test_a_file_with_more_lines_than_the_limit_but_not_more_rows_is_accepted(
    client, administrator, settings, django_capture_on_commit_callbacks
):
    """A quoted cell may hold a line break: lines are only an upper bound on rows."""
    settings.ELEARNING_IMPORT_MAX_ROWS = 3
    client.force_login(administrator)
    rows = [f'person{n}@provider.example,"Person\n{n}",,,,Module,2025-05-01' for n in range(3)]

    with django_capture_on_commit_callbacks(execute=True):
        response = _upload(client, ("\n".join([HEADER, *rows]) + "\n").encode())

    record = CompletionImport.objects.get()
    assert response.status_code == 302
    assert (record.status, record.rows, record.rows_checked) == ("pending", 3, 3)


def test_a_check_that_fails_says_so_and_keeps_nothing(
    client, administrator, monkeypatch, django_capture_on_commit_callbacks
):
    def broken(text, progress=None):
        raise RuntimeError("database went away")

    monkeypatch.setattr("elearning.services.imports.completion_import_plan", broken)
    client.force_login(administrator)
    with django_capture_on_commit_callbacks(execute=True):
        response = _upload(client, _completions_csv(3))

    record = CompletionImport.objects.get()
    assert (record.status, record.content) == ("failed", "")
    page = client.get(response.url).content.decode()
    assert "This file cannot be imported" in page and "Something went wrong" in page


def test_a_file_uploaded_while_the_broker_was_down_is_checked_once_a_scheduled_job_queues_it_again(
    client, administrator, settings, django_capture_on_commit_callbacks
):
    client.force_login(administrator)
    site_broker = settings.CELERY_BROKER_URL
    settings.CELERY_TASK_ALWAYS_EAGER = False
    point_broker_at(settings, closed_port_url())
    try:
        with django_capture_on_commit_callbacks(execute=True):
            response = _upload(client, _completions_csv(3))
    finally:
        point_broker_at(settings, site_broker)
        settings.CELERY_TASK_ALWAYS_EAGER = True
    record = CompletionImport.objects.get()
    assert response.status_code == 302 and record.status == "queued"  # kept; its task was lost

    assert elearning_services.completion_imports_requeue() == 0  # queued a moment ago: left to its task
    CompletionImport.objects.update(queued_at=ago(minutes=11))
    assert elearning_services.completion_imports_requeue() == 1

    record.refresh_from_db()
    assert (record.status, record.rows_checked) == ("pending", 3)


def test_a_confirmed_history_import_whose_task_was_lost_is_imported_once_queued_again(
    client, administrator, django_capture_on_commit_callbacks
):
    client.force_login(administrator)
    upload = SimpleUploadedFile("2023-24.csv", history.csv_bytes(), content_type="text/csv")
    with django_capture_on_commit_callbacks(execute=True):
        page_url = client.post(reverse("reports:history_import"), {"file": upload}).url
    with django_capture_on_commit_callbacks():  # confirmed, but its task never reaches a worker
        client.post(page_url)
    HistoryImport.objects.update(queued_at=ago(minutes=11))

    assert reports_services.history_imports_requeue() == 1
    assert reports_services.history_imports_requeue() == 0  # done: nothing left to queue

    assert HistoryImport.objects.get().status == "applied" and Booking.objects.count() == 83


def test_a_file_checked_before_the_upgrade_is_checked_again_by_the_requeue_job():
    # What the migration leaves of a file checked before previews were kept.
    record = CompletionImport.objects.create(
        filename="old.csv", content=_completions_csv(2).decode(), status=CompletionImport.Status.QUEUED
    )

    assert elearning_services.completion_imports_requeue() == 1

    record.refresh_from_db()
    assert (record.status, record.summary["completions_new"]) == ("pending", 2)


def test_the_page_lists_the_first_thousand_bad_rows_and_says_how_many_there_are(
    client, administrator, django_capture_on_commit_callbacks
):
    client.force_login(administrator)
    bad = tuple(f"person{n}@provider.example,Person,,,,Module,tomorrow" for n in range(1_002))
    with django_capture_on_commit_callbacks(execute=True):
        response = _upload(client, _completions_csv(0, after=bad))

    record = CompletionImport.objects.get()
    assert (len(record.problems), record.problem_count) == (1_000, 1_002)
    page = client.get(response.url).content.decode()
    assert "Nothing was imported: 1002 rows have problems" in page
    assert "The first 1,000 of 1,002 rows with problems are listed. `manage.py import_elearning` lists them all" in page
