"""The receiver an MTA delivers to: SMTP or LMTP on aiosmtpd.

It accepts letters for the support address (and its reply addresses) only, stores each
one raw (`letter_store`) and answers 250 only once the letter is committed; when storing
fails it answers 451, and the MTA keeps the letter and tries again. It listens where only
the MTA reaches it (localhost or a socket): it is not an open relay, and it does no
authentication of its own (that is the MTA's work, reported in Authentication-Results).
"""

import logging

from aiosmtpd.controller import Controller, UnixSocketController
from aiosmtpd.lmtp import LMTP
from aiosmtpd.smtp import SMTP, Envelope, Session
from asgiref.sync import sync_to_async
from django.conf import settings
from django.db import close_old_connections

from support.mail.actions import letter_store
from support.mail.threads import addressed_to_us, support_address

logger = logging.getLogger(__name__)


def _store(**fields) -> int:
    close_old_connections()
    try:
        return letter_store(**fields).pk
    finally:
        close_old_connections()


class LetterHandler:
    """aiosmtpd's handler: RCPT checks the address, DATA stores the letter."""

    def __init__(self, *, lmtp: bool = False) -> None:
        self.lmtp = lmtp

    async def handle_RCPT(self, server, session: Session, envelope: Envelope, address, options):
        if not addressed_to_us(address):
            return f"550 5.1.1 <{address}>: no such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    async def handle_DATA(self, server, session: Session, envelope: Envelope) -> str:
        raw = envelope.original_content or envelope.content or b""
        if isinstance(raw, str):
            raw = raw.encode("utf-8", errors="surrogateescape")
        peer = session.peer[0] if isinstance(session.peer, tuple) else str(session.peer or "")
        try:
            letter_id = await sync_to_async(_store)(
                raw=raw,
                envelope_from=envelope.mail_from or "",
                envelope_to=list(envelope.rcpt_tos),
                peer=str(peer),
            )
        except Exception:
            logger.exception("A letter could not be stored; the MTA will retry")
            status = "451 4.3.0 Temporary failure, please try again later"
        else:
            status = f"250 2.0.0 Stored as letter {letter_id}"
        # LMTP answers DATA once per recipient (RFC 2033); one letter serves them all.
        if self.lmtp:
            return "\r\n".join([status] * max(len(envelope.rcpt_tos), 1))
        return status


def _server_kwargs() -> dict:
    return {
        # The name it greets with; without it aiosmtpd asks DNS for this host's name.
        "server_hostname": support_address()[1],
        "data_size_limit": settings.MAIL_MAX_BYTES,
        "enable_SMTPUTF8": True,
        "decode_data": False,
    }


class _SMTPController(Controller):
    lmtp = False

    def factory(self):
        server_class = LMTP if self.lmtp else SMTP
        return server_class(self.handler, **self.SMTP_kwargs)


class _LMTPController(_SMTPController):
    lmtp = True


class _UnixLMTPController(UnixSocketController):
    def factory(self):
        return LMTP(self.handler, **self.SMTP_kwargs)


def receiver_make(
    *, host: str = "127.0.0.1", port: int = 8025, lmtp: bool = False, unix_socket: str = ""
):
    """A controller (not started) for SMTP or LMTP on host:port, or LMTP on a socket."""
    handler = LetterHandler(lmtp=lmtp or bool(unix_socket))
    if unix_socket:
        return _UnixLMTPController(handler, unix_socket=unix_socket, **_server_kwargs())
    controller_class = _LMTPController if lmtp else _SMTPController
    return controller_class(handler, hostname=host, port=port, **_server_kwargs())
