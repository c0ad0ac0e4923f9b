"""Redis Pub/Sub is server-wide: a database number does not keep two sites (or two test
runs) on one Redis server apart. The channel layer's prefix names the database, so rings
of one are never heard by the sockets of the other."""

import os
import subprocess
import sys

from django.conf import settings

CODE = (
    "from django.conf import settings; "
    "print(settings.CHANNEL_LAYERS['default']['CONFIG']['prefix'])"
)


def prefix_for(redis_url: str) -> str:
    env = {**os.environ, "REDIS_URL": redis_url, "DJANGO_SETTINGS_MODULE": "portal.settings"}
    done = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {CODE}"],
        env=env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip()


def test_two_databases_of_one_redis_server_get_two_channel_prefixes():
    first = prefix_for("redis://127.0.0.1:6379/4")
    second = prefix_for("redis://127.0.0.1:6379/5")
    assert first != second
    assert prefix_for("redis://127.0.0.1:6379") == prefix_for("redis://127.0.0.1:6379/0")
