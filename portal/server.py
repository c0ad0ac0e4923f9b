"""Adjustments to daphne's Twisted HTTP server, applied at PortalConfig.ready().

Keep daphne from parsing upload bodies in memory.

Twisted's `http.Request` parses every multipart/form-data POST into `request.args`
with the `email` package, reading the whole body into memory several times over
(5 × 10 MB of appeal attachments grew daphne's peak by ~540 MiB in bench/appeals.py).
Daphne never reads `request.args` — Django parses the body itself, streaming files
to disk — so the parsing is switched off with Twisted's own option.
"""

import functools
import inspect


def daphne_skip_form_parsing() -> None:
    try:
        from daphne.http_protocol import WebRequest
        from twisted.web.http import Request
    except ImportError:  # another server: nothing to do
        return
    if getattr(WebRequest, "_form_parsing_off", False):
        return
    if "parsePOSTFormSubmission" not in inspect.signature(Request.__init__).parameters:
        return  # an older Twisted without the switch: nothing to turn off
    original = WebRequest.__init__

    @functools.wraps(original)
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("parsePOSTFormSubmission", False)
        original(self, *args, **kwargs)

    WebRequest.__init__ = __init__
    WebRequest._form_parsing_off = True


def daphne_answer_long_request_lines() -> None:
    """Answer 414 (URI Too Long) to a request line over Twisted's line limit.

    Twisted's HTTP channel reads the request line and each header as a line of at most
    16 KB (LineReceiver.MAX_LENGTH) and, past it, closes the connection without a word:
    a browser shows "connection reset" and a load balancer a 502. RFC 9110 has a status
    for each case: 414 for the request line (method, path, query), 431 for headers.
    """
    try:
        from twisted.web.http import HTTPChannel
    except ImportError:  # another server: nothing to do
        return
    if getattr(HTTPChannel, "_long_lines_answered", False):
        return
    original_line_received = HTTPChannel.lineReceived

    def refuse(channel: HTTPChannel) -> None:
        # Twisted keeps "still waiting for the request line" in a private flag; if a
        # release renames it, the answer falls back to 414, still better than silence.
        first_line = getattr(channel, "_HTTPChannel__first_line", 1)
        status = b"414 URI Too Long" if first_line else b"431 Request Header Fields Too Large"
        channel.transport.write(
            b"HTTP/1.1 " + status + b"\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
        )
        channel.loseConnection()

    def lineLengthExceeded(self, line: bytes) -> None:  # noqa: N802 (Twisted's name)
        refuse(self)

    def lineReceived(self, line: bytes) -> None:  # noqa: N802
        # The sum of the request line and the headers has its own cap; Twisted answers
        # a bare 400 past it. Said precisely instead.
        if self._receivedHeaderSize + len(line) > self.totalHeadersSize:
            refuse(self)
            return None
        return original_line_received(self, line)

    HTTPChannel.lineLengthExceeded = lineLengthExceeded
    HTTPChannel.lineReceived = lineReceived
    # Twisted caps the request line and all headers together at 16 KB, the same as one
    # line: a URL just under the line limit would then fail on its Host header. Room for
    # ordinary headers beside the longest URL, so the URL's own limit is the one that holds.
    HTTPChannel.totalHeadersSize = 2 * HTTPChannel.MAX_LENGTH
    HTTPChannel._long_lines_answered = True
