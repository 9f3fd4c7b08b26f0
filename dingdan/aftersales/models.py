"""After-sales cases (售后): what a customer asks for once goods have been handed over —
money back without a return, a return for money, an exchange, or compensation — and
every step the case took.

A case names order lines and units; the units claimed by the cases still standing (not
rejected or cancelled) never exceed what was shipped or handed over of each line. Steps
are appended as `CaseEvent` rows and never changed; the case's own fields say where it
is now."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dingdan.orders.models import Order, OrderLine
from dingdan.shops.models import Shop


class CaseType(models.TextChoices):
    REFUND_ONLY = "refund_only", _("Refund only")
    RETURN_REFUND = "return_refund", _("Return and refund")
    EXCHANGE = "exchange", _("Exchange")
    COMPENSATION = "compensation", _("Compensation")


class CaseReason(models.TextChoices):
    DAMAGED = "damaged", _("Damaged")
    WRONG_ITEM = "wrong_item", _("Wrong item")
    MISSING_ITEM = "missing_item", _("Missing item")
    QUALITY = "quality", _("Quality problem")
    NOT_AS_DESCRIBED = "not_as_described", _("Not as described")
    LATE = "late", _("Arrived late")
    CHANGED_MIND = "changed_mind", _("Changed my mind")
    OTHER = "other", _("Other")


class CaseStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    AWAITING_RETURN = "awaiting_return", _("Awaiting return")
    RECEIVED = "received", _("Received")
    REFUNDED = "refunded", _("Refunded")
    EXCHANGED = "exchanged", _("Exchanged")
    RESENT = "resent", _("Resent")
    CLOSED = "closed", _("Closed")
    CANCELLED = "cancelled", _("Cancelled")


# A case in one of these no longer holds its units: they may be claimed again.
RELEASED = frozenset({CaseStatus.REJECTED, CaseStatus.CANCELLED})
# A case in one of these is settled: the order no longer shows 售后中 for it.
FINISHED = frozenset({CaseStatus.REJECTED, CaseStatus.CANCELLED, CaseStatus.CLOSED})


class Case(models.Model):
    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="+")
    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="aftersales")
    # <order number>-S<n>: the n-th case of the order.
    number = models.CharField(max_length=48)
    type = models.CharField(max_length=16, choices=CaseType.choices)
    status = models.CharField(max_length=16, choices=CaseStatus.choices,
                              default=CaseStatus.REQUESTED)
    reason = models.CharField(max_length=20, choices=CaseReason.choices)
    description = models.CharField(max_length=1000, blank=True)
    # What the requester asked for, and what the shop approved (None: not decided yet).
    requested_cents = models.BigIntegerField(default=0)
    approved_cents = models.BigIntegerField(null=True, blank=True)
    refund_shipping = models.BooleanField(default=False)
    rejection_reason = models.CharField(max_length=500, blank=True)
    return_carrier = models.CharField(max_length=32, blank=True)
    return_tracking_number = models.CharField(max_length=40, blank=True)
    opened_by_kind = models.CharField(max_length=16)
    opened_label = models.CharField(max_length=150, blank=True)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")
    answer_due_at = models.DateTimeField(null=True, blank=True)
    return_due_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["shop", "number"], name="case_number_unique"),
            models.CheckConstraint(condition=Q(type__in=CaseType.values), name="case_type"),
            models.CheckConstraint(condition=Q(status__in=CaseStatus.values),
                                   name="case_status"),
            models.CheckConstraint(condition=Q(reason__in=CaseReason.values),
                                   name="case_reason"),
            models.CheckConstraint(condition=Q(requested_cents__gte=0),
                                   name="case_requested_not_negative"),
            models.CheckConstraint(condition=Q(approved_cents__isnull=True)
                                   | Q(approved_cents__gte=0),
                                   name="case_approved_not_negative"),
        ]
        indexes = [
            models.Index(fields=["shop", "status", "-created_at"], name="case_by_status"),
            models.Index(fields=["shop", "answer_due_at"], name="case_by_answer_due"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_open(self) -> bool:
        return self.status not in FINISHED


class CaseLine(models.Model):
    """Units of one order line the case is about; SKU and name kept, as on a shipment."""

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="+")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="lines")
    order_line = models.ForeignKey(OrderLine, null=True, on_delete=models.SET_NULL,
                                   related_name="+")
    sku = models.CharField(max_length=64)
    name = models.CharField(max_length=160)
    quantity = models.PositiveIntegerField()
    # After inspection of a return: how many can be sold again, how many are written off.
    resellable = models.PositiveIntegerField(null=True, blank=True)
    damaged = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="case_line_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.name}"


class CaseEvent(models.Model):
    """One step of a case, with who took it; appended in the step's transaction."""

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="+")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=24)
    before = models.CharField(max_length=16, blank=True)
    after = models.CharField(max_length=16, blank=True)
    actor_kind = models.CharField(max_length=16)
    actor_label = models.CharField(max_length=150, blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="+")
    data = models.JSONField(default=dict, blank=True)
    note = models.CharField(max_length=500, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.kind}"
