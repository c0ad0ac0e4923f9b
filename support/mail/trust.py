"""What is known about who sent a letter.

The From header is whatever the sender typed. What can be believed is what our own MTA
checked and wrote in Authentication-Results (RFC 8601) under its authserv-id
(MAIL_AUTHSERV_ID): a DKIM signature of the From domain, DMARC, SPF of the envelope
sender. Results under any other id were written by somebody else (the sender included) and
are ignored.
"""

import re
from dataclasses import dataclass

from django.conf import settings

from support.mail.models import Trust

_RESULT = re.compile(r"\b(dkim|spf|dmarc)\s*=\s*([a-z]+)([^;]*)", re.I)
_PROPERTY = re.compile(r"\b(header\.d|header\.i|header\.from|smtp\.mailfrom)\s*=\s*([^\s;]+)", re.I)


@dataclass(frozen=True)
class SenderTrust:
    level: str  # a Trust value
    results: str = ""  # what our MTA said: "dkim=pass (example.ru); dmarc=pass; spf=pass"

    @property
    def believed(self) -> bool:
        """May the From address stand for the account that has it?"""
        return self.level in (Trust.VERIFIED, Trust.UNCHECKED)


def _domain_of(value: str) -> str:
    return value.rpartition("@")[2].strip("<>").lower()


def sender_trust(*, results: list[str], sender_domain: str) -> SenderTrust:
    """Read our MTA's results for this letter. Without MAIL_AUTHSERV_ID nothing is checked,
    and the From is taken as given (as the feedback form takes a typed e-mail address)."""
    authserv = settings.MAIL_AUTHSERV_ID.strip().lower()
    if not authserv:
        return SenderTrust(Trust.UNCHECKED)
    found: list[tuple[str, str, str]] = []  # (method, result, domain), in the header's order
    for header in results:
        server = header.split(";", 1)[0].split()[0].lower() if header.strip() else ""
        if server != authserv:
            continue
        for method, result, rest in _RESULT.findall(header.split(";", 1)[-1]):
            properties = dict((k.lower(), v) for k, v in _PROPERTY.findall(rest))
            domain = _domain_of(
                properties.get("header.d")
                or properties.get("header.from")
                or properties.get("header.i")
                or properties.get("smtp.mailfrom", "")
            )
            found.append((method.lower(), result.lower(), domain))
    if not found:
        return SenderTrust(Trust.UNKNOWN)
    # A letter may carry several DKIM signatures: one of the From domain (or a parent of it)
    # that passed is enough. SPF alone proves only the envelope sender, not the From.
    verified = any(
        (method == "dmarc" and result == "pass")
        or (
            method == "dkim"
            and result == "pass"
            and (domain == sender_domain or sender_domain.endswith("." + domain))
        )
        for method, result, domain in found
    )
    summary = "; ".join(
        f"{method}={result}" + (f" ({domain})" if domain else "")
        for method, result, domain in found
    )
    return SenderTrust(Trust.VERIFIED if verified else Trust.UNVERIFIED, summary)
