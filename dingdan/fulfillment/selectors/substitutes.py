"""Offers of a substitute SKU: an order's, one of the shop's, what the customer may decide."""

from django.utils.translation import gettext as _

from dingdan.catalog.models import ProductKind, Variant
from dingdan.errors import NotFound
from dingdan.fulfillment.models import SubstituteOffer, SubstituteStatus
from dingdan.orders.models import Order
from dingdan.orders.services.substituting import MAY_SUBSTITUTE
from dingdan.shops.models import Shop


def offers_of(order: Order) -> list[SubstituteOffer]:
    """Every offer made on the order, oldest first."""
    return list(SubstituteOffer.objects.filter(order=order, shop_id=order.shop_id)
                .select_related("order", "variant"))


def offer_in_shop(shop: Shop, offer_id: int) -> SubstituteOffer:
    """The shop's offer, or NotFound (another shop's offer answers the same)."""
    offer = (SubstituteOffer.objects.filter(pk=offer_id, shop=shop)
             .select_related("order__shop", "variant").first())
    if offer is None:
        raise NotFound(_("No such substitute offer."))
    return offer


def open_offers_for_customer(order: Order) -> list[SubstituteOffer]:
    """The offers the customer may still accept or decline on their order link: open, on an
    order that may still take them, for a line still on it (an edit may have replaced it)."""
    if order.status not in MAY_SUBSTITUTE:
        return []
    return [offer for offer in offers_of(order)
            if offer.status == SubstituteStatus.OFFERED and offer.order_line_id is not None]



MAX_CHOICES = 300


def substitute_choices(shop: Shop) -> list[dict]:
    """The goods the shop may offer instead, on sale, with what is available of each (most
    available first): the offer form's list."""
    variants = (Variant.objects.filter(shop=shop, is_active=True, product__is_active=True)
                .exclude(product__kind=ProductKind.SERVICE)
                .select_related("product", "stock"))
    choices = [{"id": v.pk, "sku": v.sku, "name": v.display_name, "price_cents": v.price_cents,
                "available": max(v.stock.available, 0) if hasattr(v, "stock") else 0}
               for v in variants]
    choices.sort(key=lambda c: (-c["available"], c["name"]))
    return choices[:MAX_CHOICES]
