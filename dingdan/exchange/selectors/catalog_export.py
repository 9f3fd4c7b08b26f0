"""Exporting the catalog as CSV or XLSX, in the columns the importer reads, so an exported
file can be edited in Excel and imported back."""

from django.utils.translation import gettext as _

from dingdan import spreadsheets
from dingdan.catalog.selectors import skus_for_shop
from dingdan.errors import InvalidInput
from dingdan.exchange.catalog_rows import COLUMNS
from dingdan.inventory.models import StockLevel
from dingdan.shops.actors import Actor
from dingdan.shops.models import Shop
from dingdan.shops.permissions import require

FORMATS = ("csv", "xlsx")


def _rows(shop: Shop):
    for variant in skus_for_shop(shop).select_related("stock").iterator(chunk_size=2000):
        product = variant.product
        try:
            level = None if product.is_service else variant.stock
        except StockLevel.DoesNotExist:
            level = None
        yield [
            variant.sku,
            product.name,
            variant.spec,
            "|".join(alias.alias for alias in product.aliases.all()),
            variant.price_cents,
            product.kind,
            product.category,
            variant.cost_cents,
            variant.barcode,
            variant.weight_grams,
            product.purchase_limit,
            level.low_stock_threshold if level else None,
            level.on_hand if level else (None if product.is_service else 0),
        ]


def export_catalog(*, actor: Actor, shop: Shop, fmt: str) -> bytes:
    """Every SKU of the shop, one row each, with its product's fields and stock on hand."""
    require(actor, "exchange.export", shop)
    require(actor, "catalog.view", shop)
    if fmt == "csv":
        return spreadsheets.csv_bytes(COLUMNS, _rows(shop))
    if fmt == "xlsx":
        return spreadsheets.xlsx_bytes(COLUMNS, _rows(shop), title=shop.slug)
    message = _("Unknown format %(format)s; choose one of: %(formats)s.") % {
        "format": fmt, "formats": ", ".join(FORMATS),
    }
    raise InvalidInput(message, code="unknown_format", fields={"fmt": message})
