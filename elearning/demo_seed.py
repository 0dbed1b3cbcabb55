"""The demo partnership's e-learning: modules (elearning.demo) and three years
of completions. Idempotent: modules are found by slug, content is written
only into modules that have none, and completions are unique per delegate,
module and day."""

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from . import demo, services
from .models import Completion, Module
from .selectors import financial_year

MODULE_FIELDS = (
    "title", "level", "estimated_minutes", "renewal_months", "summary", "audience", "learning_outcomes",
    "provider", "external_url", "access_instructions", "pass_mark_percent",
)


def _module(spec: dict, delivery: str) -> Module:
    module, _created = Module.objects.get_or_create(
        slug=spec["slug"],
        defaults={"delivery": delivery, **{name: spec[name] for name in MODULE_FIELDS if name in spec}},
    )
    return module


@transaction.atomic
def elearning_demo_seed(*, practitioners, delegate, today: dt.date | None = None) -> dict:
    today = today or timezone.localdate()
    rng = random.Random(2026)
    hosted = []
    for spec in demo.HOSTED:
        module = _module(spec, Module.Delivery.HOSTED)
        if not module.pages.exists():
            for title, body in spec["pages"]:
                services.module_page_save(module=module, title=title, body=body)
        if not module.questions.exists():
            for text, choices, correct, explanation in spec["questions"]:
                services.question_save(module=module, text=text, choices=choices, correct=correct,
                                       explanation=explanation)
        hosted.append(module)
    external = [_module(spec, Module.Delivery.EXTERNAL) for spec in demo.EXTERNAL]
    level_2, level_1_provider, prevent = external
    introduction, neglect = hosted

    # Three financial years of completions, as a provider's monthly files and
    # delegates passing the hosted modules would have left them. Dates are
    # fixed within a financial year, so re-running adds nothing.
    this_year = financial_year(today)
    completions = []
    for years_back in range(3):
        start = this_year.start.replace(year=this_year.start.year - years_back)
        span = (start.replace(year=start.year + 1) - start).days - 1
        for person in practitioners:
            for module, chance in ((introduction, 0.5), (level_1_provider, 0.25), (level_2, 0.4), (prevent, 0.2),
                                   (neglect, 0.15)):
                completed_on = start + dt.timedelta(days=rng.randint(0, span))
                if rng.random() < chance and completed_on <= today:
                    completions.append(Completion(
                        user=person, module=module, completed_on=completed_on,
                        source=Completion.Source.HOSTED if module.is_hosted else Completion.Source.IMPORTED,
                        job_role=person.job_role, agency_id=person.agency_id,
                        score_percent=rng.choice([80, 100]) if module.is_hosted else None,
                    ))
    Completion.objects.bulk_create(completions, ignore_conflicts=True)

    # The demo delegate's Level 2 is due for renewal; their introduction has a certificate.
    if not Completion.objects.filter(user=delegate, module=level_2).exists():
        Completion.objects.create(
            user=delegate, module=level_2, completed_on=today - dt.timedelta(days=365 * 3 - 20),
            source=Completion.Source.IMPORTED, job_role=delegate.job_role, agency_id=delegate.agency_id,
        )
    if not Completion.objects.filter(user=delegate, module=introduction).exists():
        services.completion_record(user=delegate, module=introduction, completed_on=today - dt.timedelta(days=40),
                                   score_percent=100)
    return {"modules": len(hosted) + len(external), "completions": Completion.objects.count()}
