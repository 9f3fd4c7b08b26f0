"""A pickup point's list of orders to hand over, to print or download as a PDF (drawn by
fulfilment's papers): ?campaign=<id> keeps one campaign's, format=pdf downloads it."""

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from dingdan.chains.selectors import campaigns as selectors
from dingdan.chains.selectors.pickup_lists import pickup_list
from dingdan.customers.privacy import may_see_pii
from dingdan.errors import InvalidInput
from dingdan.fulfillment.papers.rendering import paper_response, printable, requested_output
from dingdan.shops.permissions import require
from dingdan.ui.decorators import staff_view


@staff_view
@printable
@require_http_methods(["GET", "POST"])
def point_pickup_list(request: HttpRequest, point_id: int) -> HttpResponse:
    actor, shop = request.actor, request.actor.shop
    require(actor, "orders.view", shop)
    output = requested_output(request)
    point = selectors.pickup_point_in_shop(shop, point_id)
    data = request.POST if request.method == "POST" else request.GET
    campaign_id = data.get("campaign", "")
    campaign = None
    if campaign_id:
        if not (campaign_id.isascii() and campaign_id.isdigit() and len(campaign_id) <= 18):
            message = _("%(value)s is not a campaign id.") % {"value": campaign_id[:20]}
            raise InvalidInput(message, fields={"campaign": message})
        campaign = selectors.campaign_in_shop(shop, int(campaign_id))
    pickup = pickup_list(point, campaign=campaign, pii=may_see_pii(actor), now=timezone.now())
    name = f"{shop.slug}-pickup-list-{point.pk}" + (f"-campaign-{campaign.pk}" if campaign else "")
    return paper_response(request, "chains/pickup_list.html", {
        "shop": shop,
        "pickup": pickup,
        "download_fields": [("campaign", campaign.pk)] if campaign else [],
    }, file_name=name, output=output)
