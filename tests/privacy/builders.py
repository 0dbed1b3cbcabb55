"""A programme's worth of records for the privacy tests: delegates who trained,
did not attend, paid, were invoiced, answered evaluations, did e-learning and
got certificates, all through the services where there is one."""

import dataclasses

from accounts.roles import Role
from bookings.models import Booking
from bookings.services.register import non_attendance_reason_submit
from certificates.services import certificate_issue
from core.periods import financial_year
from core.services import email_enqueue
from elearning.selectors import elearning_report
from evaluations.models import EqualOpportunitiesReturn, Key, Stage
from evaluations.selectors import equal_opportunities, programme_report
from payments import selectors as finance
from payments.models import Charge
from payments.services.charges import charge_waive
from payments.services.invoices import invoice_mark_paid
from reports.selectors import uptake_report
from reports.training_report import training_report
from tests.dates import ahead
from tests.elearning.factories import CompletionFactory
from tests.evaluations.builders import answered, attendee, held_session
from tests.factories import AgencyFactory, BookingFactory, SessionFactory, UserFactory
from tests.payments.finance_records import invoice_of, invoiced_fee, invoiced_place


def programme(administrator) -> dict:
    """Everything built today. Who is who, for the tests to pick from."""
    nursery = AgencyFactory(name="Little Stars Nursery")
    police = AgencyFactory(name="Riverside Police", contributes=True)
    session = held_session(days_ago=5)
    keen = attendee(session, user=UserFactory(first_name="Priya", last_name="Keen", agency=police),
                    dietary_requirements="Vegan", requirements="Priya needs a chair with arms")
    answered(keen, Stage.PRE)
    answered(keen, Stage.POST, rating=5, line_manager_email="boss.of.priya@example.org",
             overrides={Key.COMMENTS: {"text": "Priya Keen will tell her team"}})
    certificate_issue(source=f"booking:{keen.pk}", kind="course", user=keen.user, title=session.course.title,
                      awarded_on=session.start.date())
    absent = attendee(session, attendance=Booking.Attendance.DID_NOT_ATTEND,
                      user=UserFactory(first_name="Dan", last_name="Absent", agency=nursery))
    non_attendance_reason_submit(booking=absent, reason="illness", details="Dan Absent was in hospital")
    for _ in range(6):
        answered(attendee(session), Stage.POST, rating=4)

    paid = invoiced_place(agency=nursery, session=session)
    invoice_mark_paid(invoice=invoice_of(paid), by=administrator)
    waived = invoiced_fee(agency=nursery, session=session)
    charge_waive(charge=waived, by=administrator, reason="Fee waived: Sam was ill")
    owing = invoiced_place(agency=nursery, session=session)  # still unpaid

    CompletionFactory(user=keen.user, completed_on=session.start.date())
    CompletionFactory(completed_on=session.start.date(), agency=nursery)
    for answers in [{"sex": "female"}] * 6 + [{"sex": "male"}] * 2:
        EqualOpportunitiesReturn.objects.create(
            course=session.course, session_month=session.start.date().replace(day=1), **answers
        )
    email_enqueue(subject="Your place", body="Dear Priya", to=[keen.user.email])

    trainer = UserFactory(role=Role.TRAINER, first_name="Tess", last_name="Trainer")
    attendee(session, user=trainer)
    returning = BookingFactory(session=SessionFactory(start=ahead(days=int(6.5 * 365))),
                               user=UserFactory(first_name="Rita", last_name="Returning")).user
    attendee(session, user=returning)
    return {
        "session": session,
        "keen": keen.user,
        "absent": absent.user,
        "paid": paid.booking.user,
        "owing": owing.booking.user,
        "trainer": trainer,
        "returning": returning,
    }


def every_report(day) -> dict:
    """The figures of every report for the financial year of `day`. Free-text
    answers are counted, not compared: anonymising removes their words."""
    period = financial_year(day)
    evaluation = programme_report(period)
    evaluation = dataclasses.replace(
        evaluation,
        practice_examples=len(evaluation.practice_examples),
        manager_examples=len(evaluation.manager_examples),
        comments=len(evaluation.comments),
    )
    return {
        "training_report": training_report(period),
        "uptake": dataclasses.asdict(uptake_report(period)),
        "evaluation": evaluation,
        "equal_opportunities": equal_opportunities(period.start.year),
        "elearning": dataclasses.asdict(elearning_report(period=period)),
        "finance": [
            finance.finance_totals(period),
            finance.finance_by_sector(period),
            finance.finance_by_agency(period),
            finance.finance_by_course(period),
            finance.uptake_vs_income(period),
        ],
        "charges": sorted(Charge.objects.values_list("kind", "status", "amount_pence")),
    }
