"""Threads both ways: the letters we send carry Message-ID, In-Reply-To, References and a
reply address that names the appeal with a signature; a reply is matched by that address.

The reply address is `<local>+<number>.<day>.<signature>@<domain>`: the day it was issued
(days since 1970, base 36) and an HMAC of both under the project's SECRET_KEY. Nobody can
make one for an appeal they were not written about, and one older than
MAIL_REPLY_TOKEN_DAYS no longer joins anything.
"""

import datetime
import re
from email.utils import make_msgid

from django.conf import settings
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from support.appeals.letters import Letter
from support.appeals.models import Appeal
from support.mail.models import InboundLetter, OutboundLetter, State

SALT = "support.mail.reply-address"
SIGNATURE_LENGTH = 20
THREAD_DEPTH = 10  # References carry at most this many earlier letters

_TOKEN = re.compile(r"^(?P<number>\d{6,12})\.(?P<day>[0-9a-z]{1,6})\.(?P<signature>[0-9a-f]+)$")


def support_address() -> tuple[str, str]:
    local, _at, domain = settings.MAIL_SUPPORT_ADDRESS.rpartition("@")
    return local, domain.lower()


def _day(now: datetime.datetime) -> int:
    return (now.date() - datetime.date(1970, 1, 1)).days


def _base36(value: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while True:
        value, rest = divmod(value, 36)
        out = digits[rest] + out
        if not value:
            return out


def _signature(number: str, day: str) -> str:
    return salted_hmac(SALT, f"{number}.{day}", algorithm="sha256").hexdigest()[:SIGNATURE_LENGTH]


def reply_address(*, number: str, now: datetime.datetime | None = None) -> str:
    local, domain = support_address()
    day = _base36(_day(now or timezone.now()))
    return f"{local}+{number}.{day}.{_signature(number, day)}@{domain}"


def reply_number(address: str, *, now: datetime.datetime | None = None) -> str | None:
    """The appeal number a reply address carries, if it is ours, genuine and fresh."""
    local, domain = support_address()
    mailbox, _at, at_domain = address.strip().lower().rpartition("@")
    base, plus, token = mailbox.partition("+")
    if at_domain != domain or base != local.lower() or not plus:
        return None
    match = _TOKEN.match(token)
    if match is None:
        return None
    number, day = match["number"], match["day"]
    if not constant_time_compare(match["signature"], _signature(number, day)):
        return None
    age = _day(now or timezone.now()) - int(day, 36)
    if age < 0 or age > settings.MAIL_REPLY_TOKEN_DAYS:
        return None
    return number


def addressed_to_us(address: str) -> bool:
    """The support address itself or any of its reply addresses (plus-addressing)."""
    local, domain = support_address()
    mailbox, _at, at_domain = address.strip().lower().rpartition("@")
    return at_domain == domain and mailbox.partition("+")[0] == local.lower()


def thread_ids(appeal: Appeal) -> list[str]:
    """The Message-IDs of the thread so far, oldest first: the citizen's letters and ours."""
    inbound = InboundLetter.objects.filter(
        appeal=appeal, state__in=(State.APPEAL, State.REPLY)
    ).exclude(message_id="")
    ours = OutboundLetter.objects.filter(appeal=appeal)
    dated = [
        (letter.received_at, letter.message_id)
        for letter in inbound.only("received_at", "message_id")
    ]
    dated += [(letter.sent_at, letter.message_id) for letter in ours.only("sent_at", "message_id")]
    return [message_id for _when, message_id in sorted(dated)]


def letter_thread(letter: Letter) -> None:
    """The preparer `support.appeals` calls for every letter to a citizen (registered with
    the appeals in `MailConfig.ready`): threading headers and a signed reply address."""
    appeal = letter.appeal
    origin = InboundLetter.objects.filter(appeal=appeal, state=State.APPEAL).order_by("pk").first()
    if letter.via_preferences and origin is None:
        return  # the notification's own e-mail goes out instead: nothing of ours to thread
    _local, domain = support_address()
    message_id = make_msgid(domain=domain)
    history = thread_ids(appeal)
    headers = {"Message-ID": message_id}
    if history:
        earlier = history[:1] + history[1:][-(THREAD_DEPTH - 1) :]
        headers["In-Reply-To"] = history[-1]
        headers["References"] = " ".join(earlier)
    if letter.template == "registered":
        # RFC 3834: an automatic answer says so, and asks Exchange not to answer it back.
        headers["Auto-Submitted"] = "auto-replied" if origin else "auto-generated"
        headers["X-Auto-Response-Suppress"] = "All"
        if origin is not None:
            letter.context["refused_files"] = origin.refused_files
            letter.context["long_text"] = len(origin.text) > len(appeal.description)
    letter.headers.update(headers)
    letter.reply_to = [reply_address(number=appeal.number)]
    letter.context["reply_by_mail"] = True
    letter.direct = letter.direct or origin is not None
    OutboundLetter.objects.create(
        appeal=appeal, message_id=message_id, template=letter.template, recipient=appeal.email
    )
