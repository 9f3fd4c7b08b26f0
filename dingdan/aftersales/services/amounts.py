"""What a case may give back: the claimed units' share of what was paid for the goods,
discounts included, never more than is still refundable."""

from dingdan.orders.models import Order, OrderLine


def goods_share_cents(order: Order, units: dict[OrderLine, int]) -> int:
    """The claimed units' part of the order's goods after every discount: each line's own
    total per unit, less its share of the order-wide discount (改价), rounded down."""
    lines_total = sum(line.total_cents for line in order.lines.all())
    if lines_total <= 0:
        return 0
    share = sum(line.total_cents * n // line.quantity for line, n in units.items())
    net = max(lines_total - order.order_discount_cents, 0)
    return share * net // lines_total


def default_refund_cents(order: Order, units: dict[OrderLine, int]) -> int:
    """The claimed units' goods share, capped at what was paid and not yet given back."""
    refundable = max(order.paid_cents - order.refunded_cents, 0)
    return min(goods_share_cents(order, units), refundable)
