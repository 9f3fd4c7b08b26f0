"""Orders over the API, in the shapes other systems rely on."""

from datetime import datetime
from typing import Literal

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import Field

from dingdan.api.errors import with_errors
from dingdan.api.fields import Moment, RowId
from dingdan.api.pagination import LargePage, Pages
from dingdan.errors import DomainError, InvalidInput
from dingdan.orders import privacy
from dingdan.orders.models import Channel, DeliveryMethod, Order, Priority
from dingdan.orders.selectors import orders as selectors
from dingdan.orders.services import bulk as bulk_actions
from dingdan.orders.services import editing, lifecycle, placement, review
from dingdan.orders.states import CancelReason, PaymentStatus
from dingdan.orders.states import Status as OrderStatus
from dingdan.shops import idempotency
from dingdan.shops.permissions import require

router = Router(tags=["orders"])


class OrderCustomerIn(Schema):
    name: str = Field(..., min_length=1, max_length=100)
    phone: str | None = Field(None, max_length=40)
    address: str | None = Field(None, max_length=300)


class LineIn(Schema):
    sku: str = Field(..., min_length=1, max_length=64)
    quantity: int = Field(..., gt=0, le=placement.MAX_QUANTITY)


class OrderIn(Schema):
    customer: OrderCustomerIn
    lines: list[LineIn] = Field(..., min_length=1, max_length=placement.MAX_LINES)
    channel: Channel = Channel.API
    delivery_method: DeliveryMethod = DeliveryMethod.EXPRESS
    note: str = Field("", max_length=500)


class LineOut(Schema):
    sku: str
    name: str
    quantity: int
    unit_price_cents: int
    total_cents: int


class OrderCustomerOut(Schema):
    id: int
    name: str
    phone: str
    province: str
    city: str
    district: str
    address: str


class EventOut(Schema):
    kind: str
    actor_kind: str
    actor_label: str
    data: dict
    note: str
    created_at: datetime


class FlagOut(Schema):
    code: str
    message: str
    data: dict


class FollowUpOut(Schema):
    id: int
    due_at: datetime
    note: str
    created_by: str
    done_at: datetime | None


class FollowUpIn(Schema):
    due_at: Moment
    note: str = Field(..., min_length=1, max_length=300)


class RepriceIn(Schema):
    unit_prices: dict[str, int] = Field(default_factory=dict, description="SKU → unit price")
    order_discount_cents: int | None = Field(None, ge=0)
    reason: str = Field(..., min_length=1, max_length=500)


class ResolveIn(Schema):
    note: str = Field("", max_length=500)


class OrderOut(Schema):
    id: int
    number: str
    status: OrderStatus
    payment_status: str = Field(
        description="unpaid, partially_paid, paid, partially_refunded or refunded "
        "(docs/payments.md)."
    )
    fulfillment_status: str
    channel: str
    delivery_method: str
    subtotal_cents: int
    shipping_cents: int
    discount_cents: int
    tax_cents: int
    total_cents: int
    paid_cents: int = Field(description="Succeeded payments, from the payments ledger.")
    refunded_cents: int = Field(description="Succeeded refunds, from the payments ledger.")
    balance_due_cents: int = Field(
        description="What the customer still owes: total − (paid − refunded), at least 0; "
        "0 once the order is cancelled."
    )
    lines: list[LineOut]
    customer: OrderCustomerOut
    note: str
    internal_note: str
    cancel_reason: CancelReason | Literal[""] = Field(
        description="Why the order was cancelled (empty unless it was)."
    )
    cancel_note: str
    priority: Literal["normal", "high", "urgent"]
    assignee_id: int | None
    tags: list[str]
    needs_attention: bool
    flags: list[FlagOut]
    follow_ups: list[FollowUpOut] | None = None
    version: int
    created_at: datetime
    events: list[EventOut] | None = None
    pii_masked: bool = Field(
        description="True when the phone and street address are masked for the caller's role "
        "(it lacks customers.view_pii)."
    )


PRIORITY_NAMES = {Priority.NORMAL: "normal", Priority.HIGH: "high", Priority.URGENT: "urgent"}
PRIORITY_VALUES = {name: value for value, name in PRIORITY_NAMES.items()}


class OrderFilter(Schema):
    status: OrderStatus | None = None
    tag: str | None = Field(None, max_length=30)
    assignee_id: RowId | None = None
    priority: Literal["normal", "high", "urgent"] | None = None
    needs_attention: bool | None = None
    flag: str | None = Field(None, max_length=32, description="an open flag's code")
    channel: Channel | None = None
    q: str | None = Field(None, max_length=100)
    created_after: Moment | None = None
    created_before: Moment | None = None
    payment_status: PaymentStatus | None = None
    overdue: bool | None = Field(
        None, description="true: orders past the shop's credit days that still owe money "
        "(none unless the shop is on credit terms)"
    )


class OrderPatch(Schema):
    lines: list[LineIn] | None = Field(None, min_length=1,
                                         max_length=placement.MAX_LINES)
    delivery_method: DeliveryMethod | None = None
    address: str | None = Field(None, max_length=200)
    note: str | None = Field(None, max_length=500)
    internal_note: str | None = Field(None, max_length=500)
    reason: str = Field("", max_length=500)


class BulkIn(Schema):
    ids: list[RowId] = Field(..., min_length=1, max_length=bulk_actions.MAX_BULK)
    action: Literal["transition", "assign", "priority", "tag", "untag"]
    to: OrderStatus | None = None
    note: str = Field("", max_length=500)
    reason: CancelReason | None = Field(None, description="Why, when cancelling.")
    assignee_id: RowId | None = None
    priority: Literal["normal", "high", "urgent"] | None = None
    tags: list[str] = Field(default_factory=list, max_length=20)


class BulkDone(Schema):
    id: int
    number: str
    status: str
    version: int


class BulkError(Schema):
    code: str
    message: str


class BulkFailed(Schema):
    id: int
    error: BulkError


class BulkOut(Schema):
    succeeded: list[BulkDone]
    failed: list[BulkFailed]


class TransitionIn(Schema):
    to: OrderStatus
    note: str = Field("", max_length=500)
    reason: CancelReason | None = Field(
        None, description="Required when `to` is `cancelled`; `other` also needs a `note`."
    )


class CancelIn(Schema):
    reason: CancelReason | None = Field(
        None, description="Why (required); `other` also needs a `note`."
    )
    note: str = Field("", max_length=500)
    refund: bool = Field(
        False, description="Also refund everything refundable, in the same transaction "
        "(needs payments.refund)."
    )


def order_out(order: Order, *, pii: bool, with_events: bool = False) -> dict:
    """The order as the API answers it; `pii` False (see privacy.may_see_pii) masks the
    customer's phone and street address, in the order and in its timeline."""
    contact = privacy.contact_as_seen_by(order, pii=pii)
    body = {
        **{
            f: getattr(order, f)
            for f in (
                "id",
                "number",
                "status",
                "payment_status",
                "fulfillment_status",
                "channel",
                "delivery_method",
                "subtotal_cents",
                "shipping_cents",
                "discount_cents",
                "tax_cents",
                "total_cents",
                "paid_cents",
                "refunded_cents",
                "balance_due_cents",
                "note",
                "internal_note",
                "cancel_reason",
                "cancel_note",
                "version",
                "created_at",
            )
        },
        "lines": selectors.lines_of(order),
        "priority": PRIORITY_NAMES[order.priority],
        "assignee_id": order.assignee_id,
        "tags": selectors.tags_of(order),
        "needs_attention": order.needs_attention,
        "flags": [
            {"code": f.code, "message": review.flag_message(f.code, f.data), "data": f.data}
            for f in order.open_flag_list
        ],
        "customer": {
            "id": order.customer_id,
            "name": contact.name,
            "phone": contact.phone,
            "province": contact.province,
            "city": contact.city,
            "district": contact.district,
            "address": contact.detail,
        },
        "pii_masked": contact.is_masked,
    }
    if with_events:
        body["events"] = [
            {"kind": e.kind, "actor_kind": e.actor_kind, "actor_label": e.actor_label,
             "data": privacy.event_data_as_seen_by(e.kind, e.data, pii=pii), "note": e.note,
             "created_at": e.created_at}
            for e in order.events.all()
        ]
        body["follow_ups"] = list(order.follow_ups.all())
    return body


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


class VersionRequired(DomainError):
    status = 428
    code = "version_required"


def _if_match(request: HttpRequest) -> int:
    raw = (request.headers.get("If-Match") or "").strip().strip('"').removeprefix("W/").strip('"')
    if not raw.isdigit():
        raise VersionRequired(
            _("Send the version you edited as an If-Match header, e.g. If-Match: 3."),
            fields={"If-Match": _("A whole number: the order's version.")},
        )
    return int(raw)


@router.patch("/orders/{order_id}", response=with_errors(OrderOut, 409, 428))
def edit(request: HttpRequest, order_id: int, payload: OrderPatch):
    """Edit lines, delivery, address or notes. `If-Match: <version>` is required; a stale version is
    409 `stale_version` listing what changed since."""
    actor = request.auth
    require(actor, "orders.view", actor.shop)
    version = _if_match(request)
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


@router.post("/orders/{order_id}/flags/{code}/resolve", response=with_errors(OrderOut, 409))
def resolve_flag(request: HttpRequest, order_id: int, code: str, payload: ResolveIn):
    """Mark one of the order's problems as looked at."""
    actor = request.auth
    require(actor, "orders.view", actor.shop)
    order = selectors.order_in_shop(actor.shop, order_id)
    review.resolve_flag(actor=actor, order=order, code=code, note=payload.note)
    return order_out(selectors.order_in_shop(actor.shop, order_id),
                     pii=privacy.may_see_pii(actor))


@router.post("/orders/{order_id}/follow-ups", response=with_errors({201: FollowUpOut}))
def add_follow_up(request: HttpRequest, order_id: int, payload: FollowUpIn):
    """Remind the team to come back to the order at `due_at`."""
    actor = request.auth
    require(actor, "orders.view", actor.shop)
    order = selectors.order_in_shop(actor.shop, order_id)
    follow_up = review.add_follow_up(
        actor=actor, order=order, due_at=payload.due_at, note=payload.note
    )
    return Status(201, follow_up)


@router.post("/orders/{order_id}/reprice", response=with_errors(OrderOut, 409, 428))
def reprice(request: HttpRequest, order_id: int, payload: RepriceIn):
    """改价 before payment: set unit prices by SKU and/or an order discount, with a reason.
    `If-Match: <version>` is required."""
    actor = request.auth
    require(actor, "orders.view", actor.shop)
    version = _if_match(request)
    order = selectors.order_in_shop(actor.shop, order_id)
    editing.change_prices(
        actor=actor, order=order, version=version, unit_prices=payload.unit_prices,
        order_discount_cents=payload.order_discount_cents, reason=payload.reason,
    )
    return order_out(selectors.order_in_shop(actor.shop, order_id),
                     pii=privacy.may_see_pii(actor))
