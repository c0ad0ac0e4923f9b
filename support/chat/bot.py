"""The bot's answer to a citizen's message: their appeal's status, or the knowledge base.

It answers in the conversation's language and says plainly when it does not know. It only
ever looks at the asking citizen's own appeals: somebody else's number is "not found",
exactly like a number that does not exist.
"""

import re
from dataclasses import dataclass, field

from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from faq.selectors import faq_search
from portal.content_language import ORIGINAL_LANGUAGE, shown_in_original
from portal.models import User
from support.appeals.models import NUMBER_LENGTH, Appeal
from support.chat.selectors import availability

MAX_ARTICLES = 3
LEAVE_OFFER = gettext_noop(
    "Можно оставить сообщение: оно станет обращением с этой перепиской, ответим в срок."
)
# What a visitor without an account is told with the offer of an operator: the promise the
# hand-off keeps (`support.chat.actions.conversation_copy_to_inbox`).
VISITOR_CONTACTS = gettext_noop(
    "Без входа оператор попросит имя и e-mail или телефон: если вы уйдёте со страницы, "
    "ответ придёт туда."
)
# "какой статус обращения 12345678", "статус заявки № 12345678", "status of appeal 12345678"
STATUS_QUESTION = re.compile(r"(статус|состояни|status|где\s+мо[её])", re.IGNORECASE)
NUMBER = re.compile(rf"(?<!\d)(\d{{{NUMBER_LENGTH}}})(?!\d)")

# "оператор", "позовите человека", "хочу поговорить с человеком", "живой специалист"
PERSON_WANTED = re.compile(
    r"\b(оператор\w*|человек\w*|специалист\w*|сотрудник\w*|консультант\w*|"
    r"operator|human|person|agent)\b",
    re.IGNORECASE,
)

OFFER_AFTER_ARTICLES = ["helped", "operator"]
OFFER_OPERATOR = ["operator"]
OFFER_LEAVE = ["leave_message"]


@dataclass(frozen=True)
class BotReply:
    text: str
    data: dict = field(default_factory=dict)


def _status_reply(*, user: User | None, number: str) -> BotReply:
    if user is None:
        # A visitor: an appeal's status is told to its author only, after sign-in, or
        # on the status page with the appeal's number and e-mail.
        return BotReply(
            _(
                "Статус обращения № %(number)s скажу после входа на портал. Без входа его "
                "можно узнать по номеру и e-mail или телефону на странице «Найти обращение»."
            )
            % {"number": number},
            {
                "articles": [
                    {"title": _("Найти обращение"), "url": reverse("appeals:lookup"), "answer": ""}
                ]
            },
        )
    appeal = Appeal.objects.filter(number=number, author=user).first()
    if appeal is None:
        return BotReply(
            _(
                "Среди ваших обращений нет обращения № %(number)s. Проверьте номер или "
                "откройте «Мои обращения»."
            )
            % {"number": number},
            {"offer": OFFER_OPERATOR},
        )
    text = _("Обращение № %(number)s: %(status)s.") % {
        "number": appeal.number,
        "status": appeal.get_status_display(),
    }
    if appeal.is_open:
        text += " " + _("Ответим до %(date)s.") % {"date": date_format(appeal.due_date, "j E Y")}
    return BotReply(
        text,
        {
            "articles": [
                {
                    "title": _("Обращение № %(number)s") % {"number": appeal.number},
                    "url": appeal.get_absolute_url(),
                    "answer": appeal.subject,
                }
            ],
            "offer": OFFER_AFTER_ARTICLES,
        },
    )


def _reach_person(*, user: User | None) -> BotReply:
    """Asked for a person: the hand-off when somebody can answer, else the truth (when they
    are back) and the offer to leave a message. A visitor is told what they will be asked."""
    reachable = availability()
    if reachable.available:
        text = _(
            "Передам вопрос оператору: нажмите «Связаться с оператором». Он увидит эту переписку."
        )
        if user is None:
            text = f"{text} {_(VISITOR_CONTACTS)}"
        return BotReply(text, {"offer": OFFER_OPERATOR})
    return BotReply(f"{reachable.reason} {_(LEAVE_OFFER)}", {"offer": OFFER_LEAVE})


def bot_reply(*, user: User | None, text: str, language: str) -> BotReply:
    """What the bot says to `text` from this citizen."""
    with translation.override(language):
        number = NUMBER.search(text)
        if number and STATUS_QUESTION.search(text):
            return _status_reply(user=user, number=number.group(1))
        if PERSON_WANTED.search(text):
            return _reach_person(user=user)
        page = faq_search(query=text, per_page=MAX_ARTICLES)
        if page.no_good_answer:
            return BotReply(
                _(
                    "Я не знаю ответа на этот вопрос. Переформулируйте его или "
                    "свяжитесь с оператором."
                ),
                {"offer": OFFER_OPERATOR},
            )
        articles = [
            {
                "title": hit.article.title,
                "url": hit.article.get_absolute_url(),
                "answer": (hit.article.short_answer or "")[:300],
                # An article not yet translated is shown in Russian: said so in the markup.
                **(
                    {"lang": ORIGINAL_LANGUAGE}
                    if shown_in_original(hit.article, "title", language)
                    else {}
                ),
            }
            for hit in page.hits[:MAX_ARTICLES]
        ]
        return BotReply(
            _("Вот что нашлось в ответах на частые вопросы:"),
            {"articles": articles, "offer": OFFER_AFTER_ARTICLES},
        )


def bot_greeting(*, language: str, visitor: bool = False) -> BotReply:
    """The first words: an operator is promised only when one can answer now (a visitor is
    told that the hand-off asks for their contacts)."""
    with translation.override(language):
        hello = _(
            "Здравствуйте! Я бот поддержки. Опишите вопрос своими словами или спросите "
            "«статус обращения 12345678»."
        )
        reachable = availability()
        if reachable.available:
            text = f"{hello} {_('Оператора можно позвать в любой момент.')}"
            if visitor:
                text = f"{text} {_(VISITOR_CONTACTS)}"
            return BotReply(text, {"offer": OFFER_OPERATOR})
        return BotReply(f"{hello} {reachable.reason} {_(LEAVE_OFFER)}", {"offer": OFFER_LEAVE})
