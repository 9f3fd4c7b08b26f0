"""The customer pays by WeChat Pay from their order link: the button opens a Native payment,
the page shows its QR code (the same one again while it stays payable), WeChat Pay's
notification marks the order paid; and a refund WeChat Pay is slow to settle is followed up
until it does."""
# ruff: noqa: F811 (the WeChat Pay shop's fixtures are imported, then named as arguments)

import datetime as dt
import re

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from dingdan.notify.models import Alert
from dingdan.orders.services import lifecycle
from dingdan.payments.models import PaymentAttempt, Refund, RefundStatus
from dingdan.payments.selectors.wechatpay import wechat_pay_for
from dingdan.payments.services import wechatpay_refunds
from dingdan.payments.services.payments import record_payment, record_provider_payment
from dingdan.payments.services.wechatpay_notifications import record_reported_payment
from dingdan.payments.services.wechatpay_payments import create_wechat_payment
from dingdan.shops.actors import Actor
from tests import factories
from tests.payments.test_wechatpay_notify import (  # noqa: F401 (fixtures)
    merchant_key,
    order,
    platform_certificate,
    platform_key,
    shop,
    wechat_server,
)

pytestmark = pytest.mark.django_db

FOLLOW_UP = "dingdan.payments.tasks.follow_up_wechat_pay_refund"


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    cache.clear()


@pytest.fixture
def customer():
    return Client(headers={"Accept-Language": "en"})


def link(order) -> str:
    return f"/o/{order.link_token}/"


def created_payments(server) -> list[dict]:
    return [r for r in server.requests if r["path"] == "/v3/pay/transactions/native"]


def test_the_customer_asks_for_a_code_and_sees_the_same_one_until_it_is_paid(
        customer, order, wechat_server):
    html = customer.get(link(order)).content.decode()
    assert 'data-testid="wechat-pay-button"' in html and "wechat-pay-code" not in html

    answer = customer.post(link(order), {"op": "wechat_pay"})
    assert answer.status_code == 302
    html = customer.get(answer["Location"]).content.decode()
    assert 'data-testid="wechat-pay-code"' in html and "<svg" in html
    assert "Scan with WeChat to pay ¥100.00" in html
    attempt = PaymentAttempt.objects.get(order=order)
    assert (attempt.kind, attempt.amount_cents, attempt.code_url) == (
        "native", order.total_cents, "weixin://wxpay/bizpayurl?pr=p4lpSuKzz")
    assert attempt.expires_at - timezone.now() > dt.timedelta(hours=1, minutes=55)

    # Reloading, or pressing again, shows the same code: no second payment at WeChat Pay.
    customer.post(link(order), {"op": "wechat_pay"})
    customer.get(link(order))
    assert len(created_payments(wechat_server)) == 1

    wechat_server.pay(attempt.out_trade_no)
    provider = wechat_pay_for(order.shop)
    record_reported_payment(shop=order.shop, provider=provider,
                            reported=provider.query_payment(attempt.out_trade_no))
    html = customer.get(link(order)).content.decode()
    assert 'data-testid="payment-due"' not in html and "wechat-pay" not in html


def test_a_code_for_an_old_amount_is_not_shown_once_part_was_paid_another_way(
        shop, customer, order, wechat_server):
    customer.post(link(order), {"op": "wechat_pay"})
    record_payment(actor=factories.staff_actor(shop, "finance"), order=order,
                   amount_cents=3000, method="cash")
    html = customer.get(link(order)).content.decode()
    assert 'data-testid="wechat-pay-button"' in html  # the ¥100 code would overpay

    customer.post(link(order), {"op": "wechat_pay"})
    latest = PaymentAttempt.objects.filter(order=order).latest("id")
    assert latest.amount_cents == 7000
    assert len(created_payments(wechat_server)) == 2


def test_wechat_pay_down_tells_the_customer_to_pay_another_way(customer, order, wechat_server):
    wechat_server.__exit__()
    answer = customer.post(link(order), {"op": "wechat_pay"})
    html = answer.content.decode()
    assert answer.status_code == 503
    assert "WeChat Pay is not available just now" in html
    assert 'data-testid="report-payment-form"' in html  # the other ways are still offered


def test_a_shop_without_an_account_shows_no_button_and_refuses_the_action(customer):
    other = factories.make_shop()
    factories.make_sku(other, "PEAR", price_cents=1000, stock=5)
    placed = factories.place(other, [("PEAR", 1)])
    html = customer.get(link(placed)).content.decode()
    assert "wechat-pay" not in html
    answer = customer.post(link(placed), {"op": "wechat_pay"})
    assert answer.status_code == 409
    assert "no WeChat Pay account" in answer.content.decode()


def _paid_after_cancel(shop, order, server, django_capture_on_commit_callbacks) -> Refund:
    """The customer paid by WeChat Pay after the order was cancelled: the refund is sent."""
    create_wechat_payment(order)
    attempt = PaymentAttempt.objects.get(order=order)
    lifecycle.cancel_order(actor=factories.staff_actor(shop, "owner"), order=order,
                           reason="customer_request")
    server.pay(attempt.out_trade_no)
    provider = wechat_pay_for(shop)
    with django_capture_on_commit_callbacks(execute=True):
        record_reported_payment(shop=shop, provider=provider,
                                reported=provider.query_payment(attempt.out_trade_no))
    return Refund.objects.get(order=order)


def follow_ups() -> list[DBTaskResult]:
    return list(DBTaskResult.objects.filter(task_path=FOLLOW_UP).order_by("enqueued_at"))


def test_a_refund_still_processing_is_followed_up_until_wechat_pay_settles_it(
        shop, order, wechat_server, django_capture_on_commit_callbacks):
    refund = _paid_after_cancel(shop, order, wechat_server, django_capture_on_commit_callbacks)
    assert refund.status == RefundStatus.PENDING  # WeChat Pay answered PROCESSING
    [task] = follow_ups()
    assert task.args_kwargs["args"] == [refund.pk, 0]
    assert dt.timedelta(minutes=9) < task.run_after - timezone.now() <= dt.timedelta(minutes=10)

    # No notification came; asked again, WeChat Pay still processes: asked again later.
    with django_capture_on_commit_callbacks(execute=True):
        wechatpay_refunds.follow_up_refund(refund_id=refund.pk, round_=0)
    assert [t.args_kwargs["args"] for t in follow_ups()][-1] == [refund.pk, 1]

    wechat_server.refunds[refund.number]["status"] = "SUCCESS"
    wechatpay_refunds.follow_up_refund(refund_id=refund.pk, round_=1)
    refund.refresh_from_db()
    order.refresh_from_db()
    assert refund.status == RefundStatus.SUCCEEDED
    assert order.refunded_cents == order.total_cents
    # A follow-up that runs late, after it settled, changes nothing.
    assert wechatpay_refunds.follow_up_refund(refund_id=refund.pk, round_=2) is None


def test_a_refund_that_never_reached_wechat_pay_is_sent_again(
        shop, order, wechat_server, django_capture_on_commit_callbacks):
    refund = _paid_after_cancel(shop, order, wechat_server, django_capture_on_commit_callbacks)
    del wechat_server.refunds[refund.number]  # as if the first request was lost on the way

    with django_capture_on_commit_callbacks(execute=True):
        wechatpay_refunds.follow_up_refund(refund_id=refund.pk, round_=0)

    sent = [r for r in wechat_server.requests if r["path"] == "/v3/refund/domestic/refunds"]
    assert len(sent) == 2 and refund.number in wechat_server.refunds
    refund.refresh_from_db()
    assert refund.status == RefundStatus.PENDING  # processing again, followed up again
    assert follow_ups()


def test_a_refund_unsettled_after_every_follow_up_alerts_the_merchant(
        shop, order, wechat_server, django_capture_on_commit_callbacks):
    refund = _paid_after_cancel(shop, order, wechat_server, django_capture_on_commit_callbacks)
    last = len(wechatpay_refunds.FOLLOW_UP_DELAYS) - 1

    wechatpay_refunds.follow_up_refund(refund_id=refund.pk, round_=last)

    alert = Alert.objects.get(shop=shop, kind="refund_stuck")
    assert alert.data["refund_number"] == refund.number
    refund.refresh_from_db()
    assert refund.status == RefundStatus.PENDING  # never guessed: the merchant looks


def test_the_worker_catches_up_on_refunds_left_pending(
        shop, order, wechat_server, django_capture_on_commit_callbacks):
    refund = _paid_after_cancel(shop, order, wechat_server, django_capture_on_commit_callbacks)
    wechat_server.refunds[refund.number]["status"] = "SUCCESS"
    assert wechatpay_refunds.follow_up_pending_refunds() == 0  # too recent to ask about
    Refund.objects.filter(pk=refund.pk).update(
        created_at=timezone.now() - dt.timedelta(hours=1))

    assert wechatpay_refunds.follow_up_pending_refunds() == 1
    refund.refresh_from_db()
    assert refund.status == RefundStatus.SUCCEEDED


def test_a_payment_recorded_from_wechat_pay_remembers_its_attempt(shop, order, wechat_server):
    create_wechat_payment(order)
    attempt = PaymentAttempt.objects.get(order=order)
    recorded = record_provider_payment(
        actor=Actor.system(shop), order=order, amount_cents=order.total_cents,
        method="wechat_pay", provider_transaction_id="4200000001", attempt=attempt)
    assert recorded.payment.attempt == attempt
    assert re.fullmatch(r"[0-9a-f]{32}", attempt.out_trade_no)
