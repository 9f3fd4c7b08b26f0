"""Orders over the API, in the shapes other systems rely on (schemas.py): placing, listing,
reading, bulk actions, moving an order on, and 改价 against the version read (If-Match)."""

from typing import Literal

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.pagination import paginate

from dingdan.api.errors import with_errors
from dingdan.api.pagination import LargePage, Pages
from dingdan.errors import InvalidInput
from dingdan.orders import privacy
from dingdan.orders.api.schemas import (
    PRIORITY_VALUES,
    BulkIn,
    BulkOut,
    CancelIn,
    OrderFilter,
    OrderIn,
    OrderOut,
    OrderPatch,
    RepriceIn,
    TransitionIn,
    order_out,
)
from dingdan.orders.api.versions import if_match
from dingdan.orders.selectors import orders as selectors
from dingdan.orders.services import bulk as bulk_actions
from dingdan.orders.services import editing, lifecycle, placement
from dingdan.shops import idempotency
from dingdan.shops.permissions import require

router = Router(tags=["orders"])


@router.post("/orders", response=with_errors({201: OrderOut}, 409))
def place_order(request: HttpRequest, payload: OrderIn):
    """Prices, shipping and totals are computed by dingdan; send SKUs and quantities.
    With an `Idempotency-Key` header a retry returns the first answer."""
    actor = request.auth
    # Checked here too, not only in the service: a retry is answered from the stored first
    # answer without reaching the service, and that answer holds the customer's details.
    require(actor, "orders.create", actor.shop)

    def create() -> dict:
        order = placement.place_order(
            actor=actor,
            shop=actor.shop,
            customer=placement.CustomerInput(**payload.customer.model_dump()),
            lines=[(line.sku, line.quantity) for line in payload.lines],
            channel=payload.channel,
            delivery_method=payload.delivery_method,
            note=payload.note,
        )
        # The order comes back with its lines and flags in hand: no second read.
        return order_out(order, pii=privacy.may_see_pii(actor))

    return idempotency.created(request, actor.shop, OrderOut, create)


@router.get("/orders", response=with_errors(list[OrderOut]))
@paginate(Pages, page_size=50)
def list_orders(request: HttpRequest, filters: Query[OrderFilter]):
    """Newest first. `count` is exact up to 1,000; when more orders match it says 1,000:
    narrow the filter (e.g. `created_after`/`created_before`) to count further, or read on
    until a page comes back short (every page can be read)."""
    actor = request.auth
    require(actor, "orders.view", actor.shop)
    wanted = filters.model_dump()
    if wanted.pop("overdue"):
        wanted["unpaid_placed_before"] = selectors.overdue_cut_off(actor.shop, timezone.now())
    if wanted["priority"] is not None:
        wanted["priority"] = PRIORITY_VALUES[wanted["priority"]]
    pii = privacy.may_see_pii(actor)
    return LargePage(
        selectors.orders_for_shop(actor.shop, **wanted, partial_phone=pii),
        lambda order: order_out(order, pii=pii),
        rows=lambda ids: selectors.orders_by_ids(actor.shop, ids),
    )


@router.post("/orders/bulk", response=with_errors(BulkOut))
def bulk(request: HttpRequest, payload: BulkIn):
    """One action on many orders; each succeeds or fails on its own, and the answer lists
    both (failures with their error)."""
    actor = request.auth
    require(actor, "orders.view", actor.shop)
    params = payload.model_dump()
    if payload.action == "transition" and payload.to is None:
        raise InvalidInput(
            _("Say which status to move to."), fields={"to": _("This field is required.")}
        )
    if payload.action == "priority":
        if payload.priority is None:
            raise InvalidInput(
                _("Say which priority."), fields={"priority": _("This field is required.")}
            )
        params["priority"] = PRIORITY_VALUES[payload.priority]
    return bulk_actions.bulk_apply(
        actor=actor, shop=actor.shop, order_ids=payload.ids, action=payload.action, params=params
    )


@router.get("/orders/{order_id}", response=with_errors(OrderOut))
def get_order(request: HttpRequest, order_id: int, include: Literal["events"] | None = None):
    """`?include=events` adds the timeline."""
    actor = request.auth
    require(actor, "orders.view", actor.shop)
    with_events = include == "events"
    order = selectors.order_in_shop(actor.shop, order_id, with_events=with_events)
    return order_out(order, pii=privacy.may_see_pii(actor), with_events=with_events)


@router.post("/orders/{order_id}/transition", response=with_errors(OrderOut, 409))
def transition(request: HttpRequest, order_id: int, payload: TransitionIn):
    """Move the order to another status; 409 `invalid_transition` names the allowed ones."""
    actor = request.auth
    require(actor, "orders.view", actor.shop)
    order = selectors.order_in_shop(actor.shop, order_id)
    lifecycle.transition_order(actor=actor, order=order, to=payload.to, note=payload.note,
                               reason=payload.reason)
    return order_out(selectors.order_in_shop(actor.shop, order_id),
                     pii=privacy.may_see_pii(actor))


@router.post("/orders/{order_id}/cancel", response=with_errors(OrderOut, 409))
def cancel(request: HttpRequest, order_id: int, payload: CancelIn):
    """Cancel with a reason: reserved stock goes back and backorders are dropped; with
    `"refund": true` everything refundable is refunded in the same transaction (or nothing
    happens). No reason is 400 `cancel_reason_required`. With an `Idempotency-Key` header
    a retry returns the first answer instead of 409 `invalid_transition`."""
    actor = request.auth
    # Checked before a stored answer is given back, as for placement.
    require(actor, "orders.cancel", actor.shop)
    order = selectors.order_in_shop(actor.shop, order_id)

    def produce() -> tuple[int, dict]:
        lifecycle.cancel_order(actor=actor, order=order, reason=payload.reason or "",
                               note=payload.note, refund=payload.refund)
        body = order_out(selectors.order_in_shop(actor.shop, order_id),
                         pii=privacy.may_see_pii(actor))
        return 200, OrderOut.model_validate(body).model_dump(mode="json")

    return Status(*idempotency.once(request, actor.shop, produce))


@router.patch("/orders/{order_id}", response=with_errors(OrderOut, 409, 428))
def edit(request: HttpRequest, order_id: int, payload: OrderPatch):
    """Edit lines, delivery, address or notes. `If-Match: <version>` is required; a stale version is
    409 `stale_version` listing what changed since."""
    actor = request.auth
    require(actor, "orders.view", actor.shop)
    version = if_match(request)
    order = selectors.order_in_shop(actor.shop, order_id)
    editing.edit_order(
        actor=actor,
        order=order,
        version=version,
        lines=None if payload.lines is None else [(ln.sku, ln.quantity) for ln in payload.lines],
        delivery_method=payload.delivery_method,
        address=payload.address,
        note=payload.note,
        internal_note=payload.internal_note,
        reason=payload.reason,
    )
    return order_out(selectors.order_in_shop(actor.shop, order_id),
                     pii=privacy.may_see_pii(actor))


@router.post("/orders/{order_id}/reprice", response=with_errors(OrderOut, 409, 428))
def reprice(request: HttpRequest, order_id: int, payload: RepriceIn):
    """改价 before payment: set unit prices by SKU and/or an order discount, with a reason.
    `If-Match: <version>` is required."""
    actor = request.auth
    require(actor, "orders.view", actor.shop)
    version = if_match(request)
    order = selectors.order_in_shop(actor.shop, order_id)
    editing.change_prices(
        actor=actor, order=order, version=version, unit_prices=payload.unit_prices,
        order_discount_cents=payload.order_discount_cents, reason=payload.reason,
    )
    return order_out(selectors.order_in_shop(actor.shop, order_id),
                     pii=privacy.may_see_pii(actor))
