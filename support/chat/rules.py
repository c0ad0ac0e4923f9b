"""Limits and messages the chat's actions, consumers and pages share."""

import datetime
from dataclasses import dataclass

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

MAX_TEXT = 4000
MAX_RATING_COMMENT = 1000
RATING_LOW, RATING_HIGH = 1, 5
RATE_MESSAGES = 10
RATE_SECONDS = 10
# Visitors' messages from one client address, over all its visitors (every new cookie is a
# new visitor, so the address is what bounds a script), in the same RATE_SECONDS.
RATE_ADDRESS_MESSAGES = 30
MAX_CLIENT_ID = 64
RETRY_AFTER = datetime.timedelta(minutes=5)
# The page's heartbeat: every socket pings this often (the page is told the number).
PING_SECONDS = 20
# An operator's workspace socket renews its presence row with every beat; a row two and a
# half beats old is a socket of a server that died without saying so.
PRESENCE_STALE = datetime.timedelta(seconds=PING_SECONDS * 5 // 2)
# A socket compares the conversation's last number with its own (the net under a lost ring)
# at most this often, not on every beat: a ping by itself touches no database.
SEQ_CHECK_SECONDS = 60
# What the page is told: it paces its messages to the limit and beats at the interval.
PAGE_RULES = {
    "rate_messages": RATE_MESSAGES,
    "rate_seconds": RATE_SECONDS,
    "ping_seconds": PING_SECONDS,
}
# An operator's answer still unread this long after is copied to the citizen's inbox.
INBOX_AFTER = datetime.timedelta(seconds=30)
# A catch-up sends at most this many messages at once; the page asks for the next page.
CATCH_UP_PAGE = 100
# A page shows the newest this many messages; the downloaded transcript holds them all.
LOG_SHOWN = 200
# The longest frame a socket reads: a message of MAX_TEXT characters, each escaped.
MAX_FRAME = MAX_TEXT * 6 + 1024


@dataclass(frozen=True)
class FrameLimit:
    """A token bucket per socket and frame type: `burst` at once, then one per `every` s."""

    burst: int
    every: float


class FrameBudget:
    """The token buckets of one socket, one per frame type (not shared: a socket's own)."""

    def __init__(self, limits: dict[str, FrameLimit] | None = None) -> None:
        self.limits = FRAME_LIMITS if limits is None else limits
        self.tokens: dict[str, float] = {}
        self.at: dict[str, float] = {}

    def take(self, kind: str, now: float) -> bool:
        """Whether a frame of this kind may pass now (and count it)."""
        limit = self.limits.get(kind)
        if limit is None:
            return False
        tokens = self.tokens.get(kind, float(limit.burst))
        tokens = min(float(limit.burst), tokens + (now - self.at.get(kind, now)) / limit.every)
        self.at[kind] = now
        if tokens < 1:
            self.tokens[kind] = tokens
            return False
        self.tokens[kind] = tokens - 1
        return True


# What the page sends stays well inside these; a client that floods is answered with an
# error (at most once per second and type) and the frames over the limit are dropped.
FRAME_LIMITS = {
    "hello": FrameLimit(burst=5, every=5.0),
    "ping": FrameLimit(burst=3, every=PING_SECONDS / 2),
    "typing": FrameLimit(burst=3, every=1.0),
    "read": FrameLimit(burst=20, every=0.2),
    # Messages are limited per person as well (RATE_MESSAGES); this bounds resends, which
    # are never refused by the person's limit, and garbage.
    "message": FrameLimit(burst=30, every=0.5),
    "bad": FrameLimit(burst=5, every=1.0),
}
# What one conversation in front of you costs in minutes when nothing better is known.
MINUTES_PER_CONVERSATION = 4

TEXT_EMPTY = _("Напишите сообщение или приложите файл.")
TEXT_TOO_LONG = format_lazy(
    _("Сообщение длиннее {max} знаков. Разделите его на несколько."), max=MAX_TEXT
)
TOO_FAST = _("Слишком много сообщений подряд. Подождите несколько секунд и отправьте снова.")
BAD_CLIENT_ID = _("Сообщение не удалось распознать. Обновите страницу.")
BAD_FRAME = _("Сообщение не удалось прочитать: ожидается текст в JSON.")
FRAME_TOO_FAST = _("Слишком много запросов подряд. Подождите секунду.")
CLOSED = _("Чат закрыт. Начните новый, если остался вопрос.")
RATING_RANGE = format_lazy(_("Оценка — от {low} до {high}."), low=RATING_LOW, high=RATING_HIGH)
RESOLUTION_NEEDED = _("Коротко опишите итог: его увидит гражданин.")
TRANSFER_TARGET = _("Передать можно другому оператору в сети.")
