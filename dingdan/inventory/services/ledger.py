"""Writing the stock ledger, and the low-level conditional updates every movement uses.

Every change of a level is one conditional UPDATE (never read-then-write) followed by a
ledger row in the same transaction."""

from dataclasses import dataclass

from django.db import connection
from django.utils import timezone

from dingdan import hooks
from dingdan.catalog.models import Variant
from dingdan.inventory.models import StockLevel, StockMovement
from dingdan.shops.actors import Actor


@dataclass(frozen=True)
class Reference:
    """What a movement is for: Reference("order", "123")."""

    type: str = ""
    id: str = ""


NO_REFERENCE = Reference()


@dataclass(frozen=True)
class LevelAfter:
    on_hand: int
    reserved: int
    low_stock_threshold: int | None

    @property
    def available(self) -> int:
        return self.on_hand - self.reserved


def conditional_update(
    variant_id: int, *, on_hand: int = 0, reserved: int = 0, condition: str = "", params=()
) -> LevelAfter | None:
    """Apply deltas to one level if `condition` (SQL on the row) holds; None when it did not
    hold or the level does not exist. Returns the level as it is afterwards."""
    table = connection.ops.quote_name(StockLevel._meta.db_table)
    where = f"variant_id = %s AND ({condition})" if condition else "variant_id = %s"
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET on_hand = on_hand + %s, reserved = reserved + %s, "
            f"updated_at = %s WHERE {where} "
            "RETURNING on_hand, reserved, low_stock_threshold",
            [on_hand, reserved, connection.ops.adapt_datetimefield_value(timezone.now()),
             variant_id, *params],
        )
        row = cursor.fetchone()
    return LevelAfter(*row) if row else None


def movement(
    *,
    actor: Actor,
    variant: Variant,
    kind: str,
    on_hand: int = 0,
    reserved: int = 0,
    reference: Reference = NO_REFERENCE,
    reason: str = "",
    note: str = "",
) -> StockMovement:
    return StockMovement(
        shop_id=variant.shop_id,
        variant=variant,
        kind=kind,
        on_hand_delta=on_hand,
        reserved_delta=reserved,
        reason=reason,
        note=note,
        actor_kind=str(actor.kind),
        actor_label=actor.label[:150],
        reference_type=reference.type,
        reference_id=str(reference.id),
    )


def alert_if_low(variant: Variant, after: LevelAfter, available_before: int) -> None:
    """Alert when available stock crosses the threshold downwards."""
    threshold = after.low_stock_threshold
    if threshold is None or not (after.available <= threshold < available_before):
        return
    hooks.announce(
        "inventory.alert",
        shop_id=variant.shop_id,
        kind="low_stock",
        subject=f"variant:{variant.pk}",
        data={"sku": variant.sku, "name": variant.display_name, "available": after.available},
    )
