"""The chat's access policy: which staff may see a conversation, the SQL form beside the
Python form (as `support.appeals.access` does for appeals).

The operator pages (`selectors.conversation_for_staff`), the files, the transcript and the
sockets (`selectors.may_read`, at the handshake and on every ring) ask these; the
lifecycle's `HOLDER` is the narrower rule of who may *work* on a conversation taken.
`tests/support/chat/test_access_policy.py` checks the two forms agree on every case.
"""

from django.db.models import Q

from portal.models import User
from support.centre import people
from support.centre.people import STAFF, Actor, Role
from support.chat.models import Conversation, Status


def staff_of(user: User | None) -> Actor | None:
    """The person on the staff's side of a chat: an operator (the contact centre's staff
    gate, which every operator page and socket requires), as a supervisor when they are
    one; None for anybody else."""
    return people.staff(user) if people.user_is_operator(user) else None


# --- Which staff see a conversation -------------------------------------------------------
# A supervisor every one; an operator the waiting ones (to take) and the ones they hold;
# anybody else none.


def staff_sees_q(*, actor: Actor | None) -> Q:
    if actor is None or actor.role not in STAFF:
        return Q(pk__in=[])
    if actor.role == Role.SUPERVISOR:
        return Q()
    return Q(status=Status.WAITING) | Q(operator=actor.user)


def staff_sees(conversation: Conversation, *, actor: Actor | None) -> bool:
    if actor is None or actor.role not in STAFF:
        return False
    waiting = conversation.status == Status.WAITING
    return actor.role == Role.SUPERVISOR or waiting or actor.holds(conversation)
