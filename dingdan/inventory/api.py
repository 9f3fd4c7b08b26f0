"""Stock over the API: levels, receiving, adjusting, counting and the ledger, by SKU."""

from datetime import datetime

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.pagination import paginate
from pydantic import Field

from dingdan.api.errors import with_errors
from dingdan.api.fields import MAX_INT
from dingdan.api.pagination import MappedPage, Pages
from dingdan.catalog.selectors import sku_in_shop
from dingdan.inventory import selectors
from dingdan.inventory.models import StockLevel
from dingdan.inventory.services import stock as services
from dingdan.shops.permissions import require

router = Router(tags=["inventory"])


class LevelOut(Schema):
    sku: str
    name: str
    on_hand: int
    reserved: int
    available: int
    low_stock_threshold: int | None
    backordered: int


class ReceiveIn(Schema):
    quantity: int
    note: str = Field("", max_length=500)


class AdjustIn(Schema):
    delta: int
    reason: str = Field(..., max_length=200)
    note: str = Field("", max_length=500)


class CountIn(Schema):
    counted: int
    note: str = Field("", max_length=500)


class LevelPatch(Schema):
    low_stock_threshold: int | None = Field(..., ge=0, le=MAX_INT)


class MovementOut(Schema):
    id: int
    kind: str
    on_hand_delta: int
    reserved_delta: int
    reason: str
    note: str
    actor_kind: str
    actor_label: str
    reference_type: str
    reference_id: str
    created_at: datetime


def level_out(level: StockLevel, backordered: int | None = None) -> dict:
    variant = level.variant
    if backordered is None:
        backordered = getattr(level, "backordered", None)
    if backordered is None:
        from dingdan.inventory.services.backorders import waiting_for

        backordered = waiting_for(variant)
    return {
        "sku": variant.sku,
        "name": variant.display_name,
        "on_hand": level.on_hand,
        "reserved": level.reserved,
        "available": level.on_hand - level.reserved,
        "low_stock_threshold": level.low_stock_threshold,
        "backordered": backordered,
    }


def _variant(actor, sku: str):
    return sku_in_shop(actor.shop, sku)


@router.get("/inventory", response=with_errors(list[LevelOut]))
@paginate(Pages, page_size=100)
def list_levels(request: HttpRequest, q: str | None = None, low: bool = False):
    actor = request.auth
    require(actor, "inventory.view", actor.shop)
    return MappedPage(selectors.levels_for_shop(actor.shop, q=q, low_only=low), level_out)


@router.get("/inventory/{sku}", response=with_errors(LevelOut))
def get_level(request: HttpRequest, sku: str):
    actor = request.auth
    require(actor, "inventory.view", actor.shop)
    return level_out(selectors.level_for_variant(_variant(actor, sku)))


@router.patch("/inventory/{sku}", response=with_errors(LevelOut))
def patch_level(request: HttpRequest, sku: str, payload: LevelPatch):
    actor = request.auth
    level = services.set_low_stock_threshold(
        actor=actor, shop=actor.shop, variant=_variant(actor, sku),
        threshold=payload.low_stock_threshold,
    )
    return level_out(level)


@router.post("/inventory/{sku}/receive", response=with_errors(LevelOut))
def receive(request: HttpRequest, sku: str, payload: ReceiveIn):
    actor = request.auth
    level = services.receive_stock(
        actor=actor, shop=actor.shop, variant=_variant(actor, sku),
        quantity=payload.quantity, note=payload.note,
    )
    return level_out(level)


@router.post("/inventory/{sku}/adjust", response=with_errors(LevelOut, 409))
def adjust(request: HttpRequest, sku: str, payload: AdjustIn):
    actor = request.auth
    level = services.adjust_stock(
        actor=actor, shop=actor.shop, variant=_variant(actor, sku),
        delta=payload.delta, reason=payload.reason, note=payload.note,
    )
    return level_out(level)


@router.post("/inventory/{sku}/count", response=with_errors(LevelOut))
def count(request: HttpRequest, sku: str, payload: CountIn):
    actor = request.auth
    level = services.count_stock(
        actor=actor, shop=actor.shop, variant=_variant(actor, sku),
        counted=payload.counted, note=payload.note,
    )
    return level_out(level)


@router.get("/inventory/{sku}/movements", response=with_errors(list[MovementOut]))
@paginate(Pages, page_size=100)
def movements(request: HttpRequest, sku: str):
    actor = request.auth
    require(actor, "inventory.view", actor.shop)
    return selectors.movements_for_variant(actor.shop, _variant(actor, sku))

