"""The Atom feed of technical works, for people and services that watch the portal."""

from django.contrib.syndication.views import Feed
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from support.maintenance.models import TechnicalWork
from support.maintenance.selectors import technical_works_feed


def moscow_time(moment) -> str:
    local = timezone.localtime(moment)
    return f"{date_format(local, 'j E Y')}, {local:%H:%M}"


class TechnicalWorksFeed(Feed):
    feed_type = Atom1Feed
    title = gettext_lazy("Технические работы — Помощь и поддержка")
    subtitle = gettext_lazy("Плановые и текущие работы на портале. Время московское.")
    link = reverse_lazy("support:status")

    def items(self) -> list[TechnicalWork]:
        return technical_works_feed()

    def item_title(self, item: TechnicalWork) -> str:
        return item.title

    def item_description(self, item: TechnicalWork) -> str:
        when = _("С %(start)s до %(end)s (время московское).") % {
            "start": moscow_time(item.starts_at),
            "end": moscow_time(item.ends_at),
        }
        return f"{when}\n\n{item.description}\n\n{item.started_work}"

    def item_link(self, item: TechnicalWork) -> str:
        return item.get_absolute_url()

    def item_guid(self, item: TechnicalWork) -> str:
        return f"technical-work-{item.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, item: TechnicalWork):
        return item.created_at

    def item_updateddate(self, item: TechnicalWork):
        return item.updated_at
