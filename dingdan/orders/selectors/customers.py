"""What a customer's orders add up to, for the customer's page and API (answered through
the `customers.summary` hook)."""

from django.db.models import Count, Max, Sum

from dingdan.orders.models import Order
from dingdan.orders.states import Status


def customer_order_figures(*, customer) -> dict:
    """Orders (cancelled ones not counted), what they came to, and the last order's time."""
    figures = Order.objects.filter(customer=customer).exclude(
        status=Status.CANCELLED
    ).aggregate(count=Count("id"), spend=Sum("total_cents"), last=Max("created_at"))
    return {"orders_count": figures["count"], "spend_cents": figures["spend"] or 0,
            "last_order_at": figures["last"]}
