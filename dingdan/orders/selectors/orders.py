"""Reads for orders, scoped to one shop and prefetched for the answer they feed."""

from datetime import UTC, datetime, timedelta

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext_lazy as _

from dingdan.errors import NotFound
from dingdan.orders.models import Order, OrderFlag, OrderLine, OrderTag
from dingdan.orders.selectors import search
from dingdan.orders.states import PaymentStatus, Status
from dingdan.shops.config import shop_settings
from dingdan.shops.models import Shop


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
    flag: str | None = None,
    payment_status: str | None = None,
    unpaid_placed_before: datetime | None = None,
    partial_phone: bool = False,
) -> QuerySet[Order]:
    """Newest first. `q` finds an order number, a phone number, a customer's name or a
    product on the order; `flag` keeps orders with that problem still open. A few digits
    of a phone find it only with `partial_phone` (staff who may see phone numbers, see
    privacy.may_see_pii); otherwise only the whole number does."""
    orders = Order.objects.filter(shop=shop)
    if payment_status:
        orders = orders.filter(payment_status=payment_status)
    if unpaid_placed_before:
        orders = overdue(orders, unpaid_placed_before)
    if status:
        orders = orders.filter(status=status)
    if channel:
        orders = orders.filter(channel=channel)
    if created_after:
        orders = orders.filter(created_at__gte=created_after)
    if created_before:
        orders = orders.filter(created_at__lt=created_before)
    if tag:
        tagged = OrderTag.objects.filter(shop=shop, tag=tag).values("order_id")
        orders = orders.filter(pk__in=tagged)
    if assignee_id is not None:
        orders = orders.filter(assignee_id=assignee_id)
    if priority is not None:
        orders = orders.filter(priority=priority)
    if needs_attention is not None:
        orders = orders.filter(needs_attention=needs_attention)
    if flag:
        open_flag = OrderFlag.objects.filter(shop=shop, code=flag, resolved_at__isnull=True)
        orders = orders.filter(pk__in=open_flag.values("order_id"))
    if q and q.strip():
        orders = orders.filter(search.matching(shop, q, partial_phone=partial_phone))
    return _as_listed(orders)


def orders_by_ids(shop: Shop, ids: list[int]) -> QuerySet[Order]:
    """The shop's orders with these ids, as orders_for_shop() lists them: the rows of one
    page once its ids are known (api.pagination.LargePage)."""
    return _as_listed(Order.objects.filter(shop=shop, pk__in=ids))


def _as_listed(orders: QuerySet[Order]) -> QuerySet[Order]:
    # Lists, not related managers: a manager per order and relation costs Django a
    # filtered queryset each, a third of a 50-order page's time (docs/performance.md).
    return (
        orders.select_related("customer")
        .prefetch_related(Prefetch("lines", to_attr="listed_lines"),
                          Prefetch("tags", to_attr="listed_tags"), _open_flags())
        .order_by("-created_at", "-id")
    )


def lines_of(order: Order) -> list[OrderLine]:
    """The order's lines: as a list page read them, else from the (prefetched) relation."""
    listed = getattr(order, "listed_lines", None)
    return listed if listed is not None else list(order.lines.all())


def tags_of(order: Order) -> list[str]:
    listed = getattr(order, "listed_tags", None)
    return sorted(t.tag for t in (listed if listed is not None else order.tags.all()))


def order_as_placed(order: Order, *, lines: list[OrderLine], flags: list[OrderFlag]) -> Order:
    """A just-placed order with its relations filled from the rows its placement wrote, as
    order_in_shop() would read them, so the answer to a placement needs no second read."""
    for name, rows in (("lines", lines), ("tags", []), ("follow_ups", [])):
        # What prefetch_related leaves behind: a queryset whose results are in hand.
        rows_in_hand = getattr(order, name).all()
        rows_in_hand._result_cache = list(rows)
        rows_in_hand._prefetch_done = True
        order._prefetched_objects_cache = {
            **getattr(order, "_prefetched_objects_cache", {}), name: rows_in_hand
        }
    order.open_flag_list = [flag for flag in flags if flag.resolved_at is None]
    return order


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


OWING = (PaymentStatus.UNPAID, PaymentStatus.PARTIALLY_PAID)


def overdue(orders: QuerySet[Order], placed_before: datetime) -> QuerySet[Order]:
    """Orders placed before `placed_before` that still owe money and are not cancelled: with
    credit terms, placed_before is now minus the shop's credit days (`payment_due_before`)."""
    return orders.filter(created_at__lt=placed_before, payment_status__in=OWING).exclude(
        status=Status.CANCELLED
    )


# Placed before this, nothing: the overdue cut-off of a shop not on credit terms.
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def overdue_cut_off(shop: Shop, now: datetime) -> datetime:
    """Orders placed before this and still owing are overdue (EPOCH: none can be)."""
    return payment_due_before(shop, now) or EPOCH


def payment_due_before(shop: Shop, now: datetime) -> datetime | None:
    """The placement time before which an unpaid order is overdue, for a shop on credit
    terms; None for any other terms."""
    settings = shop_settings(shop)
    if settings.payment_terms != "credit" or not settings.credit_days:
        return None
    return now - timedelta(days=settings.credit_days)
