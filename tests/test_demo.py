"""`dingdan serve --demo` opens a shop with something to try on every screen: orders from
every channel in every status it can reach, customers who come back, a running group buy,
orders needing attention, a template and a low-stock alert; and only once."""

import io

import pytest
from django.core.management import call_command

from dingdan import demo
from dingdan.chains.models import Campaign, ChainEntry, PickupPoint
from dingdan.customers.models import Customer
from dingdan.inventory.models import StockLevel
from dingdan.notify.models import Alert
from dingdan.orders.models import Channel, FollowUp, Order, OrderChangeRequest, OrderTemplate
from dingdan.orders.states import Status

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop():
    shop, created = demo.ensure_demo_shop()
    assert created
    return shop


def _everything(shop) -> dict:
    return {
        "orders": Order.objects.filter(shop=shop).count(),
        "customers": Customer.objects.filter(shop=shop).count(),
        "campaigns": Campaign.objects.filter(shop=shop).count(),
        "entries": ChainEntry.objects.filter(shop=shop).count(),
        "templates": OrderTemplate.objects.filter(shop=shop).count(),
        "follow_ups": FollowUp.objects.filter(shop=shop).count(),
        "alerts": Alert.objects.filter(shop=shop).count(),
        "stock": sorted(StockLevel.objects.filter(shop=shop).values_list("on_hand", "reserved")),
    }


def test_the_demo_shop_has_orders_in_every_status_it_can_reach_and_from_every_channel(shop):
    orders = Order.objects.filter(shop=shop)

    assert 25 <= orders.count() <= 60
    # The demo shop takes orders without prepayment, so none waits for payment.
    reachable = set(Status.values) - {Status.PENDING_PAYMENT}
    assert set(orders.values_list("status", flat=True)) == reachable
    assert set(orders.values_list("channel", flat=True)) == set(Channel.values)
    cancelled = orders.filter(status=Status.CANCELLED)
    assert all(order.cancel_reason for order in cancelled)


def test_customers_come_back_and_some_are_vip(shop):
    repeat = [c for c in Customer.objects.filter(shop=shop) if c.orders.count() >= 3]
    vip = Customer.objects.filter(shop=shop, tags__name="VIP")

    assert len(repeat) >= 2
    assert vip.count() >= 2
    phones = Order.objects.filter(shop=shop).exclude(customer_phone="")
    assert all(p.startswith("1") and len(p) == 11
               for p in phones.values_list("customer_phone", flat=True))
    provinces = set(Order.objects.filter(shop=shop).exclude(province="")
                    .values_list("province", flat=True))
    assert len(provinces) >= 6


def test_a_group_buy_is_running_with_pickup_points_and_imported_entries(shop):
    from dingdan.chains.services.campaigns import accepts_new_entries

    campaign = Campaign.objects.get(shop=shop)

    assert accepts_new_entries(campaign)
    assert campaign.pickup_points.count() == 2
    entries = ChainEntry.objects.filter(campaign=campaign)
    assert entries.count() >= 5
    assert {e.order.channel for e in entries} == {Channel.CHAIN}
    assert PickupPoint.objects.filter(shop=shop).count() == 2


def test_there_is_work_waiting_flags_follow_ups_a_change_request_and_a_template(shop):
    flagged = Order.objects.filter(shop=shop, needs_attention=True)
    codes = set(flagged.values_list("flags__code", flat=True))

    assert {"missing_phone", "missing_address", "possible_duplicate"} <= codes
    assert FollowUp.objects.filter(shop=shop, done_at__isnull=True).count() >= 3
    assert OrderChangeRequest.objects.filter(shop=shop, status="pending").count() == 1
    assert OrderTemplate.objects.filter(shop=shop).count() == 1


def test_a_product_is_below_its_low_stock_threshold_and_the_ledger_adds_up(shop):
    low = [level for level in StockLevel.objects.filter(shop=shop)
           if level.low_stock_threshold is not None
           and level.on_hand - level.reserved <= level.low_stock_threshold]
    out = io.StringIO()

    call_command("inventory", "verify", stdout=out)

    assert low
    assert Alert.objects.filter(shop=shop, kind="low_stock").exists()
    assert "OK" in out.getvalue()


def test_running_the_demo_again_adds_nothing(shop):
    before = _everything(shop)

    again, created = demo.ensure_demo_shop()

    assert (again, created) == (shop, False)
    assert _everything(shop) == before
    assert shop.variants.filter(product__kind="service").count() == 1
