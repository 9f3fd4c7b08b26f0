"""The payments' timeline entries put into words, in the language active when called (the
`orders.event_sentence` hook)."""

from django.utils.translation import gettext as _

from dingdan.money import format_yuan
from dingdan.orders.models import OrderEvent
from dingdan.orders.selectors.presentation import actor_name
from dingdan.payments import events
from dingdan.payments.models import Method, RefundStatus


def method_label(method: str) -> str:
    try:
        return str(Method(method).label)
    except ValueError:
        return method


def event_sentence(*, event: OrderEvent) -> str | None:
    if event.kind not in events.KINDS:
        return None
    data = event.data or {}
    words = {"actor": actor_name(event), "amount": format_yuan(data.get("amount_cents")),
             "method": method_label(data.get("method", "")), "number": data.get("number", "")}
    if event.kind == events.PAYMENT_REPORTED:
        return _("The customer reported paying ¥%(amount)s by %(method)s") % words
    if event.kind == events.REPORTED_PAYMENT_CONFIRMED:
        return _("%(actor)s confirmed the reported payment of ¥%(amount)s") % words
    if event.kind == events.REPORTED_PAYMENT_REJECTED:
        return _("%(actor)s rejected the reported payment of ¥%(amount)s") % words
    if event.kind == events.PAYMENT_RECORDED and data.get("is_overpayment"):
        return _("%(actor)s recorded a payment of ¥%(amount)s by %(method)s, more than was "
                 "due (overpayment)") % words
    if event.kind == events.PAYMENT_RECORDED:
        return _("%(actor)s recorded a payment of ¥%(amount)s by %(method)s") % words
    if event.kind == events.PAYMENT_FAILED:
        return _("%(actor)s recorded a failed payment of ¥%(amount)s by %(method)s") % words
    if event.kind == events.REFUND_RECORDED and data.get("status") == RefundStatus.PENDING:
        return _("%(actor)s started refund %(number)s of ¥%(amount)s by %(method)s") % words
    if event.kind == events.REFUND_RECORDED:
        return _("%(actor)s refunded ¥%(amount)s by %(method)s (%(number)s)") % words
    if data.get("status") == RefundStatus.SUCCEEDED:
        return _("Refund %(number)s of ¥%(amount)s went through") % words
    return _("Refund %(number)s of ¥%(amount)s failed") % words
