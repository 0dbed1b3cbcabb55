"""Module pages are written in Markdown and shown as HTML.

Two layers keep a page from carrying anything but text, links and the
module's own pictures: markdown-it renders with raw HTML switched off (so a
<script> written into a page would show as text), and nh3 (the Ammonia
sanitiser) then keeps only the tags, attributes, classes and link schemes
listed here. Authors are told about HTML and outside pictures before a page
is saved (`markdown_problems`), so what they see is what delegates see.
"""

import re

import nh3
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from markdown_it import MarkdownIt

# GOV.UK classes for what Markdown makes. Page headings start at h2: the
# page's title is its h1.
_CLASSES = {
    "paragraph_open": "govuk-body",
    "bullet_list_open": "govuk-list govuk-list--bullet",
    "ordered_list_open": "govuk-list govuk-list--number",
    "blockquote_open": "govuk-inset-text",
    "link_open": "govuk-link",
    "table_open": "govuk-table",
    "tr_open": "govuk-table__row",
    "th_open": "govuk-table__header",
    "td_open": "govuk-table__cell",
    "hr": "govuk-section-break govuk-section-break--m govuk-section-break--visible",
    "image": "app-module-image",
}
_HEADING_CLASSES = {"h2": "govuk-heading-l", "h3": "govuk-heading-m", "h4": "govuk-heading-s"}

_TAGS = {
    "p", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "strong", "em", "a", "img", "blockquote", "code", "pre",
    "hr", "br", "table", "thead", "tbody", "tr", "th", "td",
}
_ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title"}, "th": {"style"}, "td": {"style"}}
_ALLOWED_CLASSES = {
    "p": {"govuk-body"},
    "ul": {"govuk-list", "govuk-list--bullet"},
    "ol": {"govuk-list", "govuk-list--number"},
    "blockquote": {"govuk-inset-text"},
    "a": {"govuk-link"},
    "table": {"govuk-table"},
    "tr": {"govuk-table__row"},
    "th": {"govuk-table__header"},
    "td": {"govuk-table__cell"},
    "hr": {"govuk-section-break", "govuk-section-break--m", "govuk-section-break--visible"},
    "img": {"app-module-image"},
    **{tag: {css} for tag, css in _HEADING_CLASSES.items()},
}
_BAD_LINK = re.compile(r"\]\(\s*<?\s*(javascript|vbscript|data|file):", re.IGNORECASE)


def _parser(*, html: bool) -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": html}).enable("table")


def _image_prefix() -> str:
    return reverse("elearning:image", args=[0])[: -len("0/")]


def is_module_image(src: str) -> bool:
    """Pages show only pictures uploaded to the site (elearning:image), so a
    page cannot pull in outside content or track its readers."""
    return re.fullmatch(re.escape(_image_prefix()) + r"[0-9]+/", src or "") is not None


def _style(tokens):
    for token in tokens:
        if token.type == "heading_open":
            level = min(int(token.tag[1]) + 1, 6)
            token.tag = f"h{level}"
            if token.tag in _HEADING_CLASSES:
                token.attrSet("class", _HEADING_CLASSES[token.tag])
        elif token.type == "heading_close":
            token.tag = f"h{min(int(token.tag[1]) + 1, 6)}"
        elif token.type in _CLASSES:
            token.attrSet("class", _CLASSES[token.type])
        if token.children:
            _style(token.children)


def _keep_attribute(tag, attribute, value):
    if tag == "img" and attribute == "src":
        return value if is_module_image(value) else None
    if attribute == "style":  # only table cell alignment, which Markdown tables write
        return value if re.fullmatch(r"text-align:(left|right|center)", value) else None
    return value


def markdown_to_html(text: str) -> SafeString:
    """A page's Markdown as sanitised HTML, ready for a template."""
    md = _parser(html=False)
    tokens = md.parse(text or "")
    _style(tokens)
    html = md.renderer.render(tokens, md.options, {})
    # Safe: nh3 has just removed everything not listed above.
    return mark_safe(
        nh3.clean(
            html,
            tags=_TAGS,
            attributes=_ATTRIBUTES,
            allowed_classes=_ALLOWED_CLASSES,
            url_schemes={"http", "https", "mailto"},
            link_rel="noopener noreferrer",
            attribute_filter=_keep_attribute,
            strip_comments=True,
        )
    )


def markdown_problems(text: str) -> list[str]:
    """What in an author's Markdown would not be shown as written: HTML (script
    tags, iframes, anything else), pictures from elsewhere and links that are
    not web or e-mail addresses. One message a problem, naming its line."""
    problems = []

    def tag(html):
        match = re.match(r"</?([a-zA-Z][a-zA-Z0-9-]*)", html.strip())
        return f"<{match.group(1).lower()}>" if match else html.strip()[:20]

    def at(line, message):
        problems.append(_("Line %(line)s: %(message)s") % {"line": line, "message": message})

    for token in _parser(html=True).parse(text or ""):
        line = token.map[0] + 1 if token.map else 1
        if token.type == "html_block":
            at(line, _("HTML such as %(tag)s is not allowed. Write the page in Markdown.")
               % {"tag": tag(token.content)})
        for child in token.children or []:
            if child.type == "html_inline":
                at(line, _("HTML such as %(tag)s is not allowed. Write the page in Markdown.")
                   % {"tag": tag(child.content)})
            elif child.type == "image" and not is_module_image(child.attrGet("src")):
                at(line, _("pictures must be uploaded to this module first; use the Markdown shown beside each "
                           "uploaded picture."))
    for number, line_text in enumerate((text or "").splitlines(), start=1):
        if _BAD_LINK.search(line_text):
            at(number, _("links must go to a web address (https://…) or an e-mail address (mailto:…)."))
    return problems
