"""Stock per variant, the ledger of every movement, backorders and service time slots.

Invariants, kept by the database itself: on_hand ≥ reserved ≥ 0, so stock is never
oversold; and the ledger's deltas always sum to the levels (`dingdan inventory verify`)."""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from dingdan.catalog.models import Variant
from dingdan.shops.models import Shop


class StockLevel(models.Model):
    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="+")
    variant = models.OneToOneField(Variant, on_delete=models.CASCADE, related_name="stock")
    on_hand = models.BigIntegerField(_("on hand"), default=0)
    reserved = models.BigIntegerField(_("reserved"), default=0)
    low_stock_threshold = models.PositiveIntegerField(
        _("low-stock threshold"), null=True, blank=True
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("stock level")
        verbose_name_plural = _("stock levels")
        constraints = [
            models.UniqueConstraint(
                fields=["shop", "variant"], name="stock_level_one_per_variant"
            ),
            models.CheckConstraint(
                condition=Q(reserved__gte=0), name="stock_reserved_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(on_hand__gte=F("reserved")), name="stock_never_oversold"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.variant_id}: {self.on_hand} on hand, {self.reserved} reserved"

    @property
    def available(self) -> int:
        return self.on_hand - self.reserved

    @property
    def is_low(self) -> bool:
        return self.low_stock_threshold is not None and self.available <= self.low_stock_threshold


class MovementKind(models.TextChoices):
    RECEIVE = "receive", _("Received")
    ADJUST = "adjust", _("Adjusted")
    COUNT = "count", _("Stock count")
    RESERVE = "reserve", _("Reserved")
    RELEASE = "release", _("Released")
    SHIP = "ship", _("Shipped")
    UNSHIP = "unship", _("Shipment cancelled")
    RETURN = "return", _("Returned to stock")
    WRITE_OFF = "write_off", _("Written off")


class StockMovement(models.Model):
    """One row per change of a level; never edited or deleted."""

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="+")
    variant = models.ForeignKey(Variant, on_delete=models.CASCADE, related_name="movements")
    kind = models.CharField(max_length=16, choices=MovementKind.choices)
    on_hand_delta = models.BigIntegerField(default=0)
    reserved_delta = models.BigIntegerField(default=0)
    reason = models.CharField(max_length=200, blank=True)
    note = models.CharField(max_length=500, blank=True)
    actor_kind = models.CharField(max_length=16)
    actor_label = models.CharField(max_length=150, blank=True)
    # What the movement was for: ("order", "123"), ("shipment", "9"), ("case", "4") …
    reference_type = models.CharField(max_length=20, blank=True)
    reference_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("stock movement")
        verbose_name_plural = _("stock movements")
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["shop", "variant", "id"], name="movement_by_variant"),
            models.Index(
                fields=["shop", "reference_type", "reference_id"], name="movement_by_reference"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=MovementKind.values), name="movement_kind_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.on_hand_delta:+}/{self.reserved_delta:+} ({self.variant_id})"


class Backorder(models.Model):
    """Quantity an order is waiting for. Served by priority, then age, when stock arrives."""

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="+")
    variant = models.ForeignKey(Variant, on_delete=models.CASCADE, related_name="backorders")
    quantity = models.PositiveIntegerField(_("still waiting"))
    requested = models.PositiveIntegerField(_("requested"))
    priority = models.SmallIntegerField(default=0)
    reference_type = models.CharField(max_length=20)
    reference_id = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    filled_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("backorder")
        verbose_name_plural = _("backorders")
        ordering = ["-priority", "created_at", "id"]
        indexes = [
            models.Index(
                fields=["shop", "variant", "-priority", "created_at"],
                condition=Q(filled_at__isnull=True, cancelled_at__isnull=True),
                name="backorder_queue",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__lte=F("requested")), name="backorder_within_request"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} waiting for {self.reference_type} {self.reference_id}"

    @property
    def is_waiting(self) -> bool:
        return self.filled_at is None and self.cancelled_at is None


class ServiceSlot(models.Model):
    """Bookings of one service in one time slot, capped at the product's capacity."""

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="+")
    variant = models.ForeignKey(Variant, on_delete=models.CASCADE, related_name="slots")
    starts_at = models.DateTimeField()
    capacity = models.PositiveIntegerField()
    booked = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("service slot")
        verbose_name_plural = _("service slots")
        ordering = ["starts_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["shop", "variant", "starts_at"], name="service_slot_unique"
            ),
            models.CheckConstraint(
                condition=Q(booked__lte=F("capacity")), name="slot_not_overbooked"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.starts_at:%Y-%m-%d %H:%M} {self.booked}/{self.capacity}"
