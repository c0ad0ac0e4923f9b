"""Check the running API against its own OpenAPI schema with schemathesis.

Seeds a throwaway SQLite database with the demo data, starts daphne on a free local port
with production settings (DEBUG off), runs `schemathesis run --checks all` against
/api/schema/ twice (anonymous, then as the demo citizen with a session cookie and its
CSRF token), stops the server and exits non-zero if either run failed.

    python .ci/api_check.py [--max-examples N] [--seed N]
"""

import argparse
import os
import secrets
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def server_env(workdir: Path) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "TRUSTED_PROXIES"}
    }
    return {
        **env,
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "DATABASE_URL": f"sqlite:///{workdir / 'api-check.sqlite3'}",
        "DEBUG": "0",
        "SECRET_KEY": "api-check-" + secrets.token_hex(24),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "STATIC_ROOT": str(workdir / "static"),
        "MEDIA_ROOT": str(workdir / "media"),
        "LOG_LEVEL": "ERROR",
        # The fuzzer creates appeals far faster than any citizen: the throttles are
        # tested elsewhere and would only turn its requests into 429s here.
        "API_ANON_RATE": "100000/minute",
        "API_APPEALS_CREATE_RATE": "100000/hour",
    }


def prepare(env: dict[str, str]) -> tuple[str, str]:
    """Migrate, seed and collect static files in this process (each Django start costs
    seconds on a busy machine); returns the demo citizen's session key and a CSRF token."""
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.middleware.csrf import _get_new_csrf_string
    from django.test import Client

    call_command("migrate", "--noinput", verbosity=0)
    call_command("seed_demo", verbosity=0)
    call_command("collectstatic", "--noinput", verbosity=0)
    client = Client()
    client.force_login(get_user_model().objects.get(username="citizen"))
    session = client.cookies["sessionid"].value
    from django.db import connections

    connections.close_all()  # the server opens the file next
    return session, _get_new_csrf_string()


# Written per run: the session exists only in the throwaway database.
CONFIG = """
hooks = "{hooks}"

{auth}

# An appeal needs more than a schema-valid body: an active topic, files whose content
# really is PDF/JPEG/PNG/DOCX, consent given. Such refusals are 400 with messages by
# field, which is what this operation documents. The department's status endpoint (also
# a POST) is reached here without a department key: 401, as it documents.
[[operations]]
include-path = "/api/v1/appeals/"
include-method = "POST"
checks.positive_data_acceptance.expected-statuses = ["2xx", "400", "401", "403", "404", "429"]
"""


def schemathesis(url: str, args: argparse.Namespace, workdir: Path, session: str, name: str) -> int:
    auth = f'[auth.openapi.cookieAuth]\napi_key = "{session}"' if session else ""
    config = workdir / f"schemathesis-{name}.toml"
    config.write_text(CONFIG.format(hooks=ROOT / ".ci" / "api_check_hooks.py", auth=auth))
    command = [
        str(BIN / "schemathesis"),
        "--config-file",
        str(config),
        "run",
        url,
        "--checks",
        "all",
        "--max-examples",
        str(args.max_examples),
        "--seed",
        str(args.seed),
        "--workers",
        "1",
        "--request-timeout",
        "30",
    ]
    print(f"== schemathesis, {name}", flush=True)
    # Run in the throwaway directory: schemathesis keeps its caches where it runs.
    return subprocess.run(command, cwd=workdir).returncode


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-examples", type=int, default=25)
    parser.add_argument("--seed", type=int, default=20261129)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="api-check-") as tmp:
        env = server_env(Path(tmp))
        session, token = prepare(env)
        from portal.daphne_process import daphne_running

        with daphne_running(env) as server:
            url = f"http://127.0.0.1:{server.port}/api/schema/"
            anonymous = schemathesis(url, args, Path(tmp), "", "anonymous")
            os.environ["API_CHECK_CSRF_TOKEN"] = token
            citizen = schemathesis(url, args, Path(tmp), session, "citizen")
    return 1 if anonymous or citizen else 0


if __name__ == "__main__":
    sys.exit(main())
