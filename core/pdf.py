"""What every PDF of the site shares: A4, margins, the partnership as author,
fonts that print the names people have, and user text kept as text.

reportlab reads a Paragraph's text as markup: a purchase order written as
`<a href="...">Pay</a>` would become a live link on an invoice, and a name
with an unclosed `<` would stop the PDF being drawn. So user text only ever
reaches a Paragraph through `paragraph()`, which escapes it.

The standard PDF fonts (Helvetica) print Latin-1 only: Zoë prints, but Greek,
Cyrillic and Chinese names print as black squares. The site embeds DejaVu Sans
(Latin, Greek, Cyrillic and more) and, for the characters DejaVu lacks (CJK),
Droid Sans Fallback. Both are TrueType outlines, which reportlab can embed
(it cannot embed the CFF outlines of Noto CJK). reportlab has no per-glyph
fallback, so `text()` wraps each run DejaVu cannot print in a <font> tag.
The files are in core/fonts (licences beside them), so production needs no
system fonts.
"""

from functools import cache
from io import BytesIO
from pathlib import Path
from xml.sax.saxutils import escape

from django.conf import settings
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate

FONT_DIR = Path(__file__).resolve().parent / "fonts"
FONT = "DejaVuSans"
BOLD_FONT = "DejaVuSans-Bold"
FALLBACK_FONT = "DroidSansFallback"


@cache
def _coverage() -> tuple[frozenset[int], frozenset[int]]:
    """Register the fonts (once a process) and return the code points the body
    font and the fallback font can print."""
    body = TTFont(FONT, FONT_DIR / "DejaVuSans.ttf")
    bold = TTFont(BOLD_FONT, FONT_DIR / "DejaVuSans-Bold.ttf")
    fallback = TTFont(FALLBACK_FONT, FONT_DIR / "DroidSansFallbackFull.ttf")
    for font in (body, bold, fallback):
        pdfmetrics.registerFont(font)
    # <b> and <i> inside a paragraph look the family up; the fallback has no
    # bold, so bold CJK prints in its regular weight rather than failing.
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=BOLD_FONT, italic=FONT, boldItalic=BOLD_FONT)
    pdfmetrics.registerFontFamily(
        FALLBACK_FONT, normal=FALLBACK_FONT, bold=FALLBACK_FONT, italic=FALLBACK_FONT, boldItalic=FALLBACK_FONT
    )
    return frozenset(body.face.charToGlyph), frozenset(fallback.face.charToGlyph)


def _needs_fallback(character: str) -> bool:
    body, fallback = _coverage()
    code = ord(character)
    return code not in body and code in fallback


def font_for(value: str) -> str:
    """The one font that prints `value` best, for places that take a single
    font (chart labels): the fallback when `value` has characters only it has."""
    return FALLBACK_FONT if any(_needs_fallback(character) for character in str(value)) else FONT


def text(value) -> str:
    """`value` as paragraph markup that prints as itself: escaped, with each
    run of characters the body font lacks set in the fallback font."""
    pieces, run, in_fallback = [], [], False
    for character in str(value):
        fallback = _needs_fallback(character)
        if fallback != in_fallback and run:
            pieces.append(_run("".join(run), in_fallback))
            run = []
        in_fallback = fallback
        run.append(character)
    if run:
        pieces.append(_run("".join(run), in_fallback))
    return "".join(pieces)


def _run(value: str, in_fallback: bool) -> str:
    value = escape(value)
    return f'<font name="{FALLBACK_FONT}">{value}</font>' if in_fallback else value


def paragraph(markup: str, style, *args, **values) -> Paragraph:
    """A Paragraph from trusted `markup` (a str.format template that may hold
    <b>, <br/>) with user text filled in as text: `paragraph("Purchase order:
    {po}", style, po=invoice.purchase_order)`. The only way user text should
    reach a Paragraph."""
    return Paragraph(
        markup.format(*(text(arg) for arg in args), **{name: text(value) for name, value in values.items()}),
        style,
    )


def stylesheet():
    """reportlab's sample styles in the site's embedded fonts."""
    _coverage()
    styles = getSampleStyleSheet()
    for style in styles.byName.values():
        if hasattr(style, "fontName"):
            style.fontName = BOLD_FONT if "Bold" in style.fontName else FONT
    return styles


def render_pdf(story, *, title: str, wide: bool = False, margin_mm: float = 18) -> bytes:
    """Lay out reportlab flowables on A4 (landscape when `wide`) and return the PDF bytes."""
    _coverage()
    buffer = BytesIO()
    margin = margin_mm * mm
    document = SimpleDocTemplate(
        buffer,
        pagesize=landscape(A4) if wide else A4,
        leftMargin=margin,
        rightMargin=margin,
        topMargin=margin,
        bottomMargin=margin,
        title=title,
        author=settings.PARTNERSHIP_NAME,
    )
    document.build(story)
    return buffer.getvalue()
