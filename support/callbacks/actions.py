"""Writing call-backs: book, move, mark, cancel. Each locks what it changes; the lifecycle
engine checks the table, changes the status and writes the history row."""

import datetime
import secrets

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.models import User
from portal.notifications.actions import notification_send
from portal.notifications.models import NotificationEvent
from portal.notifications.tasks import sms_deliver
from portal.phones import PHONE_INVALID, phone_normalise
from support.callbacks import lifecycle, selectors
from support.callbacks.lifecycle import Step
from support.callbacks.models import Callback, CallbackSlot, Topic
from support.callbacks.selectors import Slot
from support.centre import people
from support.centre.contacts import PHONE_REQUIRED, contacts_clean
from support.centre.owners import owner_take_over
from support.centre.people import Actor
from support.centre.refusals import NOT_ALLOWED

NUMBER_LENGTH = 8
MAX_OPEN = 3

TOPIC_REQUIRED = gettext_lazy("Выберите тему звонка.")
SLOT_REQUIRED = gettext_lazy("Выберите время звонка.")
SLOT_NOT_OFFERED = gettext_lazy("В это время операторы не перезванивают. Выберите время из списка.")
SLOT_FULL = gettext_lazy("Это время уже занято.")
SLOT_FULL_NEXT = gettext_lazy("Это время уже занято. Ближайшее свободное: %(when)s.")
SLOT_SAME = gettext_lazy("Звонок уже назначен на это время.")
TOO_MANY_OPEN = gettext_lazy(
    "У вас уже %(n)s заявки на звонок, которые ждут звонка. Отмените одну, чтобы записаться снова."
)
# Without an account the number is who asks: one waiting call-back per number.
NUMBER_HAS_OPEN = gettext_lazy(
    "На этот номер уже заказан звонок, он ждёт своего времени. Оператор позвонит; если "
    "нужно другое время, откройте прежнюю заявку в этом браузере или войдите на портал."
)
NUMBER_HAS_OPEN_AFTER_MOVE = gettext_lazy(
    "На этот номер уже заказан другой звонок, который ждёт своего времени."
)


class SlotFull(ValidationError):
    """The slot had no free place; `next_free` is the first slot that still has one."""

    def __init__(self, next_free: Slot | None, now: datetime.datetime | None = None):
        self.next_free = next_free
        if next_free is None:
            message = str(SLOT_FULL)
        else:
            when = selectors.slot_when_text(next_free, now=now)
            message = str(SLOT_FULL_NEXT) % {"when": when}
        super().__init__({"slot": ValidationError(message, code="full")})


def _new_number() -> str:
    # Random like the appeals' numbers: nobody learns how many there are.
    low = 10 ** (NUMBER_LENGTH - 1)
    return str(low + secrets.randbelow(9 * low))


def _offered(starts_at: datetime.datetime | None, now: datetime.datetime) -> Slot:
    if starts_at is None:
        raise ValidationError({"slot": ValidationError(SLOT_REQUIRED, code="required")})
    slot = selectors.callback_slot_at(starts_at=starts_at, now=now)
    if slot is None:
        raise ValidationError({"slot": ValidationError(SLOT_NOT_OFFERED, code="hours")})
    return slot


def _take_place(slot: Slot, now: datetime.datetime) -> CallbackSlot:
    """Take one place in the slot or raise SlotFull; call inside a transaction.

    The conditional UPDATE is the guard: the database re-checks `taken < places` on the
    row it locks, so of two bookings for the last place exactly one changes a row.
    """
    channel = selectors.callback_channel()
    row, _created = CallbackSlot.objects.get_or_create(
        channel=channel, starts_at=slot.starts_at, defaults={"ends_at": slot.ends_at}
    )
    changed = CallbackSlot.objects.filter(pk=row.pk, taken__lt=slot.places).update(
        taken=F("taken") + 1
    )
    if not changed:
        raise SlotFull(selectors.callback_next_free(now=now, after=slot.starts_at), now)
    return row


def _release_place(row: CallbackSlot) -> None:
    CallbackSlot.objects.filter(pk=row.pk, taken__gt=0).update(taken=F("taken") - 1)


def _number_taken() -> ValidationError:
    return ValidationError({"phone": ValidationError(NUMBER_HAS_OPEN, code="number_open")})


def callback_book(
    *,
    user: User | AnonymousUser | None,
    phone: str,
    topic: str,
    starts_at: datetime.datetime | None,
    now: datetime.datetime | None = None,
    visitor: str = "",
    name: str = "",
    consent: bool = False,
) -> Callback:
    """Book a call-back in a free slot inside the operators' hours; all or nothing.

    Without an account (`visitor`, the session's key) the visitor gives a name, the phone
    and consent (`support.centre.contacts`), and a number has one waiting call-back at a time:
    asked here, and held by the database when two requests race."""
    now = now or timezone.now()
    signed_in = user is not None and user.is_authenticated
    if not signed_in and not visitor:
        raise PermissionDenied(NOT_ALLOWED)
    errors: dict[str, list[ValidationError]] = {}
    if signed_in:
        try:
            phone = phone_normalise(phone)
        except ValidationError:
            errors["phone"] = [ValidationError(PHONE_INVALID, code="phone")]
        else:
            if not phone:
                errors["phone"] = [ValidationError(PHONE_REQUIRED, code="required")]
    else:
        try:
            contacts = contacts_clean(name=name, phone=phone, consent=consent, phone_required=True)
        except ValidationError as error:
            errors.update(error.error_dict)
        else:
            name, phone = contacts.name, contacts.phone
    if topic not in Topic.values:
        errors["topic"] = [ValidationError(TOPIC_REQUIRED, code="topic")]
    if errors:
        raise ValidationError(errors)
    if not signed_in and selectors.callback_open_on_number(phone=phone):
        raise _number_taken()
    slot = _offered(starts_at, now)
    if not slot.free:
        raise SlotFull(selectors.callback_next_free(now=now, after=slot.starts_at), now)
    with transaction.atomic():
        if signed_in:
            # Counted inside the transaction: two tabs cannot each book a fourth one.
            open_count = selectors.callbacks_open_count(user=user)
            if open_count >= MAX_OPEN:
                raise ValidationError(str(TOO_MANY_OPEN) % {"n": open_count}, code="too_many")
        row = _take_place(slot, now)
        for _attempt in range(5):
            try:
                with transaction.atomic():
                    callback = Callback.objects.create(
                        number=_new_number(),
                        user=user if signed_in else None,
                        visitor="" if signed_in else visitor,
                        name="" if signed_in else name,
                        consent_at=None if signed_in else now,
                        phone=phone,
                        topic=topic,
                        slot=row,
                        created_at=now,
                        changed_at=now,
                    )
                break
            except IntegrityError:
                # A race for the same number lost to the one-per-number constraint (the
                # place taken above goes back with the transaction), or a clash of the
                # random call-back number: try another.
                if not signed_in and selectors.callback_open_on_number(phone=phone):
                    raise _number_taken() from None
                continue
        else:  # pragma: no cover - five random 8-digit clashes in a row
            raise RuntimeError("no free call-back number")
        lifecycle.LIFECYCLE.register(
            callback, actor=people.citizen(user if signed_in else None, visitor), now=now
        )
    return callback


def callbacks_take_over(*, visitor: str, user: User) -> int:
    """Sign-in: the session's call-backs join the account (as its chats do). Returns how
    many joined."""
    return owner_take_over(Callback, visitor=visitor, user=user)


def _locked(callback: Callback) -> Callback:
    return (
        # The call-back's row only: a visitor's has no user, the outer join cannot be locked.
        Callback.objects.select_for_update(of=("self",))
        .select_related("slot", "user")
        .get(pk=callback.pk)
    )


def _notify(callback: Callback, title: str) -> None:
    """The citizen's inbox (and the channels they chose); a visitor's phone by SMS."""
    if callback.user is None:
        phone, text = callback.phone, title
        transaction.on_commit(lambda: sms_deliver.enqueue(phone=phone, text=text))
        return
    notification_send(
        user=callback.user,
        event=NotificationEvent.STATUS_CHANGED,
        title=title,
        url=callback.get_absolute_url(),
    )


def _when(callback: Callback) -> str:
    local = timezone.localtime(callback.slot.starts_at)
    return f"{local:%d.%m.%Y %H:%M}"


def callback_mark(
    *, callback: Callback, actor: Actor, step: Step, now: datetime.datetime | None = None
) -> Callback:
    """An operator's outcome: the call took place, or nobody answered."""
    if step not in (Step.DONE, Step.NO_ANSWER):
        raise ValueError(step)
    now = now or timezone.now()
    with transaction.atomic():
        callback = _locked(callback)
        with lifecycle.LIFECYCLE.begin(step, callback, actor=actor, now=now, fields=["changed_at"]):
            callback.changed_at = now
        _notify(
            callback,
            _("Обратный звонок № %(number)s: %(status)s")
            % {"number": callback.number, "status": callback.get_status_display()},
        )
    return callback


def _change_slot(
    step: Step,
    *,
    callback: Callback,
    actor: Actor,
    starts_at: datetime.datetime | None,
    now: datetime.datetime | None,
) -> Callback:
    # The new place is taken before the old one is given back: a refusal keeps the old.
    now = now or timezone.now()
    with transaction.atomic():
        callback = _locked(callback)
        try:
            with lifecycle.LIFECYCLE.begin(
                step, callback, actor=actor, now=now, fields=["slot", "changed_at"]
            ):
                slot = _offered(starts_at, now)
                if slot.starts_at == callback.slot.starts_at:
                    raise ValidationError({"slot": ValidationError(SLOT_SAME, code="same")})
                if not slot.free:
                    raise SlotFull(selectors.callback_next_free(now=now, after=slot.starts_at), now)
                old = callback.slot
                callback.slot = _take_place(slot, now)
                _release_place(old)
                callback.changed_at = now
        except IntegrityError:
            # A visitor's call-back nobody answered, rescheduled while the same number
            # has booked a new one: one waiting call-back per number.
            raise ValidationError(NUMBER_HAS_OPEN_AFTER_MOVE, code="number_open") from None
    return callback


def callback_reschedule(
    *,
    callback: Callback,
    actor: Actor,
    starts_at: datetime.datetime | None,
    now: datetime.datetime | None = None,
) -> Callback:
    """Staff move the call-back to a time agreed with the citizen, who is notified."""
    with transaction.atomic():
        callback = _change_slot(
            Step.RESCHEDULE, callback=callback, actor=actor, starts_at=starts_at, now=now
        )
        _notify(
            callback,
            _("Обратный звонок № %(number)s перенесён на %(when)s")
            % {"number": callback.number, "when": _when(callback)},
        )
    return callback


def callback_move(
    *,
    callback: Callback,
    actor: Actor,
    starts_at: datetime.datetime | None,
    now: datetime.datetime | None = None,
) -> Callback:
    """The citizen picks another free time, before the booked slot begins."""
    return _change_slot(Step.MOVE, callback=callback, actor=actor, starts_at=starts_at, now=now)


def callback_cancel(
    *, callback: Callback, actor: Actor, now: datetime.datetime | None = None
) -> Callback:
    """The citizen no longer needs the call (before its slot): the place is freed."""
    now = now or timezone.now()
    with transaction.atomic():
        callback = _locked(callback)
        with lifecycle.LIFECYCLE.begin(
            Step.CANCEL, callback, actor=actor, now=now, fields=["changed_at"]
        ):
            _release_place(callback.slot)
            callback.changed_at = now
    return callback
