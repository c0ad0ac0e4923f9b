"""schemathesis hooks for .ci/api_check.py: the CSRF pair a signed-in client sends.

The session cookie itself is the schema's `cookieAuth`, given in the config, so that
schemathesis knows when it leaves it out on purpose. Django also wants a CSRF cookie and
the same token in X-CSRFToken on every POST.
"""

import os

import schemathesis


@schemathesis.hook
def before_call(context, case, kwargs) -> None:
    token = os.environ.get("API_CHECK_CSRF_TOKEN")
    if token:
        case.cookies = {**(case.cookies or {}), "csrftoken": token}
        case.headers = {**(case.headers or {}), "X-CSRFToken": token}
