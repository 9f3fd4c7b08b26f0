"""A merchant ships a day's parcels from the spreadsheet their carrier's app exported:
order number, carrier, tracking number. Every row ships its order, or — when one row is
wrong — nothing ships and each wrong row is named by its row number in the file."""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import Workbook

from dingdan.fulfillment.models import Shipment, ShipmentStatus
from dingdan.fulfillment.services import imports
from dingdan.inventory.models import StockLevel, StockMovement
from dingdan.inventory.selectors import ledger_mismatches
from dingdan.orders.models import Order, OrderEvent
from dingdan.orders.services import lifecycle
from dingdan.orders.states import FulfillmentStatus, Status
from dingdan.spreadsheets import XLSX_CONTENT_TYPE
from tests import factories

pytestmark = pytest.mark.django_db

URL = "/api/v1/shipments/import"


@pytest.fixture
def shop():
    shop = factories.make_shop(name="阿芳水果")
    factories.make_sku(shop, "APPLE", name="红富士苹果", stock=100)
    factories.make_sku(shop, "PEAR", name="砀山梨", stock=100)
    return shop


@pytest.fixture
def client(shop):
    return factories.api_client(factories.token_for(shop, "warehouse"))


def accepted(shop, lines, **customer):
    order = factories.place(shop, lines, **customer)
    return lifecycle.accept_order(actor=factories.staff_actor(shop, "clerk"), order=order)


def xlsx(rows) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def gbk_csv(rows) -> bytes:
    """As Excel on Chinese Windows saves "CSV (逗号分隔)": GBK, CRLF, no BOM."""
    return "".join(",".join(row) + "\r\n" for row in rows).encode("gbk")


def utf8_csv(rows) -> bytes:
    return b"\xef\xbb\xbf" + "".join(",".join(row) + "\r\n" for row in rows).encode("utf-8")


def upload(client, data: bytes, name: str, *, dry_run=False, language="zh-hans"):
    query = "?dry_run=true" if dry_run else ""
    return client.post(URL + query, {"file": _named(data, name)},
                       headers={"Accept-Language": language})


def _named(data: bytes, name: str):
    file = io.BytesIO(data)
    file.name = name
    return file


def level(shop, sku):
    return StockLevel.objects.get(variant__shop=shop, variant__sku=sku)


def fresh(order):
    return Order.objects.get(pk=order.pk)


def test_an_xlsx_file_ships_its_orders_with_stock_and_timeline(shop, client):
    first = accepted(shop, [("APPLE", 3), ("PEAR", 1)])
    second = accepted(shop, [("PEAR", 2)])
    data = xlsx([["订单号", "快递公司", "快递单号"],
                 [first.number, "顺丰", "SF1234567890123"],
                 [None, None, None],  # an empty row is skipped
                 [second.number, "中通快递", "75 1234 5678 9012"]])

    answer = upload(client, data, "发货单.xlsx")

    assert answer.status_code == 201, answer.content
    body = answer.json()
    assert body["applied"] is True and body["problems"] == []
    assert [(s["row"], s["order_number"], s["carrier"], s["tracking_number"], s["units"])
            for s in body["shipments"]] == [
        (2, first.number, "sf", "SF1234567890123", 4),
        (4, second.number, "zto", "75123456789012", 2)]
    assert fresh(first).status == Status.SHIPPED
    assert fresh(first).fulfillment_status == FulfillmentStatus.SHIPPED
    shipment = Shipment.objects.get(order=first)
    assert (shipment.number, shipment.status, shipment.method) == (
        f"{first.number}-1", ShipmentStatus.SHIPPED, "express")
    assert {(line.sku, line.quantity) for line in shipment.lines.all()} == {
        ("APPLE", 3), ("PEAR", 1)}
    apple, pear = level(shop, "APPLE"), level(shop, "PEAR")
    assert (apple.on_hand, apple.reserved) == (97, 0)
    assert (pear.on_hand, pear.reserved) == (97, 0)
    assert ledger_mismatches(shop) == []
    kinds = list(OrderEvent.objects.filter(order=second).values_list("kind", flat=True))
    assert kinds[-2:] == ["shipment_created", "status_changed"]
    created = OrderEvent.objects.get(order=second, kind="shipment_created")
    assert created.data["tracking_number"] == "75123456789012"
    assert created.data["units"] == {"PEAR": 2}


def test_a_gbk_csv_with_other_chinese_headers_ships_like_a_single_shipment(shop, client):
    imported = accepted(shop, [("APPLE", 2)])
    single = accepted(shop, [("APPLE", 2)], name="李四", phone="13900139000")
    data = gbk_csv([["物流公司", "订单编号", "运单号", "备注"],
                    ["韵达", imported.number, "4312345678901", "放门口"]])

    answer = upload(client, data, "shipments.csv")
    client.post(f"/api/v1/orders/{single.pk}/shipments",
                {"carrier": "yunda", "tracking_number": "4312345678902"},
                content_type="application/json")

    assert answer.status_code == 201, answer.content
    # The same ledger rows, events and moves as one shipment made through the API.
    def story(order):
        return ([(m.kind, m.on_hand_delta, m.reserved_delta) for m in StockMovement.objects
                 .filter(reference_type="order", reference_id=str(order.pk)).order_by("id")],
                [(e.kind, e.data.get("to")) for e in order.events.order_by("id")],
                fresh(order).status, fresh(order).version)
    assert story(imported) == story(single)
    assert ledger_mismatches(shop) == []


def test_one_bad_row_ships_nothing_and_every_problem_is_named_by_its_row(shop, client):
    good = accepted(shop, [("APPLE", 1)])
    waiting = factories.place(shop, [("PEAR", 1)])  # 待确认, not accepted
    cancelled = accepted(shop, [("PEAR", 1)])
    lifecycle.cancel_order(actor=factories.staff_actor(shop), order=cancelled,
                           reason="customer_request")
    other_shop = factories.make_shop()
    factories.make_sku(other_shop, "APPLE", stock=5)
    foreign = accepted(other_shop, [("APPLE", 1)])
    rows = [["order number", "carrier", "tracking number"],
            [good.number, "sf", "SF1234567890123"],
            ["NO-SUCH-ORDER", "sf", "SF1234567890124"],
            [waiting.number, "sf", "SF1234567890125"],
            [cancelled.number, "sf", "SF1234567890126"],
            [foreign.number, "sf", "SF1234567890127"],
            [good.number, "天天快递", "123"],
            [good.number, "jt", "SF1234567890128"]]

    answer = upload(client, utf8_csv(rows), "shipments.csv", language="en")

    assert answer.status_code == 400
    error = answer.json()["error"]
    assert error["code"] == "rows_refused"
    problems = [(p["row"], p["field"], p["code"]) for p in error["details"]["problems"]]
    assert problems == [
        (3, "order_number", "unknown_order"),
        (4, "order_number", "not_accepted"),
        (5, "order_number", "order_cancelled"),
        (6, "order_number", "unknown_order"),  # another shop's order is not this shop's
        (7, "carrier", "unknown_carrier"),
        (7, "order_number", "duplicate_order"),
        (8, "tracking_number", "invalid_tracking_number"),
        (8, "order_number", "duplicate_order"),
    ]
    messages = {p["row"]: p["message"] for p in error["details"]["problems"]}
    assert messages[3] == "No order numbered NO-SUCH-ORDER in this shop."
    assert "row 2" in next(p["message"] for p in error["details"]["problems"]
                           if p["code"] == "duplicate_order")
    assert not Shipment.objects.filter(shop=shop).exists()
    assert fresh(good).status == Status.ACCEPTED
    assert level(shop, "APPLE").on_hand == 100


def test_problems_are_told_in_chinese_by_default(shop, client):
    order = accepted(shop, [("APPLE", 1)])
    data = utf8_csv([["订单号", "快递公司", "快递单号"], [order.number, "顺丰", "12"]])

    problem = upload(client, data, "a.csv").json()["error"]["details"]["problems"][0]

    assert (problem["row"], problem["field"]) == (2, "tracking_number")
    assert "顺丰单号" in problem["message"]


def test_a_dry_run_says_what_would_ship_and_changes_nothing(shop, client):
    order = accepted(shop, [("APPLE", 2), ("PEAR", 1)])
    events_before = OrderEvent.objects.count()
    data = xlsx([["订单号", "快递公司", "快递单号"],
                 [order.number, "SF Express", "SF1234567890123"]])

    answer = upload(client, data, "a.xlsx", dry_run=True)

    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert body["dry_run"] is True and body["applied"] is False
    assert [(s["row"], s["order_number"], s["units"], s["shipment_id"])
            for s in body["shipments"]] == [(2, order.number, 3, None)]
    assert fresh(order).status == Status.ACCEPTED
    assert not Shipment.objects.exists()
    assert OrderEvent.objects.count() == events_before
    assert level(shop, "APPLE").reserved == 2


def test_a_dry_run_lists_problems_too(shop, client):
    order = accepted(shop, [("APPLE", 1)])
    data = utf8_csv([["订单号", "快递公司", "快递单号"],
                     [order.number, "sf", "SF1234567890123"],
                     [order.number, "sf", "SF1234567890124"]])

    body = upload(client, data, "a.csv", dry_run=True).json()

    assert [s["row"] for s in body["shipments"]] == [2]
    assert [(p["row"], p["code"]) for p in body["problems"]] == [(3, "duplicate_order")]


def test_an_order_already_shipped_has_nothing_left(shop, client):
    order = accepted(shop, [("APPLE", 1)])
    data = utf8_csv([["订单号", "快递公司", "快递单号"], [order.number, "sf", "SF1234567890123"]])
    assert upload(client, data, "a.csv").status_code == 201

    again = upload(client, data, "a.csv", language="en")

    problem = again.json()["error"]["details"]["problems"][0]
    assert (problem["row"], problem["code"]) == (2, "over_shipment")
    assert Shipment.objects.filter(order=order).count() == 1


def test_the_raw_body_works_as_well_as_the_multipart_field(shop, client):
    order = accepted(shop, [("APPLE", 1)])

    answer = client.post(URL, xlsx([["订单号", "快递公司", "快递单号"],
                                    [order.number, "圆通", "YT6012345678901"]]),
                         content_type=XLSX_CONTENT_TYPE)

    assert answer.status_code == 201, answer.content
    assert fresh(order).status == Status.SHIPPED


def test_files_that_cannot_be_imported_are_refused_whole(shop, client):
    def refused(answer):
        assert answer.status_code == 400, answer.content
        return answer.json()["error"]["code"]

    assert refused(client.post(URL, {"a": 1}, content_type="application/json")) == \
        "unsupported_media_type"
    assert refused(client.post(URL, "订单号,快递\r\n".encode(), content_type="text/csv")) == \
        "missing_columns"
    assert refused(client.post(URL, "订单号,快递公司,快递单号\r\n".encode(),
                               content_type="text/csv")) == "no_rows"
    too_many = "订单号,快递公司,快递单号\r\n" + "1,sf,SF1234567890123\r\n" * (imports.MAX_ROWS + 1)
    assert refused(client.post(URL, too_many.encode(), content_type="text/csv")) == \
        "file_too_large"
    too_big = b"x" * (imports.MAX_BYTES + 1)
    assert refused(upload(client, too_big, "big.csv")) == "file_too_large"


def test_only_staff_who_ship_may_import(shop):
    order = accepted(shop, [("APPLE", 1)])
    viewer = factories.api_client(factories.token_for(shop, "viewer"))
    data = utf8_csv([["订单号", "快递公司", "快递单号"], [order.number, "sf", "SF1234567890123"]])

    answer = upload(viewer, data, "a.csv")

    assert answer.status_code == 403
    assert fresh(order).status == Status.ACCEPTED


def test_another_shops_token_cannot_ship_this_shops_orders(shop):
    order = accepted(shop, [("APPLE", 1)])
    stranger = factories.make_shop()
    client = factories.api_client(factories.token_for(stranger, "owner"))
    data = utf8_csv([["订单号", "快递公司", "快递单号"], [order.number, "sf", "SF1234567890123"]])

    answer = upload(client, data, "a.csv")

    assert answer.status_code == 400
    assert answer.json()["error"]["details"]["problems"][0]["code"] == "unknown_order"
    assert fresh(order).status == Status.ACCEPTED and not Shipment.objects.exists()


def test_a_retry_with_the_same_idempotency_key_ships_once(shop, client):
    order = accepted(shop, [("APPLE", 1)])
    data = utf8_csv([["订单号", "快递公司", "快递单号"], [order.number, "sf", "SF1234567890123"]])

    first = client.post(URL, data, content_type="text/csv", headers={"Idempotency-Key": "k1"})
    second = client.post(URL, data, content_type="text/csv", headers={"Idempotency-Key": "k1"})

    assert first.status_code == second.status_code == 201
    assert first.json() == second.json()
    assert Shipment.objects.filter(order=order).count() == 1


def test_the_import_costs_a_few_statements_per_order_not_tens(shop):
    """A single shipment costs about 25 statements; the import reads the whole file's orders
    at once and writes in bulk, leaving the timeline entries and each order's move."""
    orders = [accepted(shop, [("APPLE", 1), ("PEAR", 1)]) for _ in range(20)]
    rows = [["订单号", "快递公司", "快递单号"]] + [
        [order.number, "sf", f"SF{1234567890100 + n}"] for n, order in enumerate(orders)]
    actor = factories.staff_actor(shop, "warehouse")

    with CaptureQueriesContext(connection) as queries:
        report = imports.import_shipments(actor=actor, shop=shop, file_name="a.csv",
                                          data=utf8_csv(rows))

    assert report.applied and len(report.rows) == 20
    statements = [q for q in queries.captured_queries
                  if not q["sql"].startswith(("SAVEPOINT", "RELEASE", "BEGIN", "COMMIT"))]
    assert len(statements) <= 4 * len(orders) + 15, len(statements)
    assert all(fresh(order).status == Status.SHIPPED for order in orders)
    assert ledger_mismatches(shop) == []


def test_an_order_waiting_for_stock_is_named_and_ships_nothing(shop, client):
    shop.settings = {"allow_backorders": True}
    shop.save(update_fields=["settings"])
    factories.make_sku(shop, "PLUM", name="李子", stock=0)
    waiting = accepted(shop, [("PLUM", 2)])
    ready = accepted(shop, [("APPLE", 1)])
    data = utf8_csv([["订单号", "快递公司", "快递单号"],
                     [ready.number, "京东", "JDVA01234567890"],
                     [waiting.number, "京东物流", "JDVA01234567891"]])

    answer = upload(client, data, "a.csv", language="en")

    problem = answer.json()["error"]["details"]["problems"]
    assert [(p["row"], p["code"]) for p in problem] == [(3, "not_in_stock")]
    assert problem[0]["message"] == f"Nothing of order {waiting.number} is in stock for it yet."
    assert fresh(ready).status == Status.ACCEPTED


@pytest.mark.parametrize(("written", "code"), [
    ("顺丰", "sf"), ("顺丰速运", "sf"), ("SF", "sf"), ("SF Express", "sf"), ("中通", "zto"),
    ("中通快递", "zto"), ("圆通速递", "yto"), ("韵达", "yunda"), ("申通快递", "sto"),
    ("极兔速递", "jt"), ("J&T Express", "jt"), ("京东物流", "jd"), ("邮政", "ems"),
    ("中国邮政/EMS", "ems"), ("德邦", "deppon"), ("  中 通 ", "zto"), ("同城速递", "city"),
])
def test_carriers_are_read_by_the_names_merchants_write(written, code):
    from dingdan.fulfillment.carriers import ShopCarrier, find_carrier_by_name

    own = [ShopCarrier(code="city", name="同城速递")]
    assert find_carrier_by_name(written, own).code == code


def test_a_malformed_upload_is_refused_not_a_server_error(shop, client):
    answer = client.post(URL, b"--nothing here", content_type="multipart/form-data")

    assert answer.status_code == 400
    assert answer.json()["error"]["code"] == "file_unreadable"


def test_imported_parcels_are_watched_by_the_shops_tracking_service(shop, client):
    from dingdan.fulfillment.models import TrackingSubscription
    from dingdan.fulfillment.services.tracking_accounts import save_tracking_account

    save_tracking_account(actor=factories.staff_actor(shop, "owner"), shop=shop,
                          key="xXKbNtLA3691")
    orders = [accepted(shop, [("APPLE", 1)]), accepted(shop, [("PEAR", 1)])]
    data = utf8_csv([["订单号", "快递公司", "快递单号"]] + [
        [order.number, "中通", f"7512345678901{n}"] for n, order in enumerate(orders)])

    assert upload(client, data, "a.csv").status_code == 201

    watched = TrackingSubscription.objects.filter(shipment__order__in=orders)
    assert sorted(s.shipment.tracking_number for s in watched) == [
        "75123456789010", "75123456789011"]
