"""Editing an order: stock follows the lines, totals follow the prices, a stale edit is
refused with what changed, and the timeline keeps before and after."""

import pytest

from dingdan.inventory.models import StockLevel
from dingdan.orders.models import Order, OrderEvent
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop():
    shop = factories.make_shop()
    factories.make_sku(shop, "CM-500", name="草莓", price_cents=3990, stock=10)
    factories.make_sku(shop, "LM-125", name="蓝莓", price_cents=1990, stock=5)
    return shop


@pytest.fixture
def client(shop):
    return factories.api_client(factories.token_for(shop, "clerk"))


def reserved(sku: str) -> int:
    return StockLevel.objects.get(variant__sku=sku).reserved


def patch(client, order_id, body, version):
    headers = {} if version is None else {"If-Match": str(version)}
    return client.patch(f"/api/v1/orders/{order_id}", body, content_type="application/json",
                        headers=headers)


def test_changing_lines_reserves_and_releases_only_the_difference(shop, client):
    order = factories.place(shop, [("CM-500", 3), ("LM-125", 1)])

    response = patch(client, order.pk, {"lines": [{"sku": "CM-500", "quantity": 5}],
                                        "reason": "客户加量"}, 1)

    body = response.json()
    assert response.status_code == 200
    assert (reserved("CM-500"), reserved("LM-125")) == (5, 0)
    assert (body["subtotal_cents"], body["total_cents"], body["version"]) == (19950, 19950, 2)
    edited = OrderEvent.objects.get(order=order, kind="edited")
    assert edited.data["changes"]["lines"] == {
        "before": [{"sku": "CM-500", "quantity": 3}, {"sku": "LM-125", "quantity": 1}],
        "after": [{"sku": "CM-500", "quantity": 5}],
    }
    assert edited.note == "客户加量"


def test_an_edit_beyond_stock_is_refused_and_changes_nothing(shop, client):
    order = factories.place(shop, [("LM-125", 2)])
    response = patch(client, order.pk, {"lines": [{"sku": "LM-125", "quantity": 6}]}, 1)
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "insufficient_stock"
    assert reserved("LM-125") == 2
    order.refresh_from_db()
    assert (order.version, order.lines.get().quantity) == (1, 2)


def test_a_stale_edit_is_refused_and_told_what_changed(shop, client):
    order = factories.place(shop, [("CM-500", 1)])
    client.post(f"/api/v1/orders/{order.pk}/transition", {"to": "accepted"},
                content_type="application/json")

    response = patch(client, order.pk, {"note": "放门口"}, 1)

    assert response.status_code == 409
    error = response.json()["error"]
    assert error["code"] == "stale_version"
    assert error["details"]["version"] == 2
    assert [c["kind"] for c in error["details"]["changes"]] == ["status_changed"]
    assert Order.objects.get(pk=order.pk).note == ""


def test_an_edit_without_a_version_is_428(shop, client):
    order = factories.place(shop, [("CM-500", 1)])
    response = patch(client, order.pk, {"note": "x"}, None)
    assert response.status_code == 428
    assert response.json()["error"]["code"] == "version_required"


def test_shipped_orders_cannot_be_edited(shop, client):
    order = factories.place(shop, [("CM-500", 1)])
    Order.objects.filter(pk=order.pk).update(status="shipped")
    response = patch(client, order.pk, {"note": "x"}, 1)
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "not_editable"


def test_changing_delivery_recomputes_shipping(shop, client):
    shop.settings = {"shipping": {"flat_cents": 800}}
    shop.save()
    order = factories.place(shop, [("CM-500", 1)])
    assert order.shipping_cents == 800
    body = patch(client, order.pk, {"delivery_method": "pickup"}, 1).json()
    assert (body["shipping_cents"], body["total_cents"]) == (0, 3990)


def reprice(client, order_id, body, version=1):
    return client.post(f"/api/v1/orders/{order_id}/reprice", body,
                       content_type="application/json", headers={"If-Match": str(version)})


def test_a_merchant_changes_the_price_before_payment_with_a_reason(shop):
    finance = factories.api_client(factories.token_for(shop, "finance"))
    order = factories.place(shop, [("CM-500", 2), ("LM-125", 1)])

    body = reprice(finance, order.pk, {"unit_prices": {"CM-500": 3500},
                                       "order_discount_cents": 500, "reason": "老客户"}).json()

    assert (body["subtotal_cents"], body["discount_cents"], body["total_cents"]) == (
        8990, 500, 8490)
    assert body["lines"][0]["unit_price_cents"] == 3500
    event = OrderEvent.objects.get(order=order, kind="repriced")
    assert event.note == "老客户"
    assert event.data["changes"]["price:CM-500"] == {"before": 3990, "after": 3500}
    assert event.data["changes"]["total_cents"] == {"before": 9970, "after": 8490}


def test_repricing_needs_a_reason_the_permission_and_an_unpaid_order(shop, client):
    order = factories.place(shop, [("CM-500", 1)])
    finance = factories.api_client(factories.token_for(shop, "finance"))
    no_reason = reprice(finance, order.pk, {"order_discount_cents": 100, "reason": " "})
    clerk = reprice(client, order.pk, {"order_discount_cents": 100, "reason": "x"})
    unknown = reprice(finance, order.pk, {"unit_prices": {"NOPE": 1}, "reason": "x"})
    Order.objects.filter(pk=order.pk).update(payment_status="paid")
    paid = reprice(finance, order.pk, {"order_discount_cents": 100, "reason": "x"})

    assert no_reason.status_code == 400
    assert clerk.status_code == 403
    assert unknown.status_code == 400 and "unit_prices.NOPE" in unknown.json()["error"]["fields"]
    assert paid.status_code == 409 and paid.json()["error"]["code"] == "not_repriceable"
    assert Order.objects.get(pk=order.pk).total_cents == 3990


def test_lowering_a_backordered_line_stops_waiting_before_releasing_held_units():
    from dingdan.inventory.services.backorders import waiting_for
    from dingdan.orders.services.editing import edit_order

    shop = factories.make_shop()
    shop.settings = {"allow_backorders": True}
    shop.save()
    variant = factories.make_sku(shop, "CM-500", stock=2)
    order = factories.place(shop, [("CM-500", 5)])
    assert (reserved("CM-500"), waiting_for(variant)) == (2, 3)
    owner = factories.staff_actor(shop)

    order = edit_order(actor=owner, order=order, version=order.version, lines=[("CM-500", 3)])
    assert (reserved("CM-500"), waiting_for(variant)) == (2, 1)

    order = edit_order(actor=owner, order=order, version=order.version, lines=[("CM-500", 1)])
    assert (reserved("CM-500"), waiting_for(variant)) == (1, 0)

    edit_order(actor=owner, order=order, version=order.version, lines=[("CM-500", 4)])
    assert (reserved("CM-500"), waiting_for(variant)) == (2, 2)


def test_an_edit_keeps_the_price_agreed_for_products_already_on_the_order(shop):
    from dingdan.orders.services.editing import change_prices, edit_order

    owner = factories.staff_actor(shop)
    order = factories.place(shop, [("CM-500", 2)])
    order = change_prices(actor=owner, order=order, version=order.version,
                          unit_prices={"CM-500": 3500}, reason="老客户")

    order = edit_order(actor=owner, order=order, version=order.version,
                       lines=[("CM-500", 3), ("LM-125", 1)])

    prices = {line.sku: line.unit_price_cents for line in order.lines.all()}
    assert prices == {"CM-500": 3500, "LM-125": 1990}
    assert order.total_cents == 3 * 3500 + 1990


def test_an_order_discount_survives_later_edits(shop):
    from dingdan.orders.services.editing import change_prices, edit_order

    owner = factories.staff_actor(shop)
    order = factories.place(shop, [("CM-500", 2)])
    order = change_prices(actor=owner, order=order, version=order.version,
                          order_discount_cents=500, reason="老客户")
    discounted = order.total_cents

    order = edit_order(actor=owner, order=order, version=order.version,
                       internal_note="周六送")
    order.refresh_from_db()
    assert (order.discount_cents, order.total_cents) == (500, discounted)

    order = edit_order(actor=owner, order=order, version=order.version,
                       lines=[("CM-500", 3)])
    order.refresh_from_db()
    assert order.discount_cents == 500
    assert order.total_cents == order.subtotal_cents - 500 + order.shipping_cents + (
        order.tax_cents)
