"""Keep daphne from parsing upload bodies in memory.

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
