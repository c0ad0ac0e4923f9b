"""An appeal's history rows and the doorbells that tell people's open pages about them.

The lifecycle engine writes a step's row through `record` and rings through `ring` after
the commit (`support.appeals.lifecycle.LIFECYCLE`); `event_add` writes the rows that are
not steps (the overdue notice, notes for staff).
"""

from django.utils.translation import gettext as _

from portal.lifecycle import Transition
from portal.live import user_event_on_commit, user_event_send
from support.appeals.models import ActorKind, Appeal, AppealEvent, Status
from support.centre.people import Actor, Role

# How the appeals' history names who took a step (staff are one kind there).
HISTORY_NAMES = {Role.CITIZEN: ActorKind.CITIZEN, Role.SYSTEM: ActorKind.SYSTEM}


def _actor(actor: Actor) -> dict:
    return {"actor": actor.person, "actor_kind": HISTORY_NAMES.get(actor.role, ActorKind.STAFF)}


def record(moving: Transition) -> AppealEvent:
    """A step's row; it names the status it led to when the status changed."""
    return AppealEvent.step_write(
        moving,
        item="appeal",
        to_status=moving.after if moving.before and moving.moved else "",
        created_at=moving.at,
        **_actor(moving.actor),
        **moving.history,
    )


def ring(moving: Transition) -> None:
    """Run after the commit of a step: if the citizen may read about it, their open pages
    re-read the appeal."""
    told = _author_event(moving.item)
    if moving.record.is_public and told is not None:
        user_event_send(**told)


def event_add(
    appeal: Appeal, *, step: str, actor: Actor, text: str = "", is_public: bool = True
) -> AppealEvent:
    """A row that is no step of the lifecycle (a notice, a note); rings when public."""
    event = AppealEvent.objects.create(
        appeal=appeal, step=step, text=text, is_public=is_public, **_actor(actor)
    )
    if is_public:
        ring_author(appeal)
    return event


def _event(user_id: int, appeal: Appeal, *, title: str, url: str) -> dict:
    # The page re-reads the appeal; nothing is stored here: the history row is the record.
    return {
        "user_id": user_id,
        "kind": "status",
        "data": {
            "kind": "appeal",
            "number": appeal.number,
            "status": appeal.status,
            "title": title,
            "url": url,
        },
    }


def _author_event(appeal: Appeal) -> dict | None:
    if appeal.author_id is None:
        return None
    return _event(
        appeal.author_id,
        appeal,
        title=_("Обращение № %(number)s: %(status)s")
        % {"number": appeal.number, "status": Status(appeal.status).label},
        url=appeal.get_absolute_url(),
    )


def ring_author(appeal: Appeal) -> None:
    """After commit, tell the author's open pages that their appeal changed."""
    told = _author_event(appeal)
    if told is not None:
        user_event_on_commit(**told)


def ring_operator(appeal: Appeal, *, title: str) -> None:
    """After commit, tell the handling operator's open pages that the citizen wrote (the
    workspace re-reads the appeal). A free appeal waits in the queue, where it is read anew."""
    if appeal.operator_id is not None:
        user_event_on_commit(
            **_event(appeal.operator_id, appeal, title=title, url=appeal.get_operator_url())
        )
