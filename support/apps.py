from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupportConfig(AppConfig):
    """The contact centre: the help hub and everything that reaches a person."""

    name = "support"
    verbose_name = _("Поддержка")

    def ready(self) -> None:
        # The load chart counts every kind of contact; this package sees them all,
        # so it registers each one (appeals, call-backs, chats).
        from portal.channels import ChannelKind
        from support.appeals.models import Appeal
        from support.cabinet.registry import tracker_kind_register
        from support.callbacks.models import Callback
        from support.callbacks.selectors import callback_wait_text
        from support.chat.models import Conversation
        from support.contacts.load import load_source_register
        from support.contacts.selectors import channel_wait_note_register
        from support.tracker import ApplicationKind

        load_source_register(
            key="appeals",
            label=lambda: str(_("обращения через форму")),
            queryset=lambda: Appeal.objects.all(),
            field="registered_at",
        )
        load_source_register(
            key="callbacks",
            label=lambda: str(_("заявки на обратный звонок")),
            queryset=lambda: Callback.objects.all(),
            field="created_at",
        )
        load_source_register(
            key="chats",
            label=lambda: str(_("чаты")),
            queryset=lambda: Conversation.objects.all(),
            field="created_at",
        )
        # The call-back card tells the next free time, where others tell "open now".
        channel_wait_note_register(
            kind=ChannelKind.CALLBACK,
            note=lambda channel, now: callback_wait_text(channel=channel, now=now),
        )
        # "Мои заявки" lists the portal's applications; the portal cannot register them
        # itself (it never imports support), so support does.
        tracker_kind_register(ApplicationKind())
