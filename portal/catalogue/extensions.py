"""Links other packages add to a service page, without portal importing them.

`portal` sits below `faq` and `support`, so it cannot ask them for related
articles. Instead they register a provider here from their AppConfig.ready()
(see faq/apps.py); the service page shows whatever the providers return.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from portal.catalogue.models import Service


@dataclass(frozen=True)
class RelatedLink:
    title: str
    url: str
    lang: str = ""  # the title's language when it is not the page's (an untranslated title)


RelatedLinksProvider = Callable[["Service"], Sequence[RelatedLink]]

_providers: list[RelatedLinksProvider] = []


def related_links_register(provider: RelatedLinksProvider) -> RelatedLinksProvider:
    """Add a provider once (ready() may run twice in tests); usable as a decorator."""
    if provider not in _providers:
        _providers.append(provider)
    return provider


def related_links_unregister(provider: RelatedLinksProvider) -> None:
    if provider in _providers:
        _providers.remove(provider)


def related_links_for(*, service: "Service", limit: int = 5) -> list[RelatedLink]:
    """Links from every provider, duplicates (same URL) dropped, at most `limit`."""
    links: list[RelatedLink] = []
    seen: set[str] = set()
    for provider in _providers:
        for link in provider(service):
            if link.url not in seen:
                seen.add(link.url)
                links.append(link)
    return links[:limit]
