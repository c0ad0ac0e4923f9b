"""A letter to a citizen about their appeal, and what other apps may add before it goes.

The appeals know nothing of how mail threads: an app that does (the mail channel,
`support.mail`) registers a preparer that adds headers (Message-ID, In-Reply-To, a reply
address) and context for the templates. Preparers run in the background task that sends
the letter, never inside a request.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from support.appeals.models import Appeal, AppealEvent


@dataclass
class Letter:
    """What `tasks.appeal_citizen_email` is about to render and send."""

    appeal: Appeal
    template: str
    event: AppealEvent | None
    # The author has an account and hears of this step through their notification
    # preferences (which send their own e-mail) unless a preparer makes the letter `direct`.
    via_preferences: bool = False
    context: dict = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)
    reply_to: list[str] = field(default_factory=list)
    # A citizen who wrote by e-mail is answered by e-mail, in their thread, even when
    # they have an account that would otherwise hear through its notification preferences.
    direct: bool = False


Preparer = Callable[[Letter], None]
_preparers: list[Preparer] = []


def letter_preparer_register(preparer: Preparer) -> None:
    if preparer not in _preparers:
        _preparers.append(preparer)


def letter_prepare(letter: Letter) -> Letter:
    for preparer in _preparers:
        preparer(letter)
    return letter
