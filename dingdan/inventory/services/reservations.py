"""Stock held for orders: reserve at placement, release on cancel, deduct on shipment.

A reservation is one conditional UPDATE per SKU (`… WHERE on_hand - reserved >= n`), so
concurrent orders can never take the same unit twice, on SQLite and PostgreSQL alike."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from dingdan.catalog.models import Variant
from dingdan.errors import InvalidInput
from dingdan.inventory.errors import InsufficientStock
from dingdan.inventory.models import Backorder, MovementKind, StockLevel, StockMovement
from dingdan.inventory.services import backorders, ledger
from dingdan.inventory.services.ledger import Reference
from dingdan.shops.actors import Actor
from dingdan.shops.config import shop_settings
from dingdan.shops.models import Shop
from dingdan.shops.permissions import require, require_any
from dingdan.whole_numbers import is_whole


@dataclass
class Reservation:
    reserved: dict[int, int] = field(default_factory=dict)  # variant id -> units held
    backordered: dict[int, int] = field(default_factory=dict)  # variant id -> units waiting


def allows_backorders(shop: Shop) -> bool:
    return shop_settings(shop).allow_backorders


def _totals(shop: Shop, lines: Iterable[tuple[Variant, int]]) -> list[tuple[Variant, int]]:
    """One entry per goods SKU with the sum of its lines, in id order (a fixed lock order)."""
    wanted: dict[int, int] = defaultdict(int)
    variants: dict[int, Variant] = {}
    for variant, quantity in lines:
        if variant.shop_id != shop.pk:
            raise InvalidInput(_("This product belongs to another shop."))
        if not is_whole(quantity, minimum=1):
            raise InvalidInput(_("Quantities must be whole numbers above zero."))
        if variant.product.is_service:
            continue
        wanted[variant.pk] += quantity
        variants[variant.pk] = variant
    return [(variants[pk], wanted[pk]) for pk in sorted(wanted)]


@transaction.atomic
def reserve_stock(
    *,
    actor: Actor,
    shop: Shop,
    lines: Iterable[tuple[Variant, int]],
    reference: Reference,
    allow_backorder: bool | None = None,
    priority: int = 0,
) -> Reservation:
    """Hold stock for an order's lines (a SKU on several lines reserves the sum). Without
    backorders a shortage refuses the whole order, naming every short SKU; with them, what
    is missing waits in the backorder queue."""
    require_any(actor, ["orders.create", "orders.edit"], shop)
    if allow_backorder is None:
        allow_backorder = allows_backorders(shop)
    result = Reservation()
    movements: list[StockMovement] = []
    shortages: list[tuple[Variant, int]] = []
    for variant, quantity in _totals(shop, lines):
        after = ledger.conditional_update(
            variant.pk, reserved=quantity, condition="on_hand - reserved >= %s", params=[quantity]
        )
        if after is not None:
            got = quantity
            ledger.alert_if_low(variant, after, after.available + quantity)
        elif allow_backorder:
            got = _reserve_what_is_left(variant, quantity)
            Backorder.objects.create(
                shop=shop, variant=variant, quantity=quantity - got, requested=quantity - got,
                priority=priority, reference_type=reference.type, reference_id=str(reference.id),
            )
            result.backordered[variant.pk] = quantity - got
        else:
            shortages.append((variant, quantity))
            continue
        if got:
            result.reserved[variant.pk] = got
            movements.append(ledger.movement(
                actor=actor, variant=variant, kind=MovementKind.RESERVE, reserved=got,
                reference=reference,
            ))
    if shortages:
        levels = {
            pk: on_hand - reserved
            for pk, on_hand, reserved in StockLevel.objects.filter(
                variant__in=[variant for variant, wanted in shortages]
            ).values_list("variant_id", "on_hand", "reserved")
        }
        raise InsufficientStock([
            {"sku": variant.sku, "name": variant.display_name, "requested": wanted,
             "available": levels.get(variant.pk, 0)}
            for variant, wanted in shortages
        ])
    StockMovement.objects.bulk_create(movements)
    return result


def _reserve_what_is_left(variant: Variant, wanted: int) -> int:
    level = StockLevel.objects.select_for_update().filter(variant=variant).first()
    if level is None or level.available <= 0:
        return 0
    got = min(wanted, level.available)
    after = ledger.conditional_update(
        variant.pk, reserved=got, condition="on_hand - reserved >= %s", params=[got]
    )
    ledger.alert_if_low(variant, after, after.available + got)
    return got


def held_for(reference: Reference, variant_ids: Iterable[int] | None = None) -> dict[int, int]:
    """Units currently reserved for a reference, per variant, as the ledger records them."""
    rows = StockMovement.objects.filter(
        reference_type=reference.type, reference_id=str(reference.id)
    )
    if variant_ids is not None:
        rows = rows.filter(variant_id__in=list(variant_ids))
    totals = rows.values("variant_id").annotate(held=Sum("reserved_delta"))
    return {row["variant_id"]: row["held"] for row in totals if row["held"]}


@transaction.atomic
def release_stock(
    *, actor: Actor, shop: Shop, reference: Reference, variants: dict[int, int] | None = None
) -> dict[int, int]:
    """Give back what a reference holds (all of it, or `variants`: id -> units) and cancel
    what it still waits for; a partial release drops waiting units before held ones.
    Returns the units released per variant."""
    require_any(actor, ["orders.cancel", "orders.edit"], shop)
    held = held_for(reference)
    if variants is None:
        to_release = held
    else:
        # Units still waiting as a backorder were never held: stop waiting for them first.
        to_release = {}
        for pk, units in variants.items():
            rest = units - backorders.reduce_for(reference, pk, units)
            to_release[pk] = min(rest, held.get(pk, 0))
    by_id = Variant.objects.select_related("product").in_bulk(list(to_release))
    movements = []
    for pk in sorted(to_release):
        units = to_release[pk]
        if units <= 0:
            continue
        ledger.conditional_update(pk, reserved=-units, condition="reserved >= %s", params=[units])
        movements.append(ledger.movement(
            actor=actor, variant=by_id[pk], kind=MovementKind.RELEASE, reserved=-units,
            reference=reference,
        ))
    StockMovement.objects.bulk_create(movements)
    if variants is None:
        backorders.cancel_for(reference)
    for pk in sorted(to_release):
        if to_release[pk] > 0:
            backorders.serve_waiting(actor=actor, variant=by_id[pk])
    return {pk: units for pk, units in to_release.items() if units > 0}


@transaction.atomic
def ship_stock(
    *, actor: Actor, shop: Shop, reference: Reference, lines: Iterable[tuple[Variant, int]]
) -> None:
    """Shipped goods leave the shop: their reservation and their on-hand stock go together."""
    require(actor, "fulfillment.ship", shop)
    totals = _totals(shop, lines)
    held = held_for(reference, [variant.pk for variant, quantity in totals])
    movements = []
    for variant, quantity in totals:
        # Only what this reference holds may ship: another order's units stay theirs.
        if held.get(variant.pk, 0) < quantity:
            raise InsufficientStock([{
                "sku": variant.sku, "name": variant.display_name, "requested": quantity,
                "available": held.get(variant.pk, 0),
            }])
        ledger.conditional_update(
            variant.pk, on_hand=-quantity, reserved=-quantity, condition="reserved >= %s",
            params=[quantity],
        )
        movements.append(ledger.movement(
            actor=actor, variant=variant, kind=MovementKind.SHIP, on_hand=-quantity,
            reserved=-quantity, reference=reference,
        ))
    StockMovement.objects.bulk_create(movements)


@transaction.atomic
def unship_stock(
    *, actor: Actor, shop: Shop, reference: Reference, lines: Iterable[tuple[Variant, int]]
) -> None:
    """A shipment cancelled before it left: its units are back on the shelf and held for
    the same reference again (the reverse of `ship_stock`)."""
    require(actor, "fulfillment.ship", shop)
    movements = []
    for variant, quantity in _totals(shop, lines):
        ledger.conditional_update(variant.pk, on_hand=quantity, reserved=quantity)
        movements.append(ledger.movement(
            actor=actor, variant=variant, kind=MovementKind.UNSHIP, on_hand=quantity,
            reserved=quantity, reference=reference,
        ))
    StockMovement.objects.bulk_create(movements)
