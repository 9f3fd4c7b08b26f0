"""A merchant on platform certificates fetches WeChat Pay's current ones: they come
encrypted with the APIv3 key, and the answer is signed by one of them."""

import dataclasses

import pytest

from dingdan.payments.providers.base import InvalidNotification, ProviderAnswerInvalid
from dingdan.payments.providers.wechatpay import (
    WeChatPay,
    download_platform_certificates,
    signing,
)
from tests.payments.providers import wechat


def test_a_new_platform_certificate_is_fetched_and_then_verifies_notifications(
    live_provider, wechat_server, platform_certificate
):
    """WeChat Pay rotates to a new certificate: a notification signed with it is refused
    until the shop fetches it, then taken."""
    new_key = wechat.new_key()
    new_serial, new_pem = wechat.self_signed_certificate(new_key)
    wechat_server.certificates = [platform_certificate, (new_serial, new_pem)]
    wechat_server.sign_answers_with, wechat_server.platform_serial = new_key, new_serial
    body = wechat.notification("TRANSACTION.SUCCESS", wechat.transaction("20261202-0101", 100))
    headers = wechat.signed_headers(new_key, new_serial, body)
    with pytest.raises(InvalidNotification, match=new_serial):
        live_provider.parse_notification(headers, body)

    fetched = live_provider.download_platform_certificates()

    assert fetched == dict([platform_certificate, (new_serial, new_pem)])
    rotated = WeChatPay(dataclasses.replace(live_provider.config, platform_certificates=fetched))
    assert rotated.parse_notification(headers, body).payment.is_paid


def test_the_first_download_needs_no_certificate_yet(
    merchant_key, wechat_server, platform_certificate
):
    wechat_server.certificates = [platform_certificate]
    config = wechat.merchant_config(merchant_key, {}, base_url=wechat_server.base_url)
    assert download_platform_certificates(config) == dict([platform_certificate])


def test_certificates_not_sealed_with_the_shops_apiv3_key_are_refused(
    merchant_key, wechat_server, platform_certificate
):
    serial, pem = platform_certificate
    sealed = wechat_server.sealed_certificate(serial, pem, "ZZZZZZZZZZabcdefghijABCDEFGHIJ01")
    wechat_server.sealed_certificate = lambda *pair: sealed
    wechat_server.certificates = [platform_certificate]
    config = wechat.merchant_config(merchant_key, {}, base_url=wechat_server.base_url)
    with pytest.raises(ProviderAnswerInvalid, match="APIv3 key"):
        download_platform_certificates(config)


def test_a_certificate_under_another_serial_is_refused(
    merchant_key, wechat_server, platform_certificate
):
    wechat_server.certificates = [("7132D72A03E93CDDF8C03BBD1F37EEDF", platform_certificate[1])]
    wechat_server.platform_serial = "7132D72A03E93CDDF8C03BBD1F37EEDF"
    config = wechat.merchant_config(merchant_key, {}, base_url=wechat_server.base_url)
    with pytest.raises(ProviderAnswerInvalid, match="another serial"):
        download_platform_certificates(config)


def test_an_answer_signed_by_none_of_the_certificates_is_refused(
    merchant_key, wechat_server, platform_certificate
):
    wechat_server.certificates = [platform_certificate]
    wechat_server.sign_answers_with = wechat.new_key()
    config = wechat.merchant_config(merchant_key, {}, base_url=wechat_server.base_url)
    with pytest.raises(ProviderAnswerInvalid, match="wrong signature"):
        download_platform_certificates(config)


def test_the_serial_is_read_as_wechat_pay_writes_it(platform_certificate):
    serial, pem = platform_certificate
    assert signing.certificate_serial(pem) == serial
