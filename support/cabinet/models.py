from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.models import account_link


class TrackerSeen(models.Model):
    """When a citizen last opened one item of «Мои заявки» (any kind: the registry's key and
    the item's primary key). A finished item changed since is kept among the active ones,
    marked as new, until it is seen."""

    user = account_link(_("гражданин"), related_name="+", on_delete=models.CASCADE, optional=False)
    kind = models.CharField(_("вид"), max_length=32)
    object_pk = models.PositiveBigIntegerField(_("номер записи"))
    seen_at = models.DateTimeField(_("просмотрено"), default=timezone.now)

    class Meta:
        verbose_name = _("просмотр заявки")
        verbose_name_plural = _("просмотры заявок")
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_pk", "user"], name="cabinet_seen_once")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_pk}: {self.seen_at:%Y-%m-%d %H:%M}"
