from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts import permissions as account_permissions
from audit.services import personal_data_export_record
from core.exceptions import DomainError
from core.http import not_found_for
from courses.models import Session
from courses.selectors import session_listing
from payments.selectors import price_for, price_for_person

from . import pdf, selectors, services, tokens
from .exceptions import BookingStateError
from .forms import (
    BookingForm,
    CoordinatorBookingForm,
    MoveForm,
    NonAttendanceReasonForm,
    SessionCancelForm,
    SubstituteForm,
    WalkInForm,
)
from .lifecycle import status_on_cancel
from .models import Booking
from .permissions import (
    can_cancel_session,
    can_decide_approval_as_staff,
    can_mark_register,
    can_use_approval_link,
)
from .services._common import cancellation_cutoff


def _bookable_session(pk) -> Session:
    return get_object_or_404(session_listing(), pk=pk)


def _require(condition):
    if not condition:
        raise PermissionDenied


@login_required
@require_http_methods(["GET", "POST"])
def session_book(request, pk):
    """Book a place (or join the waiting list) on a session, giving any additional
    requirements and, for chargeable agencies, how to pay."""
    _require(request.user.has_perm("accounts.book_places"))
    session = _bookable_session(pk)
    price = price_for_person(session.course, request.user)
    form = BookingForm(request.POST if request.method == "POST" else None, price=price)
    if request.method == "POST" and form.is_valid():
        try:
            booking = services.booking_create(
                session=session,
                user=request.user,
                booked_by=request.user,
                requirements=form.cleaned_data["requirements"],
                needs=form.needs_dict(),
                **form.payment_terms(),
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _booking_outcome_message(booking))
            if booking.status == Booking.Status.PAYMENT_PENDING:
                return redirect("payments:pay", pk=booking.pk)
            return redirect("bookings:detail", pk=booking.pk)
    return render(request, "bookings/booking_form.html", {"session": session, "form": form, "price": price})


def _booking_outcome_message(booking):
    if booking.status == Booking.Status.PAYMENT_PENDING:
        return _("We are holding a place for you. Pay by card now to confirm it.")
    if booking.status == Booking.Status.CONFIRMED and booking.payment_method == "invoice":
        return _("Your place is confirmed. We have e-mailed the invoice to your organisation.")
    if booking.status == Booking.Status.CONFIRMED:
        return _("Your place is confirmed. We have e-mailed you the details.")
    if booking.status == Booking.Status.WAITLISTED:
        return _("The session is full, so you are on the waiting list at position %(n)s.") % {
            "n": selectors.waitlist_position(booking)
        }
    return _("We are holding a place while your booking is approved.")


@login_required
def my_bookings(request):
    return render(request, "bookings/booking_list.html", selectors.bookings_for_user(request.user))


@login_required
def booking_detail(request, pk):
    booking = selectors.booking_for_user(request.user, pk)
    return render(
        request,
        "bookings/booking_detail.html",
        {
            "booking": booking,
            "position": selectors.waitlist_position(booking),
            "cutoff": cancellation_cutoff(booking.session),
            "history": booking.history.select_related("by"),
            "can_substitute": booking.status == Booking.Status.CONFIRMED and booking.session.start > timezone.now(),
            "approval_reason": (
                selectors.approval_reason(booking) if booking.status == Booking.Status.PENDING_APPROVAL else ""
            ),
            "can_decide_approval": booking.status == Booking.Status.PENDING_APPROVAL
            and can_decide_approval_as_staff(request.user, booking),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def booking_cancel(request, pk):
    booking = selectors.booking_for_user(request.user, pk)
    cutoff = cancellation_cutoff(booking.session)
    if request.method == "POST":
        try:
            services.booking_cancel(booking=booking, by=request.user)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The booking is cancelled."))
        return redirect("bookings:detail", pk=booking.pk)
    return render(
        request,
        "bookings/booking_cancel.html",
        {
            "booking": booking,
            "cutoff": cutoff,
            "is_late": status_on_cancel(booking, now=timezone.now(), cutoff=cutoff) == Booking.Status.LATE_CANCELLED,
        },
    )


@login_required
@require_POST
def offer_respond(request, pk):
    booking = selectors.booking_for_user(request.user, pk)
    accept = request.POST.get("decision") == "accept"
    try:
        if accept:
            services.waitlist_offer_accept(booking=booking, by=request.user)
            messages.success(request, _("You have accepted the place. It is confirmed."))
        else:
            services.waitlist_offer_decline(booking=booking, by=request.user)
            messages.success(request, _("You have declined the place. It will be offered to the next person."))
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("bookings:detail", pk=booking.pk)


@login_required
@require_http_methods(["GET", "POST"])
def booking_substitute(request, pk):
    booking = selectors.booking_for_user(request.user, pk)
    form = SubstituteForm(request.POST if request.method == "POST" else None, booking=booking)
    if request.method == "POST" and form.is_valid():
        try:
            new = services.booking_substitute(booking=booking, colleague=form.colleague, by=request.user)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The place now belongs to %(name)s.") % {"name": new.user})
            return redirect("bookings:my_bookings")
    return render(request, "bookings/booking_substitute.html", {"booking": booking, "form": form})


def _linked_booking(booking_id) -> Booking:
    return get_object_or_404(Booking.objects.select_related("session__course", "session__venue", "user"), pk=booking_id)


def _booking_from_link(token, salt) -> Booking:
    """The booking a signed e-mail link names; 404 for a forged or expired link."""
    booking_id = tokens.read(token, salt)
    if booking_id is None:
        raise Http404("This link is not valid")
    return _linked_booking(booking_id)


@require_http_methods(["GET", "POST"])
def approval(request, token):
    """A line manager's or coordinator's one-click link from the approval e-mail.
    The link names the address it was sent to; the delegate cannot use it."""
    link = tokens.approval_read(token)
    if link is None:
        # Forged, expired, or made before links named their address.
        return render(request, "bookings/booking_approval_link_invalid.html", status=404)
    booking_id, sent_to = link
    booking = _linked_booking(booking_id)
    by = request.user if request.user.is_authenticated else None
    if not can_use_approval_link(by, booking, sent_to=sent_to):
        return render(request, "bookings/booking_approval_refused.html", {"booking": booking}, status=403)
    if request.method == "POST":
        try:
            services.booking_approval_decide(
                booking=booking, approve=_approval_decision(request), by=by, sent_to=sent_to
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request, _("Thank you: your decision has been recorded and %(name)s told.") % {"name": booking.user}
            )
        return redirect("bookings:approval", token=token)
    return render(
        request,
        "bookings/booking_approval.html",
        {"booking": booking, "approval_reason": selectors.approval_reason(booking)},
    )


def _approval_decision(request) -> bool:
    """True to approve, False to decline; anything else (a missing or altered
    field) decides nothing."""
    decision = request.POST.get("decision")
    if decision not in ("approve", "decline"):
        raise BookingStateError(_("Choose whether to approve or decline the place."))
    return decision == "approve"


@login_required
@require_POST
def staff_approval(request, pk):
    """A training administrator approves or declines a held place from the booking page."""
    booking = selectors.booking_for_user(request.user, pk)
    _require(can_decide_approval_as_staff(request.user, booking))
    try:
        approve = _approval_decision(request)
        services.booking_approval_staff_decide(booking=booking, approve=approve, by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The place is approved.") if approve else _("The place is declined."))
    return redirect("bookings:detail", pk=booking.pk)


@require_http_methods(["GET", "POST"])
def release(request, token):
    """ "I can no longer attend – release my place", from a reminder e-mail."""
    booking = _booking_from_link(token, tokens.RELEASE_SALT)
    if request.method == "POST":
        try:
            services.booking_cancel(booking=booking, by=booking.user)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Your place has been released. Thank you for letting us know."))
        return redirect("bookings:release", token=token)
    booking.refresh_from_db()
    return render(request, "bookings/booking_release.html", {"booking": booking})


@login_required
@require_http_methods(["GET", "POST"])
def non_attendance(request, pk):
    booking = selectors.booking_for_user(request.user, pk)
    if booking.user_id != request.user.pk:
        raise not_found_for(request.user, "booking", booking.pk)
    if booking.attendance != Booking.Attendance.DID_NOT_ATTEND:
        raise Http404("No such non-attendance")
    form = NonAttendanceReasonForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        services.non_attendance_reason_submit(
            booking=booking, reason=form.cleaned_data["reason"], details=form.cleaned_data["details"]
        )
        messages.success(request, _("Thank you for telling us."))
        return redirect("bookings:my_bookings")
    return render(request, "bookings/nonattendance_form.html", {"booking": booking, "form": form})


# --- agency coordinators ------------------------------------------------------


def _coordinated_agency(user):
    agency = user.agency if user.is_authenticated else None
    _require(agency is not None and account_permissions.can_coordinate_agency(user, agency))
    return agency


@login_required
def agency_bookings(request):
    agency = _coordinated_agency(request.user)
    return render(
        request,
        "bookings/agency_bookings.html",
        {
            "agency": agency,
            "bookings": selectors.agency_bookings(agency),
            "dna_counts": selectors.agency_dna_counts(agency),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def agency_book(request, pk):
    """A coordinator books a colleague. A chargeable colleague's place is invoiced
    to the agency or held for the colleague to pay by card."""
    agency = _coordinated_agency(request.user)
    session = _bookable_session(pk)
    price = price_for(session.course, agency)
    form = CoordinatorBookingForm(request.POST if request.method == "POST" else None, agency=agency, price=price)
    if request.method == "POST" and form.is_valid():
        try:
            booking = services.booking_create(
                session=session,
                user=form.cleaned_data["colleague"],
                booked_by=request.user,
                requirements=form.cleaned_data["requirements"],
                needs=form.needs_dict(),
                **form.payment_terms(),
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request, _("%(name)s: %(status)s.") % {"name": booking.user, "status": booking.get_status_display()}
            )
            return redirect("bookings:agency_bookings")
    return render(
        request, "bookings/agency_book.html", {"session": session, "form": form, "agency": agency, "price": price}
    )


# --- trainers and the training team -------------------------------------------


@login_required
def trainer_sessions(request):
    _require(
        account_permissions.can_deliver_training(request.user) or account_permissions.can_manage_programme(request.user)
    )
    return render(request, "bookings/trainer_sessions.html", selectors.sessions_for_trainer(request.user))


def _register_session(request, pk) -> Session:
    """The register of a session the user delivers (or any, for the training
    team); anyone else's is 404, as a booking is."""
    session = get_object_or_404(
        Session.objects.select_related("course", "venue", "register_submitted_by").prefetch_related("trainers"), pk=pk
    )
    if not can_mark_register(request.user, session):
        raise not_found_for(request.user, "register", session.pk)
    return session


@login_required
@require_http_methods(["GET", "POST"])
def register(request, pk):
    """Mark attendance (phone, tablet or desktop), add walk-ins, submit."""
    session = _register_session(request, pk)
    walk_in_form = WalkInForm(request.POST if request.POST.get("action") == "walk_in" else None)
    if request.method == "POST":
        action = request.POST.get("action")
        marks = {}
        for key, value in request.POST.items():
            if key.startswith("attendance-") and key[11:].isdigit():
                marks[int(key[11:])] = value
        try:
            # The marks come with every button, so adding a walk-in keeps the marks made so far.
            changed = services.register_mark(session=session, marks=marks, by=request.user)
            if action == "submit":
                services.register_submit(session=session, by=request.user)
                messages.success(request, _("The register is submitted."))
            elif action != "walk_in":
                messages.success(request, _("Saved %(n)s change(s).") % {"n": changed})
            elif walk_in_form.is_valid():
                booking = services.register_walk_in_add(session=session, by=request.user, **walk_in_form.cleaned_data)
                messages.success(request, _("%(name)s added to the register.") % {"name": booking.user})
        except DomainError as error:
            messages.error(request, error.message)
        if not walk_in_form.errors:
            return redirect("bookings:register", pk=session.pk)
    rows = list(selectors.register_rows(session))
    return render(
        request,
        "bookings/register.html",
        {
            "session": session,
            "rows": rows,
            "walk_in_form": walk_in_form,
            "attendance_choices": Booking.Attendance.choices,
            "can_edit": session.start <= timezone.now()
            and not session.is_cancelled
            and (not session.register_is_submitted or account_permissions.can_manage_programme(request.user)),
        },
    )


@login_required
def sign_in_sheet(request, pk):
    session = _register_session(request, pk)
    rows = list(selectors.register_rows(session))
    response = HttpResponse(pdf.sign_in_sheet(session, rows), content_type="application/pdf")
    personal_data_export_record(by=request.user, target=session, what=_("Sign-in sheet (PDF)"), rows=len(rows))
    response["Content-Disposition"] = f'inline; filename="sign-in-sheet-{session.pk}.pdf"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def session_cancel(request, pk):
    session = get_object_or_404(Session.objects.select_related("course", "venue").prefetch_related("trainers"), pk=pk)
    _require(can_cancel_session(request.user, session))
    form = SessionCancelForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.session_cancel(session=session, by=request.user, reason=form.cleaned_data["reason"])
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The session is cancelled and everyone booked has been told."))
            return redirect("courses:course_detail", slug=session.course.slug)
    return render(request, "bookings/session_cancel.html", {"session": session, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def booking_move(request, pk):
    _require(account_permissions.can_manage_programme(request.user))
    booking = selectors.booking_for_user(request.user, pk)
    form = MoveForm(
        request.POST if request.method == "POST" else None, booking=booking, sessions=selectors.move_targets(booking)
    )
    if request.method == "POST" and form.is_valid():
        try:
            new = services.booking_move(booking=booking, to_session=form.cleaned_data["to_session"], by=request.user)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request, _("Moved: %(status)s on the new session.") % {"status": new.get_status_display().lower()}
            )
            return redirect("bookings:detail", pk=new.pk)
    return render(request, "bookings/booking_move.html", {"booking": booking, "form": form})


@login_required
def undersubscribed(request):
    _require(account_permissions.can_manage_programme(request.user))
    from django.conf import settings

    days = settings.UNDERSUBSCRIPTION_WINDOW_DAYS
    return render(
        request,
        "bookings/session_undersubscribed.html",
        {"sessions": selectors.sessions_undersubscribed(days=days), "days": days},
    )


@login_required
def session_bookings(request, pk):
    """The training team's view of everyone on a session and the waiting list."""
    _require(account_permissions.can_manage_programme(request.user))
    session = get_object_or_404(session_listing(), pk=pk)
    return render(
        request,
        "bookings/session_bookings.html",
        {"session": session, "bookings": selectors.session_booking_rows(session)},
    )
