"""The money ledger of an order: payments in, refunds out.

Rows are appended, never edited or deleted; a mistake is corrected by a new entry (a
refund, or a failed attempt next to the real payment). The one change a row sees is a
pending refund settling once, to succeeded or failed. The order's `paid_cents`,
`refunded_cents` and `payment_status` are sums of these rows, kept in step in the same
transaction (services/ledger.py, docs/payments.md)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dingdan.orders.models import Order
from dingdan.shops.models import Shop


class Method(models.TextChoices):
    WECHAT_PAY = "wechat_pay", _("WeChat Pay")
    ALIPAY = "alipay", _("Alipay")
    BANK_TRANSFER = "bank_transfer", _("Bank transfer")
    CASH = "cash", _("Cash")
    CASH_ON_DELIVERY = "cash_on_delivery", _("Cash on delivery")
    OTHER = "other", _("Other")


class RecordedVia(models.TextChoices):
    """Who put the entry in the ledger: a person, an API client, the customer (their report,
    confirmed by staff), the system, or a payment provider's notification."""

    STAFF = "staff", _("Staff")
    API = "api", _("API")
    CUSTOMER = "customer", _("Customer")
    SYSTEM = "system", _("System")
    RULE = "rule", _("Automation rule")
    PROVIDER = "provider", _("Payment provider")


class PaymentResult(models.TextChoices):
    SUCCEEDED = "succeeded", _("Succeeded")
    FAILED = "failed", _("Failed")


class RefundStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SUCCEEDED = "succeeded", _("Succeeded")
    FAILED = "failed", _("Failed")


class AppendOnly(models.Model):
    """A ledger row: saved once. (Settling a pending refund is a conditional UPDATE in
    services/refunds.py, never a second save.)"""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise RuntimeError(f"{type(self).__name__} rows are never changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise RuntimeError(f"{type(self).__name__} rows are never deleted")


class Payment(AppendOnly):
    """Money the customer paid (or tried to pay: a failed attempt is kept with its reason
    and counts for nothing)."""

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="+")
    order = models.ForeignKey(Order, on_delete=models.RESTRICT, related_name="payments")
    method = models.CharField(max_length=24, choices=Method.choices)
    amount_cents = models.BigIntegerField()
    status = models.CharField(max_length=16, choices=PaymentResult.choices,
                              default=PaymentResult.SUCCEEDED)
    failure_reason = models.CharField(max_length=200, blank=True)
    reference = models.CharField(max_length=100, blank=True)
    paid_at = models.DateTimeField()
    # More than was due when it was recorded, and accepted as such (docs/payments.md).
    is_overpayment = models.BooleanField(default=False)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    recorded_via = models.CharField(max_length=16, choices=RecordedVia.choices)
    recorded_label = models.CharField(max_length=150, blank=True)
    # A screenshot of the transfer; private, served only to staff of the shop.
    proof = models.FileField(upload_to="payments/proofs/%Y/%m/", blank=True)
    # The provider's id of the transaction ("" for money recorded by hand): one payment each.
    provider_transaction_id = models.CharField(max_length=64, blank=True)
    # The provider's payment it came through: a refund of it names that payment's reference.
    attempt = models.ForeignKey("PaymentAttempt", null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount_cents__gt=0),
                                   name="payment_amount_positive"),
            models.CheckConstraint(condition=Q(method__in=Method.values), name="payment_method"),
            models.CheckConstraint(condition=Q(status__in=PaymentResult.values),
                                   name="payment_status"),
            models.CheckConstraint(condition=Q(recorded_via__in=RecordedVia.values),
                                   name="payment_recorded_via"),
            models.UniqueConstraint(
                fields=["shop", "provider_transaction_id"],
                condition=~Q(provider_transaction_id=""),
                name="payment_provider_transaction_once",
            ),
        ]
        indexes = [
            models.Index(fields=["order", "status"], name="payment_by_order"),
            models.Index(fields=["shop", "-paid_at"], name="payment_by_day"),
        ]

    def __str__(self) -> str:
        return f"{self.method} {self.amount_cents} ({self.status})"


class Refund(AppendOnly):
    """Money given back. A manual refund (a transfer back, cash) is recorded as succeeded;
    one a provider carries out waits as pending until the provider answers. A pending or
    succeeded refund counts against what may still be refunded."""

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="+")
    order = models.ForeignKey(Order, on_delete=models.RESTRICT, related_name="refunds")
    number = models.CharField(max_length=24)
    payment = models.ForeignKey(Payment, null=True, blank=True, on_delete=models.RESTRICT,
                                related_name="refunds")
    amount_cents = models.BigIntegerField()
    reason = models.CharField(max_length=500)
    method = models.CharField(max_length=24, choices=Method.choices)
    reference = models.CharField(max_length=100, blank=True)
    status = models.CharField(max_length=16, choices=RefundStatus.choices,
                              default=RefundStatus.SUCCEEDED)
    failure_reason = models.CharField(max_length=200, blank=True)
    settled_at = models.DateTimeField(null=True, blank=True)
    provider_refund_id = models.CharField(max_length=64, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    recorded_via = models.CharField(max_length=16, choices=RecordedVia.choices)
    recorded_label = models.CharField(max_length=150, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount_cents__gt=0),
                                   name="refund_amount_positive"),
            models.CheckConstraint(condition=Q(method__in=Method.values), name="refund_method"),
            models.CheckConstraint(condition=Q(status__in=RefundStatus.values),
                                   name="refund_status"),
            models.CheckConstraint(condition=Q(recorded_via__in=RecordedVia.values),
                                   name="refund_recorded_via"),
            models.UniqueConstraint(fields=["shop", "number"], name="refund_number_unique"),
            models.UniqueConstraint(
                fields=["shop", "provider_refund_id"],
                condition=~Q(provider_refund_id=""),
                name="refund_provider_id_once",
            ),
        ]
        indexes = [
            models.Index(fields=["order", "status"], name="refund_by_order"),
            models.Index(fields=["shop", "-created_at"], name="refund_by_day"),
        ]

    def __str__(self) -> str:
        return self.number


class RefundCounter(models.Model):
    """The last refund serial a shop used (refund numbers R000001, R000002 …)."""

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="+")
    value = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["shop"], name="refund_counter_per_shop")]

    def __str__(self) -> str:
        return str(self.value)


class WeChatPayAccount(models.Model):
    """A shop's WeChat Pay merchant account: the provider's `config_to_stored` JSON, the
    private key and the APIv3 key encrypted in it (dingdan/secret_box.py). Kept here rather
    than in the shop's settings JSON, which every settings page and API answer shows."""

    shop = models.OneToOneField(Shop, on_delete=models.CASCADE, related_name="+")
    stored = models.JSONField()
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return self.stored.get("mchid", "")


class PaymentAttempt(models.Model):
    """One payment opened at a provider for an order, under its own `out_trade_no` (WeChat
    Pay ties the reference to one amount, so every attempt has a fresh one)."""

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="+")
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="payment_attempts")
    provider = models.CharField(max_length=24)
    kind = models.CharField(max_length=16)
    out_trade_no = models.CharField(max_length=32)
    amount_cents = models.BigIntegerField()
    # Native: the QR code's content, shown again while it is valid (WeChat Pay: 2 hours).
    code_url = models.CharField(max_length=256, blank=True, default="")
    expires_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount_cents__gt=0),
                                   name="payment_attempt_amount_positive"),
            models.UniqueConstraint(fields=["shop", "out_trade_no"],
                                    name="payment_attempt_reference_unique"),
        ]

    def __str__(self) -> str:
        return self.out_trade_no


class ReportStatus(models.TextChoices):
    REPORTED = "reported", _("Waiting for the shop")
    CONFIRMED = "confirmed", _("Confirmed")
    REJECTED = "rejected", _("Rejected")


def _screenshot_path(report, file_name: str) -> str:
    # A random name: the file is never served by its path, only through the staff view.
    import secrets
    from pathlib import Path

    suffix = Path(file_name).suffix.lower()[:5]
    return f"payments/reported/{secrets.token_urlsafe(24)}{suffix}"


class ReportedPayment(models.Model):
    """The customer says they paid ("I have paid" on the order link). Not money yet: staff
    confirm it (which records a `Payment`) or reject it with a reason."""

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="+")
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="reported_payments")
    method = models.CharField(max_length=20, choices=Method.choices)
    amount_cents = models.BigIntegerField()
    reference = models.CharField(max_length=100, blank=True)
    screenshot = models.FileField(upload_to=_screenshot_path, blank=True)
    status = models.CharField(max_length=12, choices=ReportStatus.choices,
                              default=ReportStatus.REPORTED)
    reason = models.CharField(max_length=300, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    payment = models.ForeignKey(Payment, null=True, blank=True, on_delete=models.PROTECT,
                                related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount_cents__gt=0),
                                   name="reported_payment_amount_positive"),
            models.CheckConstraint(condition=Q(status__in=["reported", "confirmed", "rejected"]),
                                   name="reported_payment_known_status"),
            # One open report per order: a second one replaces it (services/reported.py).
            models.UniqueConstraint(fields=["order"], condition=Q(status="reported"),
                                    name="one_open_reported_payment"),
        ]

    def __str__(self) -> str:
        return f"reported {self.amount_cents} ({self.status})"


def _qr_path(qr, file_name: str) -> str:
    import secrets
    from pathlib import Path

    return f"payments/qr/{secrets.token_urlsafe(24)}{Path(file_name).suffix.lower()[:5]}"


class PaymentQrCode(models.Model):
    """A QR image the shop is paid through (its WeChat or Alipay collection code), shown to
    customers on the order link while money is due."""

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="+")
    label = models.CharField(max_length=40)
    image = models.FileField(upload_to=_qr_path)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.label
