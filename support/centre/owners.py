"""Whose a chat or a call-back is: an account's, or a visitor's browser session's.

A signed-in citizen's item has `user`; a visitor's has none and belongs to the browser
session through `visitor` (`portal.visitors.visitor_key`) until they sign in and it joins
their account (`owner_take_over`, called from the sign-in path)."""

from django.contrib.auth.models import AnonymousUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.models import User


class AccountOrVisitor(models.Model):
    """The owner's fields. The kind declares `user` itself (`portal.models.account_link`,
    with its own related name); this adds the visitor's key and the rule that one of the
    two is there."""

    # The session's key hashed, never the session key itself; "" once an account has it.
    visitor = models.CharField(_("посетитель"), max_length=41, blank=True, db_index=True)

    class Meta:
        abstract = True
        constraints = [
            # Every item has its owner: an account or a browser session.
            models.CheckConstraint(
                condition=Q(user__isnull=False) | ~Q(visitor=""), name="%(app_label)s_has_owner"
            ),
        ]


def owner_q(*, user: User | AnonymousUser | None, visitor: str) -> Q | None:
    """This person's items, as a filter (None: nothing is theirs)."""
    if user is not None and user.is_authenticated:
        return Q(user=user)
    if visitor:
        return Q(user__isnull=True, visitor=visitor)
    return None


def owner_is(*, user: User | AnonymousUser | None, visitor: str, item: AccountOrVisitor) -> bool:
    """The same rule for one item: an account's is its account's only; a visitor's is the
    browser session's that started it, until it joins an account."""
    if item.user_id is not None:
        return user is not None and user.is_authenticated and item.user_id == user.pk
    return bool(visitor) and item.visitor == visitor


def owner_take_over(model: type[AccountOrVisitor], *, visitor: str, user: User) -> int:
    """Sign-in: the session's items of this kind join the account. Returns how many."""
    if not visitor or not user.is_authenticated:
        return 0
    return model.objects.filter(user__isnull=True, visitor=visitor).update(user=user, visitor="")
