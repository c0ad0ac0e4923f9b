"""Writing what letters bring: store first, then process once.

`letter_store` keeps the bytes exactly as the MTA handed them over, in their own
transaction, before anything reads them; only then does the receiver say "250". The
processing (`letter_process`, a background task) claims the letter, and everything it
writes (the appeal or the reply, the letter's outcome) commits together or not at all: a
crash leaves the letter claimed, and `letters_resume` processes it again once. A letter
that cannot become anything by itself is kept as FAILED for staff (admin → «Входящие
письма»), never dropped.

Appeals are registered and replies posted through the appeals' own actions; the lifecycle
says which step a reply is.
"""

import datetime
import logging
import traceback
import uuid
from email import policy
from email.parser import BytesParser

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from support.appeals import actions as appeal_actions
from support.appeals import lifecycle
from support.appeals.lifecycle import Step
from support.appeals.models import AnswerChannel, Appeal, Status, Topic
from support.appeals.rules import MAX_DESCRIPTION, MAX_SUBJECT, MAX_TEXT
from support.centre import people
from support.centre.refusals import messages_of
from support.centre.uploads import MAX_FILES, CheckedFile, files_check
from support.mail import tasks
from support.mail.models import MAIL_TOPIC_SLUG, InboundLetter, OutboundLetter, State, Trust
from support.mail.parsing import LetterUnreadable, ParsedLetter, letter_parse
from support.mail.selectors import account_for_address, letters_counted_since
from support.mail.threads import reply_number
from support.mail.trust import SenderTrust, sender_trust

logger = logging.getLogger(__name__)

LETTER_KEYS = uuid.UUID("6f1b1d3e-8c55-4a53-9a44-6b0d5d1f2a10")
# A letter claimed longer ago than this was being processed by a process that died.
CLAIM_TIMEOUT = datetime.timedelta(minutes=10)
MAX_ATTEMPTS = 2  # the first try and one more after a crash


def _message_id(raw: bytes) -> str:
    try:
        headers = BytesParser(policy=policy.default).parsebytes(raw, headersonly=True)
        return " ".join(str(headers.get("Message-ID") or "").split())[:998]
    except Exception:  # the full parse will say what is wrong; storing must not fail
        return ""


def letter_store(
    *, raw: bytes, envelope_from: str = "", envelope_to: list[str] = (), peer: str = ""
) -> InboundLetter:
    """Keep the letter as it came and queue it for processing (after the commit)."""
    with transaction.atomic():
        letter = InboundLetter.objects.create(
            raw=raw,
            size=len(raw),
            envelope_from=envelope_from[:320],
            envelope_to=list(envelope_to),
            peer=peer[:100],
            message_id=_message_id(raw),
        )
        letter_id = letter.pk
        transaction.on_commit(lambda: tasks.letter_process_task.enqueue(letter_id=letter_id))
    return letter


def letter_process(*, letter_id: int) -> InboundLetter | None:
    """Process a stored letter if nobody has; its outcome is in `state`."""
    # Until the processing ends, `processed_at` holds when it was claimed (see letters_resume).
    claimed = InboundLetter.objects.filter(pk=letter_id, state=State.RECEIVED).update(
        state=State.PROCESSING, attempts=F("attempts") + 1, processed_at=timezone.now()
    )
    letter = InboundLetter.objects.filter(pk=letter_id).first()
    if not claimed or letter is None:
        return letter
    try:
        with transaction.atomic():
            _process(letter)
            letter.processed_at = timezone.now()
            letter.save()
    except Exception as error:
        logger.exception("Letter %s could not be processed", letter_id)
        InboundLetter.objects.filter(pk=letter_id).update(
            state=State.FAILED,
            error=f"{type(error).__name__}: {error}\n\n{traceback.format_exc()[-3000:]}",
            processed_at=timezone.now(),
        )
        letter.refresh_from_db()
    return letter


def letters_resume(*, now: datetime.datetime | None = None) -> int:
    """Process what a stopped or crashed receiver left: letters never processed, and
    letters whose processing died (once more; a second death marks them FAILED)."""
    now = now or timezone.now()
    stale = InboundLetter.objects.filter(
        state=State.PROCESSING, processed_at__lt=now - CLAIM_TIMEOUT
    )
    stale.filter(attempts__gte=MAX_ATTEMPTS).update(
        state=State.FAILED,
        error=_("Разбор письма прерывался дважды. Проверьте письмо и обработайте его вручную."),
    )
    stale.update(state=State.RECEIVED)
    waiting = list(
        InboundLetter.objects.filter(state=State.RECEIVED)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    for letter_id in waiting:
        letter_process(letter_id=letter_id)
    return len(waiting)


def letter_retry(*, letter: InboundLetter) -> InboundLetter | None:
    """Staff send a failed or held letter through again (after fixing a topic, say)."""
    InboundLetter.objects.filter(pk=letter.pk, state__in=(State.FAILED, State.LIMITED)).update(
        state=State.RECEIVED, attempts=0, error=""
    )
    return letter_process(letter_id=letter.pk)


# --- Processing ----------------------------------------------------------------------------


def _process(letter: InboundLetter) -> None:
    try:
        parsed = letter_parse(
            bytes(letter.raw), envelope_from=letter.envelope_from, envelope_to=letter.envelope_to
        )
    except LetterUnreadable as unreadable:
        letter.state, letter.error = State.FAILED, str(unreadable)
        if unreadable.parsed is not None:
            letter.sender = unreadable.parsed.sender
            letter.subject = unreadable.parsed.subject
            letter.message_id = unreadable.parsed.message_id or letter.message_id
        return
    letter.sender = parsed.sender
    letter.sender_domain = parsed.sender_domain
    letter.subject = parsed.subject
    letter.text = parsed.full_text
    letter.message_id = parsed.message_id or letter.message_id
    trust = sender_trust(results=parsed.authentication_results, sender_domain=parsed.sender_domain)
    letter.trust, letter.trust_results = trust.level, trust.results[:300]

    if letter.message_id and (
        InboundLetter.objects.filter(message_id=letter.message_id, pk__lt=letter.pk).exists()
    ):
        letter.state = State.DUPLICATE
        return
    if parsed.report is not None:
        _delivery_report(letter, parsed)
        return
    appeal, why_not = _thread_of(parsed)
    if why_not:
        letter.error = why_not
    if parsed.automatic:
        # RFC 3834: automatic mail never gets an automatic answer, nor becomes an appeal.
        letter.state, letter.appeal = State.AUTOMATIC, appeal
        letter.error = parsed.automatic
        return
    if _flooding(letter):
        letter.state = State.LIMITED
        letter.error = _("Лимит писем в час от этого отправителя или домена превышен.")
        return
    accepted, refused = _files(parsed)
    letter.refused_files = refused
    if appeal is not None:
        step = _reply_step(appeal)
        if step is not None:
            _reply(letter, parsed, appeal, step, accepted, refused)
            return
        if appeal.status == Status.CLOSED:
            parsed.text = (
                _("Продолжение обращения № %(number)s.") % {"number": appeal.number}
                + "\n\n"
                + parsed.text
            )
    _register(letter, parsed, trust, accepted)


def _delivery_report(letter: InboundLetter, parsed: ParsedLetter) -> None:
    report = parsed.report
    letter.state = State.REPORT
    ours = OutboundLetter.objects.filter(message_id=report.original_message_id).select_related(
        "appeal"
    )
    sent = ours.first() if report.original_message_id else None
    if sent is None:
        return
    letter.appeal = sent.appeal
    if report.action.lower() in ("delivered", "relayed", "expanded"):
        return  # a success notice: nothing to do
    appeal_actions.appeal_note_add(
        appeal=sent.appeal,
        undelivered=True,
        text=_("Письмо на %(address)s не доставлено: %(status)s %(diagnostic)s")
        % {
            "address": report.recipient or sent.recipient,
            "status": report.status,
            "diagnostic": report.diagnostic,
        },
    )


def _thread_of(parsed: ParsedLetter) -> tuple[Appeal | None, str]:
    """The appeal this letter answers, and why a reply address was not believed.

    The signed reply address is the proof; a reference to a letter of ours is believed
    only from the appeal's own address. Anything else starts a new appeal: a letter never
    joins somebody else's.
    """
    problem = ""
    for address in parsed.recipients:
        if "+" not in address.partition("@")[0]:
            continue
        number = reply_number(address)
        if number is None:
            problem = _("Адрес ответа с неверной или устаревшей подписью: %(address)s") % {
                "address": address
            }
            continue
        appeal = Appeal.objects.filter(number=number).first()
        if appeal is None:
            continue
        if appeal.email.casefold() == parsed.sender.casefold():
            return appeal, ""
        problem = _("Ответ пришёл не с адреса заявителя обращения № %(number)s.") % {
            "number": number
        }
    if parsed.references and not problem:
        sent = (
            OutboundLetter.objects.filter(message_id__in=parsed.references)
            .select_related("appeal")
            .order_by("-sent_at")
            .first()
        )
        if sent is not None and sent.appeal.email.casefold() == parsed.sender.casefold():
            return sent.appeal, ""
    return None, problem


def _flooding(letter: InboundLetter) -> bool:
    since = letter.received_at - datetime.timedelta(hours=1)
    if letters_counted_since(since=since, sender=letter.sender) >= settings.MAIL_FLOOD_PER_SENDER:
        return True
    domain = letter.sender_domain
    if domain in settings.MAIL_SHARED_DOMAINS:
        return False
    return letters_counted_since(since=since, domain=domain) >= settings.MAIL_FLOOD_PER_DOMAIN


def _files(parsed: ParsedLetter) -> tuple[list[CheckedFile], list[str]]:
    """The attachments through the form's own checks: accepted ones, one line per refusal."""
    uploads = [
        SimpleUploadedFile(
            attached.name or _("вложение"), attached.data, content_type=attached.content_type
        )
        for attached in parsed.attachments
    ]
    accepted, refused = files_check(uploads, room=MAX_FILES)
    return accepted, [str(line) for line in refused]


def _fit(text: str, limit: int) -> str:
    """The text as it fits a field; a longer one says that the whole letter is kept."""
    text = text.strip()
    if len(text) <= limit:
        return text
    tail = "\n\n" + _(
        "[…] Письмо длиннее: полный текст (%(count)s знаков) сохранён у оператора."
    ) % {"count": len(text)}
    return text[: limit - len(tail)].rstrip() + tail


def _reply_step(appeal: Appeal) -> Step | None:
    """The citizen's step a reply is: answering a clarification request, else an addition;
    None when neither is open (a closed appeal: the letter starts a new one). The reply
    address proved the letter answers ours; `_thread_of` checked it is from the author."""
    who = people.citizen(appeal.author)
    for step in (Step.CLARIFY, Step.ADD):
        if lifecycle.refusal(step, appeal=appeal, actor=who) is None:
            return step
    return None


def _reply(
    letter: InboundLetter,
    parsed: ParsedLetter,
    appeal: Appeal,
    step: Step,
    accepted: list[CheckedFile],
    refused: list[str],
) -> None:
    action = appeal_actions.appeal_clarify if step == Step.CLARIFY else appeal_actions.appeal_add
    text = parsed.text or _("(письмо без текста)")
    if refused:
        text += "\n\n" + _("Не приняты файлы:") + "\n" + "\n".join(refused)
    try:
        action(appeal=appeal, actor=appeal.author, text=_fit(text, MAX_TEXT), files=accepted)
    except (ValidationError, PermissionDenied) as refusal:
        # Too many files on the appeal already: the words still join it, the files are named.
        if not accepted:
            raise
        names = "\n".join(
            f"«{checked.name}»: {' '.join(messages_of(refusal))}" for checked in accepted
        )
        letter.refused_files = refused + names.splitlines()
        action(appeal=appeal, actor=appeal.author, text=_fit(text + "\n" + names, MAX_TEXT))
    letter.state, letter.appeal = State.REPLY, appeal


def _register(
    letter: InboundLetter, parsed: ParsedLetter, trust: SenderTrust, accepted: list[CheckedFile]
) -> None:
    topic = Topic.objects.filter(slug=MAIL_TOPIC_SLUG).first()
    if topic is None:
        raise ValidationError(
            _("Нет темы обращений «%(slug)s» для писем.") % {"slug": MAIL_TOPIC_SLUG}
        )
    author = account_for_address(parsed.sender) if trust.believed else None
    appeal = appeal_actions.appeal_register(
        author=author,
        topic=topic,
        subject=_fit(parsed.subject or _("Письмо без темы"), MAX_SUBJECT),
        description=_fit(parsed.text or _("(письмо без текста, только файлы)"), MAX_DESCRIPTION),
        email=parsed.sender,
        answer_channel=AnswerChannel.EMAIL,
        # Writing to the support address is the request to be answered at that address
        # (59-FZ): what the form asks as a separate consent, a letter gives by being sent.
        consent=True,
        files=accepted,
        visitor=f"mail:{letter.pk}",
        idempotency_key=uuid.uuid5(LETTER_KEYS, f"letter:{letter.pk}"),
    )
    note = _("Письмо с адреса %(address)s. %(trust)s.") % {
        "address": parsed.sender,
        "trust": Trust(trust.level).label,
    }
    if trust.results:
        note += " " + trust.results
    if author is None and trust.level == Trust.UNVERIFIED:
        note += " " + _("Обращение не показано в личном кабинете с этим адресом.")
    appeal_actions.appeal_note_add(appeal=appeal, text=note)
    letter.state, letter.appeal = State.APPEAL, appeal
