"""What the system records on an appeal for staff alone: facts from other channels (a
letter that could not be delivered, what is known about who sent a letter)."""

from support.appeals.history import event_add
from support.appeals.models import Appeal, AppealEvent, EventKind
from support.appeals.rules import MAX_TEXT
from support.centre import people


def appeal_note_add(*, appeal: Appeal, text: str, undelivered: bool = False) -> AppealEvent:
    """A line in the history that only staff see; `undelivered` marks a failed delivery
    of a letter to the citizen (their address may be wrong: call, or ask them)."""
    return event_add(
        appeal,
        step=EventKind.UNDELIVERED if undelivered else EventKind.NOTE,
        actor=people.SYSTEM,
        text=text.strip()[:MAX_TEXT],
        is_public=False,
    )
