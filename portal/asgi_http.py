"""Django's HTTP handler for daphne: the middleware chain and the view in one thread hop,
on a pool of threads that keep their database connections.

Every view of the portal is synchronous. Django's ASGI handler loads the middleware chain in
async mode, where each `MiddlewareMixin` hook (session, locale, CSRF, auth, messages, CSP …)
is called through its own `sync_to_async`: about forty thread hops per request, each copying
the request's context back and forth. And its thread-sensitive calls run in a new thread for
every request, so each request opens a new database connection (Django's documentation: under
ASGI persistent connections do not persist). Here the chain is loaded in sync mode and run, as
under WSGI, in one call on the event loop's worker threads, which live on and keep their
connections (CONN_MAX_AGE); the connections are checked before and after each request in the
thread that uses them, as Django's request signals would under WSGI. Measured on the FAQ
search page through daphne: 37.6 ms of CPU per request before; today's figures: bench/README.md.
"""

from asgiref.sync import sync_to_async
from django.core.handlers.asgi import ASGIHandler
from django.core.handlers.base import BaseHandler
from django.db import close_old_connections
from django.http import HttpRequest, HttpResponseBase


class SyncChainASGIHandler(ASGIHandler):
    def __init__(self) -> None:
        BaseHandler.__init__(self)
        self.load_middleware(is_async=False)

    async def get_response_async(self, request: HttpRequest) -> HttpResponseBase:
        return await sync_to_async(self._respond, thread_sensitive=False)(request)

    def _respond(self, request: HttpRequest) -> HttpResponseBase:
        # Drop a connection past its age or broken (CONN_HEALTH_CHECKS) before the view
        # uses it, and after: the request signals that do this run in another thread here.
        close_old_connections()
        try:
            return self.get_response(request)
        finally:
            close_old_connections()
