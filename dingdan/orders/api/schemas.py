"""The shapes orders take over the API: what other systems send and what they read back."""

from datetime import datetime
from typing import Literal

from ninja import Schema
from pydantic import Field

from dingdan.api.fields import Moment, RowId
from dingdan.orders import privacy
from dingdan.orders.models import Channel, DeliveryMethod, Order, Priority
from dingdan.orders.selectors import orders as selectors
from dingdan.orders.services import bulk as bulk_actions
from dingdan.orders.services import placement, review
from dingdan.orders.states import CancelReason, PaymentStatus
from dingdan.orders.states import Status as OrderStatus


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
    id: int = Field(..., description="The line's id, e.g. to ship it (`line_id`).")
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
