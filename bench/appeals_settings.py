"""The project's settings plus a bare view, for bench/appeals.py's baseline."""

from portal.settings import *  # noqa: F403

ROOT_URLCONF = "bench.appeals_urls"
# The benchmark posts many forms from one address; the limits are tested elsewhere.
APPEALS_FORM_RATE = "100000/h"
APPEALS_UPLOAD_RATE = "100000/h"
