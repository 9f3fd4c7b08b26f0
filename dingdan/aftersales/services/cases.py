"""Opening a case and the steps before anything moves: the customer cancels a case still
only requested, the shop rejects one with a reason.

A case opens only on units that were shipped or handed over and that no standing case
already holds; the order is locked while the claim is counted, so two requests at once
never claim the same unit twice."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dingdan.aftersales import events
from dingdan.aftersales.models import Case, CaseLine, CaseReason, CaseStatus, CaseType
from dingdan.aftersales.selectors.claims import claimable_by_line
from dingdan.aftersales.services.amounts import default_refund_cents
from dingdan.errors import Conflict, InvalidInput, NotFound
from dingdan.money import format_yuan
from dingdan.orders.models import Order
from dingdan.shops.actors import Actor, ActorKind
from dingdan.shops.permissions import require
from dingdan.whole_numbers import MAX_CENTS, is_whole, whole_number

MAX_DESCRIPTION = 1000
MAX_REASON_TEXT = 500
# How long the shop has to answer a new case (a shop setting will choose it).
ANSWER_HOURS = 48


def _lock_order(order: Order) -> Order:
    return Order.objects.select_for_update().select_related("shop").get(
        pk=order.pk, shop=order.shop_id)


def require_case_actor(actor: Actor, order: Order) -> None:
    """Staff and tokens need `aftersales.handle`; a customer acts on their own order (the
    caller found the order by its link)."""
    if actor.kind != ActorKind.CUSTOMER:
        require(actor, "aftersales.handle", order.shop)
    elif actor.shop_id != order.shop_id:
        raise NotFound(_("Not found."))


def _choice(value, choices, field: str, message: str) -> str:
    if value not in choices.values:
        raise InvalidInput(message, fields={field: message})
    return value


def _claims(order: Order, lines) -> dict[int, int]:
    """The asked lines as line id → units, each checked for shape."""
    if not isinstance(lines, list) or not lines:
        message = _("Name at least one line and how many units.")
        raise InvalidInput(message, fields={"lines": message})
    units: dict[int, int] = {}
    for index, asked in enumerate(lines):
        asked = asked if isinstance(asked, dict) else {}
        line_id, quantity = asked.get("line_id"), asked.get("quantity")
        if not is_whole(line_id, minimum=1):
            message = _("Choose a line of this order.")
            raise InvalidInput(message, fields={f"lines.{index}.line_id": message})
        if not is_whole(quantity, minimum=1):
            message = _("A quantity must be a whole number of at least 1.")
            raise InvalidInput(message, fields={f"lines.{index}.quantity": message})
        units[line_id] = units.get(line_id, 0) + quantity
    return units


@transaction.atomic
def open_case(*, actor: Actor, order: Order, type, lines, reason, description: str = "",
              amount_cents=None) -> Case:
    """A new case on `lines` ([{"line_id", "quantity"}]) of `order`, status requested.

    Refused with `not_fulfilled` when nothing of the order was ever shipped or handed over
    (cancel or edit it instead) and with `over_claim`, naming the lines, when more units are
    asked than were handed over less what other cases hold. `amount_cents` (what the
    customer asks back) defaults to the lines' share of what was paid; more than that is
    refused."""
    require_case_actor(actor, order)
    order = _lock_order(order)
    type = _choice(type, CaseType, "type", _("Choose what kind of after-sales case this is."))
    reason = _choice(reason, CaseReason, "reason", _("Choose a reason."))
    units = _claims(order, lines)
    claimable = claimable_by_line(order)
    if not claimable:
        raise Conflict(_("Nothing of this order has been shipped or handed over yet: cancel "
                         "or edit the order instead."), code="not_fulfilled")
    lines_by_id = {line.pk: line for line in order.lines.all()}
    unknown = [line_id for line_id in units if line_id not in lines_by_id]
    if unknown:
        message = _("Choose a line of this order.")
        raise InvalidInput(message, fields={"lines": message}, details={"line_ids": unknown})
    over = [{"line_id": line_id, "name": lines_by_id[line_id].name, "asked": asked,
             "claimable": max(claimable.get(line_id, 0), 0)}
            for line_id, asked in units.items() if asked > claimable.get(line_id, 0)]
    if over:
        names = "、".join(f"{row['name']} ({row['claimable']})" for row in over)
        raise Conflict(_("More units are asked than can still be claimed: %(lines)s.")
                       % {"lines": names}, code="over_claim", details={"lines": over})
    most = default_refund_cents(order, {lines_by_id[i]: n for i, n in units.items()})
    if amount_cents is None:
        requested = most if type in (CaseType.REFUND_ONLY, CaseType.RETURN_REFUND) else 0
    else:
        requested = whole_number(
            amount_cents, "amount_cents", maximum=min(most, MAX_CENTS),
            message=_("Ask for at most ¥%(most)s: the lines' share of what was paid.")
            % {"most": format_yuan(most)})
    count = Case.objects.filter(order=order).count()
    now = timezone.now()
    case = Case.objects.create(
        shop=order.shop, order=order, number=f"{order.number}-S{count + 1}", type=type,
        reason=reason, description=" ".join(str(description or "").split())[:MAX_DESCRIPTION],
        requested_cents=requested, opened_by_kind=actor.kind, opened_label=actor.label[:150],
        opened_by=actor.user, answer_due_at=now + timedelta(hours=ANSWER_HOURS))
    CaseLine.objects.bulk_create([
        CaseLine(shop=order.shop, case=case, order_line=lines_by_id[line_id],
                 sku=lines_by_id[line_id].sku, name=lines_by_id[line_id].name, quantity=n)
        for line_id, n in units.items()])
    events.opened(case, actor=actor,
                  units={lines_by_id[line_id].sku: n for line_id, n in units.items()})
    return case


def lock_case(case: Case) -> Case:
    """The case re-read under its order's lock (every step of a case locks the order first,
    so a claim and a step never cross)."""
    _lock_order(case.order)
    return Case.objects.select_for_update().select_related("order", "shop").get(
        pk=case.pk, shop=case.shop_id)


def move(case: Case, to: str, *, actor: Actor, step: str, note: str = "",
          fields: tuple[str, ...] = (), data: dict | None = None) -> Case:
    before = case.status
    case.status = to
    case.version += 1
    if to in (CaseStatus.CLOSED, CaseStatus.REJECTED, CaseStatus.CANCELLED):
        case.closed_at = timezone.now()
    case.save(update_fields=["status", "version", "closed_at", "updated_at", *fields])
    events.moved(case, actor=actor, before=before, step=step, note=note, data=data)
    return case


def refuse_step(case: Case, step: str, allowed: dict[str, tuple[str, ...]]) -> None:
    """`invalid_transition`, listing the steps the case's status allows, unless `step` is one."""
    steps = [name for name, sources in allowed.items() if case.status in sources]
    if step not in steps:
        raise Conflict(
            _("A case that is %(status)s does not allow this step.") % {
                "status": CaseStatus(case.status).label},
            code="invalid_transition", details={"allowed": steps})


S = CaseStatus
# Each step and the statuses it may be taken from.
STEPS: dict[str, tuple[str, ...]] = {
    "approve": (S.REQUESTED,),
    "reject": (S.REQUESTED,),
    "cancel": (S.REQUESTED,),
    "return_shipped": (S.AWAITING_RETURN,),
    "receive": (S.AWAITING_RETURN,),
    "refund": (S.APPROVED, S.RECEIVED),
    "close": (S.REFUNDED, S.EXCHANGED, S.RESENT),
}


@transaction.atomic
def reject_case(*, actor: Actor, case: Case, reason: str) -> Case:
    """The shop says no, with a reason the customer reads; the units may be claimed again."""
    require(actor, "aftersales.handle", case.shop)
    case = lock_case(case)
    refuse_step(case, "reject", STEPS)
    text = " ".join(str(reason or "").split())[:MAX_REASON_TEXT]
    if not text:
        message = _("Say why the case is rejected: the customer reads it.")
        raise InvalidInput(message, fields={"reason": message})
    case.rejection_reason = text
    return move(case, CaseStatus.REJECTED, actor=actor, step="reject", note=text,
                 fields=("rejection_reason",))


@transaction.atomic
def cancel_case(*, actor: Actor, case: Case, note: str = "") -> Case:
    """The customer (or staff for them) withdraws a case the shop has not answered yet."""
    require_case_actor(actor, case.order)
    case = lock_case(case)
    refuse_step(case, "cancel", STEPS)
    return move(case, CaseStatus.CANCELLED, actor=actor, step="cancel",
                 note=" ".join(str(note or "").split())[:MAX_REASON_TEXT])
