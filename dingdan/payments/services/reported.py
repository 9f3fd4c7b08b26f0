"""Payments the customer reports on their order link ("I have paid"), and the shop's
decision on each: confirming records the payment, rejecting keeps the reason for the
customer to read.

A report is not money: the ledger only changes when staff confirm. One report may be open
per order; a second one while it is open is refused (the customer waits for the answer,
or the shop rejects it and the customer reports again), so staff never confirm a report
the customer has since corrected."""

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dingdan.errors import Conflict, NotFound
from dingdan.images import MAX_IMAGE_BYTES, image_suffix
from dingdan.orders.models import Order, OrderFlag
from dingdan.orders.states import Status
from dingdan.payments import events
from dingdan.payments.models import ReportedPayment, ReportStatus
from dingdan.payments.services import payments
from dingdan.payments.services.ledger import (
    MAX_REFERENCE,
    clean_amount,
    clean_method,
    clean_text,
    lock_order,
)
from dingdan.shops.actors import Actor
from dingdan.shops.permissions import require

FLAG = "payment_reported"
MAX_REASON = 300
MAX_SCREENSHOT_BYTES = MAX_IMAGE_BYTES


class PaymentAlreadyReported(Conflict):
    code = "payment_already_reported"


class ReportAlreadyDecided(Conflict):
    code = "report_already_decided"


@transaction.atomic
def report_payment(
    *,
    order: Order,
    method: str,
    reference: str = "",
    amount_cents: int | None = None,
    screenshot: bytes | None = None,
) -> ReportedPayment:
    """The customer says they paid: kept for the shop to check, the order flagged for
    attention, on the timeline as the customer's. The amount defaults to what is due."""
    actor = Actor.customer(order.shop)
    order = lock_order(order)
    if order.status == Status.CANCELLED or order.balance_due_cents <= 0:
        raise Conflict(_("Nothing is due on this order."), code="nothing_due")
    if ReportedPayment.objects.filter(order=order, status=ReportStatus.REPORTED).exists():
        raise PaymentAlreadyReported(
            _("You already reported a payment; the shop will check it soon."))
    method = clean_method(method)
    reference = clean_text(reference, "reference", MAX_REFERENCE)
    amount = clean_amount(order.balance_due_cents if amount_cents is None else amount_cents)
    report = ReportedPayment(shop_id=order.shop_id, order=order, method=method,
                             amount_cents=amount, reference=reference)
    if screenshot:
        report.screenshot.save(f"screenshot{image_suffix(screenshot, 'screenshot')}",
                               ContentFile(screenshot), save=False)
    report.save()
    OrderFlag.objects.create(shop_id=order.shop_id, order=order, code=FLAG,
                             data={"report": report.pk})
    order.needs_attention = True
    order.save(update_fields=["needs_attention", "updated_at"])
    events.payment_reported(order, actor=actor, report=report)
    return report


def _open_report(actor: Actor, order: Order, report_id: int) -> tuple[Order, ReportedPayment]:
    require(actor, "payments.record", order.shop)
    order = lock_order(order)
    report = ReportedPayment.objects.filter(pk=report_id, order=order,
                                            shop_id=order.shop_id).first()
    if report is None:
        raise NotFound(_("No such reported payment on this order."))
    if report.status != ReportStatus.REPORTED:
        raise ReportAlreadyDecided(_("This reported payment was already decided."))
    return order, report


def _close(actor: Actor, order: Order, report: ReportedPayment, fields: list[str]) -> None:
    report.decided_by = actor.user
    report.decided_at = timezone.now()
    report.save(update_fields=[*fields, "status", "decided_by", "decided_at"])
    OrderFlag.objects.filter(order=order, code=FLAG, resolved_at__isnull=True).update(
        resolved_at=timezone.now(), resolved_by=actor.label[:150])
    order.needs_attention = order.flags.filter(resolved_at__isnull=True).exists()
    order.save(update_fields=["needs_attention", "updated_at"])


@transaction.atomic
def confirm_reported_payment(*, actor: Actor, order: Order, report_id: int) -> ReportedPayment:
    """Staff saw the money arrive: the report becomes a payment in the ledger (its method,
    amount and reference), with everything `record_payment` does and refuses."""
    order, report = _open_report(actor, order, report_id)
    report.payment = payments.record_payment(
        actor=actor, order=order, amount_cents=report.amount_cents, method=report.method,
        reference=report.reference, proof=report.screenshot.name or None)
    report.status = ReportStatus.CONFIRMED
    order.refresh_from_db()
    _close(actor, order, report, ["payment"])
    events.reported_payment_confirmed(order, actor=actor, report=report)
    return report


@transaction.atomic
def reject_reported_payment(*, actor: Actor, order: Order, report_id: int,
                            reason: str) -> ReportedPayment:
    """Staff did not find the money: the report is closed with a reason the customer reads
    on their link, and they may report again."""
    reason = clean_text(reason, "reason", MAX_REASON, required=True)
    order, report = _open_report(actor, order, report_id)
    report.status = ReportStatus.REJECTED
    report.reason = reason
    _close(actor, order, report, ["reason"])
    events.reported_payment_rejected(order, actor=actor, report=report)
    return report

