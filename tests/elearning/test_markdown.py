"""Pages are written in Markdown and shown as sanitised HTML: nothing an author
writes can run in a delegate's browser or pull in outside content."""

import pytest

from elearning.markdown import markdown_problems, markdown_to_html

pytestmark = pytest.mark.django_db


def test_markdown_becomes_govuk_html():
    html = markdown_to_html("# Heading\n\nSome **bold** text with [a link](https://example.org).\n\n* one\n* two")

    assert '<h2 class="govuk-heading-l">Heading</h2>' in html
    assert '<p class="govuk-body">' in html
    assert "<strong>bold</strong>" in html
    assert 'class="govuk-list govuk-list--bullet"' in html
    assert 'href="https://example.org"' in html
    assert 'rel="noopener noreferrer"' in html


def test_a_script_tag_is_shown_as_text_never_run():
    html = markdown_to_html("Hello <script>alert('x')</script>\n\n<script>\nalert(1)\n</script>\n")

    assert "<script" not in html
    assert "&lt;script&gt;" in html


def test_event_handlers_iframes_and_javascript_links_are_removed():
    html = markdown_to_html(
        '<img src=x onerror="alert(1)">\n\n<iframe src="https://evil.example"></iframe>\n\n'
        "[click](javascript:alert(1)) and [data](data:text/html;base64,PHNjcmlwdD4=)"
    )

    # The raw HTML is shown as text: no tag, so no handler and no frame.
    assert "<iframe" not in html and "<img" not in html
    assert 'href="javascript' not in html and 'href="data' not in html


def test_only_pictures_uploaded_to_the_site_are_shown():
    html = markdown_to_html("![ours](/e-learning/images/12/)\n\n![theirs](https://tracker.example/pixel.png)")

    assert '<img src="/e-learning/images/12/" alt="ours" class="app-module-image">' in html
    assert "tracker.example" not in html


def test_authors_are_told_about_html_outside_pictures_and_script_links_with_line_numbers():
    problems = markdown_problems(
        "Fine text\n\n<script>alert(1)</script>\n\nA <b>bold</b> word\n\n![x](https://elsewhere.example/a.png)\n\n"
        "[bad](javascript:alert(1))\n"
    )

    assert any(p.startswith("Line 3:") and "<script>" in p for p in problems)
    assert any(p.startswith("Line 5:") and "<b>" in p for p in problems)
    assert any(p.startswith("Line 7:") and "pictures must be uploaded" in p for p in problems)
    assert any(p.startswith("Line 9:") and "links must go to a web address" in p for p in problems)


def test_code_that_mentions_html_is_allowed():
    assert markdown_problems("Write `<script>` in a code span, never on the page.") == []
