"""`make run PORT=…`: the links in e-mails follow the port unless SITE_URL is set."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core import mail
from django.core.management import call_command

from portal.notifications.models import Notification

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")


def run_line(*, environ: dict[str, str] | None = None, **variables: str) -> str:
    """The command `make run` would start the server with (dry run: nothing is executed)."""
    env = {k: v for k, v in os.environ.items() if k not in ("SITE_URL", "PORT")}
    env.update(environ or {})
    result = subprocess.run(
        ["make", "--dry-run", "--always-make", "run", *[f"{k}={v}" for k, v in variables.items()]],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    (line,) = [line for line in result.stdout.splitlines() if "runserver" in line]
    return line


def test_site_url_follows_the_port():
    line = run_line(PORT="8123")
    assert "SITE_URL='http://127.0.0.1:8123'" in line
    assert line.endswith("runserver 127.0.0.1:8123")


def test_the_default_port_is_8000():
    assert "SITE_URL='http://127.0.0.1:8000'" in run_line()


def test_a_site_url_given_wins():
    line = run_line(PORT="8123", SITE_URL="https://help.example.org")
    assert "SITE_URL='https://help.example.org'" in line
    line = run_line(PORT="8123", environ={"SITE_URL": "https://help.example.org"})
    assert "SITE_URL='https://help.example.org'" in line


@pytest.mark.django_db(transaction=True)  # commits for real: the e-mails go out after them
def test_loading_the_demo_sends_no_e_mail():
    # `make run` loads the demo before it starts the server: a letter printed then would
    # link to the default SITE_URL whatever PORT is, and on a server with a real mail
    # gateway it would reach the demo addresses. The demo's history sends nothing.
    call_command("seed_demo", verbosity=0)
    assert Notification.objects.filter(user__username="citizen").exists()
    assert mail.outbox == []
