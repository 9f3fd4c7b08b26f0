"""Reads for stock, scoped to one shop."""

from django.db.models import F, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce

from dingdan.catalog.models import Variant
from dingdan.inventory.models import Backorder, StockLevel, StockMovement
from dingdan.shops.models import Shop


def _waiting_subquery():
    return Coalesce(
        Subquery(
            Backorder.objects.filter(
                variant_id=OuterRef("variant_id"), filled_at__isnull=True,
                cancelled_at__isnull=True,
            )
            .values("variant_id")
            .annotate(total=Sum("quantity"))
            .values("total")[:1]
        ),
        0,
    )


def levels_for_shop(
    shop: Shop, *, q: str | None = None, low_only: bool = False
) -> QuerySet[StockLevel]:
    """Stock levels with their SKU, available and backordered quantities."""
    levels = (
        StockLevel.objects.filter(shop=shop)
        .select_related("variant__product")
        .annotate(available_units=F("on_hand") - F("reserved"), backordered=_waiting_subquery())
    )
    if q:
        q = q.strip()
        levels = levels.filter(
            Q(variant__sku__icontains=q)
            | Q(variant__product__name__icontains=q)
            | Q(variant__spec__icontains=q)
            | Q(variant__barcode=q)
        )
    if low_only:
        levels = levels.filter(
            low_stock_threshold__isnull=False,
            available_units__lte=F("low_stock_threshold"),
        )
    return levels.order_by("variant__product__name", "variant_id")


def level_for_variant(variant: Variant) -> StockLevel:
    """The variant's level; a goods variant without one has zero of everything."""
    level = StockLevel.objects.filter(variant=variant).first()
    return level or StockLevel(shop_id=variant.shop_id, variant=variant)


def movements_for_variant(shop: Shop, variant: Variant) -> QuerySet[StockMovement]:
    return StockMovement.objects.filter(shop=shop, variant=variant).order_by("-id")


def waiting_backorders(shop: Shop, variant: Variant | None = None) -> QuerySet[Backorder]:
    backorders = Backorder.objects.filter(
        shop=shop, filled_at__isnull=True, cancelled_at__isnull=True
    ).select_related("variant__product")
    if variant is not None:
        backorders = backorders.filter(variant=variant)
    return backorders.order_by("-priority", "created_at", "id")


def ledger_mismatches(shop: Shop | None = None) -> list[dict]:
    """Levels whose counters differ from the sum of their ledger, or break an invariant.
    An empty list is the proof that stock is honest."""
    movements = StockMovement.objects.filter(variant_id=OuterRef("variant_id")).values(
        "variant_id"
    )
    levels = StockLevel.objects.annotate(
        ledger_on_hand=Coalesce(
            Subquery(movements.annotate(t=Sum("on_hand_delta")).values("t")[:1]), 0
        ),
        ledger_reserved=Coalesce(
            Subquery(movements.annotate(t=Sum("reserved_delta")).values("t")[:1]), 0
        ),
    ).select_related("variant", "shop")
    if shop is not None:
        levels = levels.filter(shop=shop)
    problems = []
    for level in levels.iterator(chunk_size=2000):
        if (
            level.on_hand != level.ledger_on_hand
            or level.reserved != level.ledger_reserved
            or level.reserved < 0
            or level.on_hand < level.reserved
        ):
            problems.append({
                "shop": level.shop.slug, "sku": level.variant.sku,
                "on_hand": level.on_hand, "ledger_on_hand": level.ledger_on_hand,
                "reserved": level.reserved, "ledger_reserved": level.ledger_reserved,
            })
    orphans = StockMovement.objects.exclude(variant__stock__isnull=False)
    if shop is not None:
        orphans = orphans.filter(shop=shop)
    for row in orphans.values("variant__sku", "shop__slug").annotate(
        on_hand=Sum("on_hand_delta"), reserved=Sum("reserved_delta")
    ):
        problems.append({
            "shop": row["shop__slug"], "sku": row["variant__sku"], "on_hand": None,
            "ledger_on_hand": row["on_hand"], "reserved": None,
            "ledger_reserved": row["reserved"],
        })
    return problems
