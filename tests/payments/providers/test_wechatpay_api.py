"""The calls to WeChat Pay, against a local server that checks the merchant's signature as
WeChat Pay does and answers as its docs show, signed with the platform key."""

import dataclasses
import json
import socket
from datetime import UTC, datetime

import pytest

from dingdan.errors import InvalidInput
from dingdan.payments.providers.base import (
    PaymentState,
    ProviderAnswerInvalid,
    ProviderRefused,
    ProviderUnavailable,
    RefundState,
)
from dingdan.payments.providers.wechatpay import WeChatPay, signing
from tests.payments.providers import wechat


def _sent(server):
    return json.loads(server.requests[-1]["body"])


def test_a_native_payment_gives_the_code_url_for_the_qr_code(live_provider, wechat_server):
    created = live_provider.create_payment("20261202-0001", 12_800, "小王水果店 订单 20261202-0001")

    assert created.kind == "native"
    assert created.code_url == "weixin://wxpay/bizpayurl?pr=p4lpSuKzz"
    sent = _sent(wechat_server)
    assert sent["amount"] == {"total": 12_800, "currency": "CNY"}
    assert sent["mchid"] == wechat.MCHID and sent["appid"] == wechat.APPID
    assert sent["notify_url"].endswith("/api/v1/payments/wechatpay/notify/demo")


def test_a_payment_can_expire_with_the_order(live_provider, wechat_server):
    expires_at = datetime(2026, 12, 2, 4, 30, tzinfo=UTC)
    live_provider.create_payment("20261202-0002", 100, "订单", expires_at=expires_at)
    assert _sent(wechat_server)["time_expire"] == "2026-12-02T12:30:00+08:00"


def test_a_long_description_is_cut_to_wechat_pays_127_bytes(live_provider, wechat_server):
    live_provider.create_payment("20261202-0003", 100, "苹果" * 100)
    description = _sent(wechat_server)["description"]
    assert len(description.encode()) <= 127 and description.startswith("苹果苹果")


def test_a_jsapi_payment_gives_parameters_signed_by_the_merchant(
    live_provider, wechat_server, merchant_key
):
    created = live_provider.create_payment(
        "20261202-0004", 990, "订单", kind="jsapi", payer_openid="oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"
    )
    params = created.jsapi_params
    assert params["package"] == "prepay_id=wx201410272009395522657a690389285100"
    assert params["appId"] == wechat.APPID and params["signType"] == "RSA"
    signed = signing.message(
        params["appId"], params["timeStamp"], params["nonceStr"], params["package"]
    )
    assert signing.is_valid_signature(merchant_key.public_key(), signed, params["paySign"])
    assert _sent(wechat_server)["payer"] == {"openid": "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"}


def test_a_jsapi_payment_needs_the_payers_openid(live_provider, wechat_server):
    with pytest.raises(InvalidInput) as refused:
        live_provider.create_payment("20261202-0005", 990, "订单", kind="jsapi")
    assert "payer_openid" in refused.value.fields
    assert wechat_server.requests == []


@pytest.mark.parametrize("ref", ["12345", "订单20261202", "2026/12/02-1", "x" * 33])
def test_a_reference_wechat_pay_would_refuse_is_caught_before_sending(
    live_provider, wechat_server, ref
):
    with pytest.raises(InvalidInput):
        live_provider.create_payment(ref, 100, "订单")
    assert wechat_server.requests == []


def test_an_unpaid_order_queries_as_pending_then_as_paid(live_provider, wechat_server):
    """Asked before an unpaid order is auto-cancelled: a paid one is never cancelled."""
    live_provider.create_payment("20261202-0006", 5_000, "订单")

    unpaid = live_provider.query_payment("20261202-0006")
    assert unpaid.state is PaymentState.PENDING and not unpaid.is_paid
    assert unpaid.transaction_id is None

    wechat_server.pay("20261202-0006")
    paid = live_provider.query_payment("20261202-0006")
    assert paid.is_paid and paid.amount_cents == 5_000 and paid.transaction_id
    assert wechat_server.requests[-1]["path"] == (
        f"/v3/pay/transactions/out-trade-no/20261202-0006?mchid={wechat.MCHID}"
    )


def test_a_payment_never_created_queries_as_none(live_provider):
    assert live_provider.query_payment("20261202-0404") is None


def test_closing_an_unpaid_payment_then_querying_it(live_provider, wechat_server):
    live_provider.create_payment("20261202-0007", 5_000, "订单")
    live_provider.close_payment("20261202-0007")
    assert live_provider.query_payment("20261202-0007").state is PaymentState.CLOSED


def test_closing_a_paid_payment_is_refused_and_the_query_says_paid(live_provider, wechat_server):
    live_provider.create_payment("20261202-0008", 5_000, "订单")
    wechat_server.pay("20261202-0008")
    with pytest.raises(ProviderRefused) as refused:
        live_provider.close_payment("20261202-0008")
    assert refused.value.provider_code == "ORDER_PAID"
    assert live_provider.query_payment("20261202-0008").is_paid


def test_a_refund_is_accepted_and_a_retry_is_the_same_refund(live_provider, wechat_server):
    live_provider.create_payment("20261202-0009", 12_800, "订单")
    wechat_server.pay("20261202-0009")

    refund = live_provider.refund("20261202-0009", "R20261202-0009-1", 3_000, 12_800, "缺货")
    assert refund.state is RefundState.PENDING
    assert (refund.amount_cents, refund.total_cents) == (3_000, 12_800)
    assert refund.refund_id and refund.out_trade_no == "20261202-0009"
    sent = _sent(wechat_server)
    assert sent["amount"] == {"refund": 3_000, "total": 12_800, "currency": "CNY"}
    assert sent["reason"] == "缺货"

    again = live_provider.refund("20261202-0009", "R20261202-0009-1", 3_000, 12_800, "缺货")
    assert again.refund_id == refund.refund_id
    assert len(wechat_server.refunds) == 1


def test_a_refund_above_the_payment_is_refused_before_sending(live_provider, wechat_server):
    with pytest.raises(InvalidInput):
        live_provider.refund("20261202-0010", "R20261202-0010-1", 200, 100, "")
    assert wechat_server.requests == []


def test_a_param_error_answer_is_a_clear_refusal(live_provider, wechat_server):
    live_provider.create_payment("20261202-0011", 12_800, "订单")
    wechat_server.pay("20261202-0011")
    with pytest.raises(ProviderRefused) as refused:
        live_provider.refund("20261202-0011", "R20261202-0011-1", 100, 9_999, "")
    error = refused.value
    assert (error.http_status, error.provider_code) == (400, "PARAM_ERROR")
    assert not error.retryable
    assert "PARAM_ERROR" in str(error) and "订单金额或退款金额与之前请求不一致" in str(error)
    assert error.details == {"provider_code": "PARAM_ERROR", "http_status": 400}


def test_a_request_signed_with_another_key_is_refused_by_wechat_pay(
    merchant_key, platform_certificate, wechat_server
):
    serial, pem = platform_certificate
    impostor = WeChatPay(
        wechat.merchant_config(wechat.new_key(), {serial: pem}, base_url=wechat_server.base_url)
    )
    with pytest.raises(ProviderRefused) as refused:
        impostor.create_payment("20261202-0012", 100, "订单")
    assert (refused.value.http_status, refused.value.provider_code) == (401, "SIGN_ERROR")


def test_an_answer_not_signed_by_the_platform_key_is_not_believed(live_provider, wechat_server):
    wechat_server.sign_answers_with = wechat.new_key()
    with pytest.raises(ProviderAnswerInvalid, match="wrong signature"):
        live_provider.create_payment("20261202-0013", 100, "订单")


def test_an_answer_from_an_unknown_platform_serial_is_not_believed(live_provider, wechat_server):
    live_provider.create_payment("20261202-0014", 100, "订单")
    wechat_server.platform_serial = "7132D72A03E93CDDF8C03BBD1F37EEDF"
    with pytest.raises(ProviderAnswerInvalid, match="unknown platform serial"):
        live_provider.query_payment("20261202-0014")


def test_a_slow_answer_times_out_as_unavailable(live_provider, wechat_server):
    impatient = WeChatPay(dataclasses.replace(live_provider.config, timeout_seconds=0.2))
    wechat_server.delay_seconds = 1
    with pytest.raises(ProviderUnavailable) as unavailable:
        impatient.query_payment("20261202-0015")
    assert unavailable.value.retryable


def test_no_server_is_unavailable(merchant_key, platform_certificate):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # closed again before the call: nothing listens there
    serial, pem = platform_certificate
    provider = WeChatPay(
        wechat.merchant_config(merchant_key, {serial: pem}, base_url=f"http://127.0.0.1:{port}")
    )
    with pytest.raises(ProviderUnavailable, match="did not answer"):
        provider.query_payment("20261202-0016")
