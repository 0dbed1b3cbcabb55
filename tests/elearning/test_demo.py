"""The demo has the two modules written for this project, with their pages and
knowledge checks, and completions for the reports; seeding twice changes nothing."""

import pytest

from core.demo_seed import demo_seed
from elearning.markdown import markdown_problems
from elearning.models import Completion, Module

pytestmark = pytest.mark.django_db


def test_the_demo_has_the_hosted_modules_and_completions_and_seeding_again_changes_nothing():
    demo_seed()
    counts = (Module.objects.count(), Completion.objects.count())

    demo_seed()

    assert (Module.objects.count(), Completion.objects.count()) == counts
    introduction = Module.objects.get(slug="introduction-to-safeguarding-children")
    neglect = Module.objects.get(slug="recognising-neglect")
    for module in (introduction, neglect):
        assert module.is_hosted and module.pages.count() == 4 and module.questions.count() == 5
        assert all(markdown_problems(page.body) == [] for page in module.pages.all())
    text = " ".join(introduction.pages.values_list("body", flat=True))
    for fact in ("Working Together to Safeguard Children", "designated safeguarding lead", "999", "MASH"):
        assert fact in text
    assert Completion.objects.filter(module__level="level_2").exists()
    assert Completion.objects.filter(user__email="delegate@example.org", source="hosted").exists()
