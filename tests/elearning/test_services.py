"""Hosted modules: writing pages, questions and pictures; a delegate reading,
taking the knowledge check, passing, and getting a certificate."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from certificates.models import Certificate
from elearning import services
from elearning.exceptions import ElearningError
from elearning.models import Attempt, Completion, ModuleImage, ModuleProgress
from tests.factories import UserFactory

from .factories import ModuleFactory, hosted_module, right_answers, wrong_answers

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _png(size=(40, 30), extra=b""):
    out = io.BytesIO()
    Image.new("RGB", size, "blue").save(out, "PNG")
    return out.getvalue() + extra


def _read_all(user, module):
    for page in module.pages.all():
        services.module_page_read(user=user, module=module, position=page.position)


# --- writing a module --------------------------------------------------------------


def test_pages_are_numbered_without_gaps_and_a_new_page_can_go_between():
    module = hosted_module(pages=3, questions=[])

    services.module_page_save(module=module, title="Inserted", body="New.", position=2)

    assert list(module.pages.values_list("position", "title")) == [
        (1, "Page 1 title"), (2, "Inserted"), (3, "Page 2 title"), (4, "Page 3 title")]
    services.module_page_delete(page=module.pages.get(title="Page 1 title"))
    assert list(module.pages.values_list("position", flat=True)) == [1, 2, 3]


def test_a_page_with_a_script_tag_is_refused_and_not_saved():
    module = ModuleFactory()

    with pytest.raises(ElearningError, match="HTML such as <script>"):
        services.module_page_save(module=module, title="Bad", body="Hi\n\n<script>alert(1)</script>")

    assert not module.pages.exists()


def test_an_external_module_has_no_pages():
    module = ModuleFactory(delivery="external")

    with pytest.raises(ElearningError):
        services.module_page_save(module=module, title="Page", body="Text")


def test_a_question_needs_two_answers_and_changing_it_keeps_its_answers_ids():
    module = ModuleFactory()
    with pytest.raises(ElearningError, match="at least two"):
        services.question_save(module=module, text="Q?", choices=["Only one"], correct=0)

    question = services.question_save(module=module, text="Q?", choices=["A", "B", "C"], correct=1)
    ids = list(question.choices.values_list("pk", flat=True))
    services.question_save(module=module, question=question, text="Q2?", choices=["A2", "B2"], correct=0)

    assert list(question.choices.values_list("pk", "text", "is_correct")) == [(ids[0], "A2", True),
                                                                              (ids[1], "B2", False)]


def test_a_picture_is_stored_re_encoded_under_a_random_name():
    module = ModuleFactory()
    upload = SimpleUploadedFile("../../etc/evil name.png", _png(extra=b"<html><script>alert(1)</script></html>"))

    image = services.module_image_add(module=module, upload=upload, alt_text="A blue square")

    assert image.image.name.startswith("elearning/") and image.image.name.endswith(".png")
    assert "evil" not in image.image.name
    stored = image.image.read()
    assert b"<script>" not in stored  # what was hidden after the picture is gone
    assert Image.open(io.BytesIO(stored)).size == (40, 30)
    assert image.content_type == "image/png"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("drawing.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "not a picture"),
        ("notes.png", b"just some text pretending", "not a picture"),
        ("page.html", b"<html></html>", "not a picture"),
    ],
)
def test_anything_but_a_picture_is_refused(name, content, message):
    module = ModuleFactory()

    with pytest.raises(ElearningError, match=message):
        services.module_image_add(module=module, upload=SimpleUploadedFile(name, content), alt_text="x")

    assert not ModuleImage.objects.exists()


def test_a_picture_over_the_size_limit_is_refused(settings):
    settings.ELEARNING_IMAGE_MAX_BYTES = 20

    with pytest.raises(ElearningError, match="smaller than"):
        services.module_image_add(module=ModuleFactory(), upload=SimpleUploadedFile("a.png", _png()), alt_text="x")


def test_a_picture_still_shown_on_a_page_cannot_be_deleted():
    module = ModuleFactory()
    image = services.module_image_add(module=module, upload=SimpleUploadedFile("a.png", _png()), alt_text="Blue")
    services.module_page_save(module=module, title="With picture", body=image.markdown)

    with pytest.raises(ElearningError, match="Page 1 still shows"):
        services.module_image_delete(image=image)


# --- taking a module ---------------------------------------------------------------------


def test_progress_is_saved_and_never_goes_back():
    module, user = hosted_module(pages=3), UserFactory()

    services.module_page_read(user=user, module=module, position=2)
    services.module_page_read(user=user, module=module, position=1)

    assert ModuleProgress.objects.get(user=user, module=module).pages_read == 2


def test_the_knowledge_check_waits_until_every_page_is_read():
    module, user = hosted_module(pages=2), UserFactory()
    services.module_page_read(user=user, module=module, position=1)

    with pytest.raises(ElearningError, match="Read every page"):
        services.attempt_start(user=user, module=module)


def test_an_attempt_asks_every_question_in_a_shuffled_order_and_stays_the_same_until_submitted():
    questions = [(f"Question {n}?", ["Right", "Wrong", "Also wrong"], 0) for n in range(8)]
    module, user = hosted_module(pages=1, questions=questions), UserFactory()
    _read_all(user, module)

    attempt = services.attempt_start(user=user, module=module)

    assert sorted(q for q, _ in attempt.layout) == sorted(module.questions.values_list("pk", flat=True))
    assert services.attempt_start(user=user, module=module) == attempt
    orders = {tuple(q for q, _ in attempt.layout)}
    for _ in range(5):
        services.attempt_submit(attempt=attempt, answers=wrong_answers(attempt))
        attempt = services.attempt_start(user=user, module=module)
        orders.add(tuple(q for q, _ in attempt.layout))
    assert len(orders) > 1  # 8! orders: six the same would be a broken shuffle


def test_every_question_must_be_answered():
    module, user = hosted_module(pages=1), UserFactory()
    _read_all(user, module)
    attempt = services.attempt_start(user=user, module=module)
    first_question, choices = attempt.layout[0]

    with pytest.raises(ElearningError, match="Answer every question"):
        services.attempt_submit(attempt=attempt, answers={first_question: choices[0]})

    attempt.refresh_from_db()
    assert attempt.submitted_at is None


def test_failing_records_no_completion_and_a_retake_can_pass():
    module, user = hosted_module(pages=1), UserFactory()
    _read_all(user, module)
    attempt = services.attempt_start(user=user, module=module)

    failed = services.attempt_submit(attempt=attempt, answers=wrong_answers(attempt))

    assert failed.passed is False and failed.score_percent == 0
    assert not Completion.objects.exists()
    retake = services.attempt_start(user=user, module=module)
    assert retake.pk != attempt.pk
    passed = services.attempt_submit(attempt=retake, answers=right_answers(retake))
    assert passed.passed is True and passed.score_percent == 100


def test_passing_records_the_completion_with_role_and_agency_and_issues_a_certificate():
    module, user = hosted_module(pages=1, title="Recognising neglect", estimated_minutes=20), UserFactory()
    _read_all(user, module)
    attempt = services.attempt_start(user=user, module=module)

    services.attempt_submit(attempt=attempt, answers=right_answers(attempt))

    completion = Completion.objects.get(user=user, module=module)
    assert completion.completed_on == timezone.localdate()
    assert (completion.source, completion.job_role, completion.agency) == ("hosted", user.job_role, user.agency)
    certificate = Certificate.objects.get(source=f"completion:{completion.pk}")
    assert (certificate.kind, certificate.title, certificate.user) == ("elearning", "Recognising neglect", user)
    assert certificate.duration == "20 minutes of e-learning"


def test_the_pass_mark_is_met_exactly_not_rounded():
    questions = [(f"Q{n}?", ["Right", "Wrong"], 0) for n in range(3)]
    module, user = hosted_module(pages=1, questions=questions, pass_mark_percent=67), UserFactory()
    _read_all(user, module)
    attempt = services.attempt_start(user=user, module=module)
    answers = right_answers(attempt)
    wrong = wrong_answers(attempt)
    last = attempt.layout[-1][0]
    answers[last] = wrong[last]

    result = services.attempt_submit(attempt=attempt, answers=answers)

    assert result.score_percent == 66  # two of three is 66.7%: short of 67%
    assert result.passed is False


def test_submitting_twice_changes_nothing_and_passing_twice_a_day_is_one_completion():
    module, user = hosted_module(pages=1), UserFactory()
    _read_all(user, module)
    attempt = services.attempt_start(user=user, module=module)
    services.attempt_submit(attempt=attempt, answers=right_answers(attempt))
    services.attempt_submit(attempt=attempt, answers=wrong_answers(attempt))
    again = services.attempt_start(user=user, module=module)
    services.attempt_submit(attempt=again, answers=right_answers(again))

    attempt.refresh_from_db()
    assert attempt.passed is True
    assert Completion.objects.filter(user=user, module=module).count() == 1
    assert Certificate.objects.filter(user=user).count() == 1
    assert Attempt.objects.filter(user=user).count() == 2


def test_a_module_without_questions_is_complete_when_every_page_is_read():
    module, user = hosted_module(pages=2, questions=[]), UserFactory()
    with pytest.raises(ElearningError):
        services.module_finish_without_check(user=user, module=module)
    _read_all(user, module)

    completion = services.module_finish_without_check(user=user, module=module)

    assert completion.score_percent is None
    assert Certificate.objects.filter(source=f"completion:{completion.pk}").exists()
