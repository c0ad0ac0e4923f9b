from functools import partial

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupportConfig(AppConfig):
    """The contact centre: the help hub and everything that reaches a person."""

    name = "support"
    verbose_name = _("Поддержка")

    def ready(self) -> None:
        from portal.channels import ChannelKind
        from support.appeals.models import Appeal
        from support.appeals.tracker import AppealKind
        from support.cabinet.registry import tracker_kind_register
        from support.callbacks.models import Callback
        from support.callbacks.selectors import callback_wait_text
        from support.callbacks.tracker import CallbackKind
        from support.chat.models import Conversation
        from support.chat.tracker import ChatTrackerKind
        from support.contacts.load import load_source_register
        from support.contacts.selectors import channel_wait_note_register
        from support.tracker import ApplicationKind

        # This package sees every kind of contact, so it registers each one where the
        # pages that list them all look (the load chart, «Мои заявки»): neither of those
        # imports what it lists. The portal's applications are listed too (the portal
        # never imports support, so it cannot register them itself).
        for key, label, model, field in (
            ("appeals", _("обращения через форму"), Appeal, "registered_at"),
            ("callbacks", _("заявки на обратный звонок"), Callback, "created_at"),
            ("chats", _("чаты"), Conversation, "created_at"),
        ):
            load_source_register(
                key=key, label=partial(str, label), queryset=model.objects.all, field=field
            )
        for kind in (ApplicationKind(), AppealKind(), CallbackKind(), ChatTrackerKind()):
            tracker_kind_register(kind)
        # The call-back card tells the next free time, where others tell "open now".
        channel_wait_note_register(
            kind=ChannelKind.CALLBACK,
            note=lambda channel, now: callback_wait_text(channel=channel, now=now),
        )
