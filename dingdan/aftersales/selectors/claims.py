"""What of an order can still be claimed: per line, the units shipped or handed over
(shipments not cancelled) less the units of the cases still standing."""

from django.db.models import Sum

from dingdan.aftersales.models import RELEASED, CaseLine
from dingdan.fulfillment.selectors.shipments import units_by_line
from dingdan.orders.models import Order


def claimed_by_line(order: Order, *, exclude_case_id: int | None = None) -> dict[int, int]:
    """Order line id → units the order's standing cases hold."""
    rows = (CaseLine.objects.filter(case__order=order, shop_id=order.shop_id)
            .exclude(case__status__in=RELEASED))
    if exclude_case_id is not None:
        rows = rows.exclude(case_id=exclude_case_id)
    totals = rows.values("order_line_id").annotate(units=Sum("quantity"))
    return {row["order_line_id"]: row["units"] for row in totals if row["order_line_id"]}


def claimable_by_line(order: Order) -> dict[int, int]:
    """Order line id → units a new case may still name (lines never shipped: absent)."""
    handed_over = units_by_line(order)
    claimed = claimed_by_line(order)
    return {line_id: units - claimed.get(line_id, 0)
            for line_id, units in handed_over.items() if line_id}
