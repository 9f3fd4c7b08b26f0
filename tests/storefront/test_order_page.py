"""The customer's order page: the link shows the order and its progress, the customer
changes it or asks for a change, withdraws, cancels; bad links and bad input are refused
clearly and lose nothing."""

import pytest
from django.test import Client

from dingdan.inventory.models import StockLevel
from dingdan.orders.models import Order, OrderChangeRequest
from dingdan.orders.services.lifecycle import transition_order
from dingdan.shops.actors import Actor
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop():
    shop = factories.make_shop(name="鲜果小铺")
    factories.make_sku(shop, "CM-500", name="草莓", price_cents=3990, stock=10)
    factories.make_sku(shop, "LM-125", name="蓝莓", price_cents=1990, stock=5)
    return shop


@pytest.fixture
def client():
    return Client(headers={"Accept-Language": "en"})


def url(order) -> str:
    return f"/o/{order.link_token}/"


def test_the_link_shows_the_order_without_internal_details(shop, client):
    order = factories.place(shop, [("CM-500", 2)])
    order.internal_note = "老客户，别催款"
    order.save()
    transition_order(actor=factories.staff_actor(shop), order=order, to="accepted",
                     note="明天发货")

    page = client.get(url(order))

    text = page.content.decode()
    assert page.status_code == 200
    assert order.number in text and "鲜果小铺" in text and "草莓" in text
    assert "79.80" in text
    assert "Status: Accepted" in text and "明天发货" in text
    assert "老客户" not in text
    assert page["X-Robots-Tag"] == "noindex"


def test_unknown_links_are_404(shop, client):
    order = factories.place(shop, [("CM-500", 1)])
    assert client.get(f"/o/{order.link_token[:-2]}xx/").status_code == 404
    assert client.get("/o/short/").status_code == 404


def test_before_confirmation_a_change_is_saved_at_once(shop, client):
    order = factories.place(shop, [("CM-500", 2), ("LM-125", 1)])
    lines = {line.sku: line.pk for line in order.lines.all()}

    answer = client.post(url(order), {
        "op": "change", "version": order.version, f"qty-{lines['CM-500']}": "3",
        f"qty-{lines['LM-125']}": "0", "address": "北京市朝阳区建国路99号", "note": "放门口",
    }, follow=True)

    order.refresh_from_db()
    assert "Your order is changed." in answer.content.decode()
    assert [(line.sku, line.quantity) for line in order.lines.all()] == [("CM-500", 3)]
    assert (order.address_detail, order.note) == ("建国路99号", "放门口")
    assert StockLevel.objects.get(variant__sku="LM-125").reserved == 0
    assert "You changed the order" in answer.content.decode()


def test_after_acceptance_the_change_waits_and_can_be_withdrawn(shop, client):
    order = factories.place(shop, [("CM-500", 2)])
    order = transition_order(actor=Actor.system(shop), order=order, to="accepted")
    line = order.lines.get()

    asked = client.post(url(order), {"op": "change", "version": order.version,
                                     f"qty-{line.pk}": "5", "message": "朋友也要"},
                        follow=True)

    assert "The shop has your change request" in asked.content.decode()
    assert order.lines.get().quantity == 2
    assert OrderChangeRequest.objects.get(order=order).lines == [
        {"sku": "CM-500", "quantity": 5}]
    withdrawn = client.post(url(order), {"op": "withdraw"}, follow=True)
    assert "withdrawn" in withdrawn.content.decode()
    assert OrderChangeRequest.objects.get(order=order).status == "withdrawn"


def test_bad_input_is_refused_with_a_message_and_keeps_what_was_typed(shop, client):
    order = factories.place(shop, [("CM-500", 2)])
    line = order.lines.get()

    answer = client.post(url(order), {"op": "change", "version": order.version,
                                      f"qty-{line.pk}": "两", "note": "我写的备注"})

    text = answer.content.decode()
    assert answer.status_code == 400
    assert "两 is not a whole number" in text
    assert "我写的备注" in text
    assert Order.objects.get(pk=order.pk).lines.get().quantity == 2
    empty = client.post(url(order), {"op": "change", "version": order.version,
                                     f"qty-{line.pk}": "0"})
    assert empty.status_code == 400
    assert "cancel the order instead" in empty.content.decode()


def test_a_stale_page_is_told_to_reload(shop, client):
    order = factories.place(shop, [("CM-500", 2)])
    line = order.lines.get()
    client.post(url(order), {"op": "change", "version": order.version,
                             f"qty-{line.pk}": "3"})

    stale = client.post(url(order), {"op": "change", "version": order.version,
                                     f"qty-{line.pk}": "4"})

    assert stale.status_code == 409
    assert "Reload it" in stale.content.decode()
    assert Order.objects.get(pk=order.pk).lines.get().quantity == 3


def test_the_customer_cancels_while_allowed_and_the_stock_comes_back(shop, client):
    order = factories.place(shop, [("CM-500", 2)])

    cancelled = client.post(url(order), {"op": "cancel", "reason": "买错了"}, follow=True)

    order.refresh_from_db()
    assert order.status == "cancelled"
    assert StockLevel.objects.get(variant__sku="CM-500").reserved == 0
    assert "Your order is cancelled." in cancelled.content.decode()
    assert "Cancel the order" not in cancelled.content.decode()


def test_a_shipped_order_offers_no_changes(shop, client):
    order = factories.place(shop, [("CM-500", 1)])
    staff = factories.staff_actor(shop)
    order = transition_order(actor=staff, order=order, to="accepted")
    order = transition_order(actor=staff, order=order, to="shipped", note="SF123")
    line = order.lines.get()

    page = client.get(url(order)).content.decode()
    refused = client.post(url(order), {"op": "change", "version": order.version,
                                       f"qty-{line.pk}": "3"})

    assert 'data-testid="change-form"' in page and 'name="qty-' not in page
    assert "SF123" in page
    assert refused.status_code == 409


def test_the_page_speaks_chinese_by_default(shop):
    order = factories.place(shop, [("CM-500", 1)])
    text = Client().get(url(order)).content.decode()
    assert "待确认" in text


def test_the_merchant_sees_the_link_and_approves_a_request_on_the_order_page(shop, client):
    order = factories.place(shop, [("CM-500", 2)])
    order = transition_order(actor=Actor.system(shop), order=order, to="accepted")
    line = order.lines.get()
    client.post(url(order), {"op": "change", "version": order.version,
                             f"qty-{line.pk}": "4", "message": "再来两盒"})
    merchant = Client(headers={"Accept-Language": "en"})
    merchant.force_login(factories.make_member(shop, "clerk").user)

    page = merchant.get(f"/orders/{order.pk}/").content.decode()
    assert url(order) in page
    assert "再来两盒" in page and "草莓 × 4" in page
    request_id = OrderChangeRequest.objects.get(order=order).pk
    merchant.post(f"/orders/{order.pk}/change-requests/{request_id}/",
                  {"decision": "approve", "note": "好的"})

    order.refresh_from_db()
    assert order.lines.get().quantity == 4
    assert StockLevel.objects.get(variant__sku="CM-500").reserved == 4
    seen = client.get(url(order)).content.decode()
    assert "The shop accepted your change" in seen and "好的" in seen


def test_a_viewer_cannot_decide_a_request(shop, client):
    order = factories.place(shop, [("CM-500", 2)])
    order = transition_order(actor=Actor.system(shop), order=order, to="accepted")
    client.post(url(order), {"op": "change", "version": order.version, "note": "改"})
    viewer = Client(headers={"Accept-Language": "en"})
    viewer.force_login(factories.make_member(shop, "viewer").user)
    request_id = OrderChangeRequest.objects.get(order=order).pk

    page = viewer.get(f"/orders/{order.pk}/").content.decode()
    answer = viewer.post(f"/orders/{order.pk}/change-requests/{request_id}/",
                         {"decision": "approve"}, follow=True)

    assert 'data-testid="approve-change"' not in page
    assert OrderChangeRequest.objects.get(pk=request_id).status == "pending"
    assert "may not edit orders" in answer.content.decode()
