"""Why a booking action was refused. Each message is shown to the person as it is."""

from core.exceptions import DomainError


class BookingError(DomainError):
    pass


class SessionNotBookableError(BookingError):
    """The session is cancelled, has started, or its booking window has closed."""


class AlreadyBookedError(BookingError):
    pass


class OverlappingBookingError(BookingError):
    pass


class AgencyCapReachedError(BookingError):
    pass


class NotAllowedError(BookingError):
    """The person acting may not act for this delegate."""


class BookingStateError(BookingError):
    """The booking is not in a state that allows this (e.g. already cancelled)."""


class OfferError(BookingError):
    pass


class RegisterError(BookingError):
    pass


class PaymentChoiceError(BookingError):
    """A chargeable booking without an acceptable way to pay."""
