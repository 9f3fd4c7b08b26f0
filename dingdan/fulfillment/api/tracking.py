"""快递100's pushes to a shop: public (the MD5 signature with the shop's salt is the
authentication), no CSRF, no Idempotency-Key (快递100 sends none; each step is recorded
once by its own key)."""

from django.http import Http404, HttpRequest, HttpResponse
from ninja import Router, Schema

from dingdan.api.errors import ErrorOut
from dingdan.fulfillment.services.tracking_push import receive_kuaidi100_push
from dingdan.shops.models import Shop

router = Router(tags=["fulfillment"])


class Kuaidi100Reply(Schema):
    """快递100's answer format: only result true with returnCode 200 stops its retries."""

    result: bool
    returnCode: str  # 快递100's field name
    message: str


@router.post(
    "/tracking/kuaidi100/{shop_slug}",
    auth=None,
    response={frozenset({200, 400, 500}): Kuaidi100Reply, 404: ErrorOut},
)
def kuaidi100_push(request: HttpRequest, shop_slug: str, shipment: str = ""):
    """A tracking push from 快递100 (form-encoded `param` and `sign`), verified with the
    shop's salt; `shipment` is the token of the callback URL the subscription gave."""
    shop = Shop.objects.filter(slug=shop_slug).first()
    if shop is None:
        raise Http404
    # The raw bytes, untouched: the signature is over the exact `param` text.
    reply = receive_kuaidi100_push(shop=shop, token=shipment, headers=request.headers,
                                   body=request.body)
    return HttpResponse(reply.body, status=reply.status, content_type=reply.content_type)
