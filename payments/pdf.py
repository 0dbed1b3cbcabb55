"""Invoice and credit note PDFs (reportlab): data in, bytes out."""

from io import BytesIO

from django.conf import settings
from django.utils import timezone
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from core.money import pounds


def invoice_pdf(invoice) -> bytes:
    buffer = BytesIO()
    title = "Credit note" if invoice.kind == "credit_note" else "Invoice"
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
        title=f"{title} {invoice.reference}",
        author=settings.PARTNERSHIP_NAME,
    )
    styles = getSampleStyleSheet()
    address = "<br/>".join(settings.PARTNERSHIP_ADDRESS.splitlines())
    buyer = [invoice.buyer_name]
    if invoice.billing_contact_name:
        buyer.append(f"For the attention of {invoice.billing_contact_name}")
    buyer.append(invoice.billing_contact_email)
    story = [
        Paragraph(settings.PARTNERSHIP_NAME, styles["Heading2"]),
        Paragraph(address, styles["Normal"]),
        Spacer(1, 8 * mm),
        Paragraph(f"{title} {invoice.reference}", styles["Title"]),
        Paragraph(f"Date: {timezone.localtime(invoice.issued_at):%-d %B %Y}", styles["Normal"]),
    ]
    if invoice.credits_id:
        story.append(Paragraph(f"Credits invoice {invoice.credits.reference}", styles["Normal"]))
    if invoice.purchase_order:
        story.append(Paragraph(f"Purchase order: {invoice.purchase_order}", styles["Normal"]))
    story += [Spacer(1, 6 * mm), Paragraph("<b>To</b><br/>" + "<br/>".join(buyer), styles["Normal"]), Spacer(1, 6 * mm)]
    rows = [["Description", "Amount"]]
    rows += [[Paragraph(line.description, styles["Normal"]), pounds(line.amount_pence)] for line in invoice.lines.all()]
    rows.append(["Total", pounds(invoice.total_pence)])
    table = Table(rows, colWidths=[140 * mm, 30 * mm])
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, 0), "Helvetica-Bold"),
                ("FONTNAME", (0, -1), (-1, -1), "Helvetica-Bold"),
                ("LINEBELOW", (0, 0), (-1, 0), 0.75, colors.black),
                ("LINEABOVE", (0, -1), (-1, -1), 0.75, colors.black),
                ("ALIGN", (1, 0), (1, -1), "RIGHT"),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    story.append(table)
    story.append(Spacer(1, 8 * mm))
    if invoice.kind == "invoice":
        story.append(
            Paragraph(
                f"Payment terms: {settings.INVOICE_PAYMENT_TERMS_DAYS} days. Please pay by "
                f"{invoice.due_on:%-d %B %Y}, quoting {invoice.reference}.",
                styles["Normal"],
            )
        )
    document.build(story)
    return buffer.getvalue()
