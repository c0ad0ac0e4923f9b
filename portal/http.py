"""HTTP helpers every package may use: the htmx request type, the client's address, and
turning a selector's None into a 404, a view of one item."""

import ipaddress
from collections.abc import Callable, Mapping
from functools import lru_cache, wraps
from typing import TypeVar

from django.conf import settings
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django_htmx.middleware import HtmxDetails

T = TypeVar("T")
K = TypeVar("K")
V = TypeVar("V")

# What a request without a usable peer address is keyed on: one shared bucket, so the
# limits still hold (they fail closed rather than open).
UNKNOWN_CLIENT = "0.0.0.0"

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


class HtmxHttpRequest(HttpRequest):
    """A request that went through django-htmx's middleware (for type checkers)."""

    htmx: HtmxDetails


def found_or_404(value: T | None) -> T:
    """What a selector found, or a 404 when it found nothing (selectors return None)."""
    if value is None:
        raise Http404
    return value


def item_view(find: Callable[[HttpRequest, str], object], *, key: str = "number"):
    """A view of one person's item: `find(request, <the URL's key>)` gives the item, or the
    response to give instead (the sign-in page, say), or raises Http404; the view is called
    with the item in the key's place: `view(request, item, **the URL's other arguments)`.
    What it answers is that person's: never kept by a cache, nor the browser's back button."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @never_cache
        @wraps(view)
        def found(request: HttpRequest, **kwargs) -> HttpResponse:
            item = find(request, kwargs.pop(key))
            if isinstance(item, HttpResponse):
                return item
            return view(request, item, **kwargs)

        return found

    return decorator


def step_or_404(table: Mapping[K, V], action: str) -> tuple[K, V]:
    """The step a URL names (`action`) and its row in a view's table of steps; a step the
    table does not have is a 404, like a wrong address."""
    for step, row in table.items():
        if step == action:
            return step, row
    raise Http404


def private_download(file, *, filename: str, content_type: str) -> FileResponse:
    """A person's file (an attachment, a transcript): saved, never shown in the browser,
    never sniffed into another type, never kept by a shared cache."""
    response = FileResponse(file, as_attachment=True, filename=filename, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


V = TypeVar("V", bound=Callable)


def csrf_failure_page(page: Callable[[HttpRequest], HttpResponse]) -> Callable[[V], V]:
    """Name the page a POST to this view gets when it fails the CSRF check (a lost session).

    `page` shows the view's own form again with what was sent, acting on nothing; see
    `portal.views.csrf_failure`. Put it outermost, above the other decorators.
    """

    def decorate(view: V) -> V:
        view.csrf_failure_page = page  # type: ignore[attr-defined]
        return view

    return decorate


@lru_cache(maxsize=8)
def _networks(proxies: tuple[str, ...]) -> tuple[IPNetwork, ...]:
    return tuple(ipaddress.ip_network(proxy, strict=False) for proxy in proxies)


def _parse(value: str) -> IPAddress | None:
    """An address from REMOTE_ADDR or one X-Forwarded-For entry ("[::1]:80", "1.2.3.4:5")."""
    value = value.strip()
    if value.startswith("["):  # [IPv6]:port
        value = value[1:].partition("]")[0]
    elif value.count(":") == 1:  # IPv4:port
        value = value.partition(":")[0]
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return address.ipv4_mapped
    return address


def client_ip(request: HttpRequest) -> str:
    """The address of the client that sent this request, as the rate limits and the
    sign-in lockout see it.

    X-Forwarded-For is believed only when the peer (REMOTE_ADDR) is one of
    settings.TRUSTED_PROXIES: then the rightmost entry that is not a trusted proxy is the
    client (entries further left were written by the client itself and can be forged).
    Anyone else's X-Forwarded-For is ignored.
    """
    return _client(
        request.META.get("REMOTE_ADDR") or "", request.META.get("HTTP_X_FORWARDED_FOR", "")
    )


def scope_client_ip(scope: dict) -> str:
    """The same for an ASGI connection (a WebSocket's scope): its peer and its
    X-Forwarded-For header, believed exactly as `client_ip` believes them."""
    client = scope.get("client") or ("", 0)
    forwarded = ",".join(
        value.decode("latin-1")
        for name, value in scope.get("headers") or []
        if name.lower() == b"x-forwarded-for"
    )
    return _client(str(client[0] or ""), forwarded)


def _client(remote_addr: str, forwarded: str) -> str:
    trusted = _networks(tuple(settings.TRUSTED_PROXIES))
    peer = _parse(remote_addr)
    if peer is None:
        return UNKNOWN_CLIENT

    def is_trusted(address: IPAddress) -> bool:
        return any(address in network for network in trusted)

    if not is_trusted(peer):
        return str(peer)
    client = peer
    hops = forwarded.split(",")
    for hop in reversed(hops):
        address = _parse(hop)
        if address is None:
            # A garbled entry cannot be attributed to anyone: stop at the last proxy
            # that was trusted rather than let the client choose its own key.
            break
        client = address
        if not is_trusted(address):
            break
    return str(client)
