"""A merchant moves their product list in and out of dingdan as CSV or XLSX: Excel in
China, a file from another system, an export edited and imported back."""

import io
from pathlib import Path

import openpyxl
import pytest
from django.utils import translation

from dingdan.catalog.models import Product, ProductAlias, Variant
from dingdan.catalog.services.products import create_sku
from dingdan.errors import InvalidInput, PermissionDenied
from dingdan.exchange.selectors.catalog_export import export_catalog
from dingdan.exchange.services.catalog_import import import_catalog
from dingdan.inventory.models import MovementKind, StockLevel, StockMovement
from dingdan.inventory.services.stock import receive_stock
from tests import factories

pytestmark = pytest.mark.django_db

SHARED_CATALOG = Path("/work/shared/chains/catalog.csv")
HEADER = "sku,name,spec,aliases,price_cents,kind,category,stock\n"


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def shop():
    return factories.make_shop(slug="afang", name="阿芳水果")


@pytest.fixture
def owner(shop):
    return factories.staff_actor(shop, "owner")


def run(actor, data, *, name="catalog.csv", dry_run=False):
    if isinstance(data, str):
        data = data.encode("utf-8")
    return import_catalog(actor=actor, shop=actor.shop, file_name=name, data=data, dry_run=dry_run)


def problems(report):
    return [(p.row, p.field, p.message) for p in report.problems]


def xlsx(rows) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def level(shop, sku):
    return StockLevel.objects.get(variant__shop=shop, variant__sku=sku)


# -- the user's story -------------------------------------------------------------------


def test_a_merchant_checks_a_file_fixes_it_and_imports_it(owner, shop):
    bad = (
        HEADER
        + "STRAW-500,草莓,500g,奶油草莓,39.90,goods,水果,20\n"
        + "BLUE-125,蓝莓,125g,,1990,,水果,5\n"
    )
    preview = run(owner, bad, dry_run=True)
    assert problems(preview) == [
        (2, "price_cents", "39.90 is not a whole number of fen (分): 12.50 元 is written 1250.")
    ]
    assert not Variant.objects.filter(shop=shop).exists()

    fixed = bad.replace("39.90", "3990")
    assert run(owner, fixed, dry_run=True).created == 2
    report = run(owner, fixed)

    assert report.applied and (report.created, report.updated) == (2, 0)
    straw = Variant.objects.get(shop=shop, sku="STRAW-500")
    assert (straw.product.name, straw.spec, straw.price_cents) == ("草莓", "500g", 3990)
    assert straw.product.category == "水果"
    assert list(straw.product.aliases.values_list("alias", flat=True)) == ["奶油草莓"]
    assert level(shop, "STRAW-500").on_hand == 20
    movement = StockMovement.objects.get(variant=straw)
    assert movement.kind == MovementKind.RECEIVE and "catalog.csv" in movement.note


def test_the_shared_chain_catalog_imports_as_it_is(owner, shop):
    report = run(owner, SHARED_CATALOG.read_bytes())

    assert report.problems == [] and report.created == 11
    cakes = Product.objects.get(shop=shop, name="生日蛋糕")
    assert sorted(cakes.variants.values_list("spec", flat=True)) == ["6寸", "8寸"]
    assert list(cakes.aliases.values_list("alias", flat=True)) == ["蛋糕"]
    assert set(ProductAlias.objects.filter(product__name="草莓").values_list("alias", flat=True)) \
        == {"丹东草莓", "奶油草莓"}


def test_importing_the_same_file_again_updates_instead_of_duplicating(owner, shop):
    run(owner, SHARED_CATALOG.read_bytes())
    again = run(owner, SHARED_CATALOG.read_bytes())
    assert (again.created, again.updated, again.unchanged) == (0, 0, 11)

    changed = SHARED_CATALOG.read_text("utf-8").replace(
        "BLUE-125,蓝莓,125g,,1990", "BLUE-125,蓝莓,125g,,2190"
    )
    report = run(owner, changed)

    assert (report.created, report.updated) == (0, 1)
    assert [row.changes for row in report.rows if row.action == "update"] == [["price_cents"]]
    assert Variant.objects.filter(shop=shop).count() == 11
    assert Variant.objects.get(shop=shop, sku="BLUE-125").price_cents == 2190


def test_a_new_sku_under_a_known_name_becomes_another_variant(owner, shop):
    run(owner, SHARED_CATALOG.read_bytes())
    run(owner, "sku,name,spec,price_cents\nSTRAW-1K,草莓,1kg,6990\n")
    straw = Product.objects.get(shop=shop, name="草莓")
    assert sorted(straw.variants.values_list("sku", flat=True)) == ["STRAW-1K", "STRAW-500"]


def test_stock_of_a_known_sku_is_counted_to_the_file_value(owner, shop):
    run(owner, HEADER + "EGG-30,土鸡蛋,30枚,,4200,,,10\n")
    run(owner, HEADER + "EGG-30,土鸡蛋,30枚,,4200,,,7\n")
    assert level(shop, "EGG-30").on_hand == 7
    movements = StockMovement.objects.filter(shop=shop).order_by("id")
    kinds = list(movements.values_list("kind", "on_hand_delta"))
    assert kinds == [("receive", 10), ("count", -3)]


def test_stock_counted_up_by_an_import_goes_to_waiting_orders_first(owner, shop):
    from dingdan.inventory.selectors import ledger_mismatches, waiting_backorders
    from dingdan.inventory.services.ledger import Reference
    from dingdan.inventory.services.reservations import reserve_stock

    variant = create_sku(actor=owner, shop=shop, sku="EGG", name="鸡蛋", price_cents=100)
    reserve_stock(actor=owner, shop=shop, lines=[(variant, 4)], reference=Reference("order", "7"),
                  allow_backorder=True)
    run(owner, "sku,name,price_cents,stock\nEGG,鸡蛋,100,10\n")

    assert (level(shop, "EGG").on_hand, level(shop, "EGG").reserved) == (10, 4)
    assert not waiting_backorders(shop, variant).exists()
    assert ledger_mismatches(shop) == []


# -- encodings and formats --------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["gbk", "gb18030", "utf-8-sig", "utf-8"])
def test_csv_from_excel_in_any_common_encoding(owner, shop, encoding):
    text = "sku,name,spec,price_cents\r\nRICE-5,五常大米,5kg,8800\r\n"
    report = run(owner, text.encode(encoding))
    assert report.problems == [] and Variant.objects.get(sku="RICE-5").product.name == "五常大米"


def test_chinese_headers_are_understood(owner, shop):
    text = (
        "商品编码,商品名称,规格,别名,价格（分）,类型,分类,成本(分),条码,重量(克),限购,预警库存,库存\n"
        "MILK-12,纯牛奶,12盒,牛奶|奶,5800,商品,乳品,4000,6901234567890,3000,2,5,30\n"
        "COURSE-EN,英语体验课,,体验课,9900,服务,课程,,,,1,,\n"
    )
    report = run(owner, text.encode("gbk"))

    assert report.problems == []
    milk = Variant.objects.get(sku="MILK-12")
    assert (milk.cost_cents, milk.barcode, milk.weight_grams) == (4000, "6901234567890", 3000)
    assert (milk.product.category, milk.product.purchase_limit) == ("乳品", 2)
    assert (level(shop, "MILK-12").on_hand, level(shop, "MILK-12").low_stock_threshold) == (30, 5)
    assert Variant.objects.get(sku="COURSE-EN").product.is_service


def test_xlsx_with_numbers_as_numbers(owner, shop):
    data = xlsx([
        ["SKU", "名称", "规格", "价格(分)", "库存", "条码"],
        ["CAKE-6", "生日蛋糕", "6寸", 12800, 3, 6901234567890],
        [None, None, None, None, None, None],
        ["CAKE-8", "生日蛋糕", "8寸", 16800.0, None, None],
    ])
    report = run(owner, data, name="蛋糕.xlsx")
    assert report.problems == [] and report.created == 2
    assert Variant.objects.get(sku="CAKE-6").barcode == "6901234567890"
    assert level(shop, "CAKE-6").on_hand == 3


def test_xlsx_problems_name_the_spreadsheet_row(owner):
    data = xlsx([["sku", "name", "price_cents"], ["A1", "苹果", 100], [], ["A2", "梨", 12.5]])
    report = run(owner, data, name="x.xlsx")
    assert [(p.row, p.field) for p in report.problems] == [(4, "price_cents")]


# -- every problem, and nothing written -------------------------------------------------


def test_dry_run_lists_every_problem_and_imports_nothing(owner, shop):
    text = (
        HEADER
        + "OK-1,苹果,,,500,,,\n"
        + "OK-1,梨,,,500,,,\n"  # duplicate SKU
        + "BAD-2,香蕉,,,-5,,,\n"  # negative
        + "BAD-3,橙子,,,12.5,,,\n"  # decimal
        + "BAD-4,柚子,,,abc,,,\n"  # text
        + "BAD-5,,,,100,,,\n"  # empty name
        + "BAD-6,葡萄,,,100,food,,\n"  # unknown kind
        + "BAD-7,蛋糕,6寸,,100,,,\n"
        + "BAD-8,蛋糕,6寸,,100,,,\n"  # spec clash
        + "BAD-9," + "长" * 101 + ",,,100,,,\n"  # too long
        + "bad sku!,李子,,,100,,,\n"
        + "BAD-10,菜,,,100,,,-1\n"
    )
    report = run(owner, text)

    assert [(p.row, p.field) for p in report.problems] == [
        (3, "sku"), (4, "price_cents"), (5, "price_cents"), (6, "price_cents"), (7, "name"),
        (8, "kind"), (10, "spec"), (11, "name"), (12, "sku"), (13, "stock"),
    ]
    messages = {p.row: p.message for p in report.problems}
    assert messages[3] == "The SKU OK-1 is already in row 2."
    assert messages[4] == "An amount cannot be negative."
    assert messages[7] == "This field is required."
    assert messages[10] == "蛋糕 already has the spec 6寸."
    assert messages[11] == "At most 100 characters."
    assert not report.applied
    assert not Variant.objects.filter(shop=shop).exists()
    assert not StockMovement.objects.filter(shop=shop).exists()


def test_one_bad_row_stops_the_whole_import(owner, shop):
    text = "sku,name,price_cents\n" + "".join(f"S-{i},商品{i},100\n" for i in range(50))
    text += "S-X,坏行,一百\n"
    report = run(owner, text)
    assert len(report.problems) == 1 and report.problems[0].row == 52
    assert not Variant.objects.filter(shop=shop).exists()


def test_rows_of_one_product_must_agree_and_specs_must_not_clash_with_the_shop(owner, shop):
    create_sku(actor=owner, shop=shop, sku="CAKE-6", name="生日蛋糕", spec="6寸", price_cents=12800)
    text = (
        HEADER
        + "CAKE-6B,生日蛋糕,6寸,,100,,,\n"
        + "X-1,苹果,,,1,goods,水果,\n"
        + "X-2,苹果,大,,1,service,蔬菜,\n"
    )
    assert [(p.row, p.field) for p in run(owner, text).problems] == [
        (2, "spec"), (4, "kind"), (4, "category"),
    ]


def test_a_sku_cannot_be_moved_to_another_product(owner, shop):
    create_sku(actor=owner, shop=shop, sku="A", name="苹果", price_cents=100)
    create_sku(actor=owner, shop=shop, sku="B", name="梨", price_cents=100)
    report = run(owner, "sku,name,price_cents\nA,梨,100\n")
    assert [p.field for p in report.problems] == ["name"]
    renamed = run(owner, "sku,name,price_cents\nA,红富士苹果,100\n")
    assert renamed.updated == 1 and Variant.objects.get(sku="A").product.name == "红富士苹果"


def test_specs_can_swap_and_a_renamed_product_gathers_new_skus(owner, shop):
    create_sku(actor=owner, shop=shop, sku="S", name="苹果", spec="小", price_cents=1)
    create_sku(actor=owner, shop=shop, sku="L", name="苹果", spec="大", price_cents=2)
    report = run(owner, "sku,name,spec,price_cents\nS,红富士,大,1\nL,红富士,小,2\nM,红富士,中,3\n")

    assert report.problems == [] and (report.updated, report.created) == (2, 1)
    product = Product.objects.get(shop=shop, name="红富士")
    assert dict(product.variants.values_list("sku", "spec")) == {"S": "大", "L": "小", "M": "中"}
    assert not Product.objects.filter(shop=shop, name="苹果").exists()


def test_a_refusal_while_writing_names_the_row_and_undoes_everything(owner, shop, monkeypatch):
    from dingdan.catalog.services import products as services
    from dingdan.errors import Conflict

    create_sku(actor=owner, shop=shop, sku="A", name="苹果", price_cents=1)

    def refuse(**kwargs):
        raise Conflict("no renaming today", fields={"name": "no"})

    monkeypatch.setattr(services, "update_sku", refuse)
    report = run(owner, "sku,name,price_cents\nNEW,梨,5\nA,青苹果,1\n")

    assert not report.applied
    assert problems(report) == [(3, "name", "no renaming today")]
    assert not Variant.objects.filter(shop=shop, sku="NEW").exists()


def test_a_catalog_changed_mid_import_imports_nothing(owner, shop, monkeypatch):
    from dingdan.exchange.services import catalog_import as importing

    def sneaky(shop, planner, plans):
        create_sku(actor=owner, shop=shop, sku="X", name="抢先", price_cents=1)
        create_sku(actor=owner, shop=shop, sku="X2", name="抢先", price_cents=1)
        Variant.objects.bulk_create([Variant(shop=shop, product=Product.objects.get(name="抢先"),
                                             sku="X", price_cents=1)])

    monkeypatch.setattr(importing, "_create_skus", sneaky)
    report = run(owner, "sku,name,price_cents\nX,抢先,1\n")
    assert not report.applied and report.problems[0].row is None
    assert not Variant.objects.filter(shop=shop).exists()


def test_stock_below_what_orders_hold_is_refused(owner, shop):
    from dingdan.inventory.services.ledger import Reference
    from dingdan.inventory.services.reservations import reserve_stock

    variant = create_sku(actor=owner, shop=shop, sku="EGG", name="鸡蛋", price_cents=100)
    receive_stock(actor=owner, shop=shop, variant=variant, quantity=10)
    reserve_stock(actor=owner, shop=shop, lines=[(variant, 4)], reference=Reference("order", "1"))
    report = run(owner, "sku,name,price_cents,stock\nEGG,鸡蛋,100,3\n")
    assert [p.field for p in report.problems] == ["stock"]
    assert level(shop, "EGG").on_hand == 10


def test_a_service_has_no_stock(owner):
    report = run(owner, HEADER + "C1,体验课,,,9900,service,,5\n")
    assert [p.field for p in report.problems] == ["stock"]


# -- whole-file problems ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "name", "code"),
    [
        (b"", "a.csv", "empty_file"),
        (b"\xef\xbb\xbf\r\n  \r\n", "a.csv", "empty_file"),
        (b"sku,name,price_cents\n", "a.csv", "no_rows"),
        ("sku,name\nA,苹果\n".encode(), "a.csv", "missing_columns"),
        ("苹果,100\n梨,200\n".encode(), "a.csv", "missing_header"),
        (b'sku,name,price_cents\nA,"apple,100\n', "a.csv", "file_unreadable"),
        (b"sku,name,price_cents\nA,ap\x00ple,100\n", "a.csv", "file_unreadable"),
        (b"PK\x03\x04 not really a zip", "a.xlsx", "file_unreadable"),
        (b"\xd0\xcf\x11\xe0old excel", "a.xls", "unsupported_format"),
        (b"%PDF-1.4", "a.pdf", "unsupported_format"),
        (b"sku,sku,name,price_cents\n", "a.csv", "duplicate_columns"),
    ],
)
def test_files_that_cannot_be_read_get_a_clear_error(owner, shop, data, name, code):
    with pytest.raises(InvalidInput) as error:
        run(owner, data, name=name)
    assert error.value.code == code and str(error.value)


def test_an_oversized_file_is_refused(owner):
    with pytest.raises(InvalidInput) as error:
        run(owner, b"sku,name,price_cents\n" + b"A,b,1\n" * 1_000_000)
    assert error.value.code == "file_too_large" and "5 MB" in str(error.value)


def test_more_than_20000_rows_are_refused(owner):
    data = "sku,name,price_cents\n" + "".join(f"S{i},n{i},1\n" for i in range(20_001))
    with pytest.raises(InvalidInput) as error:
        run(owner, data)
    assert error.value.code == "file_too_large" and "20000" in str(error.value)


def test_a_corrupt_xlsx_is_refused(owner):
    data = xlsx([["sku", "name", "price_cents"], ["A", "苹果", 1]])
    with pytest.raises(InvalidInput) as error:
        run(owner, data[: len(data) // 2], name="a.xlsx")
    assert error.value.code == "file_unreadable"


# -- permission -------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["viewer", "clerk", "warehouse", "finance"])
def test_only_roles_that_may_import_and_manage_products_import(shop, role):
    actor = factories.staff_actor(shop, role)
    with pytest.raises(PermissionDenied):
        run(actor, SHARED_CATALOG.read_bytes(), dry_run=True)
    assert not Variant.objects.filter(shop=shop).exists()


def test_a_viewer_may_not_export_but_finance_may(shop):
    with pytest.raises(PermissionDenied):
        export_catalog(actor=factories.staff_actor(shop, "viewer"), shop=shop, fmt="csv")
    assert export_catalog(actor=factories.staff_actor(shop, "finance"), shop=shop, fmt="csv")


# -- export and round trip --------------------------------------------------------------


def test_export_then_import_changes_nothing(owner, shop):
    run(owner, SHARED_CATALOG.read_bytes())
    run(owner, "sku,name,price_cents,category,cost_cents,stock,low_stock_threshold\n"
               "STRAW-500,草莓,3990,水果,2000,12,3\n")
    create_sku(actor=owner, shop=shop, sku="MINUS", name="-5℃冰淇淋", price_cents=800)
    exported = export_catalog(actor=owner, shop=shop, fmt="csv")
    assert exported.startswith(b"\xef\xbb\xbf")
    assert "'-5℃冰淇淋" in exported.decode("utf-8-sig")  # never a formula in Excel

    report = run(owner, exported)

    assert report.problems == [] and report.unchanged == 12 and report.created == 0
    assert export_catalog(actor=owner, shop=shop, fmt="csv") == exported
    assert Product.objects.filter(shop=shop, name="-5℃冰淇淋").exists()


def test_xlsx_export_is_a_real_workbook(owner, shop):
    run(owner, SHARED_CATALOG.read_bytes())
    data = export_catalog(actor=owner, shop=shop, fmt="xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:5] == ("sku", "name", "spec", "aliases", "price_cents")
    straw = next(row for row in rows if row[0] == "STRAW-500")
    assert straw[1:5] == ("草莓", "500g", "丹东草莓|奶油草莓", 3990)
    assert straw[-1] == 0  # on hand
    assert run(owner, data, name="back.xlsx").unchanged == 11


def test_five_thousand_rows_import_quickly(owner, shop):
    import time

    text = HEADER + "".join(
        f"SKU-{i},商品{i // 2},规格{i % 2},别名{i},{100 + i},goods,分类{i // 2 % 7},{i % 50}\n"
        for i in range(5000)
    )
    started = time.monotonic()
    report = run(owner, text)
    elapsed = time.monotonic() - started
    assert report.problems == [] and report.created == 5000
    assert elapsed < 15, f"took {elapsed:.1f}s"
    assert Variant.objects.filter(shop=shop).count() == 5000
