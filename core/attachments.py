"""Attachments drawn when an e-mail is sent rather than when it is written.

An e-mail is recorded in the transaction of the change it reports (the outbox),
but a document such as an invoice PDF is slow to draw and may fail: drawing it
there would hold the booking's locks meanwhile, and a failure would undo the
booking. So the outbox keeps only where the attachment comes from ("invoice:42")
and the sending task draws it, outside any transaction. Apps register a renderer
per kind in their AppConfig.ready(); core imports no app."""

from collections.abc import Callable

Attachment = tuple[str, bytes, str]  # (file name, content, MIME type)

_renderers: dict[str, Callable[[str], Attachment]] = {}


def attachment_renderer_register(kind: str, render: Callable[[str], Attachment]) -> None:
    _renderers[kind] = render


def attachment_source(kind: str, key) -> str:
    if kind not in _renderers:
        raise ValueError(f"No attachment renderer is registered for {kind!r}")
    return f"{kind}:{key}"


def attachment_render(source: str) -> Attachment:
    kind, _, key = source.partition(":")
    return _renderers[kind](key)
