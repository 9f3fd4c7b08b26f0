"""Reads for the catalog, scoped to one shop."""

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from dingdan.catalog.models import Variant
from dingdan.errors import NotFound
from dingdan.shops.models import Shop


def skus_for_shop(
    shop: Shop,
    *,
    q: str | None = None,
    kind: str | None = None,
    category: str | None = None,
    active: bool | None = None,
) -> QuerySet[Variant]:
    """SKUs with their product and aliases; `q` matches name, alias, spec, SKU or barcode."""
    variants = Variant.objects.filter(shop=shop).select_related("product")
    if q:
        q = q.strip()
        matching_alias = Variant.objects.filter(
            shop=shop, product__aliases__alias__icontains=q
        ).values("pk")
        variants = variants.filter(
            Q(product__name__icontains=q)
            | Q(spec__icontains=q)
            | Q(sku__icontains=q)
            | Q(barcode=q)
            | Q(pk__in=matching_alias)
        )
    if kind:
        variants = variants.filter(product__kind=kind)
    if category:
        variants = variants.filter(product__category=category)
    if active is not None:
        variants = variants.filter(is_active=active, product__is_active=active)
    return variants.prefetch_related("product__aliases").order_by("product__name", "id")


def sku_in_shop(shop: Shop, sku: str) -> Variant:
    variant = (
        Variant.objects.filter(shop=shop, sku=sku)
        .select_related("product")
        .prefetch_related("product__aliases")
        .first()
    )
    if variant is None:
        raise NotFound(
            _("No product with the SKU %(sku)s.") % {"sku": sku}, code="sku_not_found"
        )
    return variant
