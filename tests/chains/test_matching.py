"""Products are found by the names customers write: name, alias, spec, from a CSV file or
from the shop's catalog in the database."""

import pytest

from dingdan.catalog.models import Product, Variant
from dingdan.chains.catalogs import CatalogError, catalog_for_shop, catalog_from_csv
from dingdan.chains.parsing.matching import catalog_from_rows
from tests import factories
from tests.chains.conftest import CATALOG_CSV


def test_longest_term_first(catalog):
    hits = catalog.find_terms("五常大米和大米,土鸡蛋和鸡蛋,奶油草莓")
    assert [hit.term for hit in hits] == ["五常大米", "大米", "土鸡蛋", "鸡蛋", "奶油草莓"]


def test_an_alias_names_its_products_variants(catalog):
    assert catalog.resolve("奶油草莓").sku == "STRAW-500"
    assert catalog.resolve("蛋糕").problem == "spec_ambiguous"
    assert catalog.resolve("榴莲").problem == "product_unknown"


def test_a_spec_picks_the_variant(catalog):
    end, chosen = catalog.spec_after("蛋糕", "蛋糕8寸", 2)
    assert (end, [variant.sku for variant in chosen]) == (4, ["CAKE-8"])
    start, chosen = catalog.spec_before("生日蛋糕", "6寸生日蛋糕", 2, 0)
    assert (start, [variant.sku for variant in chosen]) == (0, ["CAKE-6"])


def test_spec_spellings_with_other_units_and_case():
    catalog = catalog_from_rows(
        [("A", "牛排", "200g", []), ("B", "牛排", "1KG", []), ("C", "橙汁", "500ml", [])]
    )
    assert [v.sku for v in catalog.spec_after("牛排", "牛排200克", 2)[1]] == ["A"]
    assert [v.sku for v in catalog.spec_after("牛排", "牛排1公斤", 2)[1]] == ["B"]
    assert [v.sku for v in catalog.spec_after("牛排", "牛排1kg", 2)[1]] == ["B"]
    assert [v.sku for v in catalog.spec_after("橙汁", "橙汁500毫升", 2)[1]] == ["C"]


def test_a_variant_without_spec_is_the_default_among_several():
    catalog = catalog_from_rows([("R", "米粉", "", []), ("R-BIG", "米粉", "大碗", [])])
    assert catalog.resolve("米粉").sku == "R"


def test_an_alias_shared_by_two_products_is_ambiguous_without_spec():
    catalog = catalog_from_rows(
        [("C1", "芝士蛋糕", "6寸", ["蛋糕"]), ("C2", "生日蛋糕", "8寸", ["蛋糕"])]
    )
    assert catalog.resolve("蛋糕").problem == "spec_ambiguous"
    assert catalog.resolve("蛋糕", list(catalog.spec_after("蛋糕", "蛋糕8寸", 2)[1])).sku == "C2"


def test_names_match_whatever_the_width_and_case():
    catalog = catalog_from_rows([("L", "Latte拿铁", "", ["ＡＢＣ"])])
    assert [hit.term for hit in catalog.find_terms("latte拿铁 abc")] == ["latte拿铁", "abc"]


def test_csv_with_byte_order_mark_and_without_optional_columns(tmp_path):
    path = tmp_path / "catalog.csv"
    path.write_text("\ufeffSKU,Name\nA1,苹果\n", encoding="utf-8")
    catalog = catalog_from_csv(path)
    assert catalog.resolve("苹果").sku == "A1"


def test_csv_text_and_file_read_the_same(tmp_path):
    path = tmp_path / "catalog.csv"
    path.write_text(CATALOG_CSV, encoding="utf-8")
    assert sorted(catalog_from_csv(path).terms) == sorted(catalog_from_csv(CATALOG_CSV).terms)


@pytest.mark.parametrize(
    "content,message",
    [
        (b"name,price\n\xe8\x8b\xb9,1\n", "needs the columns"),
        (b"\xff\xfe\x00garbage", "not UTF-8"),
    ],
)
def test_a_catalog_that_cannot_be_read_says_why(tmp_path, content, message):
    path = tmp_path / "catalog.csv"
    path.write_bytes(content)
    with pytest.raises(CatalogError, match=message):
        catalog_from_csv(path)


def test_a_missing_catalog_file_says_so(tmp_path):
    with pytest.raises(CatalogError, match="Cannot read the catalog"):
        catalog_from_csv(tmp_path / "nope.csv")


@pytest.mark.django_db
def test_the_shops_catalog_from_the_database():
    shop = factories.make_shop(slug="afang")
    other = factories.make_shop(slug="other")
    factories.make_sku(shop, "STRAW-500", name="草莓", spec="500g", aliases=["奶油草莓"])
    factories.make_sku(shop, "CAKE-6", name="生日蛋糕", spec="6寸", aliases=["蛋糕"])
    factories.make_sku(shop, "CAKE-8", name="生日蛋糕", spec="8寸")
    factories.make_sku(other, "X", name="榴莲")

    catalog = catalog_for_shop(shop)

    assert catalog.resolve("奶油草莓").sku == "STRAW-500"
    assert catalog.resolve("蛋糕").problem == "spec_ambiguous"
    assert catalog.resolve("榴莲").problem == "product_unknown"


@pytest.mark.django_db
def test_products_off_sale_are_not_matched():
    shop = factories.make_shop(slug="afang")
    factories.make_sku(shop, "CAKE-6", name="生日蛋糕", spec="6寸", aliases=["蛋糕"])
    factories.make_sku(shop, "CAKE-8", name="生日蛋糕", spec="8寸")
    factories.make_sku(shop, "OLD", name="旧货")
    Variant.objects.filter(sku="CAKE-8").update(is_active=False)
    Product.objects.filter(name="旧货").update(is_active=False)

    catalog = catalog_for_shop(shop)

    assert catalog.resolve("蛋糕").sku == "CAKE-6"
    assert catalog.resolve("旧货").problem == "product_unknown"
