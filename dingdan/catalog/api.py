"""Products over the API. A product is addressed by one of its SKUs; each answer describes
that SKU with its product's name, kind, category and aliases."""

from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.pagination import paginate
from pydantic import Field

from dingdan.api.errors import with_errors
from dingdan.api.fields import MAX_INT
from dingdan.api.pagination import MappedPage, Pages
from dingdan.catalog import selectors
from dingdan.catalog.models import ProductKind, Variant
from dingdan.catalog.rules import MAX_ALIASES
from dingdan.catalog.services import products as services
from dingdan.shops import idempotency
from dingdan.shops.permissions import require

router = Router(tags=["products"])


class ProductIn(Schema):
    sku: str = Field(..., max_length=64)
    name: str = Field(..., max_length=100)
    price_cents: int = Field(..., ge=0)
    spec: str = Field("", max_length=50)
    aliases: list[str] = Field(default_factory=list, max_length=MAX_ALIASES)
    kind: ProductKind = ProductKind.GOODS
    category: str = Field("", max_length=50)
    cost_cents: int | None = Field(None, ge=0)
    barcode: str = Field("", max_length=64)
    weight_grams: int | None = Field(None, gt=0, le=MAX_INT)
    purchase_limit: int | None = Field(None, gt=0, le=MAX_INT)
    slot_capacity: int | None = Field(
        None, gt=0, le=MAX_INT, description="services: bookings per slot"
    )
    slot_minutes: int | None = Field(None, ge=5, le=1440, description="services: slot length")


class ProductPatch(Schema):
    name: str | None = Field(None, max_length=100)
    price_cents: int | None = Field(None, ge=0)
    spec: str | None = Field(None, max_length=50)
    aliases: list[str] | None = Field(None, max_length=MAX_ALIASES)
    category: str | None = Field(None, max_length=50)
    cost_cents: int | None = Field(None, ge=0)
    barcode: str | None = Field(None, max_length=64)
    weight_grams: int | None = Field(None, gt=0, le=MAX_INT)
    purchase_limit: int | None = Field(None, gt=0, le=MAX_INT)
    slot_capacity: int | None = Field(None, gt=0, le=MAX_INT)
    slot_minutes: int | None = Field(None, ge=5, le=1440)
    is_active: bool | None = None


class ProductOut(Schema):
    id: int
    variant_id: int
    sku: str
    name: str
    spec: str
    price_cents: int
    cost_cents: int | None
    kind: ProductKind
    category: str
    aliases: list[str]
    barcode: str
    weight_grams: int | None
    purchase_limit: int | None
    slot_capacity: int | None
    slot_minutes: int
    is_active: bool


class ProductFilter(Schema):
    q: str | None = Field(None, max_length=100)
    kind: ProductKind | None = None
    category: str | None = Field(None, max_length=50)
    active: bool | None = None


def product_out(variant: Variant) -> dict:
    product = variant.product
    return {
        "id": product.pk,
        "variant_id": variant.pk,
        "sku": variant.sku,
        "name": product.name,
        "spec": variant.spec,
        "price_cents": variant.price_cents,
        "cost_cents": variant.cost_cents,
        "kind": product.kind,
        "category": product.category,
        "aliases": [a.alias for a in product.aliases.all()],
        "barcode": variant.barcode,
        "weight_grams": variant.weight_grams,
        "purchase_limit": product.purchase_limit,
        "slot_capacity": product.slot_capacity,
        "slot_minutes": product.slot_minutes,
        "is_active": variant.is_active and product.is_active,
    }


@router.post("/products", response=with_errors({201: ProductOut}, 409))
def create_product(request: HttpRequest, payload: ProductIn):
    """Add a SKU. A new name makes a new product; an existing name adds a variant to it.
    With an `Idempotency-Key` header a retry returns the first answer."""
    actor = request.auth

    def create() -> dict:
        variant = services.create_sku(actor=actor, shop=actor.shop, **payload.model_dump())
        return product_out(selectors.sku_in_shop(actor.shop, variant.sku))

    return idempotency.created(request, actor.shop, ProductOut, create)


@router.get("/products", response=with_errors(list[ProductOut]))
@paginate(Pages, page_size=50)
def list_products(request: HttpRequest, filters: Query[ProductFilter]):
    """Search by name, alias, spec, SKU or barcode."""
    actor = request.auth
    require(actor, "catalog.view", actor.shop)
    return MappedPage(selectors.skus_for_shop(actor.shop, **filters.model_dump()), product_out)


@router.get("/products/{sku}", response=with_errors(ProductOut))
def get_product(request: HttpRequest, sku: str):
    actor = request.auth
    require(actor, "catalog.view", actor.shop)
    return product_out(selectors.sku_in_shop(actor.shop, sku))


@router.patch("/products/{sku}", response=with_errors(ProductOut, 409))
def update_product(request: HttpRequest, sku: str, payload: ProductPatch):
    actor = request.auth
    require(actor, "catalog.manage", actor.shop)
    variant = selectors.sku_in_shop(actor.shop, sku)
    changes = payload.model_dump(exclude_unset=True)
    services.update_sku(actor=actor, shop=actor.shop, variant=variant, **changes)
    return product_out(selectors.sku_in_shop(actor.shop, sku))

