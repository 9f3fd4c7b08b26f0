"""The merchant's product pages: find products, add one with a price in 元, edit it,
import a file after a preview, and download the catalog."""

import io
from pathlib import Path

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from dingdan.catalog.models import Variant
from dingdan.catalog.services.products import create_sku
from dingdan.inventory.models import StockLevel
from dingdan.money import parse_yuan
from tests import factories

pytestmark = pytest.mark.django_db

CATALOG = Path("/work/shared/chains/catalog.csv").read_bytes()


@pytest.fixture(autouse=True)
def _uploads_in_tmp(settings, tmp_path):
    settings.VAR_DIR = tmp_path


@pytest.fixture
def shop():
    return factories.make_shop(name="阿芳水果")


def client_for(shop, role="owner"):
    member = factories.make_member(shop, role)
    client = factories.Client(headers={"Accept-Language": "en"})
    client.force_login(member.user)
    return client


def page(response) -> str:
    return response.content.decode()


def upload(data: bytes, name: str = "catalog.csv"):
    return SimpleUploadedFile(name, data)


def preview_token(client, data: bytes) -> str:
    return client.post("/products/import/", {"op": "preview", "file": upload(data)}).context[
        "token"
    ]


# -- 元 to 分 -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "cents"),
    [("12.5", 1250), ("12.50", 1250), ("12", 1200), ("0.01", 1), ("￥１２．３", 1230),
     ("1,299.90", 129990), ("19.99元", 1999), (" 0.1 ", 10)],
)
def test_prices_in_yuan_become_exact_fen(text, cents):
    assert parse_yuan(text) == cents


@pytest.mark.parametrize("text", ["12.345", "abc", "-1", "1e3", "", "12.", "NaN"])
def test_prices_that_are_not_yuan_are_refused(text):
    from dingdan.errors import InvalidInput

    with pytest.raises(InvalidInput):
        parse_yuan(text)


# -- list -------------------------------------------------------------------------------


def test_the_list_searches_filters_and_pages(shop):
    owner = factories.staff_actor(shop)
    create_sku(actor=owner, shop=shop, sku="STRAW-500", name="草莓", spec="500g",
               price_cents=3990, aliases="奶油草莓", category="水果")
    create_sku(actor=owner, shop=shop, sku="COURSE", name="英语体验课", price_cents=9900,
               kind="service", category="课程")
    for i in range(60):
        create_sku(actor=owner, shop=shop, sku=f"EGG-{i}", name=f"鸡蛋{i:02d}", price_cents=100)
    client = client_for(shop)

    everything = page(client.get("/products/"))
    assert "62 SKUs" in everything and "Page 1 of 2" in everything
    by_alias = page(client.get("/products/", {"q": "奶油"}))
    assert "STRAW-500" in by_alias and "39.90" in by_alias and "EGG-1" not in by_alias
    services = page(client.get("/products/", {"kind": "service"}))
    assert "COURSE" in services and "STRAW-500" not in services
    fruit = page(client.get("/products/", {"category": "水果"}))
    assert "STRAW-500" in fruit and "COURSE" not in fruit
    second = page(client.get("/products/", {"q": "鸡蛋", "page": 2}))
    assert "Page 2 of 2" in second


def test_navigation_has_products_and_stock(shop):
    text = page(client_for(shop, "viewer").get("/"))
    assert 'href="/products/"' in text and 'href="/stock/"' in text


# -- create and edit --------------------------------------------------------------------


def test_adding_a_product_with_a_price_in_yuan(shop):
    client = client_for(shop)
    response = client.post("/products/new/", {
        "sku": "STRAW-500", "name": "草莓", "spec": "500g", "price": "12.5", "kind": "goods",
        "category": "水果", "aliases": "奶油草莓|丹东草莓", "barcode": "",
    }, follow=True)

    variant = Variant.objects.get(shop=shop, sku="STRAW-500")
    assert variant.price_cents == 1250 and variant.product.category == "水果"
    assert StockLevel.objects.filter(variant=variant, on_hand=0).exists()
    assert "草莓 500g (STRAW-500) added." in page(response)


@pytest.mark.parametrize(
    ("price", "message"),
    [("abc", "abc is not a price in yuan"), ("12.345", "more than two decimals"),
     ("-3", "cannot be negative"), ("", "Enter a price")],
)
def test_a_bad_price_is_explained_and_nothing_is_added(shop, price, message):
    client = client_for(shop)
    response = client.post("/products/new/", {"sku": "A", "name": "苹果", "price": price,
                                              "kind": "goods"})
    assert response.status_code == 200 and message in page(response)
    assert 'value="苹果"' in page(response)  # what was typed stays
    assert not Variant.objects.filter(shop=shop).exists()


def test_a_duplicate_sku_is_a_message_not_an_error_page(shop):
    create_sku(actor=factories.staff_actor(shop), shop=shop, sku="A", name="苹果", price_cents=1)
    response = client_for(shop).post("/products/new/", {"sku": "A", "name": "梨", "price": "1"})
    assert response.status_code == 200 and "already used" in page(response)


def test_editing_a_product(shop):
    variant = create_sku(actor=factories.staff_actor(shop), shop=shop, sku="A", name="苹果",
                         price_cents=500)
    client = client_for(shop)
    form = page(client.get(f"/products/{variant.pk}/"))
    assert 'value="5.00"' in form

    client.post(f"/products/{variant.pk}/", {
        "name": "红富士苹果", "spec": "5斤", "price": "29.9", "cost": "", "category": "水果",
        "aliases": "苹果", "barcode": "", "weight_grams": "2500", "purchase_limit": "",
        "is_active": "on",
    })
    variant.refresh_from_db()
    assert (variant.product.name, variant.spec, variant.price_cents, variant.weight_grams) == \
        ("红富士苹果", "5斤", 2990, 2500)

    bad = client.post(
        f"/products/{variant.pk}/", {"name": "x", "price": "1", "weight_grams": "heavy"}
    )
    assert "heavy is not a whole number" in page(bad)
    variant.refresh_from_db()
    assert variant.product.name == "红富士苹果"


def test_a_viewer_sees_products_but_may_not_add_or_import(shop):
    client = client_for(shop, "viewer")
    assert client.get("/products/").status_code == 200
    assert "new-product" not in page(client.get("/products/"))
    assert client.get("/products/new/").status_code == 403
    assert client.get("/products/import/").status_code == 403
    response = client.post("/products/import/", {"op": "preview", "file": upload(CATALOG)})
    assert response.status_code == 403
    assert not Variant.objects.filter(shop=shop).exists()


def test_another_shops_product_is_not_found(shop):
    other = factories.make_shop()
    variant = create_sku(actor=factories.staff_actor(other), shop=other, sku="A", name="苹果",
                         price_cents=1)
    assert client_for(shop).get(f"/products/{variant.pk}/").status_code == 404


# -- import -----------------------------------------------------------------------------


def test_import_shows_a_preview_and_imports_on_confirm(shop, tmp_path):
    client = client_for(shop)
    assert "CSV or XLSX file" in page(client.get("/products/import/"))

    preview = client.post("/products/import/", {"op": "preview", "file": upload(CATALOG)})
    text = page(preview)
    assert "11 new, 0 changed, 0 unchanged." in text and "STRAW-500" in text
    assert not Variant.objects.filter(shop=shop).exists()
    token = preview.context["token"]
    assert (tmp_path / "uploads" / f"{token}.upload").read_bytes() == CATALOG

    done = client.post("/products/import/", {"op": "confirm", "token": token}, follow=True)

    assert "11 created, 0 updated, 0 unchanged" in page(done)
    assert Variant.objects.filter(shop=shop).count() == 11
    assert not (tmp_path / "uploads" / f"{token}.upload").exists()
    again = client.post("/products/import/", {"op": "confirm", "token": token}, follow=True)
    assert "expired" in page(again) and Variant.objects.filter(shop=shop).count() == 11


def test_a_preview_lists_every_problem_and_offers_no_import(shop):
    data = "sku,name,price_cents\nA,苹果,12.5\nB,,100\nA,梨,1\n".encode("gbk")
    response = client_for(shop).post("/products/import/", {"op": "preview", "file": upload(data)})
    text = page(response)
    assert "3 problems" in text
    assert "not a whole number of fen" in text and "This field is required." in text
    assert "already in row 2" in text
    assert "confirm-import" not in text and response.context["token"] is None


def test_an_unreadable_file_is_a_message(shop):
    response = client_for(shop).post(
        "/products/import/", {"op": "preview", "file": upload(b"PK\x03\x04junk", "a.xlsx")},
        follow=True,
    )
    assert response.status_code == 200 and "cannot be read" in page(response)


def test_a_token_from_another_session_opens_nothing(shop):
    first = client_for(shop)
    token = preview_token(first, CATALOG)
    intruder = client_for(shop)
    response = intruder.post("/products/import/", {"op": "confirm", "token": token}, follow=True)
    assert "expired" in page(response) and not Variant.objects.filter(shop=shop).exists()


def test_xlsx_import_through_the_page(shop):
    workbook = openpyxl.Workbook()
    workbook.active.append(["商品编码", "商品名称", "价格(分)", "库存"])
    workbook.active.append(["RICE-5", "五常大米", 8800, 12])
    out = io.BytesIO()
    workbook.save(out)
    client = client_for(shop)
    token = client.post("/products/import/", {
        "op": "preview", "file": upload(out.getvalue(), "大米.xlsx")
    }).context["token"]
    client.post("/products/import/", {"op": "confirm", "token": token})
    assert StockLevel.objects.get(variant__sku="RICE-5").on_hand == 12


# -- export -----------------------------------------------------------------------------


def test_export_downloads_are_real_files(shop):
    client = client_for(shop)
    token = preview_token(client, CATALOG)
    client.post("/products/import/", {"op": "confirm", "token": token})

    csv_response = client.get("/products/export/csv/")
    assert csv_response["Content-Type"].startswith("text/csv")
    assert "attachment" in csv_response["Content-Disposition"]
    text = csv_response.content.decode("utf-8-sig")
    assert text.startswith("sku,name,spec,aliases,price_cents") and "生日蛋糕" in text

    xlsx_response = client.get("/products/export/xlsx/")
    assert xlsx_response["Content-Disposition"].endswith('.xlsx"')
    rows = list(openpyxl.load_workbook(io.BytesIO(xlsx_response.content)).worksheets[0].values)
    assert len(rows) == 12 and any(row[1] == "五常大米" for row in rows)

    assert client.get("/products/export/pdf/").status_code == 404
    assert client_for(shop, "viewer").get("/products/export/csv/").status_code == 403
