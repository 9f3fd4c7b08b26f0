"""Substitutes from the pages: staff offer another SKU beside the short line on the order's
page and may withdraw it; the customer sees the offer on the order link, with what it
changes, and accepts or declines it with a button."""

import pytest
from django.test import Client

from dingdan.fulfillment.models import SubstituteOffer
from dingdan.inventory.models import StockLevel
from dingdan.inventory.selectors import ledger_mismatches
from dingdan.orders.models import Order
from dingdan.orders.services import lifecycle
from dingdan.payments.models import Refund
from dingdan.payments.services import payments
from tests import factories
from tests.orders.test_order_pages import client_for, page

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop():
    shop = factories.make_shop(name="阿芳水果")
    shop.settings = {"allow_backorders": True}
    shop.save()
    factories.make_sku(shop, "MANGO", name="芒果", price_cents=1000, stock=1)
    factories.make_sku(shop, "PEAR", name="砀山梨", price_cents=500, stock=10)
    factories.make_sku(shop, "BIGMANGO", name="大芒果", price_cents=1500, stock=5)
    factories.make_sku(shop, "SMALLMANGO", name="小芒果", price_cents=800, stock=5)
    return shop


@pytest.fixture
def order(shop):
    owner = factories.staff_actor(shop)
    placed = factories.place(shop, [("MANGO", 3), ("PEAR", 2)])  # ¥40, 2 mangoes short
    payments.record_payment(actor=owner, order=placed, amount_cents=placed.total_cents,
                            method="wechat_pay")
    return lifecycle.accept_order(actor=owner, order=Order.objects.get(pk=placed.pk))


def panel(client, order) -> str:
    html = page(client.get(f"/orders/{order.pk}/"))
    start = html.index('data-testid="substitutes-panel"')
    return html[start:html.index("</section>", start)]


def offer_url(order, line):
    return f"/shipments/orders/{order.pk}/substitutes/{line.pk}/"


def variant_id(shop, sku) -> str:
    return str(shop.variants.get(sku=sku).pk)


def customer():
    return Client(headers={"Accept-Language": "en"})


def link(order) -> str:
    return f"/o/{order.link_token}/"


def test_staff_offer_a_substitute_beside_the_short_line(shop, order):
    client = client_for(shop, "clerk")
    mango = order.lines.get(sku="MANGO")
    shown = panel(client, order)
    assert "2 waiting for stock" in shown and f'name="sub-variant-{mango.pk}"' in shown
    assert "大芒果 (BIGMANGO) · ¥15.00 · 5 available" in shown

    answer = client.post(offer_url(order, mango), {
        f"sub-variant-{mango.pk}": variant_id(shop, "BIGMANGO"), f"sub-qty-{mango.pk}": "2",
        f"sub-price-{mango.pk}": "", f"sub-note-{mango.pk}": "芒果缺货"})

    assert answer.status_code == 302
    made = SubstituteOffer.objects.get(order=order)
    assert (made.quantity, made.unit_price_cents, made.note) == (2, 1500, "芒果缺货")
    shown = panel(client, order)
    assert "Offered to the customer: 大芒果 × 2 at ¥15.00 each" in shown
    assert 'data-testid="withdraw-substitute"' in shown

    client.post(f"/shipments/orders/{order.pk}/substitutes/{made.pk}/withdraw/")
    assert SubstituteOffer.objects.get(pk=made.pk).status == "withdrawn"
    assert "Withdrawn" in panel(client, order)


def test_a_refused_offer_is_shown_again_as_typed_next_to_its_field(shop, order):
    client = client_for(shop, "clerk")
    mango = order.lines.get(sku="MANGO")

    answer = client.post(offer_url(order, mango), {
        f"sub-variant-{mango.pk}": variant_id(shop, "BIGMANGO"), f"sub-qty-{mango.pk}": "9",
        f"sub-price-{mango.pk}": "12.50"})

    assert answer.status_code == 200
    html = page(answer)
    assert "Choose from 1 to 3 units" in html and 'value="12.50"' in html
    assert not SubstituteOffer.objects.exists()


def test_a_viewer_sees_offers_but_no_form_and_may_not_post(shop, order):
    client = client_for(shop, "viewer")
    assert 'data-testid="substitutes-panel"' not in page(client.get(f"/orders/{order.pk}/"))
    mango = order.lines.get(sku="MANGO")
    answer = client.post(offer_url(order, mango), {
        f"sub-variant-{mango.pk}": variant_id(shop, "BIGMANGO")})
    assert answer.status_code == 403 and not SubstituteOffer.objects.exists()


def test_another_shops_order_is_not_found(shop, order):
    client = client_for(factories.make_shop(), "owner")
    mango = order.lines.get(sku="MANGO")
    answer = client.post(offer_url(order, mango), {
        f"sub-variant-{mango.pk}": variant_id(shop, "BIGMANGO")})
    assert answer.status_code == 404 and not SubstituteOffer.objects.exists()


def offered(shop, order, sku, **extra) -> SubstituteOffer:
    from dingdan.fulfillment.services.substitutes import offer_substitute

    return offer_substitute(actor=factories.staff_actor(shop), order=order,
                            line_id=order.lines.get(sku="MANGO").pk,
                            variant_id=shop.variants.get(sku=sku).pk, **extra)


def test_the_customer_accepts_a_dearer_substitute_on_the_link(shop, order):
    made = offered(shop, order, "BIGMANGO", quantity=2)
    client = customer()
    html = page(client.get(link(order)))
    assert ("芒果 has run out. Instead, the shop can send 大芒果 × 2 at ¥15.00 each." in html)
    assert "That is ¥10.00 more" in html

    answer = client.post(link(order), {"op": "accept_substitute", "offer": str(made.pk)})

    assert answer.status_code == 302
    html = page(client.get(answer["Location"]))
    assert "You accepted the substitute" in html
    assert "You accepted 大芒果 × 2 instead of 芒果" in html
    assert 'data-testid="accept-substitute"' not in html
    order = Order.objects.get(pk=order.pk)
    assert (order.total_cents, order.balance_due_cents) == (5000, 1000)
    assert "10.00" in html  # what is left to pay
    assert ledger_mismatches(shop) == []


def test_the_customer_accepts_a_cheaper_substitute_and_is_refunded(shop, order):
    made = offered(shop, order, "SMALLMANGO", quantity=2)
    client = customer()
    assert "That is ¥4.00 less" in page(client.get(link(order)))

    client.post(link(order), {"op": "accept_substitute", "offer": str(made.pk)})

    refund = Refund.objects.get(order=order)
    assert refund.amount_cents == 400
    assert Order.objects.get(pk=order.pk).total_cents == 3600


def test_the_customer_declines_and_the_order_stays(shop, order):
    made = offered(shop, order, "BIGMANGO")
    client = customer()

    answer = client.post(link(order), {"op": "decline_substitute", "offer": str(made.pk)})

    html = page(client.get(answer["Location"]))
    assert "You declined the substitute: your order stays as it was." in html
    assert "You declined 大芒果 instead of 芒果" in html
    assert Order.objects.get(pk=order.pk).total_cents == 4000
    assert SubstituteOffer.objects.get(pk=made.pk).status == "declined"


def test_a_substitute_run_out_is_refused_on_the_page_and_stays_open(shop, order):
    made = offered(shop, order, "BIGMANGO", quantity=2)
    factories.place(shop, [("BIGMANGO", 4)])  # another order takes all but one

    answer = customer().post(link(order), {"op": "accept_substitute", "offer": str(made.pk)})

    assert answer.status_code == 409
    html = page(answer)
    assert "大芒果 has just run out" in html and 'data-testid="accept-substitute"' in html
    assert SubstituteOffer.objects.get(pk=made.pk).status == "offered"
    assert StockLevel.objects.get(variant__sku="BIGMANGO").reserved == 4


def test_one_orders_link_cannot_decide_another_orders_offer(shop, order):
    made = offered(shop, order, "BIGMANGO")
    other = factories.place(shop, [("PEAR", 1)])

    answer = customer().post(link(other), {"op": "accept_substitute", "offer": str(made.pk)})

    assert answer.status_code == 400 and "No such substitute offer." in page(answer)
    assert SubstituteOffer.objects.get(pk=made.pk).status == "offered"
    assert Order.objects.get(pk=order.pk).total_cents == 4000


def test_the_staff_panel_shows_what_the_customer_decided(shop, order):
    made = offered(shop, order, "BIGMANGO", quantity=2)
    customer().post(link(order), {"op": "accept_substitute", "offer": str(made.pk)})

    shown = panel(client_for(shop, "clerk"), order)

    assert "大芒果 × 2 at ¥15.00 instead of 芒果: <strong>Accepted</strong>" in shown
    assert 'data-testid="withdraw-substitute"' not in shown
