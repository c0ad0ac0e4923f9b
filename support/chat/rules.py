"""Limits and messages the chat's actions, consumers and pages share."""

import datetime

from django.utils.translation import gettext_lazy as _

MAX_TEXT = 4000
MAX_RATING_COMMENT = 1000
RATE_MESSAGES = 10
RATE_SECONDS = 10
MAX_CLIENT_ID = 64
RETRY_AFTER = datetime.timedelta(minutes=5)
# A presence row older than this is a socket of a server that died without saying so.
PRESENCE_STALE = datetime.timedelta(minutes=2)
# What one conversation in front of you costs in minutes when nothing better is known.
MINUTES_PER_CONVERSATION = 4

TEXT_EMPTY = _("Напишите сообщение или приложите файл.")
TEXT_TOO_LONG = _("Сообщение длиннее 4000 знаков. Разделите его на несколько.")
TOO_FAST = _("Слишком много сообщений подряд. Подождите несколько секунд и отправьте снова.")
BAD_CLIENT_ID = _("Сообщение не удалось распознать. Обновите страницу.")
CLOSED = _("Чат закрыт. Начните новый, если остался вопрос.")
RATING_RANGE = _("Оценка — от 1 до 5.")
RESOLUTION_NEEDED = _("Коротко опишите итог: его увидит гражданин.")
TRANSFER_TARGET = _("Передать можно другому оператору в сети.")
