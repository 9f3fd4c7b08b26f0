"""Editing an order after it was placed: its lines, delivery and notes.

Every edit names the version it was made against; a stale edit is refused and told what
changed since. Stock follows the lines: only the difference is reserved or released."""

from collections import defaultdict

from django.db import transaction
from django.utils.translation import gettext as _

from dingdan import hooks
from dingdan.customers.addresses import AddressParts, split_address
from dingdan.errors import Conflict, InvalidInput
from dingdan.inventory.services import reservations
from dingdan.money import format_yuan
from dingdan.orders import events, pricing, states
from dingdan.orders.models import DeliveryMethod, Order, OrderEvent, OrderLine
from dingdan.orders.services import lifecycle
from dingdan.orders.services.placement import (
    holds_stock,
    reference,
    stock_actor,
    variants_for_lines,
)
from dingdan.orders.states import Status
from dingdan.shops.actors import Actor
from dingdan.shops.permissions import require, require_any
from dingdan.whole_numbers import MAX_CENTS, whole_number


class StaleVersion(Conflict):
    code = "stale_version"


def _refuse_stale(order: Order, expected: int) -> None:
    since = list(
        OrderEvent.objects.filter(order=order, data__version__gt=expected)
        .order_by("id").values("kind", "actor_label", "data", "created_at")
    )
    raise StaleVersion(
        _("The order changed since you loaded it (version %(yours)s, now %(now)s): %(what)s. "
          "Reload it and make your change again.")
        % {"yours": expected, "now": order.version,
           "what": ", ".join(e["kind"] for e in since) or "-"},
        details={"version": order.version,
                 "changes": [{"kind": e["kind"], "by": e["actor_label"],
                              "data": e["data"], "at": e["created_at"].isoformat()}
                             for e in since]},
    )


@transaction.atomic
def edit_order(
    *,
    actor: Actor,
    order: Order,
    version: int,
    lines: list[tuple[str, int]] | None = None,
    delivery_method: str | None = None,
    address: str | None = None,
    note: str | None = None,
    internal_note: str | None = None,
    reason: str = "",
    unit_prices: dict[str, int] | None = None,
) -> Order:
    """Change an order that has not shipped. Lines are re-priced from the catalog (or from
    `unit_prices`, sku → fen, which trusted callers such as a group-buy campaign set),
    stock is reserved or released for the difference only, totals are recomputed, and the
    timeline records every field before and after."""
    require(actor, "orders.edit", order.shop)
    order = lock(order, version)
    return apply_edit(actor=actor, order=order, lines=lines, delivery_method=delivery_method,
                      address=address, note=note, internal_note=internal_note, reason=reason,
                      unit_prices=unit_prices)


def lock(order: Order, version: int | None) -> Order:
    """The order, locked for this transaction; refused when `version` is stale or the order
    can no longer be edited."""
    order = Order.objects.select_for_update().select_related("shop").get(
        pk=order.pk, shop=order.shop_id
    )
    if version is not None and order.version != version:
        _refuse_stale(order, version)
    if not states.is_editable(order.status):
        raise Conflict(
            _("An order that is %(status)s can no longer be edited; use after-sales.")
            % {"status": Status(order.status).label},
            code="not_editable",
        )
    return order


def apply_edit(
    *,
    actor: Actor,
    order: Order,
    lines: list[tuple[str, int]] | None = None,
    delivery_method: str | None = None,
    address: str | None = None,
    note: str | None = None,
    internal_note: str | None = None,
    reason: str = "",
    unit_prices: dict[str, int] | None = None,
) -> Order:
    """The edit itself, on an order the caller has locked and may change (staff with
    permission, or the customer while the order waits for confirmation)."""
    changes: dict[str, dict] = {}
    if lines is not None and (
        line_changes := _replace_lines(actor, order, lines, unit_prices or {})
    ):
        changes["lines"] = line_changes
    if delivery_method is not None and delivery_method != order.delivery_method:
        if delivery_method not in DeliveryMethod.values:
            message = _("Unknown delivery method.")
            raise InvalidInput(message, fields={"delivery_method": message})
        changes["delivery_method"] = {"before": order.delivery_method, "after": delivery_method}
        order.delivery_method = delivery_method
    if address is not None and (address_change := _change_address(order, address)):
        changes["address"] = address_change
    for field, value in (("note", note), ("internal_note", internal_note)):
        if value is not None and value != getattr(order, field):
            changes[field] = {"before": getattr(order, field), "after": value[:500]}
            setattr(order, field, value[:500])
    if not changes:
        return order
    reprice(order)
    refuse_total_below_paid(order)
    order.payment_status = states.payment_status_for(
        total_cents=order.total_cents, paid_cents=order.paid_cents,
        refunded_cents=order.refunded_cents,
    )
    order.version += 1
    order.save()
    events.edited(order, actor=actor, changes=changes, note=reason)
    if order.status == Status.PENDING_PAYMENT and states.is_paid(order):
        # Edited down to what was already paid: paid in full, it moves on as a payment
        # would have moved it (by the system: the editor need not record payments).
        order = lifecycle.confirm_paid(actor=Actor.system(order.shop), order=order)
    return order


@transaction.atomic
def redirect_delivery(*, actor: Actor, order: Order, address: str, note: str = "") -> Order:
    """The address changed after the order shipped and the carrier intercepted the parcel
    (the fulfillment app's interception): only the address changes, on the timeline like
    any edit. The new address was asked for by someone who may edit orders; whoever ships
    may record that the carrier did it."""
    require_any(actor, ["orders.edit", "fulfillment.ship"], order.shop)
    order = Order.objects.select_for_update().select_related("shop").get(
        pk=order.pk, shop=order.shop_id)
    change = _change_address(order, address)
    if change is None:
        return order
    order.version += 1
    order.save(update_fields=["province", "city", "district", "address_detail", "version",
                              "updated_at"])
    events.edited(order, actor=actor, changes={"address": change}, note=note)
    return order


def clean_address(line: str) -> str:
    """An address as it would be stored, or InvalidInput on `address`."""
    line = " ".join(str(line or "").split())
    if not line:
        message = _("Enter the new address.")
        raise InvalidInput(message, fields={"address": message})
    if len(line) > 200:
        message = _("An address can be at most 200 characters.")
        raise InvalidInput(message, fields={"address": message})
    return split_address(line).as_line()


def address_line(order: Order) -> str:
    return AddressParts(order.province, order.city, order.district,
                        order.address_detail).as_line()


def _change_address(order: Order, line: str) -> dict | None:
    line = " ".join(line.split())
    if len(line) > 200:
        message = _("An address can be at most 200 characters.")
        raise InvalidInput(message, fields={"address": message})
    before = address_line(order)
    parts = split_address(line)
    if parts.as_line() == before:
        return None
    order.province, order.city, order.district = parts.province, parts.city, parts.district
    order.address_detail = parts.detail
    return {"before": before, "after": parts.as_line()}


def _replace_lines(actor: Actor, order: Order, lines: list[tuple[str, int]],
                   unit_prices: dict[str, int]) -> dict | None:
    wanted = variants_for_lines(order.shop, lines)
    before = [{"sku": line.sku, "quantity": line.quantity} for line in order.lines.all()]
    after = [{"sku": v.sku, "quantity": q} for v, q in wanted]
    if before == after:
        return None
    actor = stock_actor(actor, order.shop)
    old: dict[int, int] = defaultdict(int)
    for line in order.lines.all():
        old[line.variant_id] += line.quantity
    new: dict[int, int] = defaultdict(int)
    for variant, quantity in wanted:
        new[variant.pk] += quantity
    by_id = {variant.pk: variant for variant, _q in wanted}
    more = [(by_id[pk], new[pk] - old.get(pk, 0)) for pk in sorted(new) if new[pk] > old.get(pk, 0)]
    fewer = {pk: old[pk] - new.get(pk, 0) for pk in old if old[pk] > new.get(pk, 0)}
    if not holds_stock(order):
        more, fewer = [], {}  # nothing is reserved yet: acceptance reserves the new lines
    if fewer:
        reservations.release_stock(
            actor=actor, shop=order.shop, reference=reference(order), variants=fewer
        )
    if more:
        reservations.reserve_stock(
            actor=actor, shop=order.shop, lines=more, reference=reference(order)
        )
    # A product already on the order keeps the price agreed for it (改价 included); a new
    # one is priced from the catalog, unless the caller names its price.
    agreed = {line.sku: line.unit_price_cents for line in order.lines.all()}
    prices = {v.sku: unit_prices.get(v.sku, agreed.get(v.sku, v.price_cents)) for v, _q in wanted}
    order.lines.all().delete()
    OrderLine.objects.bulk_create([
        OrderLine(shop=order.shop, order=order, variant=v, sku=v.sku, name=v.display_name,
                  quantity=q, unit_price_cents=prices[v.sku], total_cents=prices[v.sku] * q)
        for v, q in wanted
    ])
    return {"before": before, "after": after}


def refuse_total_below_paid(order: Order) -> None:
    """An edit may not bring the total below what the customer has paid and kept paid: the
    difference is refunded first, so the ledger never holds an overpayment nobody chose."""
    net_paid = states.net_paid_cents(order)
    if order.total_cents < net_paid:
        excess = net_paid - order.total_cents
        raise Conflict(
            _("The new total (¥%(total)s) is less than what the customer has paid "
              "(¥%(paid)s). Refund ¥%(excess)s first, then make this change.")
            % {"total": format_yuan(order.total_cents), "paid": format_yuan(net_paid),
               "excess": format_yuan(excess)},
            code="total_below_paid",
            details={"total_cents": order.total_cents, "paid_cents": net_paid,
                     "excess_cents": excess},
        )


def reprice(order: Order) -> None:
    priced = [
        pricing.PricedLine(line.variant, line.quantity, line.unit_price_cents,
                           line.discount_cents)
        for line in order.lines.select_related("variant")
    ]
    totals = pricing.totals(order.shop, priced, delivery_method=order.delivery_method,
                            order_discount_cents=order.order_discount_cents)
    order.subtotal_cents = totals.subtotal_cents
    order.discount_cents = totals.discount_cents
    order.shipping_cents = totals.shipping_cents
    order.tax_cents = totals.tax_cents
    order.total_cents = totals.total_cents


@transaction.atomic
def change_prices(
    *,
    actor: Actor,
    order: Order,
    version: int,
    unit_prices: dict[str, int] | None = None,
    order_discount_cents: int | None = None,
    reason: str,
) -> Order:
    """改价: before payment, a merchant may set a line's unit price or an order discount,
    always with a reason. Totals are recomputed; the timeline keeps before and after."""
    shop = order.shop
    require(actor, "orders.reprice", shop)
    order = Order.objects.select_for_update().select_related("shop").get(pk=order.pk, shop=shop)
    if order.version != version:
        _refuse_stale(order, version)
    if not states.is_repriceable(order):
        raise Conflict(_("Prices can only change before the order is paid or shipped."),
                       code="not_repriceable")
    reason = " ".join(str(reason or "").split())
    if not reason:
        raise InvalidInput(_("Say why the price changes."),
                           fields={"reason": _("This field is required.")})
    changes: dict[str, dict] = {}
    lines = {line.sku: line for line in order.lines.all()}
    for sku, cents in (unit_prices or {}).items():
        if sku not in lines:
            message = _("This order has no line with the SKU %(sku)s.") % {"sku": sku}
            raise InvalidInput(message, fields={f"unit_prices.{sku}": message})
        whole_number(cents, f"unit_prices.{sku}", maximum=MAX_CENTS)
        line = lines[sku]
        if line.unit_price_cents != cents:
            changes[f"price:{sku}"] = {"before": line.unit_price_cents, "after": cents}
            line.unit_price_cents = cents
            line.total_cents = cents * line.quantity - line.discount_cents
            line.save(update_fields=["unit_price_cents", "total_cents"])
    before = order.total_cents
    priced = [pricing.PricedLine(line.variant, line.quantity, line.unit_price_cents,
                                 line.discount_cents)
              for line in order.lines.select_related("variant")]
    discount = order.order_discount_cents if order_discount_cents is None else (
        whole_number(order_discount_cents, "order_discount_cents", maximum=MAX_CENTS))
    totals = pricing.totals(order.shop, priced, delivery_method=order.delivery_method,
                            order_discount_cents=discount)
    if totals.discount_cents != order.discount_cents:
        changes["discount_cents"] = {"before": order.discount_cents,
                                     "after": totals.discount_cents}
    if not changes:
        return order
    for field in ("subtotal_cents", "discount_cents", "shipping_cents", "tax_cents",
                  "total_cents"):
        setattr(order, field, getattr(totals, field))
    order.order_discount_cents = discount
    changes["total_cents"] = {"before": before, "after": order.total_cents}
    order.version += 1
    order.save()
    events.repriced(order, actor=actor, changes=changes, reason=reason)
    return order


def commit_line_change(order: Order, *, actor: Actor, before: list[dict], note: str,
                       refund_as: Actor | None = None) -> Order:
    """Finish a change that altered the order's lines in place (units dropped, swapped for
    a substitute): reprice; with `refund_as`, what was paid beyond the new total goes back
    (`orders.total_reduced`, as that actor); a total below what stays paid is refused; then
    the payment status, the version and the timeline entry with the lines before and
    after."""
    reprice(order)
    after = [{"sku": line.sku, "quantity": line.quantity} for line in order.lines.all()]
    if refund_as is not None:
        hooks.announce("orders.total_reduced", order=order, actor=refund_as, reason=note)
        order.refresh_from_db(fields=["paid_cents", "refunded_cents"])
    refuse_total_below_paid(order)
    order.payment_status = states.payment_status_for(
        total_cents=order.total_cents, paid_cents=order.paid_cents,
        refunded_cents=order.refunded_cents)
    order.version += 1
    order.save()
    events.edited(order, actor=actor, changes={"lines": {"before": before, "after": after}},
                  note=note)
    return order
