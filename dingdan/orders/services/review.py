"""Review on intake: what about a new order needs a person's attention. Each problem is a
flag with a code and the facts behind it; the order shows as needing attention until
every flag is resolved."""

from collections import defaultdict
from datetime import timedelta

from django.db import connection, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from dingdan.errors import Conflict, InvalidInput, NotFound
from dingdan.orders import events
from dingdan.orders.models import DeliveryMethod, FollowUp, Order, OrderFlag, OrderLine
from dingdan.orders.states import Status
from dingdan.shops.actors import Actor
from dingdan.shops.permissions import require

DUPLICATE_WINDOW = timedelta(hours=24)
NEEDS_ADDRESS = {DeliveryMethod.EXPRESS, DeliveryMethod.LOCAL}


def flags_for_new_order(
    order: Order, lines: list[OrderLine], backordered: dict, *, new_customer: bool = False
) -> list[dict]:
    """The problems of a just-placed order, as (code, data) dicts. A customer created by
    this very order has no earlier order it could repeat."""
    flags = []
    if not order.customer_phone:
        flags.append({"code": "missing_phone", "data": {}})
    if order.delivery_method in NEEDS_ADDRESS and not order.address_detail:
        flags.append({"code": "missing_address", "data": {}})
    if backordered:
        flags.append({"code": "backordered", "data": {"skus": backordered}})
    flags += _over_limits(order, lines)
    if not new_customer and _repeats_a_recent_order(order, lines):
        flags.append({"code": "possible_duplicate", "data": {}})
    return flags


def _over_limits(order: Order, lines: list[OrderLine]) -> list[dict]:
    limited = {line.variant.product_id: line.variant.product for line in lines
               if line.variant.product.purchase_limit}
    if not limited:
        return []
    bought = (
        OrderLine.objects.filter(order__customer=order.customer_id,
                                 variant__product__in=list(limited))
        .exclude(order__status=Status.CANCELLED)
        .values("variant__product").annotate(total=Sum("quantity"))
    )
    flags = []
    for row in bought:
        product = limited[row["variant__product"]]
        if row["total"] > product.purchase_limit:
            flags.append({"code": "over_purchase_limit",
                          "data": {"product": product.name, "limit": product.purchase_limit,
                                   "bought": row["total"]}})
    return flags


def _repeats_a_recent_order(order: Order, lines: list[OrderLine]) -> bool:
    """Same customer, same SKUs and quantities, within a day: probably sent twice.

    Every order placement runs this, so it is one hand-written statement: the ORM took
    longer to build it than the database to answer it (docs/performance.md)."""
    mine = sorted((line.variant_id, line.quantity) for line in lines)
    since = connection.ops.adapt_datetimefield_value(order.created_at - DUPLICATE_WINDOW)
    with connection.cursor() as cursor:
        cursor.execute(
            _RECENT_LINES_SQL.format(line=OrderLine._meta.db_table, order=Order._meta.db_table),
            [order.customer_id, since, order.pk, Status.CANCELLED],
        )
        found = defaultdict(list)
        for order_id, variant_id, quantity in cursor.fetchall():
            found[order_id].append((variant_id, quantity))
    return any(sorted(theirs) == mine for theirs in found.values())


# The lines of the customer's other orders of the last day (at most 20 orders).
_RECENT_LINES_SQL = (
    "SELECT order_id, variant_id, quantity FROM {line} WHERE order_id IN ("
    "SELECT id FROM {order} WHERE customer_id = %s AND created_at >= %s AND id <> %s"
    " AND status <> %s ORDER BY created_at DESC LIMIT 20)"
)


def record_flags(order: Order, flags: list[dict], *, actor: Actor) -> list[OrderFlag]:
    """Part of placing an order (same transaction): store its flags and say so on the
    timeline. Returns the stored flags."""
    if not flags:
        return []
    stored = OrderFlag.objects.bulk_create(
        [OrderFlag(shop_id=order.shop_id, order=order, code=f["code"], data=f["data"])
         for f in flags]
    )
    Order.objects.filter(pk=order.pk).update(needs_attention=True)
    order.needs_attention = True
    events.flagged(order, actor=actor, codes=[f["code"] for f in flags])
    return stored


@transaction.atomic
def resolve_flag(*, actor: Actor, order: Order, code: str, note: str = "") -> Order:
    """Someone looked at the problem. When no flag is left open the order no longer needs
    attention."""
    require(actor, "orders.edit", order.shop)
    order = Order.objects.select_for_update().get(pk=order.pk, shop=order.shop_id)
    if code == "change_requested":
        raise Conflict(_("Approve or decline the customer's change request instead."),
                       code="decide_the_request")
    if code == "payment_reported":  # raised by payments; decided on the money panel
        raise Conflict(_("Confirm or reject the payment the customer reported instead."),
                       code="decide_the_report")
    flag = order.flags.filter(code=code, resolved_at__isnull=True).first()
    if flag is None:
        raise NotFound(_("This order has no open flag %(code)s.") % {"code": code},
                       code="flag_not_found")
    flag.resolved_at = timezone.now()
    flag.resolved_by = actor.label[:150]
    flag.save(update_fields=["resolved_at", "resolved_by"])
    order.needs_attention = order.flags.filter(resolved_at__isnull=True).exists()
    order.version += 1
    order.save(update_fields=["needs_attention", "version", "updated_at"])
    events.flag_resolved(order, actor=actor, code=code, note=note)
    return order


@transaction.atomic
def add_follow_up(*, actor: Actor, order: Order, due_at, note: str) -> FollowUp:
    """Remind the team to come back to this order at `due_at`."""
    require(actor, "orders.edit", order.shop)
    note = " ".join(str(note or "").split())
    if not note:
        raise InvalidInput(_("Say what to follow up on."),
                           fields={"note": _("This field is required.")})
    if due_at.tzinfo is None:
        raise InvalidInput(_("A due time needs a time zone."), fields={"due_at": "tz"})
    follow_up = FollowUp.objects.create(
        shop_id=order.shop_id, order=order, due_at=due_at, note=note[:300],
        created_by=actor.label[:150],
    )
    events.follow_up_added(order, actor=actor, due_at=due_at.isoformat(), note=note[:300])
    return follow_up


@transaction.atomic
def complete_follow_up(*, actor: Actor, order: Order, follow_up_id: int) -> FollowUp:
    """Someone did what the reminder asked; it leaves the open list and the timeline says
    who did it."""
    require(actor, "orders.edit", order.shop)
    follow_up = (FollowUp.objects.select_for_update()
                 .filter(shop_id=order.shop_id, order=order.pk, pk=follow_up_id).first())
    if follow_up is None:
        raise NotFound(_("Follow-up not found."), code="follow_up_not_found")
    if follow_up.done_at is not None:
        raise Conflict(_("This follow-up is already done."), code="follow_up_done")
    follow_up.done_at = timezone.now()
    follow_up.save(update_fields=["done_at"])
    events.follow_up_done(order, actor=actor, follow_up_id=follow_up.pk, note=follow_up.note)
    return follow_up


def flag_message(code: str, data: dict) -> str:
    """A flag in words, in the language active now."""
    if code == "missing_phone":
        return _("No phone number: the customer cannot be reached.")
    if code == "missing_address":
        return _("No delivery address.")
    if code == "backordered":
        return _("Waiting for stock: %(skus)s.") % {
            "skus": ", ".join(f"{sku} × {n}" for sku, n in data.get("skus", {}).items())}
    if code == "over_purchase_limit":
        return _("Over the limit for %(product)s: %(bought)s bought, limit %(limit)s.") % data
    if code == "possible_duplicate":
        return _("Looks like a repeat of an order from the last day.")
    if code == "change_requested":
        return _("The customer asked for a change; approve or decline it.")
    if code == "payment_reported":
        return _("The customer reported a payment; confirm or reject it in the money panel.")
    return code
