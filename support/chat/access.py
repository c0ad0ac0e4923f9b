"""The chat's access policy: which staff may see a conversation, the SQL form beside the
Python form (as `support.appeals.access` does for appeals).

The operator pages (`selectors.conversation_for_staff`), the files, the transcript and the
sockets (`selectors.may_read`, at the handshake and on every ring) ask these; the
lifecycle's `HOLDER` is the narrower rule of who may *work* on a conversation taken.
`tests/support/chat/test_access_policy.py` checks the two forms agree on every case.
"""

from django.contrib.auth.models import Permission
from django.db.models import Exists, OuterRef, Q

from portal.models import User
from support.centre import people
from support.centre.people import STAFF, SUPERVISE, WORK, Actor, Role
from support.chat.models import Conversation, Status


def staff_of(user: User | None) -> Actor | None:
    """The person on the staff's side of a chat: an operator (the contact centre's staff
    gate, which every operator page and socket requires), as a supervisor when they are
    one; None for anybody else."""
    return people.staff(user) if people.user_is_operator(user) else None


def _granted(permission: str) -> Exists:
    """Whether the outer query's user holds `permission`, by their own or a group's grant
    (what Django's model backend reads, in SQL)."""
    app_label, codename = permission.split(".", 1)
    return Exists(
        Permission.objects.filter(
            Q(user=OuterRef("pk")) | Q(group__user=OuterRef("pk")),
            content_type__app_label=app_label,
            codename=codename,
        )
    )


def staff_now(user_id: int) -> Actor | None:
    """`staff_of` for the account as it is now, in one query where reading the account
    and then its permissions takes three: for an open socket, which asks before every
    answer (a role taken away stops the next one).

    The account comes with the two staff permissions it holds already known to Django's
    model backend (its per-user cache), so `staff_of` decides as always and asks no more;
    that copy knows no other permission, and is for this question only."""
    user = (
        User.objects.filter(pk=user_id)
        .annotate(works=_granted(WORK), supervises=_granted(SUPERVISE))
        .first()
    )
    if user is None:
        return None
    held = {p for p, has in ((WORK, user.works), (SUPERVISE, user.supervises)) if has}
    user._perm_cache = held  # what ModelBackend.get_all_permissions would have read
    return staff_of(user)


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
