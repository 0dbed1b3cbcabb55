"""What every PDF of the site shares: A4, margins, the partnership as author."""

from io import BytesIO

from django.conf import settings
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.platypus import SimpleDocTemplate


def render_pdf(story, *, title: str, wide: bool = False, margin_mm: float = 18) -> bytes:
    """Lay out reportlab flowables on A4 (landscape when `wide`) and return the PDF bytes."""
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
