"""Reading the images kept with money: a reported payment's screenshot and a payment's
proof, for staff only."""

from django.utils.translation import gettext as _

from dingdan.errors import NotFound
from dingdan.orders.models import Order
from dingdan.payments.models import Payment, ReportedPayment
from dingdan.shops.actors import Actor
from dingdan.shops.permissions import require


def screenshot_of(*, actor: Actor, order: Order, report_id: int) -> tuple[str, bytes]:
    """The screenshot's stored name and bytes, for staff who may see the order."""
    require(actor, "orders.view", order.shop)
    report = ReportedPayment.objects.filter(pk=report_id, order=order,
                                            shop_id=order.shop_id).first()
    if report is None or not report.screenshot:
        raise NotFound(_("No screenshot."))
    with report.screenshot.open("rb") as handle:
        return report.screenshot.name, handle.read()


def proof_of(*, actor: Actor, order: Order, payment_id: int) -> tuple[str, bytes]:
    """A payment's proof image (the transfer screenshot it was recorded from)."""
    require(actor, "orders.view", order.shop)
    payment = Payment.objects.filter(pk=payment_id, order=order, shop_id=order.shop_id).first()
    if payment is None or not payment.proof:
        raise NotFound(_("No proof."))
    with payment.proof.open("rb") as handle:
        return payment.proof.name, handle.read()
