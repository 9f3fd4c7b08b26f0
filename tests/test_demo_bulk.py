"""`dingdan demo --orders N`: a generated shop a merchant could work in. Its orders add up,
their numbers are unique, every order has lines and a timeline that follows the lifecycle,
stock is honest, and the order list page and the API show them."""

from collections import defaultdict

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from dingdan.customers.models import Customer
from dingdan.customers.phone import normalize_phone
from dingdan.inventory.selectors import ledger_mismatches
from dingdan.inventory.services.reservations import held_for
from dingdan.orders import states
from dingdan.orders.models import Order, OrderEvent, OrderFlag, OrderLine
from dingdan.orders.services import placement
from dingdan.shops.models import Membership, Shop
from tests import factories

pytestmark = pytest.mark.django_db
ORDERS = 500


@pytest.fixture
def shop(capsys) -> Shop:
    call_command("demo", orders=ORDERS, shop="gen", customers=80, products=25, days=30,
                 seed=3, batch=200)
    out = capsys.readouterr().out
    assert f"orders: {ORDERS:,}/{ORDERS:,} (100%)" in out
    return Shop.objects.get(slug="gen")


def test_totals_add_up_from_the_lines(shop):
    lines = defaultdict(list)
    for line in OrderLine.objects.filter(shop=shop):
        assert line.total_cents == line.unit_price_cents * line.quantity - line.discount_cents
        lines[line.order_id].append(line)
    orders = list(Order.objects.filter(shop=shop))
    assert len(orders) == ORDERS
    for order in orders:
        mine = lines[order.pk]
        assert 1 <= len(mine) <= 5
        assert order.subtotal_cents == sum(ln.unit_price_cents * ln.quantity for ln in mine)
        assert order.discount_cents == sum(ln.discount_cents for ln in mine)
        assert order.total_cents == (order.subtotal_cents - order.discount_cents
                                     + order.shipping_cents + order.tax_cents)
        assert order.paid_cents in (0, order.total_cents)


def test_numbers_are_unique_and_customers_real(shop):
    numbers = list(Order.objects.filter(shop=shop).values_list("number", flat=True))
    assert len(set(numbers)) == ORDERS
    phones = [p for p in Customer.objects.filter(shop=shop).values_list("phone", flat=True) if p]
    assert phones and all(normalize_phone(p) == p for p in phones)
    assert len(set(phones)) == len(phones)


def test_every_timeline_starts_placed_and_follows_the_lifecycle(shop):
    events = defaultdict(list)
    for event in OrderEvent.objects.filter(shop=shop).order_by("id"):
        events[event.order_id].append(event)
    seen = set()
    for order in Order.objects.filter(shop=shop):
        timeline = events[order.pk]
        placed = timeline[0]
        assert placed.kind == "placed" and placed.data["number"] == order.number
        status = placed.data["status"]
        for event in timeline[1:]:
            if event.kind == "status_changed":
                assert event.data["from"] == status
                # The same table the services obey allows every move.
                states.check(status, event.data["to"], event.actor_kind)
                status = event.data["to"]
        assert status == order.status
        assert timeline[-1].data["version"] == order.version
        assert [e.created_at for e in timeline] == sorted(e.created_at for e in timeline)
        seen.add(order.status)
    assert seen <= set(states.Status.values)
    assert {"completed", "cancelled", "shipped", "in_transit"} <= seen


def test_every_orders_money_is_its_ledger(shop):
    from dingdan.payments.models import Payment, Refund, RefundCounter
    from dingdan.payments.selectors.money import order_money

    orders = list(Order.objects.filter(shop=shop))
    for order in orders:
        money = order_money(order)
        assert (order.paid_cents, order.refunded_cents, order.payment_status) == (
            money.paid_cents, money.refunded_cents, money.payment_status)
        if order.status == "pending_payment":
            assert order.paid_cents == 0
    paid = Payment.objects.filter(shop=shop)
    assert paid.exists()
    assert paid.count() == OrderEvent.objects.filter(shop=shop, kind="payment_recorded").count()
    refunds = Refund.objects.filter(shop=shop).count()
    assert refunds == OrderEvent.objects.filter(shop=shop, kind="refund_recorded").count()
    if refunds:
        assert RefundCounter.objects.get(shop=shop).value == refunds


def test_needing_attention_means_an_open_flag(shop):
    flagged = set(OrderFlag.objects.filter(shop=shop, resolved_at__isnull=True)
                  .values_list("order_id", flat=True))
    attention = set(Order.objects.filter(shop=shop, needs_attention=True)
                    .values_list("id", flat=True))
    assert attention == flagged


def test_stock_ledger_verifies_and_open_orders_hold_their_stock(shop):
    assert ledger_mismatches(shop) == []
    call_command("inventory", "verify", "--shop", "gen")
    open_orders = Order.objects.filter(
        shop=shop, status__in=["pending_payment", "pending_confirmation", "accepted",
                               "preparing"],
    ).prefetch_related("lines__variant__product")
    assert open_orders
    for order in open_orders:
        wanted = defaultdict(int)
        for line in order.lines.all():
            if not line.variant.product.is_service:
                wanted[line.variant_id] += line.quantity
        assert held_for(placement.reference(order)) == wanted


def test_the_list_page_and_the_api_show_the_orders(shop):
    owner = Membership.objects.get(shop=shop, role="owner").user
    client = factories.Client(headers={"Accept-Language": "en"})
    client.force_login(owner)
    newest = Order.objects.filter(shop=shop).order_by("-created_at", "-id").first()
    page = client.get(reverse("orders:list"))
    assert page.status_code == 200
    assert newest.number in page.content.decode()

    api = factories.api_client(factories.token_for(shop))
    body = api.get("/api/v1/orders").json()
    assert body["count"] == ORDERS
    assert len(body["items"]) == 50 and body["items"][0]["number"] == newest.number
    detail = api.get(f"/api/v1/orders/{newest.pk}", {"include": "events"}).json()
    assert detail["events"][0]["kind"] == "placed"


def test_a_shop_that_has_orders_is_not_filled_again(shop):
    with pytest.raises(CommandError, match="already has orders"):
        call_command("demo", orders=10, shop="gen")
