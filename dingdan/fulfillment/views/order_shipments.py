"""The order page's shipments panel (through the `orders.page_context` hook: orders never
import fulfillment) and its forms: ship chosen lines, cancel a shipment that has not left,
record a step on the way.

Thin: the quantities typed per line become the service's lines, everything else is
`create_shipment`, `cancel_shipment` and `record_tracking_event`. A refused form is shown
again on the order page as typed, each message next to its input."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dingdan.fulfillment.carriers import CARRIERS, carrier_choices, tracking_url
from dingdan.fulfillment.models import (
    NOT_LEFT,
    Method,
    PickupCode,
    PickupPoint,
    ShipmentStatus,
)
from dingdan.fulfillment.selectors import shipments as selectors
from dingdan.fulfillment.selectors.presentation import carrier_name
from dingdan.fulfillment.selectors.tracking_accounts import tracking_watch
from dingdan.fulfillment.services import (
    interceptions,
    local_delivery,
    shipping,
    shortages,
    tracking,
)
from dingdan.localtime import shop_time
from dingdan.orders.selectors import orders as order_selectors
from dingdan.orders.states import Status
from dingdan.orders.views.orders import render_order_page
from dingdan.shops.permissions import require, role_allows
from dingdan.ui.decorators import form_errors, staff_view
from dingdan.ui.errors import Show, refusal
from dingdan.whole_numbers import parse_whole_number

TEMPLATE = "fulfillment/_order_shipments.html"
SHIP_INPUTS = {"carrier": "ship-carrier", "tracking_number": "ship-tracking",
               "method": "ship-method", "lines": "ship-lines",
               "pickup_point_id": "ship-point"}
STEP_STATUSES = [s for s in ShipmentStatus if s not in (ShipmentStatus.CANCELLED,
                                                        ShipmentStatus.PACKED)]


def order_page_context(*, shop, order, actor=None) -> dict:
    return {"shipments_panel": shipments_panel(order, actor)}


def _pickup_code(shipment):
    if shipment.method != Method.PICKUP:
        return None
    return PickupCode.objects.filter(shipment=shipment).first()


def _row(shop, shipment, may_ship: bool, order_status: str, may_edit: bool = False) -> dict:
    own = selectors.shop_carriers(shop) if shipment.carrier not in CARRIERS else []
    url = (tracking_url(shipment.carrier, shipment.tracking_number, shop_carriers=own)
           if shipment.carrier and shipment.tracking_number else None)
    has_left = shipment.status not in NOT_LEFT | {ShipmentStatus.SHIPPED} or (
        shipment.status == ShipmentStatus.SHIPPED and order_status != Status.SHIPPED)
    return {
        "shipment": shipment,
        "carrier": carrier_name(shipment.carrier, own) if shipment.carrier else "",
        "tracking_url": url,
        "created_at": shop_time(shop, shipment.created_at),
        "events": [{"at": shop_time(shop, e.at), "status": e.get_status_display(),
                    "detail": e.detail} for e in shipment.events.all()],
        "may_cancel": may_ship and shipment.status != ShipmentStatus.CANCELLED and not has_left,
        "may_step": may_ship and shipment.status != ShipmentStatus.CANCELLED,
        "form_key": f"step-{shipment.pk}",
        "intercept_key": f"intercept-{shipment.pk}",
        "interceptions": list(shipment.interceptions.all()),
        "may_intercept": may_edit and shipment.status in interceptions.INTERCEPTABLE
        and not any(i.status == "requested" for i in shipment.interceptions.all()),
        "may_settle": may_ship,
        "watch": tracking_watch(shipment),
        "pickup_code": _pickup_code(shipment) if may_ship else None,
        "may_assign": may_ship and shipment.method == Method.LOCAL
        and shipment.status not in (ShipmentStatus.CANCELLED, ShipmentStatus.DELIVERED),
        "courier_key": f"courier-{shipment.pk}",
        "tracking_key": f"tracking-{shipment.pk}",
        "may_set_tracking": may_ship and shipment.method == Method.EXPRESS
        and shipment.status not in (ShipmentStatus.CANCELLED, ShipmentStatus.DELIVERED,
                                    ShipmentStatus.RETURNED),
    }


def shipments_panel(order, actor, *, errors: dict | None = None, typed: dict | None = None,
                    open_form: str = "") -> dict:
    """What the panel shows: the shipments, and for the roles that ship, the forms."""
    role = getattr(actor, "role", None)
    may_ship = bool(role) and role_allows(role, "fulfillment.ship")
    may_edit = bool(role) and role_allows(role, "orders.edit")
    shop = order.shop
    to_ship = selectors.lines_to_ship(order)
    typed = typed or {}
    return {
        "template": TEMPLATE,
        "order_id": order.pk,
        "rows": [_row(shop, s, may_ship, order.status, may_edit)
                 for s in selectors.shipments_of(order)],
        "lines": [{"id": t.line.pk, "name": t.line.name, "sku": t.line.sku,
                   "ordered": t.line.quantity, "shipped": t.shipped, "left": t.left,
                   "ready": t.ready, "input": f"ship-qty-{t.line.pk}",
                   "drop_input": f"drop-qty-{t.line.pk}",
                   "drop_typed": typed.get(f"drop_qty_{t.line.pk}", ""),
                   "typed": typed.get(f"ship_qty_{t.line.pk}", t.ready)} for t in to_ship],
        "may_ship": may_ship and order.status in shipping.SHIPPABLE
        and any(t.left > 0 for t in to_ship),
        "may_drop": may_edit and order.status in shipping.SHIPPABLE
        and any(t.left > 0 for t in to_ship),
        "may_refund": bool(role) and role_allows(role, "payments.refund"),
        "methods": Method.choices,
        "default_method": typed.get("ship_method") or order.delivery_method,
        "carriers": carrier_choices(selectors.shop_carriers(shop)),
        "points": [(p.pk, p.name) for p in PickupPoint.objects.filter(shop=shop,
                                                                       is_active=True)]
        if may_ship else [],
        "step_statuses": [(s.value, s.label) for s in STEP_STATUSES],
        "members": [(m.pk, m.user.get_full_name() or m.user.get_username())
                    for m in shop.memberships.select_related("user").order_by("id")]
        if may_ship else [],
        "errors": errors or {},
        "typed": typed,
        "open_form": open_form,
    }


def _typed(request: HttpRequest) -> dict:
    return {name.replace("-", "_"): value[:200] for name, value in request.POST.items()
            if name.startswith(("ship-", "step-", "intercept-", "drop-", "courier-",
                                "tracking-"))}


def _attempt(request, order, action, inputs: dict, success: str, open_form: str):
    with refusal(request, show=Show.MESSAGE, passing=(403, 404)) as refused:
        action()
    if not refused:
        messages.success(request, success)
        return redirect("orders:detail", order_id=order.pk)
    errors = form_errors(refused.fields, inputs)
    code = getattr(refused.error, "code", "")
    if not errors and code in ("over_shipment", "not_in_stock"):
        errors["drop-lines" if open_form == "drop" else "ship-lines"] = refused.message
    if not errors and code in ("nothing_left", "total_below_paid", "permission_denied"):
        errors["drop-lines"] = refused.message
    order = order_selectors.order_in_shop(request.actor.shop, order.pk, with_events=True)
    panel = shipments_panel(order, request.actor, errors=errors, typed=_typed(request),
                            open_form=open_form)
    return render_order_page(request, order, extra={"shipments_panel": panel})


def _order_and_shipment(request, action: str, order_id: int, shipment_id: int):
    """The order and its shipment for a form posted on the order's page, after the
    permission check; the shipment None when it belongs to another order of the shop."""
    shop = request.actor.shop
    require(request.actor, action, shop)
    order = order_selectors.order_in_shop(shop, order_id)
    shipment = selectors.shipment_in_shop(shop, shipment_id)
    return order, shipment if shipment.order_id == order.pk else None


def _lines(request, order, prefix: str = "ship-qty") -> list[dict]:
    lines = []
    for line in order.lines.all():
        name = f"{prefix}-{line.pk}"
        quantity = parse_whole_number(request.POST.get(name) or "0", name)
        if quantity:
            lines.append({"line_id": line.pk, "quantity": quantity})
    return lines


def _point_id(value: str):
    """The chosen pickup point's id; none chosen: None (the default point is taken); a value
    that is no id goes to the service as typed, to be refused at the field."""
    value = value.strip()
    if not value:
        return None
    return int(value) if value.isascii() and value.isdigit() and len(value) < 18 else value


@staff_view
@require_POST
def ship(request: HttpRequest, order_id: int) -> HttpResponse:
    actor, shop = request.actor, request.actor.shop
    require(actor, "fulfillment.ship", shop)
    order = order_selectors.order_in_shop(shop, order_id)
    post = request.POST

    def create():
        return shipping.create_shipment(
            actor=actor, order=order, lines=_lines(request, order),
            method=post.get("ship-method") or None, carrier=post.get("ship-carrier", ""),
            tracking_number=post.get("ship-tracking", ""), note=post.get("ship-note", ""),
            pickup_point_id=_point_id(post.get("ship-point", "")))

    inputs = {**SHIP_INPUTS, **{f"ship-qty-{line.pk}": f"ship-qty-{line.pk}"
                                for line in order.lines.all()}}
    return _attempt(request, order, create, inputs, _("Shipped."), "ship")


@staff_view
@require_POST
def cancel(request: HttpRequest, order_id: int, shipment_id: int) -> HttpResponse:
    actor = request.actor
    order, shipment = _order_and_shipment(request, "fulfillment.ship", order_id, shipment_id)
    if shipment is None:
        return redirect("orders:detail", order_id=order.pk)
    return _attempt(request, order, lambda: shipping.cancel_shipment(
        actor=actor, shipment=shipment, note=request.POST.get("note", "")), {},
        _("Shipment cancelled; its units are held for the order again."), "")


@staff_view
@require_POST
def add_step(request: HttpRequest, order_id: int, shipment_id: int) -> HttpResponse:
    actor = request.actor
    order, shipment = _order_and_shipment(request, "fulfillment.ship", order_id, shipment_id)
    if shipment is None:
        return redirect("orders:detail", order_id=order.pk)
    return _attempt(request, order, lambda: tracking.record_tracking_event(
        actor=actor, shipment=shipment, status=request.POST.get("step-status", ""),
        detail=request.POST.get("step-detail", "")),
        {}, _("Recorded."), f"step-{shipment.pk}")


@staff_view
@require_POST
def intercept(request: HttpRequest, order_id: int, shipment_id: int) -> HttpResponse:
    actor = request.actor
    order, shipment = _order_and_shipment(request, "orders.edit", order_id, shipment_id)
    if shipment is None:
        return redirect("orders:detail", order_id=order.pk)
    return _attempt(request, order, lambda: interceptions.request_interception(
        actor=actor, shipment=shipment, address=request.POST.get("intercept-address", ""),
        note=request.POST.get("intercept-note", "")), {"address": "intercept-address"},
        _("Interception asked for: tell the carrier, then record its answer here."),
        f"intercept-{shipment.pk}")


@staff_view
@require_POST
def settle(request: HttpRequest, order_id: int, interception_id: int) -> HttpResponse:
    actor, shop = request.actor, request.actor.shop
    require(actor, "fulfillment.ship", shop)
    order = order_selectors.order_in_shop(shop, order_id)
    found = interceptions.interception_in_shop(shop, interception_id)
    if found.shipment.order_id != order.pk:
        return redirect("orders:detail", order_id=order.pk)
    return _attempt(request, order, lambda: interceptions.settle_interception(
        actor=actor, interception=found,
        intercepted=request.POST.get("outcome") == "intercepted",
        note=request.POST.get("outcome-note", "")), {}, _("Recorded."), "")


@staff_view
@require_POST
def drop(request: HttpRequest, order_id: int) -> HttpResponse:
    actor, shop = request.actor, request.actor.shop
    require(actor, "orders.edit", shop)
    order = order_selectors.order_in_shop(shop, order_id)
    inputs = {"reason": "drop-reason", "lines": "drop-lines",
              **{f"drop-qty-{line.pk}": f"drop-qty-{line.pk}" for line in order.lines.all()}}
    return _attempt(request, order, lambda: shortages.drop_short_units(
        actor=actor, order=order, lines=_lines(request, order, "drop-qty"),
        reason=request.POST.get("drop-reason", ""),
        refund=request.POST.get("drop-refund") == "on"), inputs,
        _("The units were dropped from the order."), "drop")


@staff_view
@require_POST
def courier(request: HttpRequest, order_id: int, shipment_id: int) -> HttpResponse:
    actor = request.actor
    order, shipment = _order_and_shipment(request, "fulfillment.ship", order_id, shipment_id)
    if shipment is None:
        return redirect("orders:detail", order_id=order.pk)
    member = request.POST.get("courier-member", "")
    return _attempt(request, order, lambda: local_delivery.assign_courier(
        actor=actor, shipment=shipment, member_id=int(member) if member.isdigit() else None,
        name=request.POST.get("courier-name", ""), phone=request.POST.get("courier-phone", "")),
        {"courier": "courier-member", "courier_name": "courier-name",
         "courier_phone": "courier-phone"}, _("Courier assigned."), f"courier-{shipment.pk}")


@staff_view
@require_POST
def set_tracking(request: HttpRequest, order_id: int, shipment_id: int) -> HttpResponse:
    actor = request.actor
    order, shipment = _order_and_shipment(request, "fulfillment.ship", order_id, shipment_id)
    if shipment is None:
        return redirect("orders:detail", order_id=order.pk)
    return _attempt(request, order, lambda: shipping.set_tracking_number(
        actor=actor, shipment=shipment, carrier=request.POST.get("tracking-carrier", ""),
        tracking_number=request.POST.get("tracking-number", "")),
        {"carrier": "tracking-carrier", "tracking_number": "tracking-number"},
        _("Tracking number saved."), f"tracking-{shipment.pk}")
