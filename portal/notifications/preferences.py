"""Which channels each event goes to when the citizen has not chosen: written once."""

from portal.notifications.models import Channel, NotificationEvent

# Channels a citizen can switch. The inbox is always on (it is the record); push is not
# offered until a provider exists.
SWITCHABLE = (Channel.EMAIL, Channel.SMS)

# E-mail for what needs the citizen's action or closes their question; SMS only on request.
DEFAULT_ON = {
    (NotificationEvent.ANSWER_GIVEN, Channel.EMAIL),
    (NotificationEvent.CLARIFICATION_REQUESTED, Channel.EMAIL),
}


def default_enabled(event: str, channel: str) -> bool:
    if channel == Channel.INBOX:
        return True
    return (event, channel) in DEFAULT_ON
