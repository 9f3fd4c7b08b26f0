"""Shipping an order: a shipment of chosen lines and quantities (or of everything held and
not yet shipped), its stock moved from reserved to shipped in the same transaction; and a
shipment cancelled before it left, its units held for the order again.

A line never ships more than was ordered minus what its other shipments carry, and only
units the order holds can ship: what is still backordered waits for a later shipment."""

from collections import defaultdict
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dingdan import hooks
from dingdan.errors import Conflict, InvalidInput
from dingdan.fulfillment import events
from dingdan.fulfillment.carriers import clean_tracking_number, find_carrier
from dingdan.fulfillment.models import (
    NOT_LEFT,
    Method,
    PickupPoint,
    Shipment,
    ShipmentLine,
    ShipmentStatus,
)
from dingdan.fulfillment.selectors.shipments import lines_to_ship, shop_carriers, units_by_line
from dingdan.fulfillment.services import pickups, progress, tracking_push
from dingdan.inventory.services import reservations
from dingdan.orders import states
from dingdan.orders.models import Order, OrderLine
from dingdan.orders.services.placement import reference, stock_actor
from dingdan.orders.states import Status
from dingdan.shops.actors import Actor
from dingdan.shops.config import shop_settings
from dingdan.shops.permissions import require
from dingdan.whole_numbers import is_whole

SHIPPABLE = frozenset({Status.ACCEPTED, Status.PREPARING, Status.SHIPPED, Status.IN_TRANSIT})
MAX_LINES = 500


class OverShipment(Conflict):
    code = "over_shipment"


class NotInStock(Conflict):
    code = "not_in_stock"


class MayNotShip(Conflict):
    """The order may not ship yet, or no longer: `code` says why."""


class ShipmentHasLeft(Conflict):
    code = "shipment_has_left"


@dataclass(frozen=True)
class Wanted:
    line: OrderLine
    quantity: int


def _lock(order: Order) -> Order:
    return Order.objects.select_for_update().select_related("shop").get(
        pk=order.pk, shop_id=order.shop_id)


def _refuse_unless_shippable(order: Order, method: str = "") -> None:
    if order.status == Status.CANCELLED:
        raise MayNotShip(_("Order %(number)s is cancelled.") % {"number": order.number},
                         code="order_cancelled")
    if order.status in (Status.PENDING_PAYMENT, Status.PENDING_CONFIRMATION):
        raise MayNotShip(_("Order %(number)s is %(status)s: accept it before shipping.")
                         % {"number": order.number, "status": Status(order.status).label},
                         code="not_accepted")
    if order.status not in SHIPPABLE:
        raise OverShipment(_("Order %(number)s has nothing left to ship.")
                           % {"number": order.number})
    terms = shop_settings(order.shop)
    if method == Method.PICKUP and terms.pay_at_pickup:
        return  # set aside now, paid when collected
    if not states.payment_allows_shipping(order, requires_prepayment=terms.requires_prepayment):
        raise MayNotShip(_("This shop ships only paid orders, and this one is not paid."),
                         code="not_paid")


def _line_label(line: OrderLine) -> str:
    return f"{line.name} ({line.sku})"


def _asked(order: Order, lines: list[dict]) -> list[Wanted]:
    """The lines asked for, each an order line of this order with a whole quantity."""
    if not lines:
        message = _("Choose at least one line to ship.")
        raise InvalidInput(message, fields={"lines": message})
    if len(lines) > MAX_LINES:
        message = _("At most %(max)s lines at once.") % {"max": MAX_LINES}
        raise InvalidInput(message, fields={"lines": message})
    by_id = {line.pk: line for line in order.lines.select_related("variant__product")}
    wanted: dict[int, int] = {}
    for index, asked in enumerate(lines):
        line_id, quantity = asked.get("line_id"), asked.get("quantity")
        if not isinstance(line_id, int) or line_id not in by_id:
            message = _("Line %(id)s is not a line of this order.") % {"id": line_id}
            raise InvalidInput(message, fields={f"lines.{index}.line_id": message})
        if not is_whole(quantity, minimum=1):
            message = _("A quantity must be a whole number above zero.")
            raise InvalidInput(message, fields={f"lines.{index}.quantity": message})
        if line_id in wanted:
            message = _("Line %(id)s is named twice.") % {"id": line_id}
            raise InvalidInput(message, fields={f"lines.{index}.line_id": message})
        wanted[line_id] = quantity
    return [Wanted(by_id[pk], units) for pk, units in wanted.items()]


def _held(order: Order) -> dict[int, int]:
    return reservations.held_for(reference(order))


def _everything_held(order: Order) -> list[Wanted]:
    """Every line's units not yet shipped, as far as the order holds them."""
    return [Wanted(t.line, t.ready) for t in lines_to_ship(order) if t.ready > 0]


def _check(order: Order, wanted: list[Wanted]) -> None:
    """No line beyond what is left of it; no SKU beyond what the order holds of it."""
    shipped = units_by_line(order)
    over = [(w, w.line.quantity - shipped.get(w.line.pk, 0)) for w in wanted
            if w.quantity > w.line.quantity - shipped.get(w.line.pk, 0)]
    if over:
        raise OverShipment(
            _("More than is left to ship: %(lines)s.") % {"lines": ", ".join(
                _("%(line)s has %(left)s left") % {"line": _line_label(w.line), "left": left}
                for w, left in over)},
            details={"lines": [{"line_id": w.line.pk, "sku": w.line.sku, "left": left,
                                "requested": w.quantity} for w, left in over]})
    held = _held(order)
    by_variant: dict[int, list[Wanted]] = defaultdict(list)
    for w in wanted:
        if not w.line.variant.product.is_service:
            by_variant[w.line.variant_id].append(w)
    short = [(ws, held.get(pk, 0)) for pk, ws in by_variant.items()
             if sum(w.quantity for w in ws) > held.get(pk, 0)]
    if short:
        raise NotInStock(
            _("Not in stock for this order yet: %(lines)s. Ship what is here and the rest "
              "when it arrives.") % {"lines": ", ".join(
                _("%(line)s (%(held)s held)") % {"line": _line_label(ws[0].line), "held": held}
                for ws, held in short)},
            details={"lines": [{"line_id": w.line.pk, "sku": w.line.sku, "held": held,
                                "requested": w.quantity} for ws, held in short for w in ws]})


def _carrier_and_number(order: Order, method: str, carrier: str,
                        tracking_number: str) -> tuple[str, str]:
    carrier, tracking_number = (carrier or "").strip(), (tracking_number or "").strip()
    if not carrier and not tracking_number:
        return "", ""
    if not carrier:
        message = _("Choose the carrier of this tracking number.")
        raise InvalidInput(message, fields={"carrier": message})
    own = shop_carriers(order.shop)
    found = find_carrier(carrier, own)
    if not tracking_number:
        return found.code, ""
    return found.code, clean_tracking_number(found, tracking_number, shop_carriers=own)


def _pickup_point(order: Order, method: str, point_id) -> PickupPoint | None:
    """Where a pickup shipment waits: the point asked for (one of the shop's in use), else
    the point of the order's group-buy entry, else the shop's only point in use."""
    if method != Method.PICKUP:
        if point_id is not None:
            message = _("Only a pickup shipment waits at a pickup point.")
            raise InvalidInput(message, fields={"pickup_point_id": message})
        return None
    points = PickupPoint.objects.filter(shop_id=order.shop_id, is_active=True)
    if point_id is not None:
        point = points.filter(pk=point_id).first() if is_whole(point_id, minimum=1) else None
        if point is None:
            message = _("No pickup point %(id)s in use in this shop.") % {"id": point_id}
            raise InvalidInput(message, fields={"pickup_point_id": message})
        return point
    named = [pk for pk in hooks.collect("fulfillment.pickup_point_for_order", order=order)
             if pk is not None]
    if named:
        return PickupPoint.objects.filter(shop_id=order.shop_id, pk=named[0]).first()
    only = list(points[:2])
    return only[0] if len(only) == 1 else None


def _method(order: Order, method: str | None) -> str:
    method = method or order.delivery_method or Method.EXPRESS
    if method not in Method.values:
        message = _("Must be one of: %(choices)s.") % {"choices": ", ".join(Method.values)}
        raise InvalidInput(message, fields={"method": message})
    return method


def _units(wanted: list[Wanted]) -> dict[str, int]:
    units: dict[str, int] = defaultdict(int)
    for w in wanted:
        units[w.line.sku] += w.quantity
    return dict(units)


@transaction.atomic
def create_shipment(
    *,
    actor: Actor,
    order: Order,
    lines: list[dict] | None = None,
    method: str | None = None,
    carrier: str = "",
    tracking_number: str = "",
    note: str = "",
    pickup_point_id: int | None = None,
) -> Shipment:
    """Ship `lines` ([{"line_id", "quantity"}]) or, without them, everything the order holds
    and has not shipped. The stock leaves (reserved → shipped, ledger rows), the shipment
    and its lines are written, the order follows (已发货 with its first shipment) and the
    timeline says what went how."""
    require(actor, "fulfillment.ship", order.shop)
    method = _method(order, method)
    carrier, tracking_number = _carrier_and_number(order, method, carrier, tracking_number)
    point = _pickup_point(order, method, pickup_point_id)
    order = _lock(order)
    _refuse_unless_shippable(order, method)
    wanted = _asked(order, lines) if lines is not None else _everything_held(order)
    if lines is None and not wanted:
        left = any(line.quantity > units_by_line(order).get(line.pk, 0)
                   for line in order.lines.all())
        if left:
            raise NotInStock(_("Nothing of order %(number)s is in stock for it yet.")
                             % {"number": order.number}, details={"lines": []})
        raise OverShipment(_("Order %(number)s has nothing left to ship.")
                           % {"number": order.number}, details={"lines": []})
    _check(order, wanted)
    reservations.ship_stock(
        actor=stock_actor(actor, order.shop), shop=order.shop, reference=reference(order),
        lines=[(w.line.variant, w.quantity) for w in wanted],
    )
    now = timezone.now()
    status = ShipmentStatus.PACKED if method == Method.PICKUP else ShipmentStatus.SHIPPED
    shipment = Shipment.objects.create(
        shop_id=order.shop_id, order=order, method=method, status=status, carrier=carrier,
        tracking_number=tracking_number, number=f"{order.number}-{order.shipments.count() + 1}",
        created_by=actor.user, created_label=actor.label[:150], pickup_point=point,
        shipped_at=now if status == ShipmentStatus.SHIPPED else None,
    )
    ShipmentLine.objects.bulk_create([
        ShipmentLine(shop_id=order.shop_id, shipment=shipment, order_line=w.line,
                     sku=w.line.sku, name=w.line.name, quantity=w.quantity) for w in wanted])
    if method == Method.PICKUP:
        pickups.issue_pickup_code(shipment)
    events.shipment_created(shipment, actor=actor, units=_units(wanted), note=note)
    progress.follow(order, actor=actor, note=note)
    tracking_push.watch_shipment(shipment)
    return shipment


def ship_everything(*, order: Order, actor: Actor, note: str = "") -> Order:
    """The `orders.ship` hook: the order's whole-order "ship" is one shipment of everything
    it holds, by its delivery method."""
    shipment = create_shipment(actor=actor, order=order, note=note)
    return Order.objects.get(pk=shipment.order_id)


@transaction.atomic
def cancel_shipment(*, actor: Actor, shipment: Shipment, note: str = "") -> Shipment:
    """A shipment that has not left (packed, or shipped with nothing reported on the way)
    is cancelled: its units are held for the order again, to ship later; the order follows
    (back to 已接受 when it was its only shipment)."""
    require(actor, "fulfillment.ship", shipment.shop)
    order = _lock(shipment.order)
    shipment = Shipment.objects.select_for_update().get(pk=shipment.pk)
    if shipment.status == ShipmentStatus.CANCELLED:
        raise ShipmentHasLeft(_("Shipment %(number)s is already cancelled.")
                              % {"number": shipment.number}, code="already_cancelled")
    # "Shipped" with nothing reported since has not really left yet, unless the order was
    # already marked on its way.
    left = shipment.status not in NOT_LEFT | {ShipmentStatus.SHIPPED} or (
        shipment.status == ShipmentStatus.SHIPPED and order.status != Status.SHIPPED)
    if left:
        raise ShipmentHasLeft(
            _("Shipment %(number)s is %(status)s: it has left and can no longer be "
              "cancelled.") % {"number": shipment.number,
                               "status": ShipmentStatus(shipment.status).label})
    lines = list(shipment.lines.select_related("order_line__variant__product"))
    reservations.unship_stock(
        actor=stock_actor(actor, order.shop), shop=order.shop, reference=reference(order),
        lines=[(line.order_line.variant, line.quantity) for line in lines],
    )
    shipment.status = ShipmentStatus.CANCELLED
    shipment.cancelled_at = timezone.now()
    shipment.save(update_fields=["status", "cancelled_at", "updated_at"])
    pickups.void_pickup_code(shipment)
    units: dict[str, int] = defaultdict(int)
    for line in lines:
        units[line.sku] += line.quantity
    events.shipment_cancelled(shipment, actor=actor, units=dict(units), note=note)
    progress.follow(order, actor=actor, note=note)
    return shipment


@transaction.atomic
def set_tracking_number(*, actor: Actor, shipment: Shipment, carrier: str,
                        tracking_number: str) -> Shipment:
    """Add the tracking number a parcel got after it was recorded as shipped, or correct a
    wrong one: checked against the carrier, on the timeline, and watched afresh by the
    shop's tracking service."""
    require(actor, "fulfillment.ship", shipment.shop)
    order = _lock(shipment.order)
    shipment = Shipment.objects.select_for_update().get(pk=shipment.pk)
    if shipment.status in (ShipmentStatus.CANCELLED, ShipmentStatus.DELIVERED,
                           ShipmentStatus.RETURNED):
        raise ShipmentHasLeft(
            _("Shipment %(number)s is %(status)s: its tracking number stays as it is.")
            % {"number": shipment.number, "status": ShipmentStatus(shipment.status).label},
            code="shipment_closed")
    if not (tracking_number or "").strip():
        message = _("Enter the tracking number.")
        raise InvalidInput(message, fields={"tracking_number": message})
    carrier, tracking_number = _carrier_and_number(order, shipment.method, carrier,
                                                   tracking_number)
    before = (shipment.carrier, shipment.tracking_number)
    if before == (carrier, tracking_number):
        return shipment
    shipment.carrier, shipment.tracking_number = carrier, tracking_number
    shipment.save(update_fields=["carrier", "tracking_number", "updated_at"])
    events.tracking_number_set(shipment, actor=actor, before=before)
    tracking_push.rewatch_shipment(shipment)
    return shipment
