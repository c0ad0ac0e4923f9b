"""Writing chats, one concern per module:

- `common`: the locked row, the numbered message store, the rate limit;
- `citizen`: start, write (the bot answers), hand-off, retry, leave a message, end, rate;
- `staff`: take, answer, transfer, close;
- `presence`: operators' sockets beating, read marks.

Which step is open to whom is decided in `support.chat.lifecycle`. Every message is stored
with its number before anyone is told (`support.chat.events`, after commit).
"""

from support.chat.actions.citizen import (
    conversation_end,
    conversation_hand_off,
    conversation_leave_message,
    conversation_rate,
    conversation_retry,
    conversation_start,
    conversations_take_over,
)
from support.chat.actions.common import Posted, conversation_copy_to_inbox, message_post
from support.chat.actions.presence import (
    conversation_mark_read,
    presence_beat,
    presence_leave,
)
from support.chat.actions.staff import conversation_close, conversation_take, conversation_transfer

__all__ = [
    "Posted",
    "conversation_close",
    "conversation_copy_to_inbox",
    "conversation_end",
    "conversation_hand_off",
    "conversation_leave_message",
    "conversation_mark_read",
    "conversation_rate",
    "conversation_retry",
    "conversation_start",
    "conversation_take",
    "conversation_transfer",
    "conversations_take_over",
    "message_post",
    "presence_beat",
    "presence_leave",
]
