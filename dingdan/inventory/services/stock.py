"""Stock movements a merchant makes: receive, adjust, count, write off, return to stock,
and the low-stock threshold. Reservations for orders are in `reservations.py`."""

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from dingdan.catalog.models import Variant
from dingdan.errors import InvalidInput
from dingdan.inventory.errors import InsufficientStock
from dingdan.inventory.models import Backorder, MovementKind, StockLevel, StockMovement
from dingdan.inventory.services import backorders, ledger
from dingdan.inventory.services.ledger import NO_REFERENCE, LevelAfter, Reference
from dingdan.shops import audit
from dingdan.shops.actors import Actor
from dingdan.shops.models import Shop
from dingdan.shops.permissions import require
from dingdan.whole_numbers import is_whole, whole_number

MAX_QUANTITY = 10_000_000


def open_levels(*, shop: Shop, variants: list[Variant]) -> None:
    """Give new goods variants a level of zero (part of creating them; no movement)."""
    StockLevel.objects.bulk_create(
        [StockLevel(shop=shop, variant=v) for v in variants], ignore_conflicts=True
    )


def _stock_record(
    actor: Actor, shop: Shop, variant: Variant, action: str, *, on_hand_after: int, delta: int,
    reason: str = "", note: str = "", save: bool = True,
) -> audit.AuditRecord:
    """The audit record of a merchant's stock movement (orders' movements are the orders'
    own business, in their timeline and the ledger)."""
    changes = {"on_hand": audit.change(on_hand_after - delta, on_hand_after)}
    changes.update(audit.initial({"reason": reason, "note": note}))
    entry = audit.build(actor=actor, shop=shop, object_type=audit.STOCK, obj_id=variant.pk,
                        label=str(variant), action=action, changes=changes)
    if save:
        entry.save()
    return entry


def _quantity(value, field: str = "quantity") -> int:
    return whole_number(value, field, minimum=1, maximum=MAX_QUANTITY, message=_(
        "Must be a whole number from 1 to %(max)s.") % {"max": MAX_QUANTITY})


def _counted(value) -> int:
    return whole_number(value, "counted", maximum=MAX_QUANTITY, message=_(
        "Must be a whole number from 0 to %(max)s.") % {"max": MAX_QUANTITY})


def _low_stock_threshold(value) -> int | None:
    if value is None:
        return None
    return whole_number(value, "low_stock_threshold",
                        message=_("Must be a whole number, zero or more."))


def _goods(shop: Shop, variant: Variant) -> Variant:
    if variant.shop_id != shop.pk:
        raise InvalidInput(_("This product belongs to another shop."))
    if variant.product.is_service:
        message = _("%(name)s is a service: it has no stock, only bookings per time slot.") % {
            "name": variant.display_name
        }
        raise InvalidInput(message, code="service_has_no_stock")
    return variant


def _shortage(variant: Variant, requested: int) -> InsufficientStock:
    level = StockLevel.objects.filter(variant=variant).values("on_hand", "reserved").first()
    available = level["on_hand"] - level["reserved"] if level else 0
    return InsufficientStock(
        [{"sku": variant.sku, "name": variant.display_name, "requested": requested,
          "available": available}]
    )


def _apply(variant: Variant, **deltas) -> LevelAfter | None:
    after = ledger.conditional_update(variant.pk, **deltas)
    if after is None and not StockLevel.objects.filter(variant=variant).exists():
        open_levels(shop=variant.shop, variants=[variant])
        after = ledger.conditional_update(variant.pk, **deltas)
    return after


@transaction.atomic
def receive_stock(
    *, actor: Actor, shop: Shop, variant: Variant, quantity: int, note: str = "",
    reference: Reference = NO_REFERENCE,
) -> StockLevel:
    """Goods came in. Orders waiting for this SKU are served first, by priority then age."""
    return _onto_the_shelf(actor, shop, variant, quantity, MovementKind.RECEIVE, reference, note)


@transaction.atomic
def receive_stock_in_bulk(
    *, actor: Actor, shop: Shop, quantities: list[tuple[Variant, int]], note: str = ""
) -> None:
    """`receive_stock` for many SKUs at once (a catalog import's opening stock): the same
    rules and ledger rows, without thousands of round trips."""
    require(actor, "inventory.receive", shop)
    movements, records = [], []
    for variant, quantity in quantities:
        _goods(shop, variant)
        quantity = _quantity(quantity)
        after = _apply(variant, on_hand=quantity)
        movements.append(ledger.movement(
            actor=actor, variant=variant, kind=MovementKind.RECEIVE, on_hand=quantity,
            note=note[:500],
        ))
        records.append(_stock_record(actor, shop, variant, audit.RECEIVED, save=False,
                                     on_hand_after=after.on_hand, delta=quantity,
                                     note=note[:500]))
    StockMovement.objects.bulk_create(movements, batch_size=500)
    audit.record_many(records)
    _serve_waiting_for(actor, [pair[0] for pair in quantities])


def _serve_waiting_for(actor: Actor, variants: list[Variant]) -> None:
    """`backorders.serve_waiting` for those of many variants that have orders waiting."""
    by_id = {variant.pk: variant for variant in variants}
    ids = sorted(by_id)
    for start in range(0, len(ids), 500):
        waiting = Backorder.objects.filter(
            variant_id__in=ids[start : start + 500], filled_at__isnull=True,
            cancelled_at__isnull=True,
        ).values_list("variant_id", flat=True).distinct()
        for variant_id in sorted(waiting):
            backorders.serve_waiting(actor=actor, variant=by_id[variant_id])


@transaction.atomic
def adjust_stock(
    *, actor: Actor, shop: Shop, variant: Variant, delta: int, reason: str, note: str = ""
) -> StockLevel:
    """Correct on-hand stock by `delta` with a reason. Stock reserved for orders cannot be
    adjusted away."""
    require(actor, "inventory.adjust", shop)
    _goods(shop, variant)
    reason = " ".join(str(reason or "").split())
    if not reason:
        raise InvalidInput(
            _("Say why the stock changes."), fields={"reason": _("This field is required.")}
        )
    if not is_whole(delta) or delta == 0:
        message = _("Must be a whole number other than zero.")
        raise InvalidInput(message, fields={"delta": message})
    _quantity(abs(delta), "delta")
    after = _apply(variant, on_hand=delta, condition="on_hand + %s >= reserved", params=[delta])
    if after is None:
        raise _shortage(variant, -delta)
    ledger.movement(
        actor=actor, variant=variant, kind=MovementKind.ADJUST, on_hand=delta,
        reason=reason[:200], note=note[:500],
    ).save()
    _stock_record(actor, shop, variant, audit.ADJUSTED, on_hand_after=after.on_hand,
                  delta=delta, reason=reason[:200], note=note[:500])
    if delta > 0:
        backorders.serve_waiting(actor=actor, variant=variant)
    else:
        ledger.alert_if_low(variant, after, after.available - delta)
    return StockLevel.objects.get(variant=variant)


@transaction.atomic
def count_stock(
    *, actor: Actor, shop: Shop, variant: Variant, counted: int, note: str = ""
) -> StockLevel:
    """Record a stock count: on-hand becomes what was counted; the difference is booked."""
    require(actor, "inventory.adjust", shop)
    _goods(shop, variant)
    _counted(counted)
    open_levels(shop=shop, variants=[variant])
    # The row lock makes the before-value ours until commit; the update stays conditional.
    level = StockLevel.objects.select_for_update().get(variant=variant)
    if counted < level.reserved:
        message = _(
            "Counted %(counted)s, but %(reserved)s are reserved for orders: release or cancel "
            "those first."
        ) % {"counted": counted, "reserved": level.reserved}
        raise InvalidInput(message, code="below_reserved", fields={"counted": message})
    delta = counted - level.on_hand
    if delta:
        ledger.conditional_update(variant.pk, on_hand=delta)
    ledger.movement(
        actor=actor, variant=variant, kind=MovementKind.COUNT, on_hand=delta,
        reason=str(_("stock count")), note=note[:500],
    ).save()
    _stock_record(actor, shop, variant, audit.COUNTED, on_hand_after=counted, delta=delta,
                  note=note[:500])
    if delta > 0:
        backorders.serve_waiting(actor=actor, variant=variant)
    return StockLevel.objects.get(variant=variant)


@transaction.atomic
def count_stock_in_bulk(
    *, actor: Actor, shop: Shop, counts: list[tuple[Variant, int]], note: str = ""
) -> None:
    """`count_stock` for many SKUs at once (a stock sheet imported): the same rules, locks
    and ledger rows, without thousands of round trips."""
    require(actor, "inventory.adjust", shop)
    for variant, counted in counts:
        _goods(shop, variant)
        _counted(counted)
    open_levels(shop=shop, variants=[pair[0] for pair in counts])
    ids = sorted({variant.pk for variant, counted in counts})
    levels: dict[int, StockLevel] = {}
    for start in range(0, len(ids), 500):
        # Locked in id order, like every multi-SKU movement.
        chunk = StockLevel.objects.select_for_update().filter(variant_id__in=ids[start:start + 500])
        levels.update({level.variant_id: level for level in chunk.order_by("variant_id")})
    movements, grown, records = [], [], []
    for variant, counted in counts:
        level = levels[variant.pk]
        if counted < level.reserved:
            message = _(
                "Counted %(counted)s, but %(reserved)s are reserved for orders: release or cancel "
                "those first."
            ) % {"counted": counted, "reserved": level.reserved}
            raise InvalidInput(message, code="below_reserved", fields={"counted": message})
        delta = counted - level.on_hand
        if delta:
            ledger.conditional_update(variant.pk, on_hand=delta)
            level.on_hand = counted
        if delta > 0:
            grown.append(variant)
        movements.append(ledger.movement(
            actor=actor, variant=variant, kind=MovementKind.COUNT, on_hand=delta,
            reason=str(_("stock count")), note=note[:500],
        ))
        records.append(_stock_record(actor, shop, variant, audit.COUNTED, save=False,
                                     on_hand_after=counted, delta=delta, note=note[:500]))
    StockMovement.objects.bulk_create(movements, batch_size=500)
    audit.record_many(records)
    _serve_waiting_for(actor, grown)


@transaction.atomic
def write_off_stock(
    *, actor: Actor, shop: Shop, variant: Variant, quantity: int, reason: str,
    reference: Reference = NO_REFERENCE,
) -> StockLevel:
    """Damaged, expired or lost goods leave the stock; only unreserved stock can go."""
    require(actor, "inventory.adjust", shop)
    _goods(shop, variant)
    quantity = _quantity(quantity)
    after = _apply(
        variant, on_hand=-quantity, condition="on_hand - reserved >= %s", params=[quantity]
    )
    if after is None:
        raise _shortage(variant, quantity)
    ledger.movement(
        actor=actor, variant=variant, kind=MovementKind.WRITE_OFF, on_hand=-quantity,
        reason=" ".join(str(reason or "").split())[:200], reference=reference,
    ).save()
    _stock_record(actor, shop, variant, audit.WRITTEN_OFF, on_hand_after=after.on_hand,
                  delta=-quantity, reason=" ".join(str(reason or "").split())[:200])
    ledger.alert_if_low(variant, after, after.available + quantity)
    return StockLevel.objects.get(variant=variant)


@transaction.atomic
def return_to_stock(
    *, actor: Actor, shop: Shop, variant: Variant, quantity: int, reference: Reference,
    note: str = "",
) -> StockLevel:
    """Returned goods go back on the shelf (after-sales); waiting orders are served first."""
    return _onto_the_shelf(actor, shop, variant, quantity, MovementKind.RETURN, reference, note)


@transaction.atomic
def write_off_returned(
    *, actor: Actor, shop: Shop, variant: Variant, quantity: int, reference: Reference,
    note: str = "",
) -> None:
    """Returned goods that cannot be sold again (after-sales): in the ledger as returned and
    written off at once, both naming the case, so the level never offers them to anyone."""
    require(actor, "inventory.receive", shop)
    _goods(shop, variant)
    quantity = _quantity(quantity)
    StockMovement.objects.bulk_create([
        ledger.movement(actor=actor, variant=variant, kind=MovementKind.RETURN,
                        on_hand=quantity, reference=reference, note=note[:500]),
        ledger.movement(actor=actor, variant=variant, kind=MovementKind.WRITE_OFF,
                        on_hand=-quantity, reference=reference,
                        reason=str(_("returned damaged")), note=note[:500]),
    ])


def _onto_the_shelf(actor, shop, variant, quantity, kind, reference, note) -> StockLevel:
    """Receiving and returning alike: on-hand grows, the ledger says why, and orders waiting
    for this SKU are served first."""
    require(actor, "inventory.receive", shop)
    _goods(shop, variant)
    quantity = _quantity(quantity)
    after = _apply(variant, on_hand=quantity)
    ledger.movement(
        actor=actor, variant=variant, kind=kind, on_hand=quantity, reference=reference,
        note=note[:500],
    ).save()
    if kind == MovementKind.RECEIVE:  # a return is its after-sales case's business
        _stock_record(actor, shop, variant, audit.RECEIVED, on_hand_after=after.on_hand,
                      delta=quantity, note=note[:500])
    backorders.serve_waiting(actor=actor, variant=variant)
    return StockLevel.objects.get(variant=variant)


@transaction.atomic
def set_low_stock_threshold(
    *, actor: Actor, shop: Shop, variant: Variant, threshold: int | None
) -> StockLevel:
    """Below this many available, the merchant is alerted. None switches the alert off."""
    require(actor, "inventory.adjust", shop)
    _goods(shop, variant)
    _low_stock_threshold(threshold)
    open_levels(shop=shop, variants=[variant])
    before = StockLevel.objects.filter(variant=variant).values_list(
        "low_stock_threshold", flat=True).first()
    StockLevel.objects.filter(variant=variant).update(low_stock_threshold=threshold)
    if before != threshold:
        audit.record(actor=actor, shop=shop, object_type=audit.STOCK, obj_id=variant.pk,
                     label=str(variant), action=audit.CHANGED,
                     changes={"low_stock_threshold": audit.change(before, threshold)})
    return StockLevel.objects.get(variant=variant)


@transaction.atomic
def set_low_stock_thresholds(
    *, actor: Actor, shop: Shop, thresholds: list[tuple[Variant, int | None]]
) -> None:
    """`set_low_stock_threshold` for many SKUs at once (a catalog import): one UPDATE per
    distinct threshold instead of one per SKU."""
    require(actor, "inventory.adjust", shop)
    by_threshold: dict[int | None, list[int]] = {}
    for variant, threshold in thresholds:
        _goods(shop, variant)
        _low_stock_threshold(threshold)
        by_threshold.setdefault(threshold, []).append(variant.pk)
    open_levels(shop=shop, variants=[pair[0] for pair in thresholds])
    all_ids = [variant.pk for variant, _threshold in thresholds]
    before: dict[int, int | None] = {}
    for start in range(0, len(all_ids), 500):
        before.update(StockLevel.objects.filter(
            shop=shop, variant_id__in=all_ids[start : start + 500]
        ).values_list("variant_id", "low_stock_threshold"))
    audit.record_many([
        audit.build(actor=actor, shop=shop, object_type=audit.STOCK, obj_id=variant.pk,
                    label=str(variant), action=audit.CHANGED,
                    changes={"low_stock_threshold": audit.change(before.get(variant.pk),
                                                                 threshold)})
        for variant, threshold in thresholds if before.get(variant.pk) != threshold
    ])
    for threshold, ids in by_threshold.items():
        for start in range(0, len(ids), 500):
            StockLevel.objects.filter(shop=shop, variant_id__in=ids[start : start + 500]).update(
                low_stock_threshold=threshold
            )
