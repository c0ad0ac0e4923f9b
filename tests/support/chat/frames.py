"""Socket steps the chat's socket tests share."""

import contextlib

from support.chat import consumers
from tests.support.chat.test_consumers import socket, until


async def greeted(*sockets) -> None:
    """Each socket says hello from the start and has the conversation's state back."""
    for ws in sockets:
        await ws.send_json_to({"type": "hello", "after": 0})
        await until(ws, "state")


@contextlib.asynccontextmanager
async def both_sides(conversation, citizen, operator):
    """The citizen's and the operator's sockets on one conversation, both greeted."""
    async with (
        socket(f"/ws/chat/{conversation.pk}/", user=citizen) as mine,
        socket(f"/ws/chat/{conversation.pk}/", user=operator) as theirs,
    ):
        await greeted(mine, theirs)
        yield mine, theirs


async def texts_until_forbidden(ws) -> list[str]:
    """The texts a socket is sent up to its close, which must be the 4403 of lost access."""
    frames = [await ws.receive_output(timeout=3)]
    while frames[-1]["type"] != "websocket.close":
        frames.append(await ws.receive_output(timeout=3))
    assert frames[-1]["code"] == consumers.CLOSE_FORBIDDEN
    return [f.get("text", "") for f in frames if f["type"] == "websocket.send"]
