"""Factories for e-learning records. `hosted_module` writes its pages and
questions through the services, as an administrator would."""

import io

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from elearning import services
from elearning.models import Choice, Completion, CompletionImport, Module
from tests.factories import UserFactory


class ModuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Module

    title = factory.Sequence(lambda n: f"E-learning module {n}")
    slug = factory.Sequence(lambda n: f"e-learning-module-{n}")
    level = "level_1"
    summary = "What the module covers."
    estimated_minutes = 20
    delivery = Module.Delivery.HOSTED


class CompletionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Completion

    user = factory.SubFactory(UserFactory)
    module = factory.SubFactory(ModuleFactory)
    completed_on = factory.Faker("date_between", start_date="-2y", end_date="today")
    source = Completion.Source.IMPORTED
    job_role = factory.LazyAttribute(lambda o: o.user.job_role)
    agency = factory.LazyAttribute(lambda o: o.user.agency)


QUESTIONS = [
    ("Who is a child?", ["Anyone under 18", "Anyone under 16", "Anyone at school"], 0),
    ("Who do you tell first?", ["Your designated safeguarding lead", "Nobody", "The newspaper"], 0),
]


def hosted_module(*, pages=2, questions=QUESTIONS, **kwargs) -> Module:
    module = ModuleFactory(**kwargs)
    for n in range(1, pages + 1):
        services.module_page_save(module=module, title=f"Page {n} title", body=f"Text of page {n}.\n\n* a point")
    for text, choices, correct in questions:
        services.question_save(module=module, text=text, choices=choices, correct=correct)
    return module


def right_answers(attempt) -> dict[int, int]:
    return {q: Choice.objects.get(question_id=q, is_correct=True).pk for q, _choices in attempt.layout}


def wrong_answers(attempt) -> dict[int, int]:
    return {q: Choice.objects.filter(question_id=q, is_correct=False).first().pk for q, _choices in attempt.layout}


def elearning_records() -> dict:
    """One of each e-learning record a URL can name, for the permission matrix:
    a published hosted module (one page, a question, a picture), another
    delegate's knowledge-check attempt and a provider file waiting to be
    confirmed. Pictures are written under MEDIA_ROOT: point it somewhere temporary."""
    module = hosted_module(pages=1, questions=QUESTIONS[:1])
    other = UserFactory()
    services.module_page_read(user=other, module=module, position=1)
    picture = io.BytesIO()
    Image.new("RGB", (4, 4), "blue").save(picture, "PNG")
    return {
        "module": module,
        "module_page": module.pages.get(),
        "question": module.questions.get(),
        "module_image": services.module_image_add(
            module=module, upload=SimpleUploadedFile("p.png", picture.getvalue()), alt_text="Blue"),
        "attempt": services.attempt_start(user=other, module=module),
        "completion_import": CompletionImport.objects.create(
            filename="provider.csv",
            content="email,name,agency,sector,role,module,completed_at\na@provider.example,A B,,,,M,2025-05-01\n"),
    }
