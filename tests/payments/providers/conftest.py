import time

import pytest

from dingdan.payments.providers.wechatpay import WeChatPay
from tests.payments.providers import wechat


@pytest.fixture(scope="session")
def merchant_key():
    return wechat.new_key()


@pytest.fixture(scope="session")
def platform_key():
    return wechat.new_key()


@pytest.fixture(scope="session")
def platform_certificate(platform_key):
    """(serial, PEM) of WeChat Pay's platform certificate, self-signed here."""
    return wechat.self_signed_certificate(platform_key)


@pytest.fixture
def config(merchant_key, platform_certificate):
    serial, pem = platform_certificate
    return wechat.merchant_config(merchant_key, {serial: pem})


@pytest.fixture
def provider(config):
    return WeChatPay(config)


@pytest.fixture
def wechat_server(merchant_key, platform_key, platform_certificate):
    with wechat.FakeWeChatPay(
        merchant_key.public_key(), platform_key, platform_certificate[0]
    ) as server:
        yield server


@pytest.fixture
def live_provider(merchant_key, platform_certificate, wechat_server):
    """The provider talking to the local WeChat Pay server."""
    serial, pem = platform_certificate
    return WeChatPay(
        wechat.merchant_config(
            merchant_key, {serial: pem}, base_url=wechat_server.base_url, timeout_seconds=2
        ),
        clock=time.time,
    )
