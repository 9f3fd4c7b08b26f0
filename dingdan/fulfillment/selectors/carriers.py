"""The carriers a shop may ship with: the common ones, then its own, as one list for the
API and the settings page."""

from dingdan.fulfillment.carriers import CARRIERS
from dingdan.fulfillment.models import ShopCarrier
from dingdan.shops.models import Shop


def carriers_for_shop(shop: Shop) -> list[dict]:
    """Every carrier a shipment of `shop` may name, built in first, each with its number
    rule (a regular expression, or None for any number) and tracking link."""
    builtin = [{"code": c.code, "name": str(c.name), "is_builtin": True, "pattern": c.pattern,
                "format_hint": str(c.format_hint), "url_template": c.url_template}
               for c in CARRIERS.values()]
    return builtin + [shop_carrier_row(c) for c in ShopCarrier.objects.filter(shop=shop)]


def shop_carrier_row(carrier: ShopCarrier) -> dict:
    return {"code": carrier.code, "name": carrier.name, "is_builtin": False,
            "pattern": carrier.pattern or None, "format_hint": None,
            "url_template": carrier.url_template or None}
