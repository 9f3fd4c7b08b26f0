"""A merchant's WeChat Pay settings: every setting that cannot work is named, the secrets
are stored encrypted and come back only masked, and nothing secret shows in a repr."""

import dataclasses

import pytest

from dingdan.payments.providers.base import InvalidProviderConfig
from dingdan.payments.providers.wechatpay import (
    WeChatPay,
    config_from_stored,
    config_to_stored,
    masked_stored,
)
from dingdan.secret_box import MASK
from tests.payments.providers import wechat


def test_settings_that_cannot_work_are_each_named(config):
    broken = dataclasses.replace(
        config,
        mchid="商户号",
        apiv3_key="too short",
        merchant_private_key_pem="-----BEGIN PRIVATE KEY-----\nnope\n-----END PRIVATE KEY-----",
        platform_certificates={"ABC": "not a certificate"},
    )
    with pytest.raises(InvalidProviderConfig) as refused:
        WeChatPay(broken)
    assert set(refused.value.fields) == {
        "mchid",
        "apiv3_key",
        "merchant_private_key_pem",
        "platform_certificates",
    }


def test_a_config_without_any_platform_key_is_refused(config):
    with pytest.raises(InvalidProviderConfig) as refused:
        WeChatPay(dataclasses.replace(config, platform_certificates={}))
    assert set(refused.value.fields) == {"platform_certificates"}


def test_the_secrets_never_show_in_a_repr(config):
    shown = repr(config)
    assert wechat.APIV3_KEY not in shown
    assert "PRIVATE KEY" not in shown
    assert wechat.MCHID in shown


def test_stored_settings_hold_the_secrets_encrypted_and_read_back(config):
    stored = config_to_stored(config)
    assert wechat.APIV3_KEY not in str(stored)
    assert "PRIVATE KEY" not in str(stored)
    assert stored["platform_certificates"] == dict(config.platform_certificates)

    again = config_from_stored(stored, notify_url=config.notify_url)
    assert again == config


def test_the_settings_page_sees_the_secrets_only_masked(config):
    shown = masked_stored(config_to_stored(config))
    assert shown["apiv3_key"] == MASK + wechat.APIV3_KEY[-4:]
    assert shown["merchant_private_key_pem"] == f"PRIVATE KEY {MASK}"
    assert shown["platform_certificates"] == list(config.platform_certificates)
    assert shown["mchid"] == wechat.MCHID


def test_a_secret_saved_under_a_lost_secret_key_shows_as_unreadable(config, settings):
    stored = config_to_stored(config)
    settings.SECRET_KEY = "a different key " * 4
    settings.SECRET_KEY_FALLBACKS = []
    assert masked_stored(stored)["apiv3_key"] == "(unreadable: enter it again)"
