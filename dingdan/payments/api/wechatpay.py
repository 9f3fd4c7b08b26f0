"""WeChat Pay's notifications to a shop: public (the signature is the authentication), no
CSRF, no Idempotency-Key (WeChat Pay sends neither; recording is idempotent by itself)."""

from django.http import Http404, HttpRequest, HttpResponse
from ninja import Router, Schema

from dingdan.api.errors import ErrorOut
from dingdan.payments.services.wechatpay_notifications import receive_wechat_pay_notification
from dingdan.shops.models import Shop

router = Router(tags=["payments"])


class WeChatPayReply(Schema):
    """The answer WeChat Pay reads when a notification was not taken: it sends it again."""

    code: str
    message: str


@router.post(
    "/payments/wechatpay/notify/{shop_slug}",
    auth=None,
    response={204: None, frozenset({400, 500}): WeChatPayReply, 404: ErrorOut},
)
def wechat_pay_notify(request: HttpRequest, shop_slug: str):
    """A payment or refund notification from WeChat Pay (API v3), verified against the
    shop's platform keys. 204 once recorded; 4xx/5xx makes WeChat Pay send it again."""
    shop = Shop.objects.filter(slug=shop_slug).first()
    if shop is None:
        raise Http404
    # The raw bytes, untouched: the signature is over exactly these.
    reply = receive_wechat_pay_notification(shop=shop, headers=request.headers, body=request.body)
    return HttpResponse(reply.body, status=reply.status, content_type=reply.content_type)
