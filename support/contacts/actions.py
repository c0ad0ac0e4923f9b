"""Writing the contact channels: every write renews the channels' version, so the footer on
every page, "open now" and the contacts page never show an old channel (whoever writes: the
admin, the demo loader, a shell)."""

from django.db.models import QuerySet

from portal.caching import version_renew
from support.contacts.models import ContactChannel
from support.contacts.selectors import VERSION_CACHE_KEY


def contact_channels_changed() -> None:
    """A new version: what was cached of the channels is no longer used. For writes made
    elsewhere (the admin's inlines, a bulk load): the functions below call it themselves."""
    version_renew(VERSION_CACHE_KEY)


def contact_channel_save(*, channel: ContactChannel) -> ContactChannel:
    channel.save()
    contact_channels_changed()
    return channel


def contact_channels_delete(*, channels: QuerySet[ContactChannel]) -> None:
    channels.delete()
    contact_channels_changed()
