"""What a shop sells: products (goods or services), their variants (SKUs) and the names
customers actually type for them in chats (aliases)."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dingdan.shops.models import Shop


class ProductKind(models.TextChoices):
    GOODS = "goods", _("Goods")
    SERVICE = "service", _("Service")


class Product(models.Model):
    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="products")
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(
        _("kind"), max_length=10, choices=ProductKind.choices, default=ProductKind.GOODS
    )
    category = models.CharField(_("category"), max_length=50, blank=True)
    description = models.TextField(_("description"), blank=True)
    is_active = models.BooleanField(_("on sale"), default=True)
    # Per customer, over all their open and completed orders; None means no limit.
    purchase_limit = models.PositiveIntegerField(_("limit per customer"), null=True, blank=True)
    # Services: bookings one time slot can take, and the slot length.
    slot_capacity = models.PositiveIntegerField(_("bookings per slot"), null=True, blank=True)
    slot_minutes = models.PositiveIntegerField(_("slot length (minutes)"), default=60)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("product")
        verbose_name_plural = _("products")
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["shop", "name"], name="product_name_unique_in_shop"),
            models.CheckConstraint(
                condition=Q(kind__in=ProductKind.values), name="product_kind_known"
            ),
            models.CheckConstraint(condition=Q(slot_minutes__gte=5), name="product_slot_minutes"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_service(self) -> bool:
        return self.kind == ProductKind.SERVICE


class Variant(models.Model):
    """One sellable thing with its own SKU, spec (500g, 6寸 …) and price."""

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="variants")
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="variants")
    sku = models.CharField(_("SKU"), max_length=64)
    spec = models.CharField(_("spec"), max_length=50, blank=True)
    price_cents = models.PositiveBigIntegerField(_("price (fen)"))
    cost_cents = models.PositiveBigIntegerField(_("cost (fen)"), null=True, blank=True)
    barcode = models.CharField(_("barcode"), max_length=64, blank=True)
    weight_grams = models.PositiveIntegerField(_("weight (g)"), null=True, blank=True)
    is_active = models.BooleanField(_("on sale"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("variant")
        verbose_name_plural = _("variants")
        ordering = ["product_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["shop", "sku"], name="variant_sku_unique_in_shop"),
        ]

    def __str__(self) -> str:
        return f"{self.product.name} {self.spec}".strip() + f" ({self.sku})"

    @property
    def display_name(self) -> str:
        return f"{self.product.name} {self.spec}".strip()


class ProductAlias(models.Model):
    """Another name for a product, as customers write it (奶油草莓 for 草莓)."""

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="+")
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="aliases")
    alias = models.CharField(_("alias"), max_length=100)

    class Meta:
        verbose_name = _("alias")
        verbose_name_plural = _("aliases")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["shop", "product", "alias"], name="alias_unique_per_product"
            ),
        ]

    def __str__(self) -> str:
        return self.alias
