"""Saving a shop's WeChat Pay merchant account (docs/payments-wechatpay.md)."""

from collections.abc import Mapping

from django.db import transaction

from dingdan.payments.models import WeChatPayAccount
from dingdan.payments.providers.wechatpay import (
    WeChatPayConfig,
    config_to_stored,
    masked_stored,
)
from dingdan.payments.providers.wechatpay.config import DEFAULT_API_BASE_URL
from dingdan.secret_box import decrypt_secret
from dingdan.shops import audit
from dingdan.shops.actors import Actor
from dingdan.shops.models import Shop
from dingdan.shops.permissions import require


@transaction.atomic
def save_wechat_pay_account(
    *,
    actor: Actor,
    shop: Shop,
    mchid: str,
    appid: str,
    merchant_serial_no: str,
    platform_certificates: Mapping[str, str],
    merchant_private_key_pem: str = "",
    apiv3_key: str = "",
    api_base_url: str = "",
) -> WeChatPayAccount:
    """Check and store the shop's WeChat Pay account, the two secrets encrypted. A secret
    left blank keeps the one saved before (the page never shows it again); a setting that
    cannot work refuses the whole change (`InvalidProviderConfig`). Audited masked."""
    require(actor, "shop.manage", shop)
    account = WeChatPayAccount.objects.select_for_update().filter(shop=shop).first()
    before = masked_stored(account.stored) if account else {}
    if account is not None:  # blank: keep what was saved (SecretUnreadable if it no longer reads)
        merchant_private_key_pem = merchant_private_key_pem.strip() or decrypt_secret(
            account.stored["merchant_private_key_pem"])
        apiv3_key = apiv3_key.strip() or decrypt_secret(account.stored["apiv3_key"])
    stored = config_to_stored(WeChatPayConfig(
        mchid=mchid.strip(), appid=appid.strip(), merchant_serial_no=merchant_serial_no.strip(),
        merchant_private_key_pem=merchant_private_key_pem.strip(), apiv3_key=apiv3_key.strip(),
        platform_certificates={serial.strip(): pem.strip()
                               for serial, pem in platform_certificates.items()},
        api_base_url=api_base_url.strip() or DEFAULT_API_BASE_URL,
    ))
    if account is None:
        account = WeChatPayAccount.objects.create(shop=shop, stored=stored)
        action = audit.CREATED
    else:
        account.stored = stored
        account.save(update_fields=["stored", "updated_at"])
        action = audit.CHANGED
    audit.record(actor=actor, shop=shop, object_type=audit.WECHAT_PAY_ACCOUNT, obj_id=account.pk,
                 label=stored["mchid"], action=action,
                 changes=audit.diff(before, masked_stored(stored)))
    return account
