"""Call-back pages: book, see and change one's own, and the operators' day by slot."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from portal.channels import ChannelKind
from portal.http import found_or_404, item_view
from portal.ratelimits import limit_count, limited_page, ratelimit, setting_rate
from portal.visitors import request_visitor
from support.callbacks import actions, lifecycle, selectors
from support.callbacks.forms import BookForm, SlotForm, VisitorBookForm
from support.callbacks.lifecycle import Step
from support.callbacks.models import Callback
from support.centre import people
from support.centre.access import staff_only
from support.centre.refusals import step_tell
from support.contacts.selectors import contact_channels_status

BOOKED = gettext_lazy("Заявка на обратный звонок № %(number)s принята.")
MOVED = gettext_lazy("Время звонка изменено.")
CANCELLED = gettext_lazy("Заявка на звонок отменена.")
MARKED = {
    Step.DONE: gettext_lazy("Отмечено: звонок состоялся."),
    Step.NO_ANSWER: gettext_lazy("Отмечено: не дозвонились."),
    Step.RESCHEDULE: gettext_lazy("Звонок перенесён, гражданин получил уведомление."),
}


def _book_render(request: HttpRequest, form: BookForm | None, status: int = 200):
    context: dict = {"form": form}
    if request.user.is_authenticated:
        context["mine"] = selectors.callbacks_of(user=request.user)[:5]
    else:
        # Visitors see the channels that need nothing at all beside the form.
        context["channels"] = [
            item for item in contact_channels_status() if item.channel.kind != ChannelKind.CALLBACK
        ]
    return render(request, "support/callbacks/book.html", context, status=status)


def _visitor(request: HttpRequest, *, start_session: bool = False) -> str:
    """The browser session's key for a visitor without an account ("" for none yet)."""
    if request.user.is_authenticated:
        return ""
    return request_visitor(request, start_session=start_session)


@ratelimit(
    group="callbacks-book", key="ip", rate=setting_rate("CALLBACKS_BOOK_RATE"), method="POST"
)
@never_cache
@require_http_methods(["GET", "POST"])
def book(request: HttpRequest) -> HttpResponse:
    """Book a call-back: a signed-in citizen's appears among their requests; a visitor
    gives a name and the phone, and the call-back belongs to their browser session."""
    signed_in = request.user.is_authenticated
    form_class = BookForm if signed_in else VisitorBookForm
    now = timezone.now()
    slots = selectors.callback_slots(now=now)
    choices = selectors.slot_choices(slots)
    if request.method == "GET":
        first = next((s for s in slots if s.free), None)
        initial = {
            "phone": request.user.phone if signed_in else "",
            "slot": first.value if first else "",
        }
        return _book_render(request, form_class(initial=initial, choices=choices))
    if getattr(request, "limited", False):
        return limited_page(request)
    form = form_class(request.POST, choices=choices)
    if not form.is_valid():
        return _book_render(request, form, status=400)
    if not signed_in:
        # Call-backs without an account, per client address: every new cookie is a new
        # visitor, so the address is what bounds a script.
        wait = limit_count(
            request, group="callbacks-visitor", rate=setting_rate("CALLBACKS_VISITOR_RATE")
        )
        if wait is not None:
            return limited_page(request, wait)
    try:
        callback = actions.callback_book(
            user=request.user,
            visitor=_visitor(request, start_session=True),
            name=form.cleaned_data.get("name", ""),
            consent=form.cleaned_data.get("consent", False),
            phone=form.cleaned_data["phone"],
            topic=form.cleaned_data["topic"],
            starts_at=form.starts_at,
            now=now,
        )
    except actions.SlotFull as error:
        data = request.POST.copy()
        # Offer the next free slot in the same form, with what the citizen typed kept.
        data["slot"] = error.next_free.value if error.next_free else ""
        form = form_class(data, choices=selectors.slot_choices(selectors.callback_slots()))
        form.is_valid()
        form.refusal_add(error)
        return _book_render(request, form, status=409)
    except ValidationError as error:
        form.refusal_add(error)
        return _book_render(request, form, status=400)
    messages.success(request, BOOKED % {"number": callback.number})
    return redirect(callback.get_absolute_url())


def _mine(request: HttpRequest, number: str) -> Callback | HttpResponse:
    """The citizen's or the visitor's own call-back; a stranger's is a 404, and a signed-out
    citizen following a link to theirs is asked to sign in."""
    callback = selectors.callback_of(user=request.user, visitor=_visitor(request), number=number)
    if callback is not None:
        return callback
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    raise Http404


def _citizen(request: HttpRequest) -> people.Actor:
    return people.citizen(request.user, _visitor(request))


def _detail_render(
    request: HttpRequest, callback: Callback, form: SlotForm | None = None, status=200
):
    actor = _citizen(request)
    allowed = lifecycle.steps_allowed(callback=callback, actor=actor)
    if form is None and Step.MOVE in allowed:
        form = SlotForm(choices=selectors.slot_choices(selectors.callback_slots()))
    return render(
        request,
        "support/callbacks/detail.html",
        {
            "callback": callback,
            "allowed": allowed,
            "form": form,
            "events": list(callback.events.select_related("actor")),
        },
        status=status,
    )


@require_GET
@item_view(_mine)
def detail(request: HttpRequest, callback: Callback) -> HttpResponse:
    """The confirmation page and the citizen's (or the visitor's) view of one call-back."""
    return _detail_render(request, callback)


@require_POST
@item_view(_mine)
def move(request: HttpRequest, callback: Callback) -> HttpResponse:
    form = SlotForm(request.POST, choices=selectors.slot_choices(selectors.callback_slots()))
    if form.is_valid():
        try:
            actions.callback_move(
                callback=callback,
                actor=_citizen(request),
                starts_at=form.starts_at,
            )
        except (ValidationError, PermissionDenied) as error:
            form.refusal_add(error)
        else:
            messages.success(request, MOVED)
            return redirect(callback.get_absolute_url())
    callback.refresh_from_db()
    return _detail_render(request, callback, form, status=400)


@require_POST
@item_view(_mine)
def cancel(request: HttpRequest, callback: Callback) -> HttpResponse:
    step_tell(
        request,
        lambda: actions.callback_cancel(callback=callback, actor=_citizen(request)),
        done=CANCELLED,
    )
    return redirect(callback.get_absolute_url())


@staff_only
@never_cache
@require_GET
def operator_queue(request: HttpRequest) -> HttpResponse:
    """Today's and the next days' call-backs, by slot, with the outcomes to mark."""
    actor = people.staff(request.user)
    now = timezone.now()
    groups = selectors.operator_callbacks(now=now)
    choices = selectors.slot_choices(selectors.callback_slots(now=now))
    rows = [
        (
            group,
            [
                (
                    callback,
                    lifecycle.steps_allowed(callback=callback, actor=actor, now=now),
                    SlotForm(choices=choices, prefix=f"cb{callback.number}"),
                )
                for callback in group.callbacks
            ],
        )
        for group in groups
    ]
    return render(request, "support/callbacks/operator_queue.html", {"rows": rows, "now": now})


@staff_only
@require_POST
def operator_act(request: HttpRequest, number: str, step: str) -> HttpResponse:
    callback = found_or_404(selectors.callback_by_number(number=number))
    actor = people.staff(request.user)

    def take() -> None:
        if step == Step.RESCHEDULE:
            form = SlotForm(
                request.POST,
                choices=selectors.slot_choices(selectors.callback_slots()),
                prefix=f"cb{callback.number}",
            )
            if not form.is_valid():
                raise ValidationError(list(form.errors.get("slot", [])) or actions.SLOT_REQUIRED)
            actions.callback_reschedule(callback=callback, actor=actor, starts_at=form.starts_at)
        else:
            actions.callback_mark(callback=callback, actor=actor, step=Step(step))

    step_tell(request, take, done=MARKED[Step(step)], about=f"№ {callback.number}: ")
    return redirect(reverse("callbacks:operator-queue") + f"#callback-{callback.number}")
