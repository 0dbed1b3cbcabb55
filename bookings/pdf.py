"""Printable registers (reportlab): data in, PDF bytes out. Names, agencies
and titles reach the page through core.pdf.paragraph, as text in fonts that
print them."""

from django.conf import settings
from django.utils import timezone
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Spacer, Table, TableStyle

from core.pdf import BOLD_FONT, FONT, paragraph, render_pdf, stylesheet

# Blank rows for walk-ins at the foot of the sheet.
WALK_IN_ROWS = 5


def sign_in_sheet(session, rows) -> bytes:
    """A sign-in sheet for a paper register: one row a delegate with a signature
    box, then blank rows for walk-ins. Typed into the register afterwards."""
    styles = stylesheet()
    normal = styles["Normal"]
    start = timezone.localtime(session.start)
    end = timezone.localtime(session.end)
    where = session.venue.name if session.venue else "Online"
    story = [
        paragraph("{}", normal, settings.PARTNERSHIP_NAME),
        paragraph("Sign-in sheet: {}", styles["Title"], session.course.title),
        paragraph("{} · {}", normal, f"{start:%A %-d %B %Y}, {start:%H:%M} to {end:%H:%M}", where),
        Spacer(1, 6 * mm),
    ]
    data = [["", "Name", "Agency", "Job role", "Signature"]]
    for number, booking in enumerate(rows, start=1):
        user = booking.user
        data.append(
            [
                str(number),
                paragraph("{}", normal, user.get_full_name()),
                paragraph("{}", normal, user.agency.name if user.agency else ""),
                paragraph("{}", normal, user.get_job_role_display()),
                "",
            ]
        )
    for number in range(len(rows) + 1, len(rows) + 1 + WALK_IN_ROWS):
        data.append([str(number), "", "", "", ""])
    table = Table(
        data,
        colWidths=[10 * mm, 65 * mm, 75 * mm, 55 * mm, 65 * mm],
        repeatRows=1,
        rowHeights=[8 * mm] + [10 * mm] * (len(data) - 1),
    )
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), FONT),
                ("FONTNAME", (0, 0), (-1, 0), BOLD_FONT),
                ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#f3f2f1")),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ]
        )
    )
    story.append(table)
    return render_pdf(story, title=f"Sign-in sheet: {session.course.title}", wide=True, margin_mm=12)
