"""One way to drop a cache, called from the actions: every write of a contact channel or a
technical work renews its version, whoever writes (the admin, the demo loader, a shell), and
the banner and the channels read anew at once."""

import datetime

import pytest
from django.utils import timezone

from portal.channels import ChannelKind
from support.contacts import actions as contact_actions
from support.contacts.models import ContactChannel
from support.contacts.selectors import contact_channels_version
from support.maintenance import actions as work_actions
from support.maintenance.models import TechnicalWork
from support.maintenance.selectors import technical_works_banner

pytestmark = pytest.mark.django_db


def test_saving_or_deleting_a_channel_renews_the_channels_version(production_caches):
    before = contact_channels_version()
    channel = contact_actions.contact_channel_save(
        channel=ContactChannel(kind=ChannelKind.PHONE, title="Горячая линия", value="8 800")
    )
    saved = contact_channels_version()
    assert saved != before
    contact_actions.contact_channels_delete(channels=ContactChannel.objects.filter(pk=channel.pk))
    assert contact_channels_version() != saved
    assert not ContactChannel.objects.filter(pk=channel.pk).exists()


def test_a_work_saved_through_the_action_shows_in_the_cached_banner_at_once(
    production_caches, settings
):
    settings.MAINTENANCE_BANNER_CACHE_SECONDS = 600
    now = timezone.now()
    assert technical_works_banner(dismissed=[], now=now) == []  # "nothing" is now cached
    work = work_actions.technical_work_save(
        work=TechnicalWork(
            title="Обновление",
            description="Вход недоступен.",
            starts_at=now - datetime.timedelta(minutes=5),
            ends_at=now + datetime.timedelta(hours=1),
            started_work="Черновики сохранятся.",
            is_published=True,
        )
    )
    assert [w.pk for w in technical_works_banner(dismissed=[], now=now)] == [work.pk]
    work_actions.technical_work_delete(work=work)
    assert technical_works_banner(dismissed=[], now=now) == []


def test_a_write_made_elsewhere_is_announced_the_same_way(production_caches, settings):
    settings.MAINTENANCE_BANNER_CACHE_SECONDS = 600
    now = timezone.now()
    assert technical_works_banner(dismissed=[], now=now) == []
    TechnicalWork.objects.create(  # a bulk load, outside the actions
        title="Обновление",
        description="-",
        starts_at=now - datetime.timedelta(minutes=5),
        ends_at=now + datetime.timedelta(hours=1),
        is_published=True,
    )
    assert technical_works_banner(dismissed=[], now=now) == []  # still the cached answer
    work_actions.technical_works_changed()
    assert len(technical_works_banner(dismissed=[], now=now)) == 1
