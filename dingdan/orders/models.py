"""Orders, their lines and their timeline.

An order keeps a snapshot of what was sold and to whom (names, prices, address), so later
catalog or customer edits never rewrite history. Every change appends an OrderEvent."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dingdan.catalog.models import Variant
from dingdan.customers.models import Customer
from dingdan.orders import states
from dingdan.orders.states import CancelReason, FulfillmentStatus, PaymentStatus, Status
from dingdan.shops.models import Shop


class Channel(models.TextChoices):
    MANUAL = "manual", _("Back office")
    CHAT = "chat", _("Chat")
    MINI_SHOP = "mini_shop", _("Mini-shop")
    WEB = "web", _("Web shop")
    CHAIN = "chain", _("Group-buy chain")
    API = "api", _("API")
    IMPORT = "import", _("Import")


class DeliveryMethod(models.TextChoices):
    EXPRESS = "express", _("Express delivery")
    LOCAL = "local", _("Local delivery")
    PICKUP = "pickup", _("Self-pickup")
    SERVICE = "service", _("Service appointment")


class Priority(models.IntegerChoices):
    NORMAL = 0, _("Normal")
    HIGH = 1, _("High")
    URGENT = 2, _("Urgent")


def new_link_token() -> str:
    return secrets.token_urlsafe(18)


class Order(models.Model):
    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="orders")
    number = models.CharField(_("order number"), max_length=40)
    channel = models.CharField(max_length=16, choices=Channel.choices, default=Channel.MANUAL)
    status = models.CharField(max_length=24, choices=Status.choices)
    payment_status = models.CharField(
        max_length=24, choices=PaymentStatus.choices, default=PaymentStatus.UNPAID
    )
    fulfillment_status = models.CharField(
        max_length=24, choices=FulfillmentStatus.choices, default=FulfillmentStatus.UNFULFILLED
    )
    delivery_method = models.CharField(
        max_length=16, choices=DeliveryMethod.choices, default=DeliveryMethod.EXPRESS
    )
    priority = models.SmallIntegerField(choices=Priority.choices, default=Priority.NORMAL)
    version = models.PositiveIntegerField(default=1)

    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="orders")
    customer_name = models.CharField(max_length=100)
    customer_phone = models.CharField(max_length=20, blank=True)
    province = models.CharField(max_length=20, blank=True)
    city = models.CharField(max_length=30, blank=True)
    district = models.CharField(max_length=30, blank=True)
    address_detail = models.CharField(max_length=200, blank=True)

    subtotal_cents = models.BigIntegerField(default=0)
    discount_cents = models.BigIntegerField(default=0)
    shipping_cents = models.BigIntegerField(default=0)
    tax_cents = models.BigIntegerField(default=0)
    total_cents = models.BigIntegerField(default=0)
    # What the payments ledger says, kept in step in the same transaction as each entry:
    # succeeded payments, and succeeded refunds (docs/payments.md).
    paid_cents = models.BigIntegerField(default=0)
    refunded_cents = models.BigIntegerField(default=0, db_default=0)
    # 改价's discount on the whole order, kept apart from the lines' own discounts so an
    # edit that reprices the lines keeps it.
    order_discount_cents = models.BigIntegerField(default=0)
    cancel_reason = models.CharField(max_length=24, choices=CancelReason.choices, blank=True)
    cancel_note = models.CharField(max_length=500, blank=True)

    note = models.CharField(_("note from the customer"), max_length=500, blank=True)
    internal_note = models.TextField(_("internal note"), blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="assigned_orders",
    )
    needs_attention = models.BooleanField(default=False)
    # The secret in the customer's link to this order (/o/<link_token>).
    link_token = models.CharField(max_length=32, default=new_link_token, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["shop", "number"], name="order_number_unique"),
            models.UniqueConstraint(fields=["link_token"], name="order_link_token_unique"),
            models.CheckConstraint(condition=Q(status__in=Status.values), name="order_status"),
            models.CheckConstraint(condition=Q(total_cents__gte=0), name="order_total_positive"),
            models.CheckConstraint(condition=Q(order_discount_cents__gte=0),
                                   name="order_discount_positive"),
            models.CheckConstraint(condition=Q(paid_cents__gte=0), name="order_paid_positive"),
            models.CheckConstraint(
                condition=Q(refunded_cents__gte=0, refunded_cents__lte=models.F("paid_cents")),
                name="order_refunded_within_paid",
            ),
            models.CheckConstraint(condition=Q(payment_status__in=PaymentStatus.values),
                                   name="order_payment_status"),
        ]
        # One index per list filter, each in list order (newest first), so a page is read
        # straight off the index; with the id last, a page's ids come from the index alone.
        # Search has trigram indexes on PostgreSQL besides (migration 0006, orders/search.py).
        indexes = [
            models.Index(fields=["shop", "-created_at", "-id"], name="order_recent"),
            models.Index(fields=["shop", "status", "-created_at", "-id"],
                         name="order_by_status"),
            models.Index(fields=["shop", "customer_phone"], name="order_by_phone"),
            models.Index(fields=["shop", "customer", "-created_at"], name="order_by_customer"),
            models.Index(fields=["shop", "channel", "-created_at"], name="order_by_channel"),
            models.Index(fields=["shop", "assignee", "-created_at"], name="order_by_assignee"),
            models.Index(fields=["shop", "priority", "-created_at"], name="order_by_priority"),
            models.Index(fields=["shop", "payment_status", "-created_at"],
                         name="order_by_payment"),
            models.Index(fields=["shop", "-created_at"], condition=Q(needs_attention=True),
                         name="order_needing_attention"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def balance_due_cents(self) -> int:
        """What the customer still owes: the total less what they paid and did not get back;
        nothing once the order is cancelled."""
        return states.balance_due_cents(self)


class OrderLine(models.Model):
    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="+")
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    variant = models.ForeignKey(Variant, on_delete=models.PROTECT, related_name="+")
    sku = models.CharField(max_length=64)
    name = models.CharField(max_length=160)
    quantity = models.PositiveIntegerField()
    unit_price_cents = models.BigIntegerField()
    discount_cents = models.BigIntegerField(default=0)
    total_cents = models.BigIntegerField()
    starts_at = models.DateTimeField(null=True, blank=True)  # services: the booked slot

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="line_quantity_positive"),
        ]
        # Search by product: the lines that sold a variant, read from the index alone.
        indexes = [models.Index(fields=["variant", "order"], name="order_line_by_variant")]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.name}"


class OrderEvent(models.Model):
    """One entry of an order's timeline. Appended in the same transaction as the change it
    records; never edited or deleted."""

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="+")
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=32)
    actor_kind = models.CharField(max_length=16)
    actor_id = models.CharField(max_length=64, blank=True)
    actor_label = models.CharField(max_length=150, blank=True)
    data = models.JSONField(default=dict)
    note = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["order", "id"], name="event_timeline")]

    def __str__(self) -> str:
        return f"{self.kind} ({self.actor_kind})"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise RuntimeError("order events are never changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise RuntimeError("order events are never deleted")


class OrderCounter(models.Model):
    """The last daily serial used by a shop on one (shop-local) day."""

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    value = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["shop", "day"], name="order_counter_per_day"),
        ]

    def __str__(self) -> str:
        return f"{self.day}: {self.value}"


class OrderTag(models.Model):
    """A merchant's label on an order (团购, 加急, 老客户 …); lists filter by it."""

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="+")
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="tags")
    tag = models.CharField(max_length=30)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["order", "tag"], name="order_tag_once"),
        ]
        indexes = [models.Index(fields=["shop", "tag", "order"], name="order_tag_lookup")]

    def __str__(self) -> str:
        return self.tag


class OrderFlag(models.Model):
    """A reason an order needs a person to look at it (no phone, over the limit, …)."""

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="+")
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="flags")
    code = models.CharField(max_length=32)
    data = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.CharField(max_length=150, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["order", "code"], condition=Q(resolved_at__isnull=True),
                name="order_flag_open_once",
            ),
        ]
        indexes = [
            models.Index(fields=["shop", "code", "order"], condition=Q(resolved_at__isnull=True),
                         name="order_flag_open_by_code"),
        ]

    def __str__(self) -> str:
        return self.code


class FollowUp(models.Model):
    """A reminder to come back to an order at a given time (call the customer, chase
    payment …)."""

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="+")
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="follow_ups")
    due_at = models.DateTimeField()
    note = models.CharField(max_length=300)
    created_by = models.CharField(max_length=150, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_at", "id"]
        indexes = [
            models.Index(
                fields=["shop", "due_at"], condition=Q(done_at__isnull=True),
                name="follow_up_due",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.due_at:%Y-%m-%d %H:%M} {self.note}"


class OrderTemplate(models.Model):
    """常用模板: a saved set of lines (and delivery) to start an order from."""

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=60)
    lines = models.JSONField(default=list)  # [{"sku": "...", "quantity": n}]
    delivery_method = models.CharField(
        max_length=16, choices=DeliveryMethod.choices, default=DeliveryMethod.EXPRESS
    )
    note = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["shop", "name"], name="order_template_name_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class ChangeRequestStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for the shop")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class OrderChangeRequest(models.Model):
    """A change the customer asked for after the shop accepted the order. It waits for the
    merchant; approving applies it as an edit, declining leaves the order as it was."""

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="+")
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="change_requests")
    status = models.CharField(
        max_length=16, choices=ChangeRequestStatus.choices, default=ChangeRequestStatus.PENDING
    )
    lines = models.JSONField(null=True, blank=True)  # [{"sku", "quantity"}] or None
    address = models.CharField(max_length=200, blank=True)
    note = models.CharField(max_length=500, blank=True)
    customer_message = models.CharField(max_length=300, blank=True)
    base_version = models.PositiveIntegerField()
    decided_by = models.CharField(max_length=150, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["order"], condition=Q(status="pending"), name="change_request_one_open",
            ),
        ]
        indexes = [
            models.Index(fields=["shop", "status", "-created_at"], name="change_request_queue"),
        ]

    def __str__(self) -> str:
        return f"{self.order_id}: {self.status}"
