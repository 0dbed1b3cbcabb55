"""Invoice and credit note PDFs (reportlab): data in, bytes out. Names, the
purchase order and line descriptions are the buyer's words, so they reach the
page through core.pdf.paragraph as text, never as markup."""

from django.conf import settings
from django.utils import timezone
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Spacer, Table, TableStyle

from core.money import pounds
from core.pdf import BOLD_FONT, FONT, paragraph, render_pdf, stylesheet


def invoice_pdf(invoice) -> bytes:
    title = "Credit note" if invoice.kind == "credit_note" else "Invoice"
    styles = stylesheet()
    normal = styles["Normal"]
    address = "<br/>".join(["{}"] * len(settings.PARTNERSHIP_ADDRESS.splitlines()))
    buyer = [invoice.buyer_name]
    if invoice.billing_contact_name:
        buyer.append(f"For the attention of {invoice.billing_contact_name}")
    buyer.append(invoice.billing_contact_email)
    story = [
        paragraph("{}", styles["Heading2"], settings.PARTNERSHIP_NAME),
        paragraph(address, normal, *settings.PARTNERSHIP_ADDRESS.splitlines()),
        Spacer(1, 8 * mm),
        paragraph("{} {}", styles["Title"], title, invoice.reference),
        paragraph("Date: {}", normal, f"{timezone.localtime(invoice.issued_at):%-d %B %Y}"),
    ]
    if invoice.credits_id:
        story.append(paragraph("Credits invoice {}", normal, invoice.credits.reference))
    if invoice.purchase_order:
        story.append(paragraph("Purchase order: {}", normal, invoice.purchase_order))
    story += [
        Spacer(1, 6 * mm),
        paragraph("<b>To</b><br/>" + "<br/>".join(["{}"] * len(buyer)), normal, *buyer),
        Spacer(1, 6 * mm),
    ]
    rows = [["Description", "Amount"]]
    rows += [[paragraph("{}", normal, line.description), pounds(line.amount_pence)] for line in invoice.lines.all()]
    rows.append(["Total", pounds(invoice.total_pence)])
    table = Table(rows, colWidths=[140 * mm, 30 * mm])
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), FONT),
                ("FONTNAME", (0, 0), (-1, 0), BOLD_FONT),
                ("FONTNAME", (0, -1), (-1, -1), BOLD_FONT),
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
            paragraph(
                "Payment terms: {days} days. Please pay by {due}, quoting {reference}.",
                normal,
                days=settings.INVOICE_PAYMENT_TERMS_DAYS,
                due=f"{invoice.due_on:%-d %B %Y}",
                reference=invoice.reference,
            )
        )
    return render_pdf(story, title=f"{title} {invoice.reference}")
