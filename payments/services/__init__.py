"""Every write about money. Bookings' services call these for the money side of
a booking; these never change a booking's status themselves."""

from .bands import band_save, sector_default_bands_set
from .card import (
    card_payment_is_duplicate,
    card_payment_record_result,
    card_payment_start,
    refund_issue,
    refund_send,
    refunds_pending_send,
    stripe_event_record,
)
from .charges import charge_open, charge_settle_on_cancel, charge_waive, fee_charge, place_charge_void
from .invoices import invoice_cancel, invoice_issue, invoice_mark_paid

__all__ = [
    "band_save",
    "card_payment_is_duplicate",
    "card_payment_record_result",
    "card_payment_start",
    "charge_open",
    "charge_settle_on_cancel",
    "charge_waive",
    "fee_charge",
    "invoice_cancel",
    "invoice_issue",
    "invoice_mark_paid",
    "place_charge_void",
    "refund_issue",
    "refund_send",
    "refunds_pending_send",
    "sector_default_bands_set",
    "stripe_event_record",
]
