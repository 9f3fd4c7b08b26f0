"""A customer cannot change the items of a group-buy order on their own: the campaign's
per-person limits, total cap and prices hold, so the change waits for the merchant."""

import pytest

from dingdan.chains.services import joining
from dingdan.orders.models import Order, OrderChangeRequest
from dingdan.orders.services import customer_changes
from tests import factories

pytestmark = pytest.mark.django_db


def joined(campaign, **quantities):
    point = campaign.pickup_points.first()
    return joining.join_campaign(campaign=campaign, customer="张三", phone="13800138000",
                                 quantities=quantities, pickup_point_id=point.pk)


def test_new_items_on_a_campaign_order_are_a_request_not_a_change(campaign):
    order = Order.objects.get(pk=joined(campaign, **{"STRAW-500": 3}).pk)
    before = [(line.sku, line.quantity, line.unit_price_cents) for line in order.lines.all()]

    answer = customer_changes.change_by_customer(
        order=order, version=order.version, lines=[("STRAW-500", 8)], message="多要几盒")

    assert isinstance(answer, OrderChangeRequest)  # over the limit of 3: the merchant decides
    order.refresh_from_db()
    assert [(line.sku, line.quantity, line.unit_price_cents)
            for line in order.lines.all()] == before
    assert order.needs_attention


def test_other_changes_to_a_campaign_order_still_apply_at_once(campaign):
    order = Order.objects.get(pk=joined(campaign, **{"STRAW-500": 1}).pk)
    lines = [(line.sku, line.quantity) for line in order.lines.all()]

    answer = customer_changes.change_by_customer(
        order=order, version=order.version, lines=lines, note="下午来拿")

    assert isinstance(answer, Order) and answer.note == "下午来拿"


def test_an_order_outside_any_campaign_changes_freely(shop):
    order = factories.place(shop, [("STRAW-500", 1)])
    answer = customer_changes.change_by_customer(
        order=order, version=order.version, lines=[("STRAW-500", 5)])
    assert isinstance(answer, Order)
    assert [(line.sku, line.quantity) for line in answer.lines.all()] == [("STRAW-500", 5)]
