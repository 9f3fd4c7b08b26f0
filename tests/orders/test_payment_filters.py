"""The order list finds orders by how far they are paid, and, for a shop on credit terms,
the orders whose credit days have run out."""

import datetime as dt

import pytest
from django.utils import timezone

from dingdan.orders.models import Order
from dingdan.orders.services import lifecycle
from dingdan.shops.actors import Actor
from dingdan.shops.services.shops import update_shop_settings
from tests import factories
from tests.orders.test_order_pages import client_for, page

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop():
    shop = factories.make_shop(name="阿芳水果")
    factories.make_sku(shop, "STRAW-500", name="草莓", spec="500g", price_cents=3990, stock=50)
    return shop


def placed(shop, name, phone, *, payment_status="unpaid", days_ago=0):
    order = factories.place(shop, [("STRAW-500", 1)], name=name, phone=phone)
    Order.objects.filter(pk=order.pk).update(
        payment_status=payment_status, created_at=timezone.now() - dt.timedelta(days=days_ago)
    )
    order.refresh_from_db()
    return order


def test_the_list_filters_by_payment_status(shop):
    unpaid = placed(shop, "张三", "13800138000")
    part = placed(shop, "李四", "13912345678", payment_status="partially_paid")
    paid = placed(shop, "王五", "13700001111", payment_status="paid")
    client = client_for(shop)

    shown = page(client.get("/orders/", {"payment": "paid"}))
    assert paid.number in shown and unpaid.number not in shown and part.number not in shown
    shown = page(client.get("/orders/", {"payment": "partially_paid"}))
    assert part.number in shown and paid.number not in shown
    # Not a payment status: the filter is ignored rather than emptying the list.
    shown = page(client.get("/orders/", {"payment": "nonsense"}))
    assert all(o.number in shown for o in (unpaid, part, paid))


def test_on_credit_terms_the_overdue_list_holds_unpaid_orders_past_the_credit_days(shop):
    update_shop_settings(actor=Actor.system(shop), shop=shop,
                         changes={"payment_terms": "credit", "credit_days": 7})
    late = placed(shop, "张三", "13800138000", days_ago=10)
    late_part = placed(shop, "李四", "13912345678", payment_status="partially_paid", days_ago=9)
    late_paid = placed(shop, "王五", "13700001111", payment_status="paid", days_ago=20)
    recent = placed(shop, "赵六", "13600002222", days_ago=3)
    cancelled = placed(shop, "钱七", "13500003333", days_ago=30)
    lifecycle.cancel_order(actor=Actor.system(shop), order=cancelled, reason="duplicate", note="")
    client = client_for(shop)

    listing = page(client.get("/orders/"))
    assert "Overdue (past the credit days)" in listing
    assert "逾期（超过账期）" in page(client_for(shop, language="zh-hans").get("/orders/"))
    shown = page(client.get("/orders/", {"payment": "overdue"}))
    assert late.number in shown and late_part.number in shown
    assert late_paid.number not in shown and recent.number not in shown
    assert cancelled.number not in shown


def test_without_credit_terms_nothing_is_overdue(shop):
    late = placed(shop, "张三", "13800138000", days_ago=60)
    client = client_for(shop, language="zh-hans")

    listing = page(client.get("/orders/"))
    assert "逾期" not in listing  # no overdue choice offered
    assert late.number not in page(client.get("/orders/", {"payment": "overdue"}))


def test_the_api_lists_orders_by_payment_status_and_overdue(shop):
    update_shop_settings(actor=Actor.system(shop), shop=shop,
                         changes={"payment_terms": "credit", "credit_days": 7})
    client = factories.api_client(factories.token_for(shop, "finance"))
    late = placed(shop, "张三", "13800138000", days_ago=10)
    paid_late = placed(shop, "李四", "13912345678", days_ago=10)
    recent = placed(shop, "王五", "13700001111", days_ago=1)
    paid = client.post(f"/api/v1/orders/{paid_late.pk}/payments",
                       {"amount_cents": paid_late.total_cents, "method": "cash"},
                       content_type="application/json")
    assert paid.status_code == 201, paid.content

    def numbers(**query):
        answer = client.get("/api/v1/orders", query)
        assert answer.status_code == 200, answer.content
        return {item["number"] for item in answer.json()["items"]}

    assert numbers(payment_status="paid") == {paid_late.number}
    assert numbers(payment_status="unpaid") == {late.number, recent.number}
    assert numbers(overdue="true") == {late.number}
    assert client.get("/api/v1/orders", {"payment_status": "owed"}).status_code in (400, 422)
