"""Out of stock after acceptance: the shop offers another SKU for the units it cannot
supply; the customer accepts it (the order takes the substitute, dearer or cheaper, with
the money following) or declines it (the order stays as it was)."""

import pytest
from django.utils import translation

from dingdan.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from dingdan.fulfillment.models import SubstituteOffer
from dingdan.fulfillment.services import substitutes
from dingdan.inventory.models import Backorder, StockLevel
from dingdan.inventory.selectors import ledger_mismatches
from dingdan.orders.models import Order, OrderEvent
from dingdan.orders.selectors.presentation import timeline
from dingdan.orders.services import lifecycle
from dingdan.payments.models import Refund
from dingdan.payments.services import payments
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


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
def owner(shop):
    return factories.staff_actor(shop)


def accepted(shop, owner, *, paid: bool = False) -> Order:
    placed = factories.place(shop, [("MANGO", 3), ("PEAR", 2)])  # ¥40, 2 mangoes short
    if paid:
        payments.record_payment(actor=owner, order=placed, amount_cents=placed.total_cents,
                                method="wechat_pay")
    return lifecycle.accept_order(actor=owner, order=Order.objects.get(pk=placed.pk))


def variant(shop, sku):
    return shop.variants.get(sku=sku)


def mango_line(order):
    return order.lines.get(sku="MANGO")


def offer(owner, order, sku, **extra):
    return substitutes.offer_substitute(actor=owner, order=order, line_id=mango_line(order).pk,
                                        variant_id=variant(order.shop, sku).pk, **extra)


def sentences(order):
    return [entry.sentence for entry in timeline(order)]


def test_a_dearer_substitute_accepted_raises_the_total_and_leaves_a_balance(shop, owner):
    order = accepted(shop, owner, paid=True)
    assert Backorder.objects.get(variant__sku="MANGO").quantity == 2

    made = offer(owner, order, "BIGMANGO", quantity=2, note="芒果缺货，换大芒果")
    assert (made.status, made.quantity, made.unit_price_cents) == ("offered", 2, 1500)
    substitutes.accept_substitute(order=order, offer_id=made.pk)

    order = Order.objects.get(pk=order.pk)
    assert [(line.sku, line.quantity) for line in order.lines.all()] == [
        ("MANGO", 1), ("PEAR", 2), ("BIGMANGO", 2)]
    assert order.total_cents == 4000 + 2 * 500
    assert (order.balance_due_cents, order.payment_status) == (1000, "partially_paid")
    assert not Backorder.objects.filter(filled_at__isnull=True,
                                        cancelled_at__isnull=True).exists()
    levels = {level.variant.sku: (level.on_hand, level.reserved)
              for level in StockLevel.objects.select_related("variant")}
    assert levels["MANGO"] == (1, 1) and levels["BIGMANGO"] == (5, 2)
    assert ledger_mismatches(shop) == []
    assert SubstituteOffer.objects.get(pk=made.pk).status == "accepted"
    said = sentences(order)
    assert any("offered 大芒果 × 2 at ¥15.00 each instead of 芒果" in s for s in said)
    assert any("accepted 大芒果 × 2 instead of 芒果; the total went from ¥40.00 to ¥50.00"
               in s for s in said)


def test_a_cheaper_substitute_accepted_refunds_what_was_paid_beyond(shop, owner):
    order = accepted(shop, owner, paid=True)
    made = offer(owner, order, "SMALLMANGO")  # every unit still to ship, at its price
    assert (made.quantity, made.unit_price_cents) == (3, 800)

    substitutes.accept_substitute(order=order, offer_id=made.pk)

    order = Order.objects.get(pk=order.pk)
    assert [(line.sku, line.quantity) for line in order.lines.all()] == [
        ("PEAR", 2), ("SMALLMANGO", 3)]
    assert order.total_cents == 3400
    refund = Refund.objects.get(order=order)
    assert (refund.amount_cents, refund.status) == (600, "succeeded")
    assert (order.refunded_cents, order.balance_due_cents) == (600, 0)
    assert order.payment_status == "partially_refunded"
    assert StockLevel.objects.get(variant__sku="MANGO").reserved == 0
    assert ledger_mismatches(shop) == []


def test_declining_keeps_the_order_as_it_was(shop, owner):
    order = accepted(shop, owner)
    before = (order.total_cents, order.version,
              [(line.sku, line.quantity) for line in order.lines.all()])
    made = offer(owner, order, "BIGMANGO", unit_price_cents=1000)

    substitutes.decline_substitute(order=order, offer_id=made.pk, note="等芒果")

    order = Order.objects.get(pk=order.pk)
    assert (order.total_cents, order.version,
            [(line.sku, line.quantity) for line in order.lines.all()]) == before
    assert StockLevel.objects.get(variant__sku="BIGMANGO").reserved == 0
    assert Backorder.objects.get(variant__sku="MANGO").quantity == 2
    assert SubstituteOffer.objects.get(pk=made.pk).status == "declined"
    assert any("declined 大芒果 instead of 芒果" in s for s in sentences(order))
    with pytest.raises(Conflict) as again:
        substitutes.accept_substitute(order=order, offer_id=made.pk)
    assert again.value.code == "substitute_decided"


def test_a_substitute_out_of_stock_is_refused_and_the_offer_stays_open(shop, owner):
    order = accepted(shop, owner)
    made = offer(owner, order, "BIGMANGO", quantity=2)
    other = factories.place(shop, [("BIGMANGO", 4)])  # takes all but one
    assert StockLevel.objects.get(variant__sku="BIGMANGO").reserved == 4

    with pytest.raises(Conflict) as refused:
        substitutes.accept_substitute(order=order, offer_id=made.pk)

    assert refused.value.code == "substitute_out_of_stock"
    assert "大芒果 has just run out" in refused.value.message
    assert SubstituteOffer.objects.get(pk=made.pk).status == "offered"
    assert mango_line(Order.objects.get(pk=order.pk)).quantity == 3
    assert StockLevel.objects.get(variant__sku="BIGMANGO").reserved == 4
    assert ledger_mismatches(shop) == []
    lifecycle.cancel_order(actor=owner, order=other, reason="customer_request")
    substitutes.accept_substitute(order=order, offer_id=made.pk)
    assert ledger_mismatches(shop) == []


def test_withdrawn_offers_cannot_be_accepted_and_one_open_offer_per_line(shop, owner):
    order = accepted(shop, owner)
    made = offer(owner, order, "BIGMANGO")
    with pytest.raises(Conflict) as second:
        offer(owner, order, "SMALLMANGO")
    assert second.value.code == "substitute_open"

    substitutes.withdraw_substitute(actor=owner, offer=made)

    with pytest.raises(Conflict) as late:
        substitutes.accept_substitute(order=order, offer_id=made.pk)
    assert late.value.code == "substitute_decided"
    assert offer(owner, order, "SMALLMANGO").status == "offered"
    assert any("withdrew the offer of 大芒果" in s for s in sentences(order))


@pytest.mark.parametrize(("sku", "extra", "field"), [
    ("MANGO", {}, "variant_id"),                   # the same SKU
    ("BIGMANGO", {"quantity": 4}, "quantity"),     # more than is left to ship
    ("BIGMANGO", {"quantity": 0}, "quantity"),
    ("BIGMANGO", {"unit_price_cents": -1}, "unit_price_cents"),
])
def test_bad_offers_are_refused_at_their_field(shop, owner, sku, extra, field):
    order = accepted(shop, owner)
    with pytest.raises(InvalidInput) as refused:
        offer(owner, order, sku, **extra)
    assert field in refused.value.fields
    assert not SubstituteOffer.objects.exists()


def test_an_inactive_or_another_shops_product_is_no_substitute(shop, owner):
    from dingdan.catalog.models import Variant

    order = accepted(shop, owner)
    Variant.objects.filter(sku="BIGMANGO").update(is_active=False)
    with pytest.raises(InvalidInput, match="not on sale"):
        offer(owner, order, "BIGMANGO")
    elsewhere = factories.make_sku(factories.make_shop(), "BIGMANGO2", stock=5)
    with pytest.raises(InvalidInput):
        substitutes.offer_substitute(actor=owner, order=order,
                                     line_id=mango_line(order).pk, variant_id=elsewhere.pk)


def test_only_an_accepted_order_not_yet_shipped_takes_an_offer(shop, owner):
    placed = factories.place(shop, [("PEAR", 1), ("MANGO", 1)])
    with pytest.raises(Conflict) as early:
        substitutes.offer_substitute(actor=owner, order=placed,
                                     line_id=placed.lines.get(sku="MANGO").pk,
                                     variant_id=variant(shop, "BIGMANGO").pk)
    assert early.value.code == "not_substitutable"


def test_who_may_offer(shop):
    order = accepted(shop, factories.staff_actor(shop))
    with pytest.raises(PermissionDenied):
        offer(factories.staff_actor(shop, "viewer"), order, "BIGMANGO")
    other = factories.staff_actor(factories.make_shop())
    with pytest.raises(NotFound):
        offer(other, order, "BIGMANGO")
    assert not OrderEvent.objects.filter(kind="substitute_offered").exists()


def test_an_offer_whose_line_was_edited_away_is_no_longer_shown_to_the_customer(shop, owner):
    from dingdan.fulfillment.selectors.substitutes import open_offers_for_customer
    from dingdan.orders.services.editing import edit_order

    order = accepted(shop, owner)
    made = offer(owner, order, "BIGMANGO")
    assert open_offers_for_customer(order) == [made]
    order = edit_order(actor=owner, order=order, version=order.version,
                       lines=[("PEAR", 2), ("MANGO", 1)], reason="顾客电话改单")

    assert open_offers_for_customer(order) == []
    with pytest.raises(Conflict) as refused:
        substitutes.accept_substitute(order=order, offer_id=made.pk)
    assert refused.value.code == "line_gone"
    assert substitutes.withdraw_substitute(actor=owner, offer=made).status == "withdrawn"
    assert ledger_mismatches(shop) == []


def test_what_is_in_stock_ships_now_and_a_substitute_is_offered_for_the_rest(shop, owner):
    from dingdan.fulfillment.services import shipping

    order = accepted(shop, owner, paid=True)
    warehouse = factories.staff_actor(shop, "warehouse")
    first = shipping.create_shipment(actor=warehouse, order=order)  # 1 mango, 2 pears
    order = Order.objects.get(pk=order.pk)
    assert (order.status, order.fulfillment_status) == ("shipped", "partially_shipped")

    made = offer(owner, order, "BIGMANGO", quantity=2)
    substitutes.accept_substitute(order=order, offer_id=made.pk)
    order = Order.objects.get(pk=order.pk)
    assert [(line.sku, line.quantity) for line in order.lines.all()] == [
        ("MANGO", 1), ("PEAR", 2), ("BIGMANGO", 2)]
    assert order.fulfillment_status == "partially_shipped"
    second = shipping.create_shipment(actor=warehouse, order=order)  # the big mangoes
    assert [(line.sku, line.quantity) for line in second.lines.all()] == [("BIGMANGO", 2)]
    order = Order.objects.get(pk=order.pk)
    assert order.fulfillment_status == "shipped" and first.pk != second.pk
    assert ledger_mismatches(shop) == []


def test_a_line_that_shipped_whole_takes_no_substitute(shop, owner):
    from dingdan.fulfillment.services import shipping

    order = accepted(shop, owner)
    pears = order.lines.get(sku="PEAR")
    shipping.create_shipment(actor=factories.staff_actor(shop, "warehouse"), order=order,
                             lines=[{"line_id": pears.pk, "quantity": 2}])
    with pytest.raises(Conflict) as refused:
        substitutes.offer_substitute(actor=owner, order=Order.objects.get(pk=order.pk),
                                     line_id=pears.pk,
                                     variant_id=variant(shop, "SMALLMANGO").pk)
    assert refused.value.code == "nothing_to_replace"
