"""Catalogs for the chain parser: a shop's products on sale with their aliases, or a
CATALOG.csv file (for `dingdan chains parse --catalog`). The parser itself
(chains/parsing/) knows neither the database nor Django."""

from pathlib import Path

from django.utils.translation import gettext_lazy as _

from dingdan.catalog.models import ProductAlias, Variant
from dingdan.chains.parsing.matching import (
    CSV_COLUMNS,
    Catalog,
    CatalogRow,
    MissingColumns,
    rows_from_csv,
)
from dingdan.errors import InvalidInput


class CatalogError(InvalidInput):
    """A catalog file that cannot be read."""


def catalog_from_csv(source: str | Path) -> Catalog:
    """A catalog from CATALOG.csv text or a path to it; CatalogError says what is wrong."""
    if isinstance(source, Path):
        try:
            source = source.read_bytes().decode("utf-8-sig")
        except OSError as exc:
            raise CatalogError(
                _("Cannot read the catalog %(path)s: %(reason)s")
                % {"path": source, "reason": exc.strerror or exc}
            ) from None
        except UnicodeDecodeError:
            raise CatalogError(
                _("The catalog %(path)s is not UTF-8 text.") % {"path": source}
            ) from None
    try:
        return Catalog(rows_from_csv(source))
    except MissingColumns:
        raise CatalogError(
            _("The catalog needs the columns %(columns)s.") % {"columns": ", ".join(CSV_COLUMNS)}
        ) from None


def catalog_for_shop(shop) -> Catalog:
    """The shop's products on sale, with their aliases, as a catalog for chain matching."""
    aliases: dict[int, list[str]] = {}
    for product_id, alias in ProductAlias.objects.filter(shop=shop).values_list(
        "product_id", "alias"
    ):
        aliases.setdefault(product_id, []).append(alias)
    variants = Variant.objects.filter(
        shop=shop, is_active=True, product__is_active=True
    ).values_list("sku", "product__name", "spec", "product_id")
    return Catalog(
        [
            CatalogRow(sku, name, spec, tuple(aliases.get(product_id, ())))
            for sku, name, spec, product_id in variants.order_by("product_id", "id")
        ]
    )
