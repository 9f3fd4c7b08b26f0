"""A shop with its own WeChat Pay account: the owner saves the account (kept encrypted,
shown masked), the customer pays by QR code, WeChat Pay's notification records the
payment once, and money that arrives for a cancelled order goes straight back."""

import json
import time

import pytest
from django.db import connection
from django.test import Client

from dingdan.errors import PermissionDenied
from dingdan.notify.models import Alert
from dingdan.notify.services import alert_message
from dingdan.orders.services import lifecycle
from dingdan.orders.states import PaymentStatus, Status
from dingdan.payments.models import Payment, Refund, RefundStatus, WeChatPayAccount
from dingdan.payments.selectors.wechatpay import masked_wechat_pay_config
from dingdan.payments.services.wechatpay_accounts import save_wechat_pay_account
from dingdan.payments.services.wechatpay_payments import (
    create_wechat_payment,
    is_paid_at_provider,
)
from dingdan.secret_box import decrypt_secret
from dingdan.shops.actors import Actor
from dingdan.shops.audit_models import AuditRecord
from tests import factories
from tests.payments.providers import wechat

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def merchant_key():
    return wechat.new_key()


@pytest.fixture(scope="module")
def platform_key():
    return wechat.new_key()


@pytest.fixture(scope="module")
def platform_certificate(platform_key):
    return wechat.self_signed_certificate(platform_key)


@pytest.fixture
def wechat_server(merchant_key, platform_key, platform_certificate):
    with wechat.FakeWeChatPay(
        merchant_key.public_key(), platform_key, platform_certificate[0]
    ) as server:
        yield server


@pytest.fixture
def shop(merchant_key, platform_certificate, wechat_server):
    shop = factories.make_shop()
    shop.settings = {"payment_terms": "prepayment"}
    shop.save()
    serial, pem = platform_certificate
    save_wechat_pay_account(
        actor=factories.staff_actor(shop, "owner"), shop=shop, mchid=wechat.MCHID,
        appid=wechat.APPID, merchant_serial_no=wechat.MERCHANT_SERIAL,
        merchant_private_key_pem=wechat.private_pem(merchant_key), apiv3_key=wechat.APIV3_KEY,
        platform_certificates={serial: pem}, api_base_url=wechat_server.base_url,
    )
    return shop


@pytest.fixture
def order(shop):
    sku = factories.make_sku(shop, price_cents=5000, stock=10)
    return factories.place(shop, [(sku.sku, 2)])


@pytest.fixture
def paid(order, wechat_server):
    """The customer scanned the QR code and paid: WeChat Pay's transaction object."""
    code_url = create_wechat_payment(order)
    assert code_url.startswith("weixin://wxpay/bizpayurl")
    out_trade_no = order.payment_attempts.get().out_trade_no
    return wechat_server.pay(out_trade_no)


def notify(shop, body: bytes, platform_key, serial: str, *, slug: str | None = None):
    headers = wechat.signed_headers(platform_key, serial, body, timestamp=int(time.time()))
    return Client().post(f"/api/v1/payments/wechatpay/notify/{slug or shop.slug}", data=body,
                         content_type="application/json", headers=headers)


def test_a_payment_notification_records_the_payment_and_moves_the_order_on(
        shop, order, paid, platform_key, platform_certificate):
    body = wechat.notification("TRANSACTION.SUCCESS", paid)

    answer = notify(shop, body, platform_key, platform_certificate[0])

    assert answer.status_code == 204
    payment = Payment.objects.get(order=order)
    assert (payment.method, payment.amount_cents, payment.reference) == (
        "wechat_pay", order.total_cents, paid["transaction_id"])
    order.refresh_from_db()
    assert (order.paid_cents, order.payment_status, order.status) == (
        order.total_cents, PaymentStatus.PAID, Status.PENDING_CONFIRMATION)


def test_the_same_notification_twice_records_one_payment(
        shop, order, paid, platform_key, platform_certificate):
    body = wechat.notification("TRANSACTION.SUCCESS", paid)

    first = notify(shop, body, platform_key, platform_certificate[0])
    again = notify(shop, body, platform_key, platform_certificate[0])

    assert (first.status_code, again.status_code) == (204, 204)
    assert Payment.objects.filter(order=order).count() == 1
    order.refresh_from_db()
    assert order.paid_cents == order.total_cents


def test_a_notification_not_signed_by_wechat_pay_records_nothing(
        shop, order, paid, platform_certificate):
    body = wechat.notification("TRANSACTION.SUCCESS", paid)
    forger = wechat.new_key()

    answer = notify(shop, body, forger, platform_certificate[0])

    assert answer.status_code == 400
    assert json.loads(answer.content)["code"] == "FAIL"
    assert not Payment.objects.exists()


def test_a_notification_sent_to_another_shop_records_nothing(
        shop, order, paid, platform_key, platform_certificate):
    other = factories.make_shop()
    body = wechat.notification("TRANSACTION.SUCCESS", paid)

    unknown = notify(shop, body, platform_key, platform_certificate[0], slug="no-such-shop")
    without_account = notify(other, body, platform_key, platform_certificate[0])

    assert (unknown.status_code, without_account.status_code) == (404, 400)
    assert not Payment.objects.exists()


def test_a_payment_for_a_reference_the_shop_never_created_is_not_recorded(
        shop, order, platform_key, platform_certificate):
    body = wechat.notification("TRANSACTION.SUCCESS", wechat.transaction("f" * 32, 10000))

    answer = notify(shop, body, platform_key, platform_certificate[0])

    assert answer.status_code == 500  # WeChat Pay keeps it and retries
    assert not Payment.objects.exists()


def test_a_payment_of_another_amount_is_recorded_as_it_is_and_alerted(
        shop, order, paid, platform_key, platform_certificate):
    paid = paid | {"amount": {**paid["amount"], "total": 1}}
    body = wechat.notification("TRANSACTION.SUCCESS", paid)

    answer = notify(shop, body, platform_key, platform_certificate[0])

    assert answer.status_code == 204
    assert Payment.objects.get(order=order).amount_cents == 1
    order.refresh_from_db()
    assert order.status == Status.PENDING_PAYMENT  # 1 分 does not pay it
    assert Alert.objects.get(shop=shop).kind == "payment_mismatch"


def test_a_payment_on_a_cancelled_order_is_recorded_refunded_and_alerted(
        shop, order, paid, platform_key, platform_certificate, wechat_server,
        django_capture_on_commit_callbacks):
    lifecycle.cancel_order(actor=factories.staff_actor(shop, "owner"), order=order,
                           reason="customer_request")
    body = wechat.notification("TRANSACTION.SUCCESS", paid)

    with django_capture_on_commit_callbacks(execute=True):
        answer = notify(shop, body, platform_key, platform_certificate[0])

    assert answer.status_code == 204
    order.refresh_from_db()
    assert order.status == Status.CANCELLED  # never reopened
    refund = Refund.objects.get(order=order)
    assert (refund.status, refund.amount_cents) == (RefundStatus.PENDING, order.total_cents)
    sent = [r for r in wechat_server.requests if r["path"] == "/v3/refund/domestic/refunds"]
    assert json.loads(sent[0]["body"])["out_refund_no"] == refund.number
    alert = Alert.objects.get(shop=shop)
    assert (alert.kind, alert.data["refund_number"]) == ("paid_after_cancel", refund.number)
    assert alert_message(alert) == (
        f"订单 {order.number} 在取消后通过微信支付收到 ¥100.00，"
        f"款项正在原路退回（{refund.number}）。")

    # WeChat Pay's refund notification settles it, once.
    refunded = {key: value for key, value in wechat_server.refunds[refund.number].items()
                if key != "status"}  # a notification says `refund_status`, the API `status`
    refunded |= {"refund_status": "SUCCESS", "mchid": wechat.MCHID,
                 "success_time": "2026-12-02T11:01:00+08:00"}
    refund_body = wechat.notification("REFUND.SUCCESS", refunded, original_type="refund",
                                      notification_id="EV-refund-1")
    for _ in range(2):
        assert notify(shop, refund_body, platform_key, platform_certificate[0]).status_code == 204
    refund.refresh_from_db()
    order.refresh_from_db()
    assert refund.status == RefundStatus.SUCCEEDED
    assert (order.paid_cents, order.refunded_cents, order.payment_status) == (
        order.total_cents, order.total_cents, PaymentStatus.REFUNDED)


def test_before_auto_cancelling_an_order_paid_at_wechat_pay_is_found_and_recorded(
        shop, order, paid):
    assert is_paid_at_provider(actor=Actor.system(shop), order=order) is True
    assert Payment.objects.get(order=order).amount_cents == order.total_cents


def test_an_unpaid_attempt_is_closed_and_the_order_may_be_cancelled(shop, order, wechat_server):
    create_wechat_payment(order)
    assert is_paid_at_provider(actor=Actor.system(shop), order=order) is False
    out_trade_no = order.payment_attempts.get().out_trade_no
    assert wechat_server.orders[out_trade_no]["trade_state"] == "CLOSED"


def test_the_account_is_stored_encrypted_shown_masked_and_audited(shop, merchant_key):
    with connection.cursor() as cursor:
        cursor.execute("SELECT stored FROM payments_wechatpayaccount")
        (raw,) = cursor.fetchone()
    key_body = wechat.private_pem(merchant_key).splitlines()[1]
    assert wechat.APIV3_KEY not in raw and key_body not in raw
    shown = masked_wechat_pay_config(shop)
    assert shown["merchant_private_key_pem"] == "PRIVATE KEY ••••••••"
    assert shown["apiv3_key"] == "••••••••" + wechat.APIV3_KEY[-4:]
    record = AuditRecord.objects.get(shop=shop, object_type="wechat_pay_account")
    assert wechat.APIV3_KEY not in json.dumps(record.changes, ensure_ascii=False)


def test_saving_again_without_the_secrets_keeps_them_and_needs_shop_manage(
        shop, platform_certificate):
    serial, pem = platform_certificate
    account = WeChatPayAccount.objects.get(shop=shop)
    save_wechat_pay_account(actor=factories.staff_actor(shop, "owner"), shop=shop,
                            mchid=wechat.MCHID, appid="wx0000000000000001",
                            merchant_serial_no=wechat.MERCHANT_SERIAL,
                            platform_certificates={serial: pem},
                            api_base_url=account.stored["api_base_url"])
    account.refresh_from_db()
    assert account.stored["appid"] == "wx0000000000000001"
    assert decrypt_secret(account.stored["apiv3_key"]) == wechat.APIV3_KEY
    with pytest.raises(PermissionDenied):
        save_wechat_pay_account(actor=factories.staff_actor(shop, "finance"), shop=shop,
                                mchid=wechat.MCHID, appid=wechat.APPID,
                                merchant_serial_no=wechat.MERCHANT_SERIAL,
                                platform_certificates={serial: pem})


def test_the_owner_s_page_shows_the_account_masked_and_keeps_blank_secrets(
        shop, merchant_key):
    owner = factories.make_member(shop, "owner")
    client = Client()
    client.force_login(owner.user)

    page = client.get("/settings/wechat-pay/")

    assert page.status_code == 200
    text = page.content.decode()
    assert "PRIVATE KEY ••••••••" in text and wechat.MCHID in text
    assert wechat.APIV3_KEY not in text
    assert wechat.private_pem(merchant_key).splitlines()[1] not in text

    saved = client.post("/settings/wechat-pay/", {
        "mchid": wechat.MCHID, "appid": "wx0000000000000002",
        "merchant_serial_no": wechat.MERCHANT_SERIAL})
    assert saved.status_code == 302
    account = WeChatPayAccount.objects.get(shop=shop)
    assert account.stored["appid"] == "wx0000000000000002"
    assert decrypt_secret(account.stored["apiv3_key"]) == wechat.APIV3_KEY

    refused = client.post("/settings/wechat-pay/", {
        "mchid": wechat.MCHID, "appid": wechat.APPID,
        "merchant_serial_no": wechat.MERCHANT_SERIAL, "apiv3_key": "too-short"})
    assert refused.status_code == 400
    assert decrypt_secret(WeChatPayAccount.objects.get(shop=shop).stored["apiv3_key"]) == (
        wechat.APIV3_KEY)


def test_staff_other_than_the_owner_do_not_see_the_page(shop):
    finance = factories.make_member(shop, "finance")
    client = Client()
    client.force_login(finance.user)
    assert client.get("/settings/wechat-pay/").status_code == 403


def test_a_refund_wechat_pay_refuses_fails_and_asks_the_merchant_to_act(
        shop, order, paid, platform_key, platform_certificate, wechat_server,
        django_capture_on_commit_callbacks):
    lifecycle.cancel_order(actor=factories.staff_actor(shop, "owner"), order=order,
                           reason="customer_request")
    del wechat_server.orders[paid["out_trade_no"]]  # WeChat Pay answers RESOURCE_NOT_EXISTS
    body = wechat.notification("TRANSACTION.SUCCESS", paid)

    with django_capture_on_commit_callbacks(execute=True):
        answer = notify(shop, body, platform_key, platform_certificate[0])

    assert answer.status_code == 204  # the payment is recorded either way
    refund = Refund.objects.get(order=order)
    assert refund.status == RefundStatus.FAILED
    kinds = set(Alert.objects.filter(shop=shop).values_list("kind", flat=True))
    assert kinds == {"paid_after_cancel", "refund_failed"}
    order.refresh_from_db()
    assert (order.status, order.paid_cents, order.refunded_cents) == (
        Status.CANCELLED, order.total_cents, 0)


def test_a_new_platform_key_typed_on_the_page_is_added_beside_the_saved_one(
        shop, platform_certificate):
    owner = factories.make_member(shop, "owner")
    client = Client()
    client.force_login(owner.user)
    serial, pem = wechat.self_signed_certificate(wechat.new_key())

    client.post("/settings/wechat-pay/", {
        "mchid": wechat.MCHID, "appid": wechat.APPID,
        "merchant_serial_no": wechat.MERCHANT_SERIAL,
        "platform_serial": serial, "platform_pem": pem})

    stored = WeChatPayAccount.objects.get(shop=shop).stored
    assert set(stored["platform_certificates"]) == {platform_certificate[0], serial}
