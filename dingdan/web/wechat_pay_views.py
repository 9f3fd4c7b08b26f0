"""The WeChat Pay settings page: the owner enters the merchant account once; the secrets
are never shown again, only masked, and left blank they stay as saved."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from dingdan.payments.selectors.wechatpay import (
    masked_wechat_pay_config,
    notify_url_for,
    wechat_pay_account,
)
from dingdan.payments.services.wechatpay_accounts import save_wechat_pay_account
from dingdan.shops.permissions import require
from dingdan.ui.decorators import attempt, staff_view

PLAIN_FIELDS = ("mchid", "appid", "merchant_serial_no", "platform_serial", "platform_pem")


@staff_view
def wechat_pay_settings(request: HttpRequest) -> HttpResponse:
    actor = request.actor
    require(actor, "shop.manage", actor.shop)
    shown = masked_wechat_pay_config(actor.shop)
    errors: dict[str, str] = {}
    typed = {name: (shown or {}).get(name, "") for name in PLAIN_FIELDS[:3]}
    if request.method == "POST":
        typed = {name: request.POST.get(name, "") for name in PLAIN_FIELDS}
        certificates = ({typed["platform_serial"].strip(): typed["platform_pem"]}
                        if typed["platform_serial"].strip() else {})
        saved = attempt(request, lambda: save_wechat_pay_account(
            actor=actor, shop=actor.shop, mchid=typed["mchid"], appid=typed["appid"],
            merchant_serial_no=typed["merchant_serial_no"],
            merchant_private_key_pem=request.POST.get("merchant_private_key_pem", ""),
            apiv3_key=request.POST.get("apiv3_key", ""),
            platform_certificates=_saved_certificates(actor.shop) | certificates,
        ), success=_("WeChat Pay settings saved."), errors=errors,
            inputs={"platform_certificates": "platform_pem"})
        if saved:
            return redirect("web:wechat_pay_settings")
    return render(request, "web/wechat_pay_settings.html", {
        "shown": shown, "typed": typed, "field_errors": errors,
        "notify_url": notify_url_for(actor.shop),
    }, status=400 if errors else 200)


def _saved_certificates(shop) -> dict[str, str]:
    """The platform keys saved (public, so read as stored): a new one is added beside them,
    as WeChat Pay signs with either old or new while it rotates."""
    account = wechat_pay_account(shop)
    return dict(account.stored["platform_certificates"]) if account else {}
