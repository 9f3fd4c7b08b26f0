"""WeChat Pay's notifications, built as WeChat Pay builds them (signed with a platform key
generated here, the resource encrypted with the APIv3 key): the real ones are read, every
forged, replayed or unreadable one is refused with its reason."""

import json
import time
from datetime import UTC, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dingdan.payments.providers.base import InvalidNotification, PaymentState, RefundState
from dingdan.payments.providers.wechatpay import WeChatPay
from tests.payments.providers import wechat


def _paid(out_trade_no="20261202-0001", total=12_800, **extra):
    return wechat.notification(
        "TRANSACTION.SUCCESS", wechat.transaction(out_trade_no, total, **extra)
    )


def _refund_resource(status="SUCCESS"):
    return {
        "mchid": wechat.MCHID,
        "transaction_id": "4200000000002104083200000488",
        "out_trade_no": "20261202-0001",
        "refund_id": "50200207182018070300011301001",
        "out_refund_no": "R20261202-0001",
        "refund_status": status,
        "success_time": "2026-12-02T12:00:00+08:00",
        "user_received_account": "招商银行信用卡0403",
        "amount": {"total": 12_800, "refund": 3_000, "payer_total": 12_800, "payer_refund": 3_000},
    }


def _reason(provider, headers, body):
    with pytest.raises(InvalidNotification) as refused:
        provider.parse_notification(headers, body)
    assert refused.value.details == {"reason": refused.value.reason}
    return refused.value.reason


def test_a_payment_notification_is_verified_decrypted_and_read_in_fen(
    provider, platform_key, platform_certificate
):
    body = _paid(total=12_800)
    headers = wechat.signed_headers(platform_key, platform_certificate[0], body)

    notice = provider.parse_notification(headers, body)

    assert notice.kind == "payment"
    assert notice.event_type == "TRANSACTION.SUCCESS"
    payment = notice.payment
    assert payment.out_trade_no == "20261202-0001"
    assert payment.state is PaymentState.SUCCEEDED and payment.is_paid
    assert payment.amount_cents == 12_800 and payment.payer_paid_cents == 12_800
    assert isinstance(payment.amount_cents, int) and payment.currency == "CNY"
    assert payment.paid_at == datetime(2026, 12, 2, 2, 34, 56, tzinfo=UTC)
    assert payment.payer_openid == "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"
    assert notice.idempotency_key == f"wechat_pay:transaction:{payment.transaction_id}"


def test_headers_are_read_whatever_their_case(provider, platform_key, platform_certificate):
    body = _paid()
    headers = {
        name.upper(): value
        for name, value in wechat.signed_headers(
            platform_key, platform_certificate[0], body
        ).items()
    }
    assert provider.parse_notification(headers, body).kind == "payment"


def test_the_same_notification_twice_names_the_same_transaction(
    provider, platform_key, platform_certificate
):
    """WeChat Pay resends a notification until it is acknowledged; the caller records the
    payment once, under the idempotency key."""
    body = _paid()
    first = provider.parse_notification(
        wechat.signed_headers(platform_key, platform_certificate[0], body), body
    )
    again = provider.parse_notification(
        wechat.signed_headers(platform_key, platform_certificate[0], body), body
    )
    assert first.payment.transaction_id == again.payment.transaction_id
    assert first.idempotency_key == again.idempotency_key


def test_a_refund_notification_is_read(provider, platform_key, platform_certificate):
    body = wechat.notification("REFUND.SUCCESS", _refund_resource(), original_type="refund")
    notice = provider.parse_notification(
        wechat.signed_headers(platform_key, platform_certificate[0], body), body
    )
    assert notice.kind == "refund"
    refund = notice.refund
    assert refund.state is RefundState.SUCCEEDED
    assert (refund.amount_cents, refund.total_cents) == (3_000, 12_800)
    assert refund.out_refund_no == "R20261202-0001"
    assert refund.received_account == "招商银行信用卡0403"
    assert notice.idempotency_key == "wechat_pay:refund:50200207182018070300011301001"


def test_an_abnormal_refund_reads_as_failed(provider, platform_key, platform_certificate):
    body = wechat.notification(
        "REFUND.ABNORMAL", _refund_resource("ABNORMAL"), original_type="refund"
    )
    notice = provider.parse_notification(
        wechat.signed_headers(platform_key, platform_certificate[0], body), body
    )
    assert notice.refund.state is RefundState.FAILED


def test_an_event_not_acted_on_is_still_verified_and_acknowledged(
    provider, platform_key, platform_certificate
):
    body = wechat.notification("TRANSACTION.SOMETHING_NEW", {"mchid": wechat.MCHID})
    notice = provider.parse_notification(
        wechat.signed_headers(platform_key, platform_certificate[0], body), body
    )
    assert notice.kind == "other" and notice.payment is None
    assert provider.reply_to_notification().status == 204


def test_a_tampered_body_is_refused(provider, platform_key, platform_certificate):
    body = _paid()
    headers = wechat.signed_headers(platform_key, platform_certificate[0], body)
    tampered = body.replace(b"TRANSACTION.SUCCESS", b"TRANSACTION.SUCCESS ")
    assert _reason(provider, headers, tampered) == "bad_signature"


def test_a_signature_by_another_key_is_refused(provider, platform_certificate):
    body = _paid()
    headers = wechat.signed_headers(wechat.new_key(), platform_certificate[0], body)
    assert _reason(provider, headers, body) == "bad_signature"


def test_a_signature_that_is_not_base64_is_refused(provider, platform_key, platform_certificate):
    body = _paid()
    headers = wechat.signed_headers(platform_key, platform_certificate[0], body)
    headers["Wechatpay-Signature"] = "WECHATPAY/SIGNTEST/" + headers["Wechatpay-Signature"]
    assert _reason(provider, headers, body) == "bad_signature"


@pytest.mark.parametrize("age", [301, -301, 3600])
def test_a_stale_or_future_timestamp_is_refused(provider, platform_key, platform_certificate, age):
    body = _paid()
    headers = wechat.signed_headers(
        platform_key, platform_certificate[0], body, timestamp=int(time.time()) - age
    )
    assert _reason(provider, headers, body) == "stale_timestamp"


def test_a_timestamp_within_five_minutes_is_taken(provider, platform_key, platform_certificate):
    body = _paid()
    headers = wechat.signed_headers(
        platform_key, platform_certificate[0], body, timestamp=int(time.time()) - 290
    )
    assert provider.parse_notification(headers, body).kind == "payment"


def test_an_unknown_serial_is_refused(provider, platform_key):
    body = _paid()
    headers = wechat.signed_headers(platform_key, "7132D72A03E93CDDF8C03BBD1F37EEDF", body)
    assert _reason(provider, headers, body) == "unknown_serial"


@pytest.mark.parametrize(
    "name", ["Wechatpay-Signature", "Wechatpay-Serial", "Wechatpay-Timestamp", "Wechatpay-Nonce"]
)
def test_a_missing_header_is_refused(provider, platform_key, platform_certificate, name):
    body = _paid()
    headers = wechat.signed_headers(platform_key, platform_certificate[0], body)
    del headers[name]
    assert _reason(provider, headers, body) == "missing_header"


def test_a_resource_encrypted_with_another_apiv3_key_is_refused(
    provider, platform_key, platform_certificate
):
    body = wechat.notification(
        "TRANSACTION.SUCCESS",
        wechat.transaction("20261202-0001", 100),
        apiv3_key="ZZZZZZZZZZabcdefghijABCDEFGHIJ01",
    )
    headers = wechat.signed_headers(platform_key, platform_certificate[0], body)
    assert _reason(provider, headers, body) == "bad_ciphertext"


def test_a_tampered_ciphertext_signed_again_is_refused(
    provider, platform_key, platform_certificate
):
    """Even with a valid signature (a stolen platform key), the AEAD tag catches a change."""
    envelope = json.loads(_paid())
    ciphertext = envelope["resource"]["ciphertext"]
    envelope["resource"]["ciphertext"] = ("A" if ciphertext[0] != "A" else "B") + ciphertext[1:]
    body = json.dumps(envelope).encode()
    headers = wechat.signed_headers(platform_key, platform_certificate[0], body)
    assert _reason(provider, headers, body) == "bad_ciphertext"


def test_another_algorithm_is_refused(provider, platform_key, platform_certificate):
    envelope = json.loads(_paid())
    envelope["resource"]["algorithm"] = "AEAD_AES_128_GCM"
    body = json.dumps(envelope).encode()
    headers = wechat.signed_headers(platform_key, platform_certificate[0], body)
    assert _reason(provider, headers, body) == "unsupported_algorithm"


def test_a_payment_for_another_merchant_is_refused(provider, platform_key, platform_certificate):
    body = _paid(mchid="1230000109")
    headers = wechat.signed_headers(platform_key, platform_certificate[0], body)
    assert _reason(provider, headers, body) == "wrong_merchant"


def test_a_payment_for_another_app_is_refused(provider, platform_key, platform_certificate):
    body = _paid(appid="wx0000000000000000")
    headers = wechat.signed_headers(platform_key, platform_certificate[0], body)
    assert _reason(provider, headers, body) == "wrong_merchant"


@pytest.mark.parametrize("total", ["12800", 128.0, -1, True, None])
def test_an_amount_that_is_not_whole_fen_is_refused(
    provider, platform_key, platform_certificate, total
):
    resource = wechat.transaction("20261202-0001", 100)
    resource["amount"]["total"] = total
    body = wechat.notification("TRANSACTION.SUCCESS", resource)
    headers = wechat.signed_headers(platform_key, platform_certificate[0], body)
    assert _reason(provider, headers, body) == "malformed_body"


def test_a_body_that_is_not_json_is_refused(provider, platform_key, platform_certificate):
    body = b"<xml><return_code>SUCCESS</return_code></xml>"
    headers = wechat.signed_headers(platform_key, platform_certificate[0], body)
    assert _reason(provider, headers, body) == "malformed_body"


def test_a_refused_notification_is_answered_so_wechat_pay_sends_it_again(provider):
    error = InvalidNotification("bad_signature", "Wechatpay-Signature does not verify")
    reply = provider.reply_to_notification(error)
    assert reply.status == 400
    assert json.loads(reply.body) == {"code": "FAIL", "message": str(error)}
    assert provider.reply_to_notification(RuntimeError("database down")).status == 500


def test_a_wechat_pay_public_key_verifies_like_a_certificate(merchant_key, platform_key):
    """Merchants opened since 2024 get a 微信支付公钥 (serial PUB_KEY_ID_…), not certificates."""
    from cryptography.hazmat.primitives import serialization

    public_pem = (
        platform_key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    serial = "PUB_KEY_ID_0114232134912410000000000000"
    provider = WeChatPay(wechat.merchant_config(merchant_key, {serial: public_pem}))
    body = _paid()
    notice = provider.parse_notification(wechat.signed_headers(platform_key, serial, body), body)
    assert notice.payment.is_paid


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    total=st.integers(min_value=1, max_value=10**11),
    out_trade_no=st.from_regex(r"[0-9A-Za-z_\-*|]{6,32}", fullmatch=True),
)
def test_any_amount_in_fen_comes_back_exactly(
    provider, platform_key, platform_certificate, total, out_trade_no
):
    body = _paid(out_trade_no, total)
    notice = provider.parse_notification(
        wechat.signed_headers(platform_key, platform_certificate[0], body), body
    )
    assert (notice.payment.out_trade_no, notice.payment.amount_cents) == (out_trade_no, total)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_any_changed_byte_of_the_body_is_refused(
    provider, platform_key, platform_certificate, data
):
    body = _paid()
    headers = wechat.signed_headers(platform_key, platform_certificate[0], body)
    at = data.draw(st.integers(min_value=0, max_value=len(body) - 1))
    value = data.draw(st.integers(min_value=0, max_value=255).filter(lambda b: b != body[at]))
    changed = body[:at] + bytes([value]) + body[at + 1 :]
    assert _reason(provider, headers, changed) == "bad_signature"
