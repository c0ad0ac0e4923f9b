"""Two daphne processes on one Redis: a citizen on one and an operator on the other talk
both ways (the channel layer rings across processes; the messages come from the database).

Lives with the browser tests because it forks daphne the same way (a file database the
servers share, run in its own pytest process); it needs no browser.
"""

import json
import os
import time
import uuid
from functools import partial

import pytest
from django.db import connections
from django.test import Client

from tests.browser.conftest import _make_application, in_worker_thread

REDIS_URL = os.environ.get("REDIS_URL", "")

pytestmark = pytest.mark.skipif(
    not REDIS_URL,
    reason="needs REDIS_URL: a Redis both daphne processes share (CI sets it; locally e.g. "
    "REDIS_URL=redis://127.0.0.1:6379/8)",
)


def _cookie(user) -> str:
    client = Client()
    client.force_login(user)
    return f"sessionid={client.cookies['sessionid'].value}"


def _frames_until(ws, test, timeout: float = 5.0) -> dict:
    deadline = time.monotonic() + timeout
    while True:
        left = deadline - time.monotonic()
        assert left > 0, "no such frame in time"
        frame = json.loads(ws.recv(timeout=left))
        if test(frame):
            return frame


def test_citizen_and_operator_on_two_servers_talk_both_ways(
    transactional_db, django_db_blocker, settings
):
    from daphne.testing import DaphneProcess
    from websockets.sync.client import connect

    from support.appeals.roles import roles_ensure
    from support.chat.models import Status
    from tests.portal.factories import UserFactory
    from tests.support.appeals.factories import operator_make
    from tests.support.chat.factories import chat_make

    # Both servers (forked from here) use this layer; a fresh prefix keeps runs apart.
    settings.CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [REDIS_URL], "prefix": f"chat-test-{uuid.uuid4().hex[:8]}"},
        }
    }

    def prepare():
        roles_ensure()
        citizen = UserFactory(username="two-servers-citizen")
        operator = operator_make("two-servers-operator")
        conversation = chat_make(user=citizen, status=Status.OPERATOR, operator=operator)
        return conversation, _cookie(citizen), _cookie(operator)

    # The actions ring the layer through async_to_sync, which refuses to run in a thread
    # with an event loop (Playwright's, when browser tests ran first in this process).
    conversation, citizen_cookie, operator_cookie = in_worker_thread(prepare)

    servers = []
    try:
        for _ in range(2):
            process = DaphneProcess("127.0.0.1", partial(_make_application))
            with django_db_blocker.unblock():
                connections.close_all()
                process.start()
            assert process.ready.wait(timeout=20), "daphne did not start"
            servers.append(process)
        one, two = (f"ws://127.0.0.1:{s.port.value}/ws/chat/{conversation.pk}/" for s in servers)
        assert one != two
        # Each page's own origin: the scheme, the host and the port of its server.
        origins = [f"http://127.0.0.1:{s.port.value}" for s in servers]
        with (
            connect(one, origin=origins[0], additional_headers={"Cookie": citizen_cookie}) as mine,
            connect(
                two, origin=origins[1], additional_headers={"Cookie": operator_cookie}
            ) as theirs,
        ):
            for ws in (mine, theirs):
                ws.send(json.dumps({"type": "hello", "after": conversation.last_seq}))
                _frames_until(ws, lambda f: f["type"] == "state")
            mine.send(json.dumps({"type": "message", "client_id": "c1", "text": "Из первого"}))
            got = _frames_until(theirs, lambda f: f["type"] == "message")
            assert got["text"] == "Из первого" and got["sender"] == "citizen"
            theirs.send(json.dumps({"type": "message", "client_id": "o1", "text": "Из второго"}))
            got = _frames_until(
                mine, lambda f: f["type"] == "message" and f["sender"] == "operator"
            )
            assert got["text"] == "Из второго"
            theirs.send(json.dumps({"type": "typing"}))
            assert _frames_until(mine, lambda f: f["type"] == "typing")["side"] == "staff"
    finally:
        for process in servers:
            process.terminate()
            process.join(timeout=10)
