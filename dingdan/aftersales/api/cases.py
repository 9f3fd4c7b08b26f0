"""After-sales cases over the API: open one on an order, list and read them, and the steps
that settle nothing yet (reject, cancel)."""

from datetime import datetime

from django.http import HttpRequest
from ninja import Router, Schema, Status
from pydantic import Field

from dingdan.aftersales.models import Case, CaseReason, CaseStatus, CaseType
from dingdan.aftersales.selectors import cases as selectors
from dingdan.aftersales.services import cases as services
from dingdan.aftersales.services import returns, settling
from dingdan.api.errors import with_errors
from dingdan.orders.selectors import orders as order_selectors
from dingdan.shops import idempotency
from dingdan.shops.permissions import require

router = Router(tags=["aftersales"])


class ClaimIn(Schema):
    line_id: int
    quantity: int


class CaseIn(Schema):
    type: str = Field(..., description=", ".join(CaseType.values))
    lines: list[ClaimIn] = Field(..., description="Order lines and units the case is about.")
    reason: str = Field(..., description=", ".join(CaseReason.values))
    description: str = Field("", max_length=1000)
    amount_cents: int | None = Field(None, description="What the customer asks back, in fen; "
                                     "the lines' share of what was paid when left out "
                                     "(refund only, return and refund), else 0.")


class CaseRejectIn(Schema):
    reason: str = Field(..., max_length=500, description="Why; the customer reads it.")


class CaseApproveIn(Schema):
    refund_cents: int | None = Field(None, description="What to give back, in fen: what was "
                                     "asked when left out; at most the lines' share of what "
                                     "was paid (with the shipping fee when refund_shipping).")
    refund_shipping: bool = False
    note: str = Field("", max_length=500)


class ReturnShippedIn(Schema):
    carrier: str = Field(..., max_length=32)
    tracking_number: str = Field(..., max_length=60)


class InspectedLineIn(Schema):
    line_id: int = Field(..., description="The order line, as in the case's lines.")
    resellable: int = 0
    damaged: int = 0


class ReturnReceivedIn(Schema):
    lines: list[InspectedLineIn]
    note: str = Field("", max_length=500)


class CaseCloseIn(Schema):
    note: str = Field("", max_length=500)


class CaseCancelIn(Schema):
    note: str = Field("", max_length=500)


class CaseLineOut(Schema):
    line_id: int | None
    sku: str
    name: str
    quantity: int
    resellable: int | None
    damaged: int | None


class CaseEventOut(Schema):
    kind: str
    before: str
    after: str
    actor: str
    note: str
    at: datetime


class CaseOut(Schema):
    id: int
    order_id: int
    order_number: str
    number: str
    type: str
    status: str = Field(..., description=", ".join(CaseStatus.values))
    reason: str
    description: str
    requested_cents: int
    approved_cents: int | None
    refund_shipping: bool
    rejection_reason: str
    return_carrier: str
    return_tracking_number: str
    opened_by: str
    answer_due_at: datetime | None
    return_due_at: datetime | None
    lines: list[CaseLineOut]
    events: list[CaseEventOut] = Field(default_factory=list)
    created_at: datetime
    closed_at: datetime | None


def case_out(case: Case, *, with_events: bool = True) -> dict:
    return {
        "id": case.pk, "order_id": case.order_id, "order_number": case.order.number,
        "number": case.number, "type": case.type, "status": case.status,
        "reason": case.reason, "description": case.description,
        "requested_cents": case.requested_cents, "approved_cents": case.approved_cents,
        "refund_shipping": case.refund_shipping, "rejection_reason": case.rejection_reason,
        "return_carrier": case.return_carrier,
        "return_tracking_number": case.return_tracking_number,
        "opened_by": case.opened_label, "answer_due_at": case.answer_due_at,
        "return_due_at": case.return_due_at,
        "lines": [{"line_id": line.order_line_id, "sku": line.sku, "name": line.name,
                   "quantity": line.quantity, "resellable": line.resellable,
                   "damaged": line.damaged} for line in case.lines.all()],
        "events": [{"kind": event.kind, "before": event.before, "after": event.after,
                    "actor": event.actor_label, "note": event.note, "at": event.at}
                   for event in case.events.all()] if with_events else [],
        "created_at": case.created_at, "closed_at": case.closed_at,
    }


def _fresh(case: Case) -> dict:
    return case_out(selectors.case_in_shop(case.shop, case.pk))


def _step(request: HttpRequest, take) -> Status:
    """A step's 200 answer, taken at most once per Idempotency-Key."""
    def produce() -> tuple[int, dict]:
        return 200, CaseOut.model_validate(_fresh(take())).model_dump(mode="json")

    return Status(*idempotency.once(request, request.auth.shop, produce))


@router.post("/orders/{order_id}/aftersales", response=with_errors({201: CaseOut}, 409))
def open_case(request: HttpRequest, order_id: int, payload: CaseIn):
    """Open a case on units that were shipped or handed over; 201 with `status:
    "requested"`. 409 `over_claim` (details name each line with what it can still claim),
    409 `not_fulfilled` (nothing shipped or handed over: cancel or edit the order instead);
    400 on `type`, `reason`, `lines` or `amount_cents`. With an `Idempotency-Key` header a
    retry returns the first answer."""
    actor = request.auth
    require(actor, "aftersales.handle", actor.shop)
    order = order_selectors.order_in_shop(actor.shop, order_id)

    def create() -> dict:
        return _fresh(services.open_case(
            actor=actor, order=order, type=payload.type,
            lines=[line.dict() for line in payload.lines], reason=payload.reason,
            description=payload.description, amount_cents=payload.amount_cents))

    return idempotency.created(request, actor.shop, CaseOut, create)


@router.get("/aftersales", response=with_errors(list[CaseOut]))
def list_cases(request: HttpRequest, status: str = "", type: str = ""):
    """The shop's cases, the earliest answer due first (at most 200; filter by `status` and
    `type`)."""
    actor = request.auth
    require(actor, "orders.view", actor.shop)
    cases = selectors.cases_of_shop(actor.shop, status=status, type=type)[:selectors.MAX_PAGE]
    return [case_out(case, with_events=False) for case in cases]


@router.get("/aftersales/{case_id}", response=with_errors(CaseOut))
def get_case(request: HttpRequest, case_id: int):
    actor = request.auth
    require(actor, "orders.view", actor.shop)
    return case_out(selectors.case_in_shop(actor.shop, case_id))


@router.post("/aftersales/{case_id}/reject", response=with_errors(CaseOut, 409))
def reject_case(request: HttpRequest, case_id: int, payload: CaseRejectIn):
    """Say no, with a reason the customer reads. 409 `invalid_transition` (details list
    the steps the case's status allows)."""
    actor = request.auth
    case = selectors.case_in_shop(actor.shop, case_id)
    return _step(request, lambda: services.reject_case(actor=actor, case=case,
                                                       reason=payload.reason))


@router.post("/aftersales/{case_id}/approve", response=with_errors(CaseOut, 409))
def approve_case(request: HttpRequest, case_id: int, payload: CaseApproveIn | None = None):
    """Yes to a requested case, with the amount to give back: a return then waits for the
    goods (`awaiting_return`), the rest is `approved` for the refund. 400 on `refund_cents`
    beyond what the case may give back; 409 `invalid_transition`."""
    actor = request.auth
    payload = payload or CaseApproveIn()
    case = selectors.case_in_shop(actor.shop, case_id)
    return _step(request, lambda: settling.approve_case(
        actor=actor, case=case, refund_cents=payload.refund_cents,
        refund_shipping=payload.refund_shipping, note=payload.note))


@router.post("/aftersales/{case_id}/return-shipped", response=with_errors(CaseOut, 409))
def return_shipped(request: HttpRequest, case_id: int, payload: ReturnShippedIn):
    """The return is on its way back: its carrier and tracking number (checked like any
    shipment's; 400 on `carrier` or `tracking_number`). 409 `invalid_transition` unless
    the case awaits the return."""
    actor = request.auth
    case = selectors.case_in_shop(actor.shop, case_id)
    return _step(request, lambda: returns.return_shipped(
        actor=actor, case=case, carrier=payload.carrier,
        tracking_number=payload.tracking_number))


@router.post("/aftersales/{case_id}/receive", response=with_errors(CaseOut, 409))
def receive_return(request: HttpRequest, case_id: int, payload: ReturnReceivedIn):
    """The return arrived (`inventory.receive`): every unit of every line inspected,
    resellable ones back to stock, damaged ones written off, both in the ledger naming the
    case. 400 naming the line whose units do not add up."""
    actor = request.auth
    case = selectors.case_in_shop(actor.shop, case_id)
    return _step(request, lambda: returns.receive_return(
        actor=actor, case=case, lines=[line.dict() for line in payload.lines],
        note=payload.note))


@router.post("/aftersales/{case_id}/refund", response=with_errors(CaseOut, 409))
def refund_case(request: HttpRequest, case_id: int):
    """Give back the approved amount through the payments ledger (`payments.refund`), the
    way it was paid; two calls at once refund once, the other gets 409
    `invalid_transition`."""
    actor = request.auth
    case = selectors.case_in_shop(actor.shop, case_id)
    return _step(request, lambda: settling.refund_case(actor=actor, case=case))


@router.post("/aftersales/{case_id}/close", response=with_errors(CaseOut, 409))
def close_case(request: HttpRequest, case_id: int, payload: CaseCloseIn | None = None):
    """Close a case that was refunded, exchanged or resent."""
    actor = request.auth
    case = selectors.case_in_shop(actor.shop, case_id)
    return _step(request, lambda: settling.close_case(
        actor=actor, case=case, note=payload.note if payload else ""))


@router.post("/aftersales/{case_id}/cancel", response=with_errors(CaseOut, 409))
def cancel_case(request: HttpRequest, case_id: int, payload: CaseCancelIn | None = None):
    """Withdraw a case that is still only requested (for the customer). 409
    `invalid_transition`."""
    actor = request.auth
    case = selectors.case_in_shop(actor.shop, case_id)
    return _step(request, lambda: services.cancel_case(actor=actor, case=case,
                                                       note=payload.note if payload else ""))
