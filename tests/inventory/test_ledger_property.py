"""Whatever happens to stock, in whatever order, the ledger sums to the levels and nothing
is ever oversold."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dingdan.errors import DomainError
from dingdan.inventory.models import StockLevel
from dingdan.inventory.selectors import ledger_mismatches
from dingdan.inventory.services import reservations
from dingdan.inventory.services import stock as services
from dingdan.inventory.services.ledger import Reference
from dingdan.shops.actors import Actor
from tests import factories

quantities = st.integers(min_value=1, max_value=12)
operations = st.lists(
    st.one_of(
        st.tuples(st.just("receive"), st.integers(0, 2), quantities),
        st.tuples(st.just("adjust"), st.integers(0, 2), st.integers(-12, 12).filter(bool)),
        st.tuples(st.just("count"), st.integers(0, 2), st.integers(0, 30)),
        st.tuples(st.just("write_off"), st.integers(0, 2), quantities),
        st.tuples(st.just("reserve"), st.integers(0, 2), quantities),
        st.tuples(st.just("release"), st.integers(0, 2), st.integers(0, 9)),
        st.tuples(st.just("ship"), st.integers(0, 2), st.integers(0, 9)),
        st.tuples(st.just("return"), st.integers(0, 2), quantities),
    ),
    max_size=40,
)


@pytest.mark.django_db
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(ops=operations, backorders=st.booleans())
def test_the_ledger_always_sums_to_the_levels(ops, backorders):
    shop = factories.make_shop()
    shop.settings = {"allow_backorders": backorders}
    shop.save()
    actor = Actor.system(shop)
    skus = [factories.make_sku(shop, stock=5) for _ in range(3)]
    orders = 0

    for kind, index, amount in ops:
        variant = skus[index]
        order = Reference("order", str(amount))
        try:
            if kind == "receive":
                services.receive_stock(actor=actor, shop=shop, variant=variant, quantity=amount)
            elif kind == "adjust":
                services.adjust_stock(
                    actor=actor, shop=shop, variant=variant, delta=amount, reason="test"
                )
            elif kind == "count":
                services.count_stock(actor=actor, shop=shop, variant=variant, counted=amount)
            elif kind == "write_off":
                services.write_off_stock(
                    actor=actor, shop=shop, variant=variant, quantity=amount, reason="过期"
                )
            elif kind == "reserve":
                orders += 1
                reservations.reserve_stock(
                    actor=actor, shop=shop, lines=[(variant, amount), (skus[0], 1)],
                    reference=Reference("order", str(orders % 10)),
                )
            elif kind == "release":
                reservations.release_stock(actor=actor, shop=shop, reference=order)
            elif kind == "ship":
                held = reservations.held_for(order).get(variant.pk, 0)
                if held:
                    reservations.ship_stock(
                        actor=actor, shop=shop, reference=order, lines=[(variant, held)]
                    )
            elif kind == "return":
                services.return_to_stock(
                    actor=actor, shop=shop, variant=variant, quantity=amount, reference=order
                )
        except DomainError:
            pass  # refused operations must leave no trace; the checks below prove it

        assert ledger_mismatches(shop) == []
        for row in StockLevel.objects.filter(shop=shop):
            assert 0 <= row.reserved <= row.on_hand
