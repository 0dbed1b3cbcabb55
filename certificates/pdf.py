"""Certificate PDFs (reportlab): data in, bytes out."""

from django.conf import settings
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Spacer

from core.pdf import paragraph, render_pdf, stylesheet


def certificate_pdf(certificate, *, verify_url: str) -> bytes:
    """Names, titles and outcomes go in through core.pdf.paragraph: reportlab
    reads its text as markup, so a "<" in a course title would otherwise stop
    the PDF being drawn, and a Greek or Chinese name would print as squares."""
    styles = stylesheet()
    centre = ParagraphStyle("centre", parent=styles["Normal"], alignment=TA_CENTER, fontSize=12, leading=16)
    big = ParagraphStyle("big", parent=styles["Title"], alignment=TA_CENTER, fontSize=30, leading=36)
    name = ParagraphStyle("name", parent=styles["Title"], alignment=TA_CENTER, fontSize=24, leading=30)
    heading = "Certificate of attendance" if certificate.kind == "course" else "Certificate of completion"
    verb = "attended" if certificate.kind == "course" else "completed"
    awarded = f"{certificate.awarded_on:%-d %B %Y}"
    story = [
        paragraph("{}", centre, settings.PARTNERSHIP_NAME),
        Spacer(1, 8 * mm),
        paragraph("{}", big, heading),
        Spacer(1, 6 * mm),
        paragraph("This is to certify that", centre),
        paragraph("{}", name, certificate.holder_name),
        paragraph("{}", centre, verb),
        paragraph("<b>{}</b>", ParagraphStyle("t", parent=centre, fontSize=16, leading=22), certificate.title),
        paragraph("on {} ({})" if certificate.duration else "on {}", centre, awarded, certificate.duration),
    ]
    outcomes = [line for line in certificate.learning_outcomes.splitlines() if line.strip()]
    if outcomes:
        story += [Spacer(1, 5 * mm), paragraph("Learning outcomes", centre)]
        story += [paragraph("• {}", centre, line) for line in outcomes]
    story += [
        Spacer(1, 8 * mm),
        paragraph(
            "Verification code <b>{}</b>. Check it at {}",
            ParagraphStyle("small", parent=centre, fontSize=9),
            certificate.code,
            verify_url,
        ),
    ]
    return render_pdf(story, title=f"Certificate: {certificate.title}", wide=True, margin_mm=20)
