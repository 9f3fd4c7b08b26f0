"""Orders follow a customer who is merged into another (announced by the customers app
through `customers.merging`, inside the merge's transaction)."""

from dingdan.orders import events
from dingdan.orders.models import Order
from dingdan.shops.actors import Actor


def move_orders_to_customer(*, actor: Actor, keep, merge) -> int:
    """`merge`'s orders now belong to `keep`, each with a timeline entry. What was written
    on the order at the time (name, phone, address) stays as it was. The merge checked
    permission and holds the transaction."""
    orders = list(Order.objects.select_for_update().filter(shop=keep.shop_id, customer=merge))
    for order in orders:
        events.customer_merged(order, actor=actor, from_id=merge.pk, to_id=keep.pk)
    Order.objects.filter(pk__in=[o.pk for o in orders]).update(customer=keep)
    return len(orders)
