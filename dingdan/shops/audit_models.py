"""The audit log: one row per change to anything that is not an order (orders keep their
own timeline). Rows are appended in the same transaction as the change and never edited
or deleted."""

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dingdan.shops.actors import ActorKind


class ImmutableRecord(Exception):
    """An attempt to change or remove an audit record."""


class AuditQuerySet(models.QuerySet):
    # Deleting a shop or a user still works: Django's cascade goes through the base
    # manager, which is a plain one, not through these.
    def update(self, **kwargs):
        raise ImmutableRecord("audit records are never changed")

    def delete(self):
        raise ImmutableRecord("audit records are never deleted")


class AuditRecord(models.Model):
    shop = models.ForeignKey("shops.Shop", on_delete=models.CASCADE, related_name="+")
    actor_kind = models.CharField(max_length=16, choices=[(k.value, k.value) for k in ActorKind])
    actor_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_token = models.ForeignKey(
        "shops.ApiToken", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Kept as it was at the time: the account or token may be renamed or gone later.
    actor_label = models.CharField(max_length=150)
    object_type = models.CharField(max_length=32)
    object_id = models.CharField(max_length=64)
    object_label = models.CharField(max_length=200, blank=True)
    action = models.CharField(max_length=32)
    # field -> {"before": ..., "after": ...}
    changes = models.JSONField(default=dict, blank=True, encoder=DjangoJSONEncoder)
    created_at = models.DateTimeField(default=timezone.now)
    request_id = models.CharField(max_length=64, blank=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit record")
        verbose_name_plural = _("audit records")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["shop", "-created_at"], name="audit_shop_recent"),
            models.Index(fields=["shop", "object_type", "object_id"], name="audit_shop_object"),
        ]

    def __str__(self) -> str:
        return f"{self.actor_label} {self.action} {self.object_type}:{self.object_id}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise ImmutableRecord("audit records are never changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableRecord("audit records are never deleted")
