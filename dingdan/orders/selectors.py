"""Reads for orders, scoped to one shop and prefetched for the answer they feed."""

from datetime import datetime

from django.db.models import Prefetch, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from dingdan.errors import NotFound
from dingdan.shops.models import Shop

from .models import Order, OrderFlag, OrderLine


def _open_flags() -> Prefetch:
    return Prefetch("flags", queryset=OrderFlag.objects.filter(resolved_at__isnull=True),
                    to_attr="open_flag_list")


def orders_for_shop(
    shop: Shop,
    *,
    status: str | None = None,
    channel: str | None = None,
    q: str | None = None,
    created_after: datetime | None = None,
    created_before: datetime | None = None,
    tag: str | None = None,
    assignee_id: int | None = None,
    priority: int | None = None,
    needs_attention: bool | None = None,
) -> QuerySet[Order]:
    """Newest first. `q` finds an order number, a phone number, a customer's name or a
    product on the order."""
    orders = Order.objects.filter(shop=shop)
    if status:
        orders = orders.filter(status=status)
    if channel:
        orders = orders.filter(channel=channel)
    if created_after:
        orders = orders.filter(created_at__gte=created_after)
    if created_before:
        orders = orders.filter(created_at__lt=created_before)
    if tag:
        orders = orders.filter(tags__tag=tag)
    if assignee_id is not None:
        orders = orders.filter(assignee_id=assignee_id)
    if priority is not None:
        orders = orders.filter(priority=priority)
    if needs_attention is not None:
        orders = orders.filter(needs_attention=needs_attention)
    if q:
        q = q.strip()
        digits = "".join(ch for ch in q if ch.isdigit())
        with_product = OrderLine.objects.filter(shop=shop, name__icontains=q).values("order_id")
        match = Q(number=q) | Q(customer_name__icontains=q) | Q(pk__in=with_product)
        if len(digits) >= 4:
            match |= Q(customer_phone__contains=digits) | Q(number__startswith=q)
        orders = orders.filter(match)
    return (
        orders.select_related("customer")
        .prefetch_related("lines", "tags", _open_flags())
        .order_by("-created_at", "-id")
    )


def order_in_shop(shop: Shop, order_id: int, *, with_events: bool = False) -> Order:
    orders = Order.objects.filter(shop=shop, pk=order_id).prefetch_related(
        "lines", "tags", _open_flags(), "follow_ups"
    )
    if with_events:
        orders = orders.prefetch_related("events")
    order = orders.first()
    if order is None:
        raise NotFound(_("Order not found."), code="order_not_found")
    return order
