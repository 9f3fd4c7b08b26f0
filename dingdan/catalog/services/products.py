"""Writes for the catalog. A product is known by its name within a shop: a new SKU under an
existing name becomes another variant of that product (草莓 500g and 草莓 1kg)."""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from dingdan import hooks
from dingdan.catalog import rules
from dingdan.catalog.models import Product, ProductAlias, ProductKind, Variant
from dingdan.errors import Conflict
from dingdan.shops import audit
from dingdan.shops.actors import Actor
from dingdan.shops.models import Shop
from dingdan.shops.permissions import require


def _sku_taken(sku: str) -> Conflict:
    message = _("The SKU %(sku)s is already used in this shop.") % {"sku": sku}
    return Conflict(message, code="duplicate_sku", fields={"sku": message})


@transaction.atomic
def create_sku(
    *,
    actor: Actor,
    shop: Shop,
    sku: str,
    name: str,
    price_cents: int,
    spec: str = "",
    aliases: list[str] | str | None = None,
    kind: str | None = None,
    category: str | None = None,
    cost_cents: int | None = None,
    barcode: str = "",
    weight_grams: int | None = None,
    purchase_limit: int | None = None,
    slot_capacity: int | None = None,
    slot_minutes: int | None = None,
) -> Variant:
    """Add a SKU: to the product of that name if the shop has one, else to a new product.
    Goods get a stock level of zero at once."""
    require(actor, "catalog.manage", shop)
    sku = rules.clean_sku(sku)
    name = rules.clean_text(name, "name", max_length=100, required=True)
    price_cents = rules.clean_cents(price_cents, "price_cents", required=True)
    spec = rules.clean_text(spec, "spec", max_length=50)
    cost_cents = rules.clean_cents(cost_cents, "cost_cents")
    barcode = rules.clean_text(barcode, "barcode", max_length=64)
    weight_grams = rules.clean_positive(weight_grams, "weight_grams")
    purchase_limit = rules.clean_positive(purchase_limit, "purchase_limit")
    alias_list = rules.clean_aliases(aliases, name=name)

    product = Product.objects.filter(shop=shop, name=name).first()
    is_new_product = product is None
    if product is None:
        product = Product.objects.create(
            shop=shop,
            name=name,
            kind=rules.clean_kind(kind),
            category=rules.clean_text(category, "category", max_length=50),
            purchase_limit=purchase_limit,
            slot_capacity=rules.clean_positive(slot_capacity, "slot_capacity"),
            slot_minutes=rules.clean_slot_minutes(slot_minutes),
        )
    else:
        if kind is not None and rules.clean_kind(kind) != product.kind:
            message = _("%(name)s already exists as a different kind of product.") % {
                "name": name
            }
            raise rules.invalid("kind", message)
        before = audit.snapshot(product, ("category", "purchase_limit"))
        _update_product_fields(product, category=category, purchase_limit=purchase_limit)
        record_product(actor, shop, product, audit.CHANGED,
                       audit.diff(before, audit.snapshot(product, before)))
    if spec and product.variants.filter(spec=spec).exists():
        message = _("%(name)s already has the spec %(spec)s.") % {"name": name, "spec": spec}
        raise Conflict(message, code="duplicate_spec", fields={"spec": message})
    try:
        with transaction.atomic():
            variant = Variant.objects.create(
                shop=shop, product=product, sku=sku, spec=spec, price_cents=price_cents,
                cost_cents=cost_cents, barcode=barcode, weight_grams=weight_grams,
            )
    except IntegrityError:
        raise _sku_taken(sku) from None
    aliases_before = [] if is_new_product else _aliases_of(product)
    _add_aliases(product, alias_list)
    if product.kind == ProductKind.GOODS:
        # Inventory (above catalog) gives the new goods a stock level of zero.
        hooks.announce("catalog.goods_created", shop=shop, variants=[variant])
    if is_new_product:
        record_product(actor, shop, product, audit.CREATED, audit.initial(
            {**audit.snapshot(product, PRODUCT_FIELDS), "aliases": _aliases_of(product)}))
    elif alias_list:
        record_product(actor, shop, product, audit.CHANGED,
                       audit.diff({"aliases": aliases_before}, {"aliases": _aliases_of(product)}))
    record_variant(actor, shop, variant, audit.CREATED,
                   audit.initial(audit.snapshot(variant, ("sku", *VARIANT_FIELDS))))
    return variant


# What the audit log follows of a product and a SKU.
PRODUCT_FIELDS = ("name", "kind", "category", "purchase_limit", "slot_capacity", "slot_minutes")
VARIANT_FIELDS = ("spec", "price_cents", "cost_cents", "barcode", "weight_grams", "is_active")


def _aliases_of(product: Product) -> list[str]:
    return list(product.aliases.order_by("id").values_list("alias", flat=True))


def record_product(
    actor: Actor, shop: Shop, product: Product, action: str, changes: audit.Changes
) -> None:
    """The product's audit record, when something changed (or it is new)."""
    if changes or action != audit.CHANGED:
        audit.record(actor=actor, shop=shop, object_type=audit.PRODUCT,
                     obj_id=product.pk, label=product.name, action=action, changes=changes)


def variant_label(variant: Variant) -> str:
    return f"{variant.display_name} ({variant.sku})"


def record_variant(
    actor: Actor, shop: Shop, variant: Variant, action: str, changes: audit.Changes
) -> None:
    if changes or action != audit.CHANGED:
        audit.record(actor=actor, shop=shop, object_type=audit.VARIANT,
                     obj_id=variant.pk, label=variant_label(variant), action=action,
                     changes=changes)


def _update_product_fields(product: Product, *, category=None, purchase_limit=None) -> None:
    fields = []
    if category is not None:
        product.category = rules.clean_text(category, "category", max_length=50)
        fields.append("category")
    if purchase_limit is not None:
        product.purchase_limit = rules.clean_positive(purchase_limit, "purchase_limit")
        fields.append("purchase_limit")
    if fields:
        product.save(update_fields=[*fields, "updated_at"])


def _add_aliases(product: Product, aliases: list[str]) -> None:
    known = set(product.aliases.values_list("alias", flat=True))
    ProductAlias.objects.bulk_create(
        [ProductAlias(shop_id=product.shop_id, product=product, alias=a)
         for a in aliases if a not in known]
    )


UNSET = object()


@transaction.atomic
def update_sku(
    *,
    actor: Actor,
    shop: Shop,
    variant: Variant,
    name=UNSET,
    spec=UNSET,
    price_cents=UNSET,
    cost_cents=UNSET,
    barcode=UNSET,
    weight_grams=UNSET,
    is_active=UNSET,
    category=UNSET,
    aliases=UNSET,
    purchase_limit=UNSET,
    slot_capacity=UNSET,
    slot_minutes=UNSET,
) -> Variant:
    """Change a SKU and its product. Renaming a product to a name another product has is
    refused, not merged. A price change applies to new orders only."""
    require(actor, "catalog.manage", shop)
    product = variant.product
    variant_before = audit.snapshot(variant, VARIANT_FIELDS)
    product_before = audit.snapshot(product, PRODUCT_FIELDS)
    if aliases is not UNSET:
        product_before["aliases"] = _aliases_of(product)
    variant_fields, product_fields = [], []
    if name is not UNSET:
        name = rules.clean_text(name, "name", max_length=100, required=True)
        if Product.objects.filter(shop=shop, name=name).exclude(pk=product.pk).exists():
            message = _("Another product is already called %(name)s.") % {"name": name}
            raise Conflict(message, code="duplicate_name", fields={"name": message})
        product.name = name
        product_fields.append("name")
    if category is not UNSET:
        product.category = rules.clean_text(category, "category", max_length=50)
        product_fields.append("category")
    if purchase_limit is not UNSET:
        product.purchase_limit = rules.clean_positive(purchase_limit, "purchase_limit")
        product_fields.append("purchase_limit")
    if slot_capacity is not UNSET:
        product.slot_capacity = rules.clean_positive(slot_capacity, "slot_capacity")
        product_fields.append("slot_capacity")
    if slot_minutes is not UNSET:
        product.slot_minutes = rules.clean_slot_minutes(slot_minutes)
        product_fields.append("slot_minutes")
    if spec is not UNSET:
        variant.spec = rules.clean_text(spec, "spec", max_length=50)
        variant_fields.append("spec")
    if price_cents is not UNSET:
        variant.price_cents = rules.clean_cents(price_cents, "price_cents", required=True)
        variant_fields.append("price_cents")
    if cost_cents is not UNSET:
        variant.cost_cents = rules.clean_cents(cost_cents, "cost_cents")
        variant_fields.append("cost_cents")
    if barcode is not UNSET:
        variant.barcode = rules.clean_text(barcode, "barcode", max_length=64)
        variant_fields.append("barcode")
    if weight_grams is not UNSET:
        variant.weight_grams = rules.clean_positive(weight_grams, "weight_grams")
        variant_fields.append("weight_grams")
    if is_active is not UNSET:
        variant.is_active = bool(is_active)
        variant_fields.append("is_active")
    if aliases is not UNSET:
        wanted = rules.clean_aliases(aliases, name=product.name)
        product.aliases.exclude(alias__in=wanted).delete()
        _add_aliases(product, wanted)
    if product_fields:
        product.save(update_fields=[*product_fields, "updated_at"])
    if variant_fields:
        variant.save(update_fields=[*variant_fields, "updated_at"])
    product_after = audit.snapshot(product, PRODUCT_FIELDS)
    if aliases is not UNSET:
        product_after["aliases"] = _aliases_of(product)
    record_product(actor, shop, product, audit.CHANGED, audit.diff(product_before, product_after))
    variant_changes = audit.diff(variant_before, audit.snapshot(variant, VARIANT_FIELDS))
    action = audit.CHANGED
    if "is_active" in variant_changes:
        action = audit.ACTIVATED if variant.is_active else audit.DEACTIVATED
    record_variant(actor, shop, variant, action, variant_changes)
    return variant
