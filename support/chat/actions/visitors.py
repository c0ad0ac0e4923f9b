"""An operator's answer reaching a visitor who is not on the page: by the e-mail and the
phone they gave at the hand-off (`support.centre.contacts`), as the hand-off promised them.

Asked by the same background task as a citizen's inbox copy (`tasks.chat_inbox_copy`,
`INBOX_AFTER` after the answer), and when an operator closes the chat. One letter (and one
SMS) at a time: another goes only once the visitor has read the chat since, or when the
chat closes with what they have not read.
"""

import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from portal.notifications.sms import sms_backend
from portal.phones import phone_display
from support.chat.models import Conversation, Message, SenderKind
from support.chat.selectors import sender_name

logger = logging.getLogger(__name__)

SMS_QUOTE = 70  # characters of the answer an SMS quotes


def _link() -> str:
    # The chat page shows the browser session's conversation: the link works where the
    # visitor chatted (and after sign-in there, in the account).
    return settings.SITE_URL.rstrip("/") + reverse("chat:page")


def _claim(conversation: Conversation) -> bool:
    """Take the right to send for what is stored now; False when another run took it."""
    return bool(
        Conversation.objects.filter(
            pk=conversation.pk, contact_sent_seq=conversation.contact_sent_seq
        ).update(contact_sent_seq=conversation.last_seq)
    )


def visitor_answers_send(*, conversation: Conversation, seq: int) -> bool:
    """Send the visitor the operator's answers they have not read (message `seq` among
    them, or the close), by e-mail and/or SMS as they gave. Returns whether anything went."""
    if conversation.user_id is not None or not conversation.has_contacts:
        return False
    read = conversation.citizen_read_seq
    if read >= seq or conversation.contact_sent_seq >= seq:
        return False  # read on the page, or in a letter already
    closed = not conversation.is_open
    if conversation.contact_sent_seq > read and not closed:
        return False  # the last letter is still unread: no second one until they look
    answers = list(
        Message.objects.filter(
            conversation=conversation,
            sender_kind=SenderKind.OPERATOR,
            staff_only=False,
            seq__gt=read,
        )
        .select_related("sender")
        .order_by("seq")
    )
    if not answers and not (closed and conversation.resolution):
        return False
    if not _claim(conversation):
        return False
    with translation.override(conversation.language):
        lines = [
            {
                "at": timezone.localtime(m.created_at).strftime("%H:%M"),
                "sender": sender_name(m),
                "text": m.text or _("[файл: %(name)s]") % {"name": m.file_name},
            }
            for m in answers
        ]
        context = {
            "conversation": conversation,
            "answers": lines,
            "closed": closed,
            "link": _link(),
        }
        subject = " ".join(
            render_to_string("support/chat/email/visitor_answer_subject.txt", context).split()
        )
        if conversation.contact_email:
            body = render_to_string("support/chat/email/visitor_answer_body.txt", context)
            _deliver(
                "e-mail",
                lambda: EmailMessage(subject, body, None, [conversation.contact_email]).send(),
            )
        if conversation.contact_phone:
            quote = lines[-1]["text"] if lines else conversation.resolution
            if len(quote) > SMS_QUOTE:
                quote = quote[: SMS_QUOTE - 1] + "…"
            text = f"{subject}: «{quote}» {_link()}"
            phone = conversation.contact_phone
            _deliver(
                f"SMS to {phone_display(phone)[:7]}…",
                lambda: sms_backend().send(phone=phone, text=text),
            )
    return True


def _deliver(what: str, send) -> None:
    # A broken gateway or mail server fails no request and no operator's answer; the chat
    # keeps the answer for the visitor's return either way.
    try:
        send()
    except Exception as error:  # noqa: BLE001 (any backend failure is logged)
        logger.warning("chat answer to a visitor by %s not sent: %s", what, error)
