"""Alerts for the merchant: low stock, a backorder that can now be filled, and more to come."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dingdan.shops.models import Shop


class AlertKind(models.TextChoices):
    LOW_STOCK = "low_stock", _("Low stock")
    BACKORDER_FILLED = "backorder_filled", _("Backorder can be filled")
    CAMPAIGN_CLOSED = "campaign_closed", _("Group buy closed")
    PAID_AFTER_CANCEL = "paid_after_cancel", _("Payment on a cancelled order")
    PAYMENT_MISMATCH = "payment_mismatch", _("Payment does not match")
    REFUND_FAILED = "refund_failed", _("Refund failed")
    REFUND_STUCK = "refund_stuck", _("Refund not settled")


class Alert(models.Model):
    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="alerts")
    kind = models.CharField(max_length=32, choices=AlertKind.choices)
    # What the alert is about, e.g. "variant:12"; one unread alert per kind and subject.
    subject = models.CharField(max_length=64)
    data = models.JSONField(default=dict)
    # The member of staff it is for; None: everyone in the shop.
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")
        ordering = ["-created_at", "-id"]
        # One unread alert per kind and subject, for the shop or for each recipient (two
        # constraints: NULL recipients are all distinct inside one unique key).
        constraints = [
            models.UniqueConstraint(
                fields=["shop", "kind", "subject"],
                condition=Q(read_at__isnull=True, recipient__isnull=True),
                name="alert_one_unread_per_subject",
            ),
            models.UniqueConstraint(
                fields=["shop", "kind", "subject", "recipient"],
                condition=Q(read_at__isnull=True, recipient__isnull=False),
                name="alert_one_unread_per_recipient",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.subject}"
