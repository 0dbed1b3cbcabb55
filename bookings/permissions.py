"""Who may act on bookings and registers. Pure predicates."""

from accounts import permissions
from accounts.selectors import user_email_addresses


def can_book_for(actor, delegate) -> bool:
    """Book for yourself, or as a coordinator for staff of your own agency."""
    if actor.pk == delegate.pk:
        return True
    return permissions.can_manage_programme(actor) or permissions.can_coordinate_agency(actor, delegate.agency)


def can_act_on_booking(user, booking) -> bool:
    return can_book_for(user, booking.user)


def is_trainer_of(user, session) -> bool:
    """Trainers linked to the user's account and named on the session. Needs
    `session.trainers` (prefetched on register pages)."""
    return user.is_authenticated and any(t.user_id == user.pk for t in session.trainers.all())


def can_mark_register(user, session) -> bool:
    return permissions.can_manage_programme(user) or (
        permissions.can_deliver_training(user) and is_trainer_of(user, session)
    )


def can_cancel_session(user, session) -> bool:
    """The training team, or a trainer of the session."""
    return can_mark_register(user, session)


def can_use_approval_link(user, booking, *, sent_to: str) -> bool:
    """An approval link works for whoever holds it (a line manager may have no
    account), except the delegate whose place it is: not when signed in as
    them, and not when the address it was sent to is now one of theirs."""
    if user is not None and user.is_authenticated and user.pk == booking.user_id:
        return False
    return sent_to.lower() not in user_email_addresses(booking.user)


def can_decide_approval_as_staff(user, booking) -> bool:
    """Training administrators decide held places from the booking page,
    never their own."""
    return permissions.can_manage_programme(user) and user.pk != booking.user_id
