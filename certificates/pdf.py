"""Certificate PDFs (reportlab): data in, bytes out."""

from django.conf import settings
from django.utils.html import escape
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer

from core.pdf import render_pdf


def certificate_pdf(certificate, *, verify_url: str) -> bytes:
    """Names, titles and outcomes are escaped: reportlab reads its text as
    markup, so a "<" in a course title would otherwise stop the PDF being drawn."""
    styles = getSampleStyleSheet()
    centre = ParagraphStyle("centre", parent=styles["Normal"], alignment=TA_CENTER, fontSize=12, leading=16)
    big = ParagraphStyle("big", parent=styles["Title"], alignment=TA_CENTER, fontSize=30, leading=36)
    name = ParagraphStyle("name", parent=styles["Title"], alignment=TA_CENTER, fontSize=24, leading=30)
    heading = "Certificate of attendance" if certificate.kind == "course" else "Certificate of completion"
    verb = "attended" if certificate.kind == "course" else "completed"
    story = [
        Paragraph(escape(settings.PARTNERSHIP_NAME), centre),
        Spacer(1, 8 * mm),
        Paragraph(heading, big),
        Spacer(1, 6 * mm),
        Paragraph("This is to certify that", centre),
        Paragraph(escape(certificate.holder_name), name),
        Paragraph(f"{verb}", centre),
        Paragraph(f"<b>{escape(certificate.title)}</b>", ParagraphStyle("t", parent=centre, fontSize=16, leading=22)),
        Paragraph(
            f"on {certificate.awarded_on:%-d %B %Y}"
            + (f" ({escape(certificate.duration)})" if certificate.duration else ""),
            centre,
        ),
    ]
    outcomes = [line for line in certificate.learning_outcomes.splitlines() if line.strip()]
    if outcomes:
        story += [Spacer(1, 5 * mm), Paragraph("Learning outcomes", centre)]
        story += [Paragraph(f"• {escape(line)}", centre) for line in outcomes]
    story += [
        Spacer(1, 8 * mm),
        Paragraph(
            f"Verification code <b>{certificate.code}</b>. Check it at {escape(verify_url)}",
            ParagraphStyle("small", parent=centre, fontSize=9),
        ),
    ]
    return render_pdf(story, title=f"Certificate: {certificate.title}", wide=True, margin_mm=20)
