"""Prices, discounts, shipping and tax are computed here from the catalog and the shop's
settings; a client sends SKUs and quantities, never totals. All amounts are integer fen."""

from dataclasses import dataclass

from dingdan.catalog.models import Variant
from dingdan.shops.config import shop_settings
from dingdan.shops.models import Shop


@dataclass
class PricedLine:
    variant: Variant
    quantity: int
    unit_price_cents: int
    discount_cents: int = 0

    @property
    def total_cents(self) -> int:
        return self.unit_price_cents * self.quantity - self.discount_cents


@dataclass
class Totals:
    subtotal_cents: int
    discount_cents: int
    shipping_cents: int
    tax_cents: int
    total_cents: int


def shipping_fee(shop: Shop, *, delivery_method: str, subtotal_cents: int) -> int:
    """The shop's shipping rule: a fee per delivery method (default: the flat fee; pickup and
    services free), waived when the order reaches the free-shipping amount."""
    rules = shop_settings(shop).shipping
    if rules.free_over_cents is not None and subtotal_cents >= rules.free_over_cents:
        return 0
    if delivery_method in rules.by_method:
        return rules.by_method[delivery_method]
    if delivery_method in ("pickup", "service"):
        return 0
    return rules.flat_cents


def tax(shop: Shop, amount_cents: int) -> int:
    """Tax included on top at the shop's rate in basis points (0 by default), rounded half up."""
    rate = shop_settings(shop).tax_rate_bp
    return (amount_cents * rate + 5_000) // 10_000


def totals(
    shop: Shop, lines: list[PricedLine], *, delivery_method: str, order_discount_cents: int = 0
) -> Totals:
    subtotal = sum(line.unit_price_cents * line.quantity for line in lines)
    line_discounts = sum(line.discount_cents for line in lines)
    discount = min(line_discounts + order_discount_cents, subtotal)
    goods = subtotal - discount
    shipping = shipping_fee(shop, delivery_method=delivery_method, subtotal_cents=goods)
    taxed = tax(shop, goods)
    return Totals(subtotal, discount, shipping, taxed, goods + shipping + taxed)
