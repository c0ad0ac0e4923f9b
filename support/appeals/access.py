"""The appeals' access policy: each rule once, its SQL form beside its Python form.

A list filters with the `Q`; a page, the lifecycle and an action ask the function about the
one appeal they hold. Both forms of a rule stand together so that a change to one is a change
to the other (`tests/support/appeals/test_access_policy.py` checks they agree on every case).
"""

import datetime

from django.db.models import Q

from support.appeals.models import AWAITING_STAFF, Appeal
from support.centre.people import STAFF, Actor, Role

# --- Overdue: still waiting for staff after its answer date -------------------------------


def overdue_q(*, today: datetime.date) -> Q:
    return Q(status__in=AWAITING_STAFF, due_date__lt=today)


def overdue(appeal: Appeal, *, today: datetime.date) -> bool:
    return appeal.status in AWAITING_STAFF and appeal.due_date < today


# --- Which staff may see and work on an appeal --------------------------------------------
# A supervisor every appeal; an operator the free ones and their own (an escalated appeal
# belongs to the supervisors); anybody else none.


def staff_sees_q(*, actor: Actor | None) -> Q:
    if actor is None or actor.role not in STAFF:
        return Q(pk__in=[])
    if actor.role == Role.SUPERVISOR:
        return Q()
    return Q(operator=actor.user) | Q(operator__isnull=True, escalated=False)


def staff_sees(appeal: Appeal, *, actor: Actor | None) -> bool:
    if actor is None or actor.role not in STAFF:
        return False
    free = appeal.operator_id is None and not appeal.escalated
    return actor.role == Role.SUPERVISOR or actor.holds(appeal) or free
