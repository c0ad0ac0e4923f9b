"""The citizen's steps: start, hand-off, retry, leave a message, end, rate."""

import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from portal.models import User
from support.appeals.actions import appeal_register
from support.appeals.models import AnswerChannel, Appeal, Topic
from support.appeals.rules import MAX_DESCRIPTION, MAX_SUBJECT
from support.centre.contacts import Contacts, contacts_clean
from support.centre.owners import owner_take_over
from support.chat.actions.common import locked, store, system_say
from support.chat.bot import bot_greeting
from support.chat.events import conversation_changed_on_commit
from support.chat.lifecycle import LIFECYCLE, NOT_OWNER, Step, citizen
from support.chat.models import Conversation, SenderKind
from support.chat.rules import MAX_RATING_COMMENT, RATING_HIGH, RATING_LOW, RATING_RANGE
from support.chat.selectors import availability, conversation_open_of, transcript_text

# Chats start in the interface's language; these are the ones the bot speaks.
LANGUAGES = ("ru", "en")


@contextmanager
def _citizen_step(
    step: Step, conversation_id: int, user: User | AnonymousUser, visitor: str, fields: list[str]
) -> Iterator[Conversation]:
    """The conversation, locked, inside the citizen's step (in the caller's transaction):
    the body makes the step's changes to the named fields."""
    conversation = locked(conversation_id)
    with LIFECYCLE.begin(step, conversation, actor=citizen(user, visitor), fields=fields):
        yield conversation


def conversation_start(
    *, user: User | AnonymousUser | None, language: str, visitor: str = ""
) -> Conversation:
    """The citizen's open conversation, or a new one with the bot's greeting.

    Without an account the conversation is the visitor's (`visitor`, their session's key)."""
    language = language if language in LANGUAGES else "ru"
    signed_in = user is not None and user.is_authenticated
    if not signed_in and not visitor:
        raise PermissionDenied(NOT_OWNER)
    try:
        with transaction.atomic():
            if signed_in:
                # Lock the citizen's row: two tabs starting at once get one conversation.
                User.objects.select_for_update().filter(pk=user.pk).first()
            # A visitor's two tabs: the one-open-per-visitor constraint decides below.
            existing = conversation_open_of(user=user, visitor=visitor)
            if existing is not None:
                return existing
            conversation = Conversation.objects.create(
                user=user if signed_in else None,
                visitor="" if signed_in else visitor,
                language=language,
            )
            greeting = bot_greeting(language=language, visitor=not signed_in)
            store(conversation, sender_kind=SenderKind.BOT, text=greeting.text, data=greeting.data)
            return conversation
    except IntegrityError:
        existing = conversation_open_of(user=user, visitor=visitor)
        if existing is None:
            raise
        return existing


def conversations_take_over(*, visitor: str, user: User) -> int:
    """Sign-in: the visitor's conversations join the account they signed in to (called
    from the sign-in path with the key of the session before it was renewed). Returns how
    many joined."""
    if not visitor or not user.is_authenticated:
        return 0
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=user.pk).first()
        return owner_take_over(Conversation, visitor=visitor, user=user)


CONTACT_FIELDS = ["contact_name", "contact_email", "contact_phone", "contact_consent_at"]


def _visitor_contacts(
    conversation: Conversation, *, name: str, email: str, phone: str, consent: bool
) -> Contacts | None:
    """A visitor's conversation: their contacts as `support.centre.contacts` checks them
    (a ValidationError by field when wrong), kept on the conversation with the time of
    consent. An account's: None."""
    if conversation.user_id is not None:
        return None
    contacts = contacts_clean(name=name, email=email, phone=phone, consent=consent)
    conversation.contact_name = contacts.name
    conversation.contact_email = contacts.email
    conversation.contact_phone = contacts.phone
    conversation.contact_consent_at = timezone.now()
    return contacts


def _where_answers_go(contacts: Contacts) -> str:
    """What a visitor is promised: exactly where `conversation_copy_to_inbox` sends."""
    if contacts.email and contacts.phone:
        return _(
            "Если вы уйдёте со страницы, ответ оператора придёт на %(email)s и по SMS на %(phone)s."
        ) % {"email": contacts.email, "phone": contacts.phone_display}
    if contacts.email:
        return _("Если вы уйдёте со страницы, ответ оператора придёт на %(email)s.") % {
            "email": contacts.email
        }
    return _("Если вы уйдёте со страницы, ответ оператора придёт по SMS на %(phone)s.") % {
        "phone": contacts.phone_display
    }


def conversation_hand_off(
    *,
    conversation_id: int,
    user: User | AnonymousUser,
    visitor: str = "",
    name: str = "",
    email: str = "",
    phone: str = "",
    consent: bool = False,
) -> Conversation:
    """ "Связаться с оператором": into the queue, or refused with why when nobody can answer.

    A visitor without an account gives a name and an e-mail or a phone: the operator's
    answer reaches them there when they are not on the page."""
    with transaction.atomic():
        with _citizen_step(
            Step.HAND_OFF, conversation_id, user, visitor, ["queued_at", *CONTACT_FIELDS]
        ) as conversation:
            contacts = _visitor_contacts(
                conversation, name=name, email=email, phone=phone, consent=consent
            )
            reachable = availability()
            if not reachable.available:
                raise ValidationError(reachable.reason, code="unavailable")
            conversation.queued_at = timezone.now()
        with translation.override(conversation.language):
            said = _("Вы в очереди к оператору. Он увидит переписку с ботом.")
            if contacts is not None:
                said = f"{said} {_where_answers_go(contacts)}"
            system_say(conversation, said)
        return conversation


def conversation_retry(
    *, conversation_id: int, user: User | AnonymousUser, visitor: str = ""
) -> Conversation:
    """ "Повторить запрос" after 5 minutes unanswered: the conversation moves up the queue."""
    with transaction.atomic():
        with _citizen_step(
            Step.RETRY, conversation_id, user, visitor, ["priority", "retried_at"]
        ) as conversation:
            conversation.priority += 1
            conversation.retried_at = timezone.now()
        with translation.override(conversation.language):
            system_say(conversation, _("Запрос повторён: ваш чат поднят в очереди."))
        return conversation


def conversation_leave_message(
    *,
    conversation_id: int,
    user: User | AnonymousUser,
    topic: Topic,
    email: str,
    consent: bool,
    visitor: str = "",
    name: str = "",
    phone: str = "",
) -> Appeal:
    """ "Оставить сообщение": an appeal carrying the transcript; the chat closes with its number.

    A visitor's appeal carries their name and their e-mail or phone (a phone only: it is
    answered by a call), and is followed on «Найти обращение» with its number."""
    with transaction.atomic():
        with _citizen_step(
            Step.LEAVE_MESSAGE,
            conversation_id,
            user,
            visitor,
            ["appeal", "closed_at", *CONTACT_FIELDS],
        ) as conversation:
            contacts = _visitor_contacts(
                conversation, name=name, email=email, phone=phone, consent=consent
            )
            appeal = _appeal_of(
                conversation,
                user=user,
                topic=topic,
                email=email,
                consent=consent,
                contacts=contacts,
            )
            conversation.appeal = appeal
            conversation.closed_at = timezone.now()
        with translation.override(conversation.language):
            system_say(
                conversation,
                _("Сообщение принято: обращение № %(number)s, ответим до %(date)s.")
                % {"number": appeal.number, "date": date_format(appeal.due_date, "j E Y")},
                articles=[
                    {
                        "title": _("Обращение № %(number)s") % {"number": appeal.number},
                        "url": appeal.get_absolute_url(),
                        "answer": "",
                    }
                ],
            )
        return appeal


def _appeal_of(
    conversation: Conversation,
    *,
    user: User | AnonymousUser,
    topic: Topic,
    email: str,
    consent: bool,
    contacts: Contacts | None,
) -> Appeal:
    """The appeal that carries the conversation's transcript (one per conversation); a
    visitor's carries their name and their e-mail or phone (a phone only: answered by a
    call)."""
    with translation.override(conversation.language):
        subject = _("Сообщение из чата %(number)s") % {"number": conversation.number}
        if conversation.topic:
            subject = f"{subject}: {conversation.topic}"
        header = ""
        if contacts is not None:
            header = _("Посетитель без входа: %(name)s") % {"name": contacts.name} + "\n\n"
        description = transcript_text(conversation=conversation)
        room = MAX_DESCRIPTION - len(header)
        if len(description) > room:
            # The appeal keeps the end of the conversation: that is where the question is.
            description = "…" + description[-(room - 1) :]
        description = header + description
    phone = ""
    if contacts is None:
        answer_channel, owner = AnswerChannel.CABINET, f"user:{user.pk}"
    else:
        email, phone = contacts.email, contacts.phone
        answer_channel = AnswerChannel.EMAIL if email else AnswerChannel.PHONE
        owner = conversation.visitor
    return appeal_register(
        author=user,
        topic=topic,
        subject=subject[:MAX_SUBJECT],
        description=description,
        email=email,
        phone=phone,
        answer_channel=answer_channel,
        consent=consent,
        # One appeal per conversation, whatever the number of clicks.
        idempotency_key=uuid.uuid5(uuid.NAMESPACE_URL, f"chat-leave:{conversation.pk}"),
        visitor=owner,
    )


def conversation_end(
    *, conversation_id: int, user: User | AnonymousUser, visitor: str = ""
) -> Conversation:
    """The citizen closes the chat ("Это помогло", or "Завершить чат")."""
    with transaction.atomic():
        with _citizen_step(
            Step.END, conversation_id, user, visitor, ["closed_at", "resolution"]
        ) as conversation:
            conversation.closed_at = timezone.now()
            if not conversation.resolution:
                with translation.override(conversation.language):
                    conversation.resolution = (
                        _("Вопрос решён с помощью бота.")
                        if conversation.operator_id is None
                        else _("Гражданин завершил чат.")
                    )
        with translation.override(conversation.language):
            system_say(
                conversation,
                _("Чат завершён. Итог: %(text)s") % {"text": conversation.resolution},
                offer=["rate"],
            )
        return conversation


def conversation_rate(
    *,
    conversation_id: int,
    user: User | AnonymousUser,
    rating: int,
    comment: str = "",
    visitor: str = "",
) -> Conversation:
    if not isinstance(rating, int) or not RATING_LOW <= rating <= RATING_HIGH:
        raise ValidationError(RATING_RANGE, code="rating")
    with transaction.atomic():
        with _citizen_step(
            Step.RATE, conversation_id, user, visitor, ["rating", "rating_comment"]
        ) as conversation:
            conversation.rating = rating
            conversation.rating_comment = comment.strip()[:MAX_RATING_COMMENT]
        conversation_changed_on_commit(conversation_id=conversation.pk, seq=conversation.last_seq)
        return conversation
