"""Money going back through WeChat Pay: sending a pending refund, following it up until it
settles, and recording the refund notification (docs/payments-wechatpay.md).

A refund's number is WeChat Pay's out_refund_no, so sending it again never pays out twice.
WeChat Pay's usual answer is "processing"; its notification settles the refund, and where
none comes (lost, or WeChat Pay was unreachable) a follow-up task asks WeChat Pay, on a
growing delay, until the refund has settled or the merchant is asked to look."""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from dingdan import hooks
from dingdan.payments.models import Refund, RefundStatus
from dingdan.payments.providers import base
from dingdan.payments.providers.base import ProviderError, RefundState
from dingdan.payments.selectors.wechatpay import wechat_pay_for
from dingdan.payments.services import refunds
from dingdan.shops.actors import Actor
from dingdan.shops.models import Shop

log = logging.getLogger(__name__)

# After sending, ask again after each of these; when they are used up the merchant is alerted.
FOLLOW_UP_DELAYS = (timedelta(minutes=10), timedelta(minutes=30), timedelta(hours=2),
                    timedelta(hours=6), timedelta(hours=24), timedelta(hours=24),
                    timedelta(hours=24))


class UnknownRefundReference(LookupError):
    """A refund notification for an out_refund_no the shop never created."""


def _pending(refund_id: int) -> Refund | None:
    refund = (Refund.objects.select_related("order__shop", "payment__attempt")
              .filter(pk=refund_id).first())
    if refund is None or refund.status != RefundStatus.PENDING:
        return None
    return refund


def send_refund(*, refund_id: int, round_: int = 0, reschedule: bool = True) -> Refund | None:
    """Ask WeChat Pay to carry out a pending refund of a WeChat Pay payment and settle it with
    the answer. Still pending (processing, or WeChat Pay unreachable): followed up later."""
    refund = _pending(refund_id)
    if refund is None:
        return None
    provider = wechat_pay_for(refund.order.shop)
    attempt = refund.payment.attempt if refund.payment else None
    if provider is None or attempt is None:
        return refund  # not money WeChat Pay holds: the merchant settles it by hand
    with translation.override(settings.LANGUAGE_CODE):
        reason = _("Order cancelled")
    try:
        answer = provider.refund(attempt.out_trade_no, refund.number, refund.amount_cents,
                                 refund.payment.amount_cents, reason)
    except ProviderError as error:
        if not error.retryable:
            return _settle(refund, RefundState.FAILED, str(error))
        log.warning("WeChat Pay refund %s not sent yet: %s", refund.number, error)
        settled = refund
    else:
        settled = _settle(refund, answer.state, "")
    if settled.status == RefundStatus.PENDING and reschedule:
        schedule_follow_up(refund.pk, round_)
    return settled


def follow_up_refund(*, refund_id: int, round_: int = 0, reschedule: bool = True) -> Refund | None:
    """Ask WeChat Pay where a pending refund stands and settle it. A refund WeChat Pay never
    received (the first request did not arrive) is sent again; one still processing is asked
    about again later, until the delays run out and the merchant is alerted."""
    refund = _pending(refund_id)
    if refund is None:
        return None
    provider = wechat_pay_for(refund.order.shop)
    if provider is None or refund.payment is None or refund.payment.attempt is None:
        return refund
    try:
        found = provider.query_refund(refund.number)
    except ProviderError as error:
        log.warning("WeChat Pay refund %s not followed up: %s", refund.number, error)
        found = False
    if found is None:
        return send_refund(refund_id=refund.pk, round_=round_ + 1, reschedule=reschedule)
    settled = refund if found is False else _settle(refund, found.state, "")
    if settled.status == RefundStatus.PENDING and reschedule:
        schedule_follow_up(settled.pk, round_ + 1)
    return settled


def schedule_follow_up(refund_id: int, round_: int) -> None:
    """Once the caller's transaction commits, a follow-up after the round's delay; past the
    last round the merchant is alerted instead (and the refund stays pending)."""
    if round_ >= len(FOLLOW_UP_DELAYS):
        refund = Refund.objects.select_related("order").get(pk=refund_id)
        hooks.announce("payments.alert", shop_id=refund.shop_id, kind="refund_stuck",
                       subject=f"refund:{refund.pk}",
                       data={"order_number": refund.order.number,
                             "refund_number": refund.number})
        return
    from dingdan.payments.tasks import follow_up_wechat_pay_refund

    at = timezone.now() + FOLLOW_UP_DELAYS[round_]

    def enqueue() -> None:
        try:
            follow_up_wechat_pay_refund.using(run_after=at).enqueue(refund_id, round_)
        except Exception:  # the catch-up at the worker's start follows it up instead
            log.exception("could not schedule following up refund %s", refund_id)

    transaction.on_commit(enqueue)


def follow_up_pending_refunds() -> int:
    """The worker's catch-up: every WeChat Pay refund still pending after the first delay is
    asked about now (the chain of follow-ups goes on where it was scheduled)."""
    cut_off = timezone.now() - FOLLOW_UP_DELAYS[0]
    pending = Refund.objects.filter(status=RefundStatus.PENDING, created_at__lt=cut_off,
                                    payment__attempt__isnull=False).values_list("pk", flat=True)
    count = 0
    for refund_id in list(pending):
        try:
            follow_up_refund(refund_id=refund_id, reschedule=False)
        except Exception:
            log.exception("refund %s not followed up", refund_id)
        count += 1
    return count


@transaction.atomic
def record_reported_refund(*, shop: Shop, reported: base.ProviderRefund) -> Refund:
    """A refund notification: the pending refund it names settles once; the same
    notification again finds it settled and changes nothing."""
    refund = Refund.objects.filter(shop=shop, number=reported.out_refund_no).first()
    if refund is None:
        raise UnknownRefundReference(reported.out_refund_no)
    return _settle(refund, reported.state, "")


def _settle(refund: Refund, state: str, detail: str) -> Refund:
    if refund.status != RefundStatus.PENDING or state == RefundState.PENDING:
        return refund
    actor = Actor.system(refund.order.shop)
    if state == RefundState.SUCCEEDED:
        return refunds.complete_refund(actor=actor, refund=refund)
    reason = detail or (_("WeChat Pay closed the refund") if state == RefundState.CLOSED
                        else _("WeChat Pay could not pay the refund back"))
    with transaction.atomic():
        settled = refunds.fail_refund(actor=actor, refund=refund, reason=reason)
        hooks.announce("payments.alert", shop_id=refund.shop_id, kind="refund_failed",
                       subject=f"refund:{refund.pk}",
                       data={"order_number": refund.order.number, "refund_number": refund.number,
                             "reason": reason})
    return settled
