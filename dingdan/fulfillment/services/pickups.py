"""Self-pickup: the code (核销码) a pickup shipment gets when it is packed for the customer,
and staff handing the goods over against it.

A code is 8 random digits, unique among the shop's open codes (a partial unique constraint;
a collision draws again). Redeeming it hands over the shipment's units, or chosen ones: a
partial pickup moves the units handed over into a delivered shipment of their own and
leaves the rest, with the same code, waiting. Wrong codes are counted per staff member or
token, so nobody can try codes until one fits."""

import secrets
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dingdan import ratelimit
from dingdan.errors import Conflict, DomainError, InvalidInput, NotFound
from dingdan.fulfillment import events
from dingdan.fulfillment.models import (
    Method,
    PickupCode,
    PickupCodeStatus,
    PickupPointStaff,
    Shipment,
    ShipmentLine,
    ShipmentStatus,
)
from dingdan.fulfillment.services import tracking
from dingdan.orders import states
from dingdan.orders.models import Order
from dingdan.shops.actors import Actor
from dingdan.shops.config import shop_settings
from dingdan.shops.permissions import require
from dingdan.whole_numbers import is_whole

CODE_DIGITS = 8
DRAWS = 8  # a collision among a shop's open codes is rare; eight in a row, never
WRONG_CODES = ratelimit.Rate("pickup-wrong-code", requests=10, seconds=60)
MAX_LINES = 500


class AlreadyRedeemed(Conflict):
    code = "already_redeemed"


class NotPaid(Conflict):
    code = "not_paid"


class WrongPickupPoint(Conflict):
    code = "wrong_pickup_point"


def _refuse_other_point(actor: Actor, shipment: Shipment) -> None:
    """Staff tied to pickup points hand over only what waits at one of theirs."""
    if actor.user is None:
        return
    theirs = set(PickupPointStaff.objects.filter(shop_id=actor.shop_id, user=actor.user)
                 .values_list("point_id", flat=True))
    if theirs and shipment.pickup_point_id not in theirs:
        where = shipment.pickup_point.name if shipment.pickup_point else _("no pickup point")
        raise WrongPickupPoint(
            _("This code's goods wait at %(point)s, not at your pickup point.")
            % {"point": where}, details={"pickup_point_id": shipment.pickup_point_id})


class TooManyWrongCodes(DomainError):
    status = 429
    code = "too_many_attempts"


@dataclass(frozen=True)
class Redemption:
    order: Order
    handed_over: Shipment  # delivered now
    waiting: Shipment | None  # what is left of a partial pickup, still under the code


def _draw() -> str:
    # No leading zero: a code copied through a spreadsheet keeps its digits.
    low = 10 ** (CODE_DIGITS - 1)
    return str(low + secrets.randbelow(9 * low))


def issue_pickup_code(shipment: Shipment) -> PickupCode:
    """A new open code for a pickup shipment, inside the caller's transaction (the one that
    made the shipment)."""
    for _draw_number in range(DRAWS):
        try:
            with transaction.atomic():  # a savepoint: a collision undoes only this row
                return PickupCode.objects.create(shop_id=shipment.shop_id, shipment=shipment,
                                                 code=_draw())
        except IntegrityError:
            continue
    raise Conflict(_("No free pickup code was found; try again."), code="no_free_code")


def void_pickup_code(shipment: Shipment) -> None:
    """The shipment was cancelled: its code no longer hands anything over."""
    PickupCode.objects.filter(shipment=shipment, status=PickupCodeStatus.OPEN).update(
        status=PickupCodeStatus.VOID, voided_at=timezone.now())


def _counted_as(actor: Actor) -> str:
    """Wrong codes are counted per person (or API token), not per address: staff at one
    counter share a network."""
    if actor.user is not None:
        return f"user:{actor.user.pk}"
    if actor.token is not None:
        return f"token:{actor.token.pk}"
    return f"shop:{actor.shop_id}:{actor.kind}"


def _clean_code(code) -> str:
    cleaned = "".join(str(code or "").split()).replace("-", "")
    if not cleaned:
        message = _("Enter the pickup code.")
        raise InvalidInput(message, fields={"code": message})
    if not (cleaned.isascii() and cleaned.isdigit()) or len(cleaned) > 16:
        message = _("A pickup code is made of digits only.")
        raise InvalidInput(message, fields={"code": message})
    return cleaned


def _find(actor: Actor, code: str) -> PickupCode:
    """The open code, else the latest redeemed one (409); anything else counts as wrong."""
    found = (PickupCode.objects.filter(shop_id=actor.shop_id, code=code)
             .exclude(status=PickupCodeStatus.VOID).order_by("-id"))
    chosen = next((c for c in found if c.is_open), None) or next(iter(found), None)
    if chosen is None:
        wait = ratelimit.take(WRONG_CODES, _counted_as(actor))
        if wait:
            raise _too_many(wait)
        message = _("No pickup is waiting under this code. Check the digits with the "
                    "customer.")
        raise NotFound(message, fields={"code": message})
    return chosen


def _too_many(wait: int) -> TooManyWrongCodes:
    message = _("Too many wrong codes: try again in %(n)s seconds.") % {"n": wait}
    return TooManyWrongCodes(message, fields={"code": message}, details={"retry_after": wait})


def _refuse_redeemed(pickup: PickupCode) -> None:
    if not pickup.is_open:
        when = timezone.localtime(pickup.redeemed_at).strftime("%Y-%m-%d %H:%M") \
            if pickup.redeemed_at else ""
        message = _("This code was already used (%(when)s, %(by)s): the goods were handed "
                    "over.") % {"when": when, "by": pickup.redeemed_label or "-"}
        raise AlreadyRedeemed(message, fields={"code": message})


def _chosen(shipment: Shipment, lines: list[dict]) -> dict[int, int]:
    """Shipment line id → units handed over, from [{"line_id": order line, "quantity"}]."""
    if not lines:
        message = _("Choose at least one line to hand over.")
        raise InvalidInput(message, fields={"lines": message})
    if len(lines) > MAX_LINES:
        message = _("At most %(max)s lines at once.") % {"max": MAX_LINES}
        raise InvalidInput(message, fields={"lines": message})
    by_order_line = {line.order_line_id: line for line in shipment.lines.all()}
    chosen: dict[int, int] = {}
    for index, asked in enumerate(lines):
        line_id, quantity = asked.get("line_id"), asked.get("quantity")
        line = by_order_line.get(line_id) if isinstance(line_id, int) else None
        if line is None:
            message = _("Line %(id)s is not waiting under this code.") % {"id": line_id}
            raise InvalidInput(message, fields={f"lines.{index}.line_id": message})
        if line.pk in chosen:
            message = _("Line %(id)s is named twice.") % {"id": line_id}
            raise InvalidInput(message, fields={f"lines.{index}.line_id": message})
        if not is_whole(quantity, minimum=1) or quantity > line.quantity:
            message = _("From 1 to %(n)s units of this line wait here.") % {"n": line.quantity}
            raise InvalidInput(message, fields={f"lines.{index}.quantity": message})
        chosen[line.pk] = quantity
    return chosen


def _split(actor: Actor, order: Order, shipment: Shipment,
           chosen: dict[int, int]) -> Shipment:
    """The units handed over leave the waiting shipment for one of their own; no stock
    moves (both are out of the store room already)."""
    part = Shipment.objects.create(
        shop_id=order.shop_id, order=order, method=Method.PICKUP, status=ShipmentStatus.PACKED,
        number=f"{order.number}-{order.shipments.count() + 1}", created_by=actor.user,
        created_label=actor.label[:150], pickup_point_id=shipment.pickup_point_id)
    moved = []
    for line in shipment.lines.all():
        units = chosen.get(line.pk, 0)
        if not units:
            continue
        moved.append(ShipmentLine(shop_id=order.shop_id, shipment=part,
                                  order_line_id=line.order_line_id, sku=line.sku,
                                  name=line.name, quantity=units))
        if units == line.quantity:
            line.delete()
        else:
            ShipmentLine.objects.filter(pk=line.pk).update(quantity=line.quantity - units)
    ShipmentLine.objects.bulk_create(moved)
    return part


def look_up_pickup_code(*, actor: Actor, code) -> Shipment:
    """What waits under `code`, for staff to choose what to hand over; refused as
    `redeem_pickup_code` would refuse it, and a wrong code counts the same, so looking
    codes up is no way round the limit."""
    require(actor, "fulfillment.ship", actor.shop)
    wait = ratelimit.exhausted(WRONG_CODES, _counted_as(actor))
    if wait:
        raise _too_many(wait)
    pickup = _find(actor, _clean_code(code))
    _refuse_redeemed(pickup)
    shipment = pickup.shipment
    if shipment.status != ShipmentStatus.PACKED:
        raise AlreadyRedeemed(_("Shipment %(number)s is %(status)s: nothing waits for pickup.")
                              % {"number": shipment.number,
                                 "status": ShipmentStatus(shipment.status).label})
    return Shipment.objects.select_related("order").prefetch_related("lines").get(
        pk=shipment.pk)


@transaction.atomic
def redeem_pickup_code(*, actor: Actor, code, lines: list[dict] | None = None) -> Redemption:
    """Hand over what waits under `code` (or the chosen `lines`, [{"line_id",
    "quantity"}] by order line): it is marked delivered, by this staff member, and the order
    follows (已送达 once everything is). Refused when the code was used (409
    `already_redeemed`), is unknown (404), after ten wrong codes in a minute (429), or when
    the order must be paid first (409 `not_paid`: a prepayment shop that does not take
    payment at pickup)."""
    require(actor, "fulfillment.ship", actor.shop)
    wait = ratelimit.exhausted(WRONG_CODES, _counted_as(actor))
    if wait:
        raise _too_many(wait)
    pickup = _find(actor, _clean_code(code))
    _refuse_redeemed(pickup)
    # The order first, as every change of its shipments locks it: parallel redemptions of
    # one code queue here, and each re-reads the code below.
    order = Order.objects.select_for_update().select_related("shop").get(
        pk=pickup.shipment.order_id, shop_id=actor.shop_id)
    pickup = PickupCode.objects.select_for_update().get(pk=pickup.pk)
    _refuse_redeemed(pickup)
    shipment = (Shipment.objects.select_for_update(of=("self",))
                .select_related("pickup_point").get(pk=pickup.shipment_id))
    _refuse_other_point(actor, shipment)
    if shipment.status != ShipmentStatus.PACKED:
        raise AlreadyRedeemed(_("Shipment %(number)s is %(status)s: nothing waits for pickup.")
                              % {"number": shipment.number,
                                 "status": ShipmentStatus(shipment.status).label})
    terms = shop_settings(order.shop)
    if terms.requires_prepayment and not terms.pay_at_pickup and not states.is_paid(order):
        raise NotPaid(_("Order %(number)s is not paid yet: this shop hands over only paid "
                        "orders.") % {"number": order.number})
    chosen = _chosen(shipment, lines) if lines is not None else {}
    everything = {line.pk: line.quantity for line in shipment.lines.all()}
    partial = bool(chosen) and chosen != everything
    handed = _split(actor, order, shipment, chosen) if partial else shipment
    units: dict[str, int] = {}
    for line in handed.lines.all():
        units[line.sku] = units.get(line.sku, 0) + line.quantity
    events.pickup_redeemed(handed, actor=actor, units=units, partial=partial)
    tracking.record_tracking_event(
        actor=actor, shipment=handed, status=ShipmentStatus.DELIVERED,
        detail=_("Picked up with the pickup code; handed over by %(name)s")
        % {"name": actor.label})
    if not partial:
        pickup.status = PickupCodeStatus.REDEEMED
        pickup.redeemed_at = timezone.now()
        pickup.redeemed_by = actor.user
        pickup.redeemed_label = actor.label[:150]
        pickup.save(update_fields=["status", "redeemed_at", "redeemed_by", "redeemed_label"])
    order.refresh_from_db()
    return Redemption(order=order, handed_over=Shipment.objects.get(pk=handed.pk),
                      waiting=Shipment.objects.get(pk=shipment.pk) if partial else None)
