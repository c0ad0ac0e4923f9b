"""allauth's adapter with the portal's wording."""

from allauth.account.adapter import DefaultAccountAdapter
from django.utils.translation import gettext_lazy as _

from portal.accounts.signup import EMAIL_TAKEN

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
