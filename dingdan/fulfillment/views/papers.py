"""The printed papers of a set of orders: packing slips, shipping labels (100 × 150 mm) and
a pick list. Each is a page to print (GET ?order=1&order=2) or a PDF (…&format=pdf). The
order list's bulk bar sends its selection by POST (`ids`), so 500 orders do not make a URL
too long for the server; printing changes nothing either way."""

import zoneinfo

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from dingdan.errors import InvalidInput
from dingdan.fulfillment.papers.rendering import paper_response, printable, requested_output
from dingdan.fulfillment.selectors import papers as selectors
from dingdan.localtime import shop_time
from dingdan.orders.privacy import may_see_pii
from dingdan.shops.permissions import require
from dingdan.ui.decorators import staff_view

MAX_ID_DIGITS = 18  # an id beyond this is no order's, and too big for the database


def requested_order_ids(request: HttpRequest) -> list[int]:
    """The order ids of `order` (a link) or `ids` (the order list's checkboxes)."""
    data = request.POST if request.method == "POST" else request.GET
    values = data.getlist("order") + data.getlist("ids")
    if len(values) > selectors.MAX_ORDERS:
        raise selectors.too_many_orders(len(values))
    ids = []
    for value in values:
        value = value.strip()
        if not (value.isascii() and value.isdigit() and len(value) <= MAX_ID_DIGITS):
            message = _("%(value)s is not an order id.") % {"value": value[:20] or '""'}
            raise InvalidInput(message, code="bad_order_id", fields={"order": message})
        ids.append(int(value))
    return ids


def _print(request: HttpRequest, template: str, file_stem: str, **context) -> HttpResponse:
    actor, shop = request.actor, request.actor.shop
    require(actor, "orders.view", shop)
    output = requested_output(request)
    orders = selectors.papers_of_orders(
        shop, requested_order_ids(request), pii=may_see_pii(actor),
        link=lambda token: request.build_absolute_uri(reverse("storefront:order", args=[token])),
    )
    now = timezone.now()
    if len(orders) == 1:
        name = f"{shop.slug}-{file_stem}-{orders[0].number}"
    else:
        at = now.astimezone(zoneinfo.ZoneInfo(shop.timezone))
        name = f"{shop.slug}-{file_stem}-{len(orders)}-{at:%Y%m%d-%H%M}"
    return paper_response(request, template, {
        "shop": shop,
        "orders": orders,
        "printed_at": shop_time(shop, now),
        "download_fields": [("order", order.order_id) for order in orders],
        **{key: make(orders) for key, make in context.items()},
    }, file_name=name, output=output)


@staff_view
@printable
@require_http_methods(["GET", "POST"])
def packing_slips(request: HttpRequest) -> HttpResponse:
    """One packing slip per order: what is in the parcel, to whom, and its codes."""
    return _print(request, "fulfillment/papers/packing_slips.html", "packing-slips")


@staff_view
@printable
@require_http_methods(["GET", "POST"])
def labels(request: HttpRequest) -> HttpResponse:
    """One 100 × 150 mm shipping label per order, for a thermal label printer."""
    return _print(request, "fulfillment/papers/labels.html", "labels")


@staff_view
@printable
@require_http_methods(["GET", "POST"])
def pick_list(request: HttpRequest) -> HttpResponse:
    """What to take off the shelves for the orders, summed by product, then per order."""
    return _print(request, "fulfillment/papers/pick_list.html", "pick-list",
                  pick=selectors.pick_list)
