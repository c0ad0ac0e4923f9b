"""allauth's adapter with the portal's wording."""

from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from portal.accounts.signup import EMAIL_TAKEN
from portal.actions import visitor_joins_account
from portal.http import client_ip
from portal.visitors import request_visitor

# One answer whichever way the login was written: it tells nobody which part was wrong.
LOGIN_MISMATCH = _(
    "Неверное имя пользователя, e-mail, телефон или пароль. "
    "Проверьте раскладку клавиатуры и Caps Lock."
)


class AccountAdapter(DefaultAccountAdapter):
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "email_taken": EMAIL_TAKEN,
        "email_password_mismatch": LOGIN_MISMATCH,
        "username_password_mismatch": LOGIN_MISMATCH,
        "phone_password_mismatch": LOGIN_MISMATCH,
    }

    def login(self, request: HttpRequest, user) -> None:
        """Every way in (password, code, sign-up) passes here: what the visitor started in
        this browser (a chat) joins the account. The key is read before Django renews the
        session, which changes it."""
        visitor = request_visitor(request, start_session=False)
        super().login(request, user)
        visitor_joins_account(visitor=visitor, user=user)

    def get_client_ip(self, request: HttpRequest) -> str:
        """allauth's rate limits (sign-up, password reset…) key on the same client address
        as every other limit and the lockout: behind TRUSTED_PROXIES the forwarded client,
        never the balancer (which would put the whole country in one bucket)."""
        return client_ip(request)
