"""Random sequences of offering a substitute (any SKU, units, price), accepting, declining,
withdrawing, paying, restocking and another order taking stock, on a paid order that waits
for part of its stock: after every step the stock ledger sums to the levels, what is held
never exceeds what the order needs, the money is what its ledger says, and a line has at
most one open offer."""

import contextlib
import os

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    rule,
    run_state_machine_as_test,
)

from dingdan.errors import DomainError
from dingdan.fulfillment.models import SubstituteOffer
from dingdan.fulfillment.services import substitutes
from dingdan.inventory.selectors import ledger_mismatches
from dingdan.inventory.services import reservations, stock
from dingdan.orders import states
from dingdan.orders.models import Order
from dingdan.orders.services import lifecycle
from dingdan.orders.services.placement import reference
from dingdan.payments.models import Payment, Refund
from dingdan.payments.services import payments
from dingdan.shops.actors import Actor
from tests import factories

SKUS = ("MANGO", "PEAR", "BIG", "SMALL")


class Substituting(RuleBasedStateMachine):
    @initialize(mangoes=st.integers(1, 4), mango_stock=st.integers(0, 3),
                big_stock=st.integers(0, 4), small_stock=st.integers(0, 4))
    def place(self, mangoes, mango_stock, big_stock, small_stock):
        self.shop = factories.make_shop()
        self.shop.settings = {"allow_backorders": True}
        self.shop.save()
        self.variants = {
            "MANGO": factories.make_sku(self.shop, "MANGO", price_cents=1000,
                                        stock=mango_stock),
            "PEAR": factories.make_sku(self.shop, "PEAR", price_cents=500, stock=5),
            "BIG": factories.make_sku(self.shop, "BIG", price_cents=1500, stock=big_stock),
            "SMALL": factories.make_sku(self.shop, "SMALL", price_cents=800, stock=small_stock),
        }
        self.staff = factories.staff_actor(self.shop, "owner")
        placed = factories.place(self.shop, [("MANGO", mangoes), ("PEAR", 1)])
        payments.record_payment(actor=self.staff, order=placed,
                                amount_cents=placed.total_cents, method="cash")
        self.order = lifecycle.accept_order(actor=self.staff,
                                            order=Order.objects.get(pk=placed.pk))

    def fresh(self) -> Order:
        return Order.objects.select_related("shop").get(pk=self.order.pk)

    @rule(line=st.integers(0, 5), sku=st.sampled_from(SKUS), quantity=st.integers(1, 3),
          price=st.none() | st.integers(0, 3000))
    def offer(self, line, sku, quantity, price):
        self.make_offer(line, sku, quantity, price)

    def make_offer(self, line, sku, quantity, price):
        order = self.fresh()
        lines = list(order.lines.all())
        with contextlib.suppress(DomainError):
            return substitutes.offer_substitute(
                actor=self.staff, order=order, line_id=lines[line % len(lines)].pk,
                variant_id=self.variants[sku].pk, quantity=quantity, unit_price_cents=price)
        return None

    @rule(line=st.integers(0, 5), sku=st.sampled_from(SKUS), quantity=st.integers(1, 3),
          price=st.none() | st.integers(0, 3000))
    def offer_and_accept(self, line, sku, quantity, price):
        made = self.make_offer(line, sku, quantity, price)
        if made is not None:
            with contextlib.suppress(DomainError):
                substitutes.accept_substitute(order=self.fresh(), offer_id=made.pk)

    def open_offer(self, index):
        offers = list(SubstituteOffer.objects.filter(order=self.order, status="offered"))
        return offers[index % len(offers)] if offers else None

    @rule(index=st.integers(0, 5))
    def accept(self, index):
        if (offer := self.open_offer(index)) is not None:
            with contextlib.suppress(DomainError):
                substitutes.accept_substitute(order=self.fresh(), offer_id=offer.pk)

    @rule(index=st.integers(0, 5))
    def decline(self, index):
        if (offer := self.open_offer(index)) is not None:
            substitutes.decline_substitute(order=self.fresh(), offer_id=offer.pk)

    @rule(index=st.integers(0, 5))
    def withdraw(self, index):
        if (offer := self.open_offer(index)) is not None:
            substitutes.withdraw_substitute(actor=self.staff, offer=offer)

    @rule()
    def pay_the_balance(self):
        order = self.fresh()
        if order.balance_due_cents:
            payments.record_payment(actor=self.staff, order=order,
                                    amount_cents=order.balance_due_cents, method="cash")

    @rule(sku=st.sampled_from(SKUS), quantity=st.integers(1, 3))
    def restock(self, sku, quantity):
        stock.receive_stock(actor=Actor.system(self.shop), shop=self.shop,
                            variant=self.variants[sku], quantity=quantity)

    @rule(sku=st.sampled_from(("BIG", "SMALL")), quantity=st.integers(1, 3))
    def another_order_takes_stock(self, sku, quantity):
        with contextlib.suppress(DomainError):
            factories.place(self.shop, [(sku, quantity)])

    @invariant()
    def stock_money_and_offers_agree(self):
        if not hasattr(self, "order"):
            return
        assert ledger_mismatches(self.shop) == []
        order = self.fresh()
        held = reservations.held_for(reference(order))
        for sku, variant in self.variants.items():
            needed = sum(line.quantity for line in order.lines.all() if line.sku == sku)
            assert 0 <= held.get(variant.pk, 0) <= needed
        paid = sum(Payment.objects.filter(order=order, status="succeeded")
                   .values_list("amount_cents", flat=True))
        refunded = sum(Refund.objects.filter(order=order, status="succeeded")
                       .values_list("amount_cents", flat=True))
        assert (order.paid_cents, order.refunded_cents) == (paid, refunded)
        assert 0 <= refunded <= paid and paid - refunded <= order.total_cents
        assert order.payment_status == states.payment_status_for(
            total_cents=order.total_cents, paid_cents=paid, refunded_cents=refunded)
        assert order.subtotal_cents == sum(line.unit_price_cents * line.quantity
                                           for line in order.lines.all())
        assert order.total_cents == (order.subtotal_cents - order.discount_cents
                                     + order.shipping_cents + order.tax_cents)
        open_lines = list(SubstituteOffer.objects.filter(order=order, status="offered")
                          .values_list("order_line_id", flat=True))
        assert len(open_lines) == len(set(open_lines))


@pytest.mark.django_db
def test_substitutes_keep_stock_and_money_consistent():
    run_state_machine_as_test(Substituting, settings=settings(
        max_examples=int(os.environ.get("SUBSTITUTE_EXAMPLES", 20)), stateful_step_count=12,
        deadline=None, suppress_health_check=[HealthCheck.too_slow]))
