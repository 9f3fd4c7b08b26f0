"""The steps that settle a case: the shop approves it (with the amount, editable down, and
shipping given back or not), refunds it through the payments ledger, and closes it.

The refund is made under the order's lock with the case re-read inside it: two people
refunding at once make one refund, the other is told the case has moved on."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dingdan.aftersales.models import Case, CaseStatus, CaseType
from dingdan.aftersales.services.amounts import goods_share_cents
from dingdan.aftersales.services.cases import STEPS, lock_case, move, refuse_step
from dingdan.errors import InvalidInput
from dingdan.money import format_yuan
from dingdan.payments.selectors.money import ledger_sums
from dingdan.payments.services.refunds import refund_everything
from dingdan.shops.actors import Actor
from dingdan.shops.permissions import require
from dingdan.whole_numbers import whole_number

# How long the customer has to send a return back (a shop setting will choose it).
RETURN_DAYS = 7
# After approval: a return waits for the goods, the rest for the refund or the resend.
AFTER_APPROVAL = {
    CaseType.REFUND_ONLY: CaseStatus.APPROVED,
    CaseType.RETURN_REFUND: CaseStatus.AWAITING_RETURN,
    CaseType.EXCHANGE: CaseStatus.AWAITING_RETURN,
    CaseType.COMPENSATION: CaseStatus.APPROVED,
}


def most_refundable_cents(case: Case, *, shipping: bool) -> int:
    """The case's lines' share of the goods (and the shipping fee, when given back too),
    capped at what the order can still refund."""
    units = {line.order_line: line.quantity for line in case.lines.select_related(
        "order_line") if line.order_line is not None}
    share = goods_share_cents(case.order, units) + (case.order.shipping_cents if shipping else 0)
    return min(share, ledger_sums(case.order).refundable_cents)


@transaction.atomic
def approve_case(*, actor: Actor, case: Case, refund_cents=None,
                 refund_shipping: bool = False, note: str = "") -> Case:
    """Yes to the case: the amount to give back (what was asked unless said; never more
    than the lines' share of what was paid, with the shipping fee when `refund_shipping`),
    then a return waits for the goods, the rest for the refund."""
    require(actor, "aftersales.handle", case.shop)
    case = lock_case(case)
    refuse_step(case, "approve", STEPS)
    most = most_refundable_cents(case, shipping=bool(refund_shipping))
    if refund_cents is None:
        refund_cents = min(case.requested_cents, most)
        if refund_shipping:
            refund_cents = min(refund_cents + case.order.shipping_cents, most)
    refund_cents = whole_number(
        refund_cents, "refund_cents", maximum=most,
        message=_("Refund at most ¥%(most)s for this case.") % {"most": format_yuan(most)})
    case.approved_cents = refund_cents
    case.refund_shipping = bool(refund_shipping)
    to = AFTER_APPROVAL[case.type]
    if to == CaseStatus.AWAITING_RETURN:
        case.return_due_at = timezone.now() + timedelta(days=RETURN_DAYS)
    return move(case, to, actor=actor, step="approve", note=note,
                 fields=("approved_cents", "refund_shipping", "return_due_at"),
                 data={"approved_cents": refund_cents})


@transaction.atomic
def refund_case(*, actor: Actor, case: Case) -> Case:
    """Give back the approved amount, the way it was paid (payments' ledger, one refund per
    payment it came from). Refund only and compensation refund once approved; a return once
    received."""
    require(actor, "payments.refund", case.shop)
    case = lock_case(case)
    refuse_step(case, "refund", STEPS)
    amount = case.approved_cents or 0
    if amount <= 0:
        raise InvalidInput(_("Nothing was approved to give back for this case."),
                           code="nothing_to_refund")
    reason = _("After-sales %(number)s") % {"number": case.number}
    refunds = refund_everything(actor=actor, order=case.order, reason=reason, up_to=amount)
    given = sum(refund.amount_cents for refund in refunds)
    return move(case, CaseStatus.REFUNDED, actor=actor, step="refund",
                 data={"refunded_cents": given, "refunds": [r.number for r in refunds]})


@transaction.atomic
def close_case(*, actor: Actor, case: Case, note: str = "") -> Case:
    """The case is done: refunded, exchanged or resent."""
    require(actor, "aftersales.handle", case.shop)
    case = lock_case(case)
    refuse_step(case, "close", STEPS)
    return move(case, CaseStatus.CLOSED, actor=actor, step="close",
                 note=" ".join(str(note or "").split())[:500])
