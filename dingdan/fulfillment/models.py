"""Shipments: which units of an order went out (or are set aside for pickup), how, with
which tracking number, and what happened to them on the way.

A shipment holds chosen order lines and quantities; stock moves from reserved to shipped
when it is made, and back when it is cancelled before it left. Its lines are never edited:
a wrong shipment is cancelled and made again. Tracking events are appended, never changed.
The order's `fulfillment_status` is derived from its shipments in the same transaction."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dingdan.orders.models import DeliveryMethod, Order, OrderLine
from dingdan.shops.models import Shop

# How a shipment goes: the order's own delivery methods.
Method = DeliveryMethod


class PickupPoint(models.Model):
    """A place customers collect their orders (自提点): a group-buy campaign offers some, and
    a pickup shipment waits at one. Its address, hours and phone are shown to the customer
    beside the pickup code."""

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("name"), max_length=60)
    address = models.CharField(_("address"), max_length=200, blank=True)
    # Other names customers write for it (东门, 小区门口): they pick this point.
    aliases = models.JSONField(_("aliases"), default=list, blank=True)
    opening_hours = models.CharField(_("opening hours"), max_length=100, blank=True)
    phone = models.CharField(_("contact phone"), max_length=20, blank=True)
    is_active = models.BooleanField(_("in use"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        # Moved here from chains with its rows: the table keeps its first name.
        db_table = "chains_pickuppoint"
        verbose_name = _("pickup point")
        verbose_name_plural = _("pickup points")
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["shop", "name"], name="pickup_point_name_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class PickupPointStaff(models.Model):
    """A staff member who works at a pickup point. Staff tied to points hand over only what
    waits at theirs; staff tied to none hand over anywhere."""

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="+")
    point = models.ForeignKey(PickupPoint, on_delete=models.CASCADE, related_name="staff")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["point", "user"], name="pickup_point_staff_once"),
        ]

    def __str__(self) -> str:
        return f"{self.point_id}: {self.user_id}"


class ShipmentStatus(models.TextChoices):
    """The values of `providers.base.ShipmentStatus`, with their labels."""

    PACKED = "packed", _("Packed")
    SHIPPED = "shipped", _("Shipped")
    IN_TRANSIT = "in_transit", _("In transit")
    OUT_FOR_DELIVERY = "out_for_delivery", _("Out for delivery")
    DELIVERED = "delivered", _("Delivered")
    EXCEPTION = "exception", _("Exception")
    RETURNED = "returned", _("Returned")
    CANCELLED = "cancelled", _("Cancelled")


# A shipment in one of these has not left the shop: cancelling it puts its units back.
NOT_LEFT = frozenset({ShipmentStatus.PACKED})
# Counted as neither shipped nor delivered.
VOID = frozenset({ShipmentStatus.CANCELLED})


class Shipment(models.Model):
    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="+")
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="shipments")
    # The order's number and the shipment's place among its shipments: 2612011530451234-2.
    number = models.CharField(max_length=48)
    method = models.CharField(max_length=16, choices=Method.choices)
    status = models.CharField(max_length=20, choices=ShipmentStatus.choices)
    carrier = models.CharField(max_length=32, blank=True)
    tracking_number = models.CharField(max_length=40, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_label = models.CharField(max_length=150, blank=True)
    # Local delivery: a member of staff, or a named person with a phone, takes it there.
    courier = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="+")
    courier_name = models.CharField(max_length=60, blank=True)
    courier_phone = models.CharField(max_length=20, blank=True)
    # Pickup: the point where the goods wait for the customer.
    pickup_point = models.ForeignKey(PickupPoint, null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    shipped_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("shipment")
        verbose_name_plural = _("shipments")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["shop", "number"], name="shipment_number_unique"),
            models.CheckConstraint(condition=Q(method__in=Method.values),
                                   name="shipment_method_known"),
            models.CheckConstraint(condition=Q(status__in=ShipmentStatus.values),
                                   name="shipment_status_known"),
        ]
        indexes = [
            models.Index(fields=["shop", "tracking_number"], name="shipment_by_tracking",
                         condition=~Q(tracking_number="")),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_void(self) -> bool:
        return self.status in VOID


class ShipmentLine(models.Model):
    """Units of one order line in one shipment; written once with the shipment. The SKU and
    name are kept: an order whose every shipment was cancelled may be edited again, and its
    lines replaced, while its cancelled shipments still say what they held."""

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="+")
    shipment = models.ForeignKey(Shipment, on_delete=models.CASCADE, related_name="lines")
    order_line = models.ForeignKey(OrderLine, null=True, on_delete=models.SET_NULL,
                                   related_name="+")
    sku = models.CharField(max_length=64)
    name = models.CharField(max_length=160)
    quantity = models.PositiveIntegerField()

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0),
                                   name="shipment_line_quantity_positive"),
            models.UniqueConstraint(fields=["shipment", "order_line"],
                                    name="shipment_line_once"),
        ]

    def __str__(self) -> str:
        return f"{self.shipment_id}: {self.order_line_id} × {self.quantity}"


class TrackingSource(models.TextChoices):
    STAFF = "staff", _("Staff")
    API = "api", _("API")
    PROVIDER = "provider", _("Tracking service")
    CUSTOMER = "customer", _("Customer")
    SYSTEM = "system", _("System")


class TrackingEvent(models.Model):
    """One step of a shipment's journey; appended, never changed."""

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="+")
    shipment = models.ForeignKey(Shipment, on_delete=models.CASCADE, related_name="events")
    status = models.CharField(max_length=20, choices=ShipmentStatus.choices, blank=True)
    detail = models.CharField(max_length=500, blank=True)
    location = models.CharField(max_length=100, blank=True)
    at = models.DateTimeField()
    source = models.CharField(max_length=16, choices=TrackingSource.choices)
    recorded_label = models.CharField(max_length=150, blank=True)
    # A provider's key for the step: the same push twice records it once.
    idempotency_key = models.CharField(max_length=120, blank=True)
    # A local courier's photo of the parcel at the door.
    photo = models.FileField(upload_to="fulfillment/deliveries/%Y/%m/", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["shop", "idempotency_key"],
                                    condition=~Q(idempotency_key=""),
                                    name="tracking_event_once"),
        ]

    def __str__(self) -> str:
        return f"{self.shipment_id} {self.status} {self.at:%Y-%m-%d %H:%M}"


class ShopCarrier(models.Model):
    """A carrier the shop uses that is not among the common ones (a local courier firm)."""

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="+")
    code = models.CharField(max_length=32)
    name = models.CharField(max_length=60)
    pattern = models.CharField(max_length=200, blank=True)
    url_template = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["shop", "code"], name="shop_carrier_code_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class InterceptionStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    INTERCEPTED = "intercepted", _("Intercepted")
    FAILED = "failed", _("Failed")


class AddressInterception(models.Model):
    """A new address for a parcel already on its way: the carrier is asked to intercept it
    and send it on there. The order's address changes only once it did."""

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="+")
    shipment = models.ForeignKey(Shipment, on_delete=models.CASCADE,
                                 related_name="interceptions")
    address = models.CharField(max_length=200)
    note = models.CharField(max_length=300, blank=True)
    status = models.CharField(max_length=12, choices=InterceptionStatus.choices,
                              default=InterceptionStatus.REQUESTED)
    requested_label = models.CharField(max_length=150, blank=True)
    decided_label = models.CharField(max_length=150, blank=True)
    outcome_note = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["shipment"],
                                    condition=Q(status="requested"),
                                    name="one_open_interception_per_shipment"),
            models.CheckConstraint(condition=Q(status__in=InterceptionStatus.values),
                                   name="interception_status_known"),
        ]

    def __str__(self) -> str:
        return f"{self.shipment_id} → {self.address} ({self.status})"
class TrackingAccount(models.Model):
    """A shop's account at a tracking service (快递100): the key the shop typed and the salt
    dingdan generated, both encrypted (dingdan/secret_box.py) and shown again only masked."""

    shop = models.OneToOneField(Shop, on_delete=models.CASCADE, related_name="+")
    provider = models.CharField(max_length=24, default="kuaidi100")
    key_encrypted = models.TextField()
    salt_encrypted = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return self.provider


class SubscriptionStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to subscribe")
    SUBSCRIBED = "subscribed", _("Watched by the tracking service")
    REFUSED = "refused", _("Refused by the tracking service")
    UNAVAILABLE = "unavailable", _("Tracking service unreachable")
    GAVE_UP = "gave_up", _("The tracking service gave up")
    FINISHED = "finished", _("Tracking finished")


class TrackingSubscription(models.Model):
    """A shipment watched by the shop's tracking service. `token` goes into the callback
    URL's query string, which the service sends back unchanged: a push names the shipment
    it is for, and the body's carrier and number are checked against it."""

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="+")
    shipment = models.OneToOneField(Shipment, on_delete=models.CASCADE,
                                    related_name="tracking_subscription")
    provider = models.CharField(max_length=24, default="kuaidi100")
    token = models.CharField(max_length=48)
    status = models.CharField(max_length=16, choices=SubscriptionStatus.choices,
                              default=SubscriptionStatus.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    # The service's last word: why it refused, or what it said when it gave up.
    message = models.CharField(max_length=200, blank=True)
    subscribed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["shop", "token"], name="tracking_subscription_token"),
            models.CheckConstraint(condition=Q(status__in=SubscriptionStatus.values),
                                   name="tracking_subscription_status_known"),
        ]

    def __str__(self) -> str:
        return f"{self.shipment_id} {self.status}"


class PickupCodeStatus(models.TextChoices):
    OPEN = "open", _("Waiting for pickup")
    REDEEMED = "redeemed", _("Picked up")
    VOID = "void", _("Void")


class PickupCode(models.Model):
    """The code (核销码) a customer shows to collect a pickup shipment. Open while units of
    the shipment wait; redeemed when the last of them are handed over; void when the
    shipment is cancelled. Unique among the shop's open codes only: a used or void code may
    come round again."""

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="+")
    shipment = models.OneToOneField(Shipment, on_delete=models.CASCADE,
                                    related_name="pickup_code")
    code = models.CharField(max_length=16)
    status = models.CharField(max_length=10, choices=PickupCodeStatus.choices,
                              default=PickupCodeStatus.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)
    redeemed_at = models.DateTimeField(null=True, blank=True)
    redeemed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    redeemed_label = models.CharField(max_length=150, blank=True)
    voided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["shop", "code"],
                                    condition=Q(status="open"),
                                    name="pickup_code_open_unique"),
            models.CheckConstraint(condition=Q(status__in=PickupCodeStatus.values),
                                   name="pickup_code_status_known"),
        ]
        indexes = [models.Index(fields=["shop", "code"], name="pickup_code_by_code")]

    def __str__(self) -> str:
        return f"{self.shipment_id}: {self.status}"

    @property
    def is_open(self) -> bool:
        return self.status == PickupCodeStatus.OPEN


class SubstituteStatus(models.TextChoices):
    OFFERED = "offered", _("Offered")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class SubstituteOffer(models.Model):
    """Units of a line the shop cannot supply, offered as another SKU at a price; the
    customer accepts or declines on the order link. Open while `offered`, at most one open
    per line. The original line's SKU, name and price are kept: accepting may remove it."""

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="+")
    order = models.ForeignKey(Order, on_delete=models.CASCADE,
                              related_name="substitute_offers")
    order_line = models.ForeignKey(OrderLine, null=True, on_delete=models.SET_NULL,
                                   related_name="+")
    original_sku = models.CharField(max_length=64)
    original_name = models.CharField(max_length=160)
    original_unit_price_cents = models.BigIntegerField()
    variant = models.ForeignKey("catalog.Variant", on_delete=models.PROTECT, related_name="+")
    sku = models.CharField(max_length=64)
    name = models.CharField(max_length=160)
    quantity = models.PositiveIntegerField()
    unit_price_cents = models.BigIntegerField()
    status = models.CharField(max_length=10, choices=SubstituteStatus.choices,
                              default=SubstituteStatus.OFFERED)
    note = models.CharField(max_length=300, blank=True)
    offered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    offered_label = models.CharField(max_length=150, blank=True)
    decided_label = models.CharField(max_length=150, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["order_line"], condition=Q(status="offered"),
                                    name="one_open_substitute_per_line"),
            models.CheckConstraint(condition=Q(status__in=SubstituteStatus.values),
                                   name="substitute_status_known"),
            models.CheckConstraint(condition=Q(quantity__gt=0),
                                   name="substitute_quantity_positive"),
            models.CheckConstraint(condition=Q(unit_price_cents__gte=0),
                                   name="substitute_price_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.original_sku} → {self.sku} × {self.quantity} ({self.status})"

    @property
    def is_open(self) -> bool:
        return self.status == SubstituteStatus.OFFERED

    @property
    def difference_cents(self) -> int:
        """What the order's total changes by when accepted (before shipping and tax)."""
        return (self.unit_price_cents - self.original_unit_price_cents) * self.quantity
