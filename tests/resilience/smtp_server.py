"""A real SMTP server (aiosmtpd) in a thread, refusing every recipient with a
permanent 550, and counting how often it was asked."""

import contextlib

from aiosmtpd.controller import Controller

from tests.stripe_server import free_port


class RefusingHandler:
    def __init__(self):
        self.refused = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        self.refused.append(address)
        return "550 5.1.1 Mailbox unavailable"


@contextlib.contextmanager
def refusing_smtp_server():
    """Yields (port, handler); handler.refused lists each recipient refused."""
    handler = RefusingHandler()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield controller.port, handler
    finally:
        controller.stop()
