"""The backorder queue: units orders wait for, served by priority then age as stock comes."""

from django.db.models import F, Sum
from django.utils import timezone

from dingdan import hooks
from dingdan.catalog.models import Variant
from dingdan.inventory.models import Backorder, MovementKind, StockLevel
from dingdan.inventory.services import ledger
from dingdan.inventory.services.ledger import Reference
from dingdan.shops.actors import Actor


def serve_waiting(*, actor: Actor, variant: Variant) -> int:
    """Reserve newly available stock for waiting backorders, first in line first. Runs
    inside the caller's transaction; returns the units it reserved."""
    queue = Backorder.objects.select_for_update().filter(
        variant=variant, filled_at__isnull=True, cancelled_at__isnull=True
    ).order_by("-priority", "created_at", "id")
    if not queue.exists():
        return 0
    level = StockLevel.objects.select_for_update().get(variant=variant)
    available = level.available
    served = 0
    for waiting in queue:
        if available <= 0:
            break
        units = min(waiting.quantity, available)
        after = ledger.conditional_update(
            variant.pk, reserved=units, condition="on_hand - reserved >= %s", params=[units]
        )
        if after is None:
            break
        available = after.available
        served += units
        reference = Reference(waiting.reference_type, waiting.reference_id)
        ledger.movement(
            actor=actor, variant=variant, kind=MovementKind.RESERVE, reserved=units,
            reference=reference, note="backorder",
        ).save()
        Backorder.objects.filter(pk=waiting.pk).update(
            quantity=F("quantity") - units,
            filled_at=timezone.now() if units == waiting.quantity else None,
        )
        hooks.announce(
            "inventory.alert",
            shop_id=variant.shop_id,
            kind="backorder_filled",
            subject=f"backorder:{waiting.pk}:{waiting.quantity - units}",
            data={"sku": variant.sku, "name": variant.display_name, "quantity": units,
                  "reference": f"{waiting.reference_type} {waiting.reference_id}"},
        )
    return served


def cancel_for(reference: Reference) -> int:
    """Stop waiting for stock on behalf of a reference (its order was cancelled)."""
    return Backorder.objects.filter(
        reference_type=reference.type, reference_id=str(reference.id),
        filled_at__isnull=True, cancelled_at__isnull=True,
    ).update(cancelled_at=timezone.now())


def reduce_for(reference: Reference, variant_id: int, units: int) -> int:
    """Wait for up to `units` fewer of a variant on behalf of a reference (its order now
    wants less), newest waiting first. Returns the units no longer waited for."""
    dropped = 0
    queue = Backorder.objects.select_for_update().filter(
        reference_type=reference.type, reference_id=str(reference.id), variant_id=variant_id,
        filled_at__isnull=True, cancelled_at__isnull=True,
    ).order_by("-created_at", "-id")
    for waiting in queue:
        if dropped >= units:
            break
        less = min(waiting.quantity, units - dropped)
        dropped += less
        if less == waiting.quantity:
            Backorder.objects.filter(pk=waiting.pk).update(cancelled_at=timezone.now())
        else:
            Backorder.objects.filter(pk=waiting.pk).update(quantity=F("quantity") - less)
    return dropped


def awaited_for(reference: Reference) -> dict[int, int]:
    """Units a reference still waits for, per variant."""
    rows = Backorder.objects.filter(
        reference_type=reference.type, reference_id=str(reference.id),
        filled_at__isnull=True, cancelled_at__isnull=True, quantity__gt=0,
    ).values("variant_id").annotate(units=Sum("quantity"))
    return {row["variant_id"]: row["units"] for row in rows}


def waiting_for(variant: Variant) -> int:
    return Backorder.objects.filter(
        variant=variant, filled_at__isnull=True, cancelled_at__isnull=True
    ).aggregate(total=Sum("quantity"))["total"] or 0
