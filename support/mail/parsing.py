"""Reading a letter as letters really come: the standard library's `email` with the modern
policy, the text part preferred over HTML, HTML made plain safe text (nh3), quoted history
and signatures folded away from what the person wrote now, Cyrillic in any of the usual
charsets, attachments with RFC 2231 / RFC 2047 names.

Nothing here writes: `letter_parse` turns bytes into a `ParsedLetter` or raises
`LetterUnreadable` with the reason staff will see.
"""

import html
import re
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage, Message
from email.parser import BytesParser
from email.utils import getaddresses, parseaddr

import nh3
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

NO_SENDER = _("Нет адреса отправителя (From): ответить некуда.")
NO_CONTENT = _("В письме нет ни текста, ни файлов.")

# Charsets Russian mail arrives in when a part does not say (or says wrong).
FALLBACK_CHARSETS = ("utf-8", "windows-1251", "koi8-r")
MAX_SUBJECT = 300

# RFC 3834 and the headers that automatic senders and lists put on their letters.
AUTO_PRECEDENCE = {"bulk", "list", "junk", "auto_reply"}
LIST_HEADERS = ("List-Id", "List-Unsubscribe", "List-Post", "List-Help")
AUTO_FLAGS = ("X-Autoreply", "X-Autorespond", "X-Auto-Reply")
ROBOT_SENDERS = re.compile(r"^(mailer-daemon|postmaster|no-?reply|do-?not-?reply)([+@.-]|$)", re.I)


class LetterUnreadable(Exception):
    """The letter cannot become anything by itself: staff look at it (with what could be
    read of it, when anything could)."""

    def __init__(self, reason: str, *, parsed: "ParsedLetter | None" = None) -> None:
        super().__init__(reason)
        self.parsed = parsed


@dataclass
class Attached:
    name: str
    content_type: str
    data: bytes


@dataclass
class DeliveryReport:
    """What a bounce says about a letter we sent."""

    original_message_id: str
    recipient: str
    action: str
    status: str
    diagnostic: str


@dataclass
class ParsedLetter:
    message_id: str
    sender: str
    sender_name: str
    subject: str
    text: str  # what the person wrote now (quotes and signature folded)
    full_text: str  # everything, for staff
    recipients: list[str] = field(default_factory=list)
    references: list[str] = field(default_factory=list)  # In-Reply-To first, then References
    attachments: list[Attached] = field(default_factory=list)
    automatic: str = ""  # why no automatic reply may go back ("" for a person's letter)
    report: DeliveryReport | None = None
    authentication_results: list[str] = field(default_factory=list)

    @property
    def sender_domain(self) -> str:
        return self.sender.rpartition("@")[2].lower()


def _header(message: Message, name: str) -> str:
    try:
        value = message.get(name)
    except (ValueError, IndexError, TypeError, AttributeError):
        value = ""  # a header the modern policy cannot make sense of counts as absent
    return " ".join(str(value or "").split())


def _message_ids(value: str) -> list[str]:
    return re.findall(r"<[^<>\s]+>", value or "")


def _bytes_text(data: bytes, charset: str | None) -> str:
    for candidate in (charset, *FALLBACK_CHARSETS):
        if not candidate:
            continue
        try:
            return data.decode(candidate)
        except (LookupError, UnicodeDecodeError):
            continue
    return data.decode("utf-8", errors="replace")


def part_text(part: Message) -> str:
    """A text part's words, whatever charset it says (or wrongly says) it is in."""
    data = part.get_payload(decode=True)
    if data is None:
        payload = part.get_payload()
        return payload if isinstance(payload, str) else ""
    return _bytes_text(data, part.get_content_charset())


_BLOCK_END = re.compile(r"</(p|div|li|tr|h[1-6]|table|blockquote|pre)\s*>|<br\s*/?>", re.I)
_QUOTE_START = re.compile(
    r"<blockquote\b|<div[^>]*(class=\"?gmail_quote|id=\"?divRplyFwdMsg|id=\"?appendonsend)",
    re.I,
)
QUOTE_MARK = "\u2063[quote]\u2063"  # invisible separators: nobody types this


def html_text(markup: str) -> str:
    """HTML made plain, safe text: block ends become line breaks, every tag and the
    content of scripts and styles go (nh3), entities are read, blank runs collapse."""
    markup = re.sub(r"<head\b.*?</head>", "", markup, flags=re.I | re.S)
    markup = _QUOTE_START.sub(lambda m: "\n" + QUOTE_MARK + "\n" + m.group(0), markup)
    markup = _BLOCK_END.sub(lambda m: m.group(0) + "\n", markup)
    text = html.unescape(nh3.clean(markup, tags=set()))
    lines = [" ".join(line.replace("\xa0", " ").split()) for line in text.splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


_REPLY_HEADER = re.compile(
    r"^(on\b.+\bwrote|в?\s*\S.*\b(пишет|написал|написала|написал\(а\))|.+\bschrieb)\s*:?\s*$",
    re.I,
)
# Russian clients write "7 дек. 2026 г., 10:00, Иван <ivan@example.ru>:" without a verb.
_ADDRESS_COLON = re.compile(r"^.*<[^<>@\s]+@[^<>\s]+>\s*:\s*$")
_ORIGINAL = re.compile(r"^-{2,}\s*(original message|исходное сообщение)\s*-*\s*$", re.I)
_FORWARD = re.compile(
    r"^-{2,}\s*(forwarded message|begin forwarded message|пересылаемое (сообщение|письмо)"
    r"|пересланное (сообщение|письмо))\b",
    re.I,
)
_OUTLOOK_FROM = re.compile(r"^\*?(from|от|отправитель)\s*:\*?\s", re.I)
_OUTLOOK_SENT = re.compile(r"^\*?(sent|date|отправлено|дата)\s*:\*?\s", re.I)
_MOBILE_SIGNATURE = re.compile(
    r"^(sent from my \w+|отправлено (с|из) .{1,60}|get outlook for \w+)\s*$", re.I
)


def _quote_start(lines: list[str]) -> int | None:
    """Where quoted history or the signature begins, or None."""
    for index, line in enumerate(lines):
        stripped = line.strip()
        if _FORWARD.match(stripped):
            return None  # a forwarded letter is the point of the letter: keep it whole
        if stripped == QUOTE_MARK or stripped in ("--", "-- ") or _ORIGINAL.match(stripped):
            return index
        if _MOBILE_SIGNATURE.match(stripped):
            return index
        joined = " ".join(part.strip() for part in lines[index : index + 2])
        if (
            _REPLY_HEADER.match(stripped)
            or _ADDRESS_COLON.match(stripped)
            or (stripped and _REPLY_HEADER.match(joined) and "@" in joined)
        ):
            return index
        if _OUTLOOK_FROM.match(stripped) and any(
            _OUTLOOK_SENT.match(following.strip()) for following in lines[index + 1 : index + 5]
        ):
            return index
        if stripped.startswith(">") and all(
            not rest.strip() or rest.lstrip().startswith(">") for rest in lines[index:]
        ):
            return index
    return None


def text_fold(text: str) -> str:
    """What the person wrote now: the text before quoted history and the signature.
    When folding would leave nothing, the whole text is theirs."""
    lines = text.splitlines()
    start = _quote_start(lines)
    if start is None:
        return text.replace(QUOTE_MARK, "").strip()
    mine = "\n".join(lines[:start]).strip()
    return mine or text.replace(QUOTE_MARK, "").strip()


def _body_text(message: EmailMessage) -> str:
    body = message.get_body(preferencelist=("plain", "html"))
    if body is None:
        return ""
    text = part_text(body)
    if body.get_content_subtype() == "html":
        return html_text(text)
    return text.replace("\r\n", "\n").strip()


def _forwarded_text(part: Message) -> str:
    """A letter forwarded as an attachment: its headers and words, as a mail client shows."""
    payload = part.get_payload()
    inner = payload[0] if isinstance(payload, list) and payload else None
    if not isinstance(inner, EmailMessage):
        return ""
    lines = ["---------- Пересланное письмо ----------"]
    for name, label in (("From", "От"), ("Date", "Дата"), ("Subject", "Тема")):
        if _header(inner, name):
            lines.append(f"{label}: {_header(inner, name)}")
    return "\n".join(lines) + "\n\n" + _body_text(inner)


def _leaves(part: Message):
    """Every part that is not a container; a forwarded letter counts as one part."""
    if part.get_content_type() == "message/rfc822" or not part.is_multipart():
        yield part
        return
    for child in part.get_payload():
        yield from _leaves(child)


def _attachments(message: EmailMessage) -> tuple[list[Attached], list[str]]:
    """Files, pictures pasted into the text (inline, by Content-ID) included, and letters
    forwarded as attachments (as text). Only the text the body was read from is left out."""
    files: list[Attached] = []
    forwarded: list[str] = []
    for part in _leaves(message) if message.is_multipart() else ():
        if part.get_content_type() == "message/rfc822":
            forwarded.append(_forwarded_text(part))
            continue
        if part.get_content_maintype() == "text" and not part.get_filename():
            if part.get_content_disposition() != "attachment":
                continue  # the body or its alternative
        data = part.get_payload(decode=True) or b""
        name = part.get_filename() or ""
        files.append(Attached(name=name, content_type=part.get_content_type(), data=data))
    return files, [text for text in forwarded if text]


def _delivery_report(message: EmailMessage) -> DeliveryReport | None:
    if message.get_content_type() != "multipart/report":
        return None
    status_fields: dict[str, str] = {}
    original = ""
    for part in message.walk():
        content_type = part.get_content_type()
        if content_type == "message/delivery-status":
            for block in part.get_payload():
                for key in ("Final-Recipient", "Action", "Status", "Diagnostic-Code"):
                    if block.get(key) and key not in status_fields:
                        status_fields[key] = " ".join(str(block.get(key)).split())
        elif content_type in ("text/rfc822-headers", "message/rfc822-headers"):
            original = original or _header(
                BytesParser(policy=policy.default).parsebytes(
                    part.get_payload(decode=True) or b"", headersonly=True
                ),
                "Message-ID",
            )
        elif content_type == "message/rfc822":
            inner = part.get_payload()
            if isinstance(inner, list) and inner:
                original = original or _header(inner[0], "Message-ID")
    recipient = status_fields.get("Final-Recipient", "").partition(";")[2].strip()
    ids = _message_ids(original)
    return DeliveryReport(
        original_message_id=ids[0] if ids else "",
        recipient=recipient,
        action=status_fields.get("Action", ""),
        status=status_fields.get("Status", ""),
        diagnostic=status_fields.get("Diagnostic-Code", "")[:500],
    )


def _automatic(message: EmailMessage, *, sender: str, envelope_from: str) -> str:
    auto_submitted = _header(message, "Auto-Submitted").lower()
    if auto_submitted and not auto_submitted.startswith("no"):
        return f"Auto-Submitted: {auto_submitted}"
    precedence = _header(message, "Precedence").lower()
    if precedence in AUTO_PRECEDENCE:
        return f"Precedence: {precedence}"
    for name in (*LIST_HEADERS, *AUTO_FLAGS):
        if message.get(name) is not None:
            return name
    if envelope_from in ("", "<>"):
        return "MAIL FROM:<>"
    if ROBOT_SENDERS.match(sender.partition("@")[0] + "@"):
        return f"From: {sender}"
    return ""


def _sender(message: EmailMessage) -> tuple[str, str]:
    raw = _header(message, "From")
    try:
        addresses = message["From"].addresses if message["From"] is not None else ()
        name, address = (
            (addresses[0].display_name, addresses[0].addr_spec) if addresses else ("", "")
        )
    except (AttributeError, IndexError, TypeError, ValueError):
        name, address = parseaddr(raw)
    address = address.strip().strip("<>")
    try:
        validate_email(address)
    except ValidationError:
        return name, ""
    return name, address.lower()


def letter_parse(
    raw: bytes, *, envelope_from: str = "", envelope_to: list[str] = ()
) -> ParsedLetter:
    """Read a stored letter. Raises LetterUnreadable when nothing sensible can come of it."""
    try:
        message = BytesParser(policy=policy.default).parsebytes(raw)
        name, sender = _sender(message)
        report = _delivery_report(message)
        automatic = _automatic(message, sender=sender, envelope_from=envelope_from)
        if report is not None:
            automatic = automatic or "multipart/report"
        full_text = _body_text(message)
        files, forwarded = _attachments(message)
        full_text = "\n\n".join(text for text in [full_text, *forwarded] if text)
        recipients = [address.lower() for address in envelope_to]
        for header in ("To", "Cc", "Delivered-To", "X-Original-To"):
            recipients += [a.lower() for _n, a in getaddresses(message.get_all(header, []) or [])]
        references = _message_ids(_header(message, "In-Reply-To")) + list(
            reversed(_message_ids(_header(message, "References")))
        )
        parsed = ParsedLetter(
            message_id=(_message_ids(_header(message, "Message-ID")) or [""])[0],
            sender=sender,
            sender_name=name,
            subject=_header(message, "Subject")[:MAX_SUBJECT],
            text=text_fold(full_text) if full_text else "",
            full_text=full_text,
            recipients=list(dict.fromkeys(r for r in recipients if r)),
            references=list(dict.fromkeys(references)),
            attachments=files,
            automatic=automatic,
            report=report,
            authentication_results=[
                " ".join(str(value).split())
                for value in message.get_all("Authentication-Results", []) or []
            ],
        )
    except LetterUnreadable:
        raise
    except Exception as error:  # a letter is untrusted input: any failure is a finding
        raise LetterUnreadable(f"{type(error).__name__}: {error}") from error
    if report is None and not sender:
        raise LetterUnreadable(str(NO_SENDER), parsed=parsed)
    if report is None and not automatic and not parsed.text and not files:
        raise LetterUnreadable(str(NO_CONTENT), parsed=parsed)
    return parsed
