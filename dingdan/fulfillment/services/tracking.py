"""What happens to a shipment on the way: a tracking event recorded (by staff, an API
client, the tracking service or the customer confirming receipt), the shipment's status
following it, and the order following its shipments."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dingdan.errors import Conflict, InvalidInput
from dingdan.fulfillment import events
from dingdan.fulfillment.models import (
    PickupCode,
    PickupCodeStatus,
    Shipment,
    ShipmentStatus,
    TrackingEvent,
    TrackingSource,
)
from dingdan.fulfillment.selectors.customer import waits_for_pickup
from dingdan.fulfillment.selectors.shipments import units_by_line
from dingdan.fulfillment.services import progress
from dingdan.orders.models import Order
from dingdan.orders.services import lifecycle
from dingdan.orders.states import Status
from dingdan.shops.actors import Actor, ActorKind
from dingdan.shops.config import shop_settings
from dingdan.shops.permissions import require

MAX_DETAIL = 500
# What a tracking event may set a shipment to: cancelling is its own service.
SETTABLE = tuple(s for s in ShipmentStatus.values if s != ShipmentStatus.CANCELLED)
# Once delivered or returned, later steps are recorded but do not move the shipment back.
FINAL = frozenset({ShipmentStatus.DELIVERED, ShipmentStatus.RETURNED})
SOURCES = {ActorKind.STAFF: TrackingSource.STAFF, ActorKind.API: TrackingSource.API,
           ActorKind.CUSTOMER: TrackingSource.CUSTOMER, ActorKind.SYSTEM: TrackingSource.SYSTEM,
           ActorKind.RULE: TrackingSource.SYSTEM}


class ShipmentCancelled(Conflict):
    code = "shipment_cancelled"


def _clean_status(status: str) -> str:
    if status not in SETTABLE:
        message = _("Must be one of: %(choices)s.") % {"choices": ", ".join(SETTABLE)}
        raise InvalidInput(message, fields={"status": message})
    return status


def _clean_at(at):
    now = timezone.now()
    if at is None:
        return now
    if timezone.is_naive(at):
        at = timezone.make_aware(at)
    if at > now + timezone.timedelta(hours=1):
        message = _("A tracking event cannot be in the future.")
        raise InvalidInput(message, fields={"at": message})
    return at


@transaction.atomic
def record_tracking_event(
    *,
    actor: Actor,
    shipment: Shipment,
    status: str,
    detail: str = "",
    at=None,
    location: str = "",
    idempotency_key: str = "",
    source: str | None = None,
) -> TrackingEvent:
    """Append a step of the journey; the shipment takes its status (a delivered or returned
    shipment is not moved back by a late step), and the order follows: 运输中 when a parcel
    is on its way, 已送达 when everything is delivered. With `idempotency_key` (a tracking
    service's step) the same step twice is recorded once."""
    if actor.kind != ActorKind.CUSTOMER:
        require(actor, "fulfillment.ship", shipment.shop)
    status = _clean_status(status)
    at = _clean_at(at)
    detail = " ".join(str(detail or "").split())[:MAX_DETAIL]
    order = Order.objects.select_for_update().select_related("shop").get(
        pk=shipment.order_id, shop_id=shipment.shop_id)
    shipment = Shipment.objects.select_for_update().get(pk=shipment.pk)
    if idempotency_key:
        earlier = TrackingEvent.objects.filter(shop_id=shipment.shop_id,
                                               idempotency_key=idempotency_key).first()
        if earlier is not None:
            return earlier
    if shipment.status == ShipmentStatus.CANCELLED:
        raise ShipmentCancelled(_("Shipment %(number)s is cancelled.")
                                % {"number": shipment.number})
    event = TrackingEvent.objects.create(
        shop_id=shipment.shop_id, shipment=shipment, status=status, detail=detail,
        location=location[:100], at=at, source=source or SOURCES[actor.kind],
        recorded_label=actor.label[:150], idempotency_key=idempotency_key[:120],
    )
    before = shipment.status
    if (before in FINAL and status not in FINAL) or before == status:
        return event
    latest = shipment.events.exclude(status="").order_by("-at", "-id").first()
    if latest is not None and latest.pk != event.pk:
        return event  # an older step arriving late: kept, the status stays as it is
    shipment.status = status
    fields = ["status", "updated_at"]
    if status == ShipmentStatus.DELIVERED:
        shipment.delivered_at = at
        fields.append("delivered_at")
    if shipment.shipped_at is None and status != ShipmentStatus.PACKED:
        shipment.shipped_at = at
        fields.append("shipped_at")
    shipment.save(update_fields=fields)
    if status == ShipmentStatus.DELIVERED:
        # However it was handed over, nothing waits under its pickup code any more.
        PickupCode.objects.filter(shipment=shipment, status=PickupCodeStatus.OPEN).update(
            status=PickupCodeStatus.REDEEMED, redeemed_at=timezone.now(),
            redeemed_by=actor.user, redeemed_label=actor.label[:150])
    events.shipment_progressed(shipment, actor=actor, event=event, before=before)
    progress.follow(order, actor=actor, note=detail,
                    on_the_way=status in progress.ON_THE_WAY)
    return event


def deliver_everything(*, order: Order, actor: Actor, note: str = "") -> None:
    """The `orders.delivering` hook: marking the whole order delivered delivers its open
    shipments too; refused while units of it are still to ship. (An order shipped before it
    had shipments has none to deliver.)"""
    shipments = list(order.shipments.exclude(status=ShipmentStatus.CANCELLED))
    if not shipments:
        return
    shipped = units_by_line(order)
    if any(line.quantity > shipped.get(line.pk, 0) for line in order.lines.all()):
        raise Conflict(_("Units of this order are still to ship: ship them first."),
                       code="over_shipment")
    now = timezone.now()
    for shipment in shipments:
        if shipment.status == ShipmentStatus.DELIVERED:
            continue
        TrackingEvent.objects.create(
            shop_id=order.shop_id, shipment=shipment, status=ShipmentStatus.DELIVERED,
            detail=note[:MAX_DETAIL], at=now, source=SOURCES[actor.kind],
            recorded_label=actor.label[:150])
        Shipment.objects.filter(pk=shipment.pk).update(
            status=ShipmentStatus.DELIVERED, delivered_at=now, updated_at=now)


@transaction.atomic
def confirm_received(*, order: Order) -> Order:
    """The customer confirms on their link that everything arrived: every open shipment is
    delivered, as the customer's step, and the order 已送达 — or 已完成 where the shop closes
    orders on receipt."""
    actor = Actor.customer(order.shop)
    order = Order.objects.select_for_update().select_related("shop").get(pk=order.pk)
    if order.status not in (Status.SHIPPED, Status.IN_TRANSIT) or order.fulfillment_status in (
            "unfulfilled", "partially_shipped") or waits_for_pickup(order):
        raise Conflict(_("There is nothing on its way to confirm."), code="nothing_to_confirm")
    for shipment in order.shipments.exclude(status__in=[ShipmentStatus.CANCELLED,
                                                         ShipmentStatus.DELIVERED]):
        record_tracking_event(actor=actor, shipment=shipment, status=ShipmentStatus.DELIVERED,
                              detail=_("The customer confirmed receipt"))
    order.refresh_from_db()
    if order.status == Status.DELIVERED and shop_settings(order.shop).complete_on_receipt:
        order = lifecycle.complete_order(actor=actor, order=order)
    return order
