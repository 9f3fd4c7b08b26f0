"""A return comes back: the customer gives its tracking number, the warehouse inspects
every unit; resellable units go back to stock, damaged ones are written off, both in the
ledger naming the case; then the money goes back."""

import pytest

from dingdan.aftersales.models import CaseStatus
from dingdan.aftersales.services import cases, returns, settling
from dingdan.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from dingdan.fulfillment.services import shipping
from dingdan.inventory.models import StockLevel, StockMovement
from dingdan.inventory.selectors import ledger_mismatches
from dingdan.orders.services import lifecycle
from dingdan.payments.models import Refund
from dingdan.payments.services.payments import record_payment
from dingdan.shops.actors import Actor
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop():
    shop = factories.make_shop()
    factories.make_sku(shop, "APPLE", name="红富士苹果", price_cents=1000, stock=10)
    return shop


def approved_return(shop, units=3):
    order = lifecycle.accept_order(actor=factories.staff_actor(shop, "clerk"),
                                   order=factories.place(shop, [("APPLE", 3)]))
    record_payment(actor=factories.staff_actor(shop, "finance"), order=order,
                   amount_cents=order.total_cents, method="cash")
    shipping.create_shipment(actor=factories.staff_actor(shop, "warehouse"), order=order)
    order.refresh_from_db()
    case = cases.open_case(actor=Actor.customer(shop), order=order, type="return_refund",
                           reason="quality",
                           lines=[{"line_id": order.lines.get().pk, "quantity": units}])
    return settling.approve_case(actor=factories.staff_actor(shop, "clerk"), case=case)


def level(shop):
    row = StockLevel.objects.get(variant__shop=shop, variant__sku="APPLE")
    return row.on_hand, row.reserved


def test_a_return_is_shipped_back_inspected_restocked_and_refunded(shop):
    case = approved_return(shop)
    assert level(shop) == (7, 0)
    case = returns.return_shipped(actor=Actor.customer(shop), case=case, carrier="sf",
                                  tracking_number="sf 1234 5678 9012 3")
    assert (case.return_carrier, case.return_tracking_number) == ("sf", "SF1234567890123")
    assert case.status == CaseStatus.AWAITING_RETURN

    line_id = case.order.lines.get().pk
    case = returns.receive_return(actor=factories.staff_actor(shop, "warehouse"), case=case,
                                  lines=[{"line_id": line_id, "resellable": 2, "damaged": 1}])
    assert case.status == CaseStatus.RECEIVED
    assert level(shop) == (9, 0)  # two back on the shelf, the damaged one never offered
    moves = list(StockMovement.objects.filter(reference_type="aftersales",
                                              reference_id=str(case.pk))
                 .values_list("kind", "on_hand_delta"))
    assert sorted(moves) == sorted([("return", 2), ("return", 1), ("write_off", -1)])
    assert ledger_mismatches(shop) == []
    (line,) = case.lines.all()
    assert (line.resellable, line.damaged) == (2, 1)

    case = settling.refund_case(actor=factories.staff_actor(shop, "owner"), case=case)
    assert case.status == CaseStatus.REFUNDED
    assert Refund.objects.get(order=case.order).amount_cents == 3000


def test_every_unit_is_inspected_and_only_the_warehouse_side_receives(shop):
    case = approved_return(shop)
    line_id = case.order.lines.get().pk
    warehouse = factories.staff_actor(shop, "warehouse")
    for lines, field in [([{"line_id": line_id, "resellable": 1, "damaged": 1}], "lines.0"),
                         ([], "lines"),
                         ([{"line_id": 10**9, "resellable": 3}], "lines.0.line_id"),
                         ([{"line_id": line_id, "resellable": -1, "damaged": 4}], "lines.0")]:
        with pytest.raises(InvalidInput) as refused:
            returns.receive_return(actor=warehouse, case=case, lines=lines)
        assert field in refused.value.fields
    with pytest.raises(PermissionDenied):
        returns.receive_return(actor=factories.staff_actor(shop, "clerk"), case=case,
                               lines=[{"line_id": line_id, "resellable": 3}])
    assert level(shop) == (7, 0) and case.lines.get().resellable is None


def test_a_bad_return_number_is_refused_and_a_case_not_awaiting_goods_takes_none(shop):
    case = approved_return(shop)
    with pytest.raises(InvalidInput) as refused:
        returns.return_shipped(actor=Actor.customer(shop), case=case, carrier="sf",
                               tracking_number="12")
    assert "tracking_number" in refused.value.fields
    with pytest.raises(NotFound):  # another shop's customer
        returns.return_shipped(actor=Actor.customer(factories.make_shop()), case=case,
                               carrier="sf", tracking_number="SF1234567890123")
    line_id = case.order.lines.get().pk
    returns.receive_return(actor=factories.staff_actor(shop, "warehouse"), case=case,
                           lines=[{"line_id": line_id, "resellable": 3, "damaged": 0}])
    with pytest.raises(Conflict) as refused:
        returns.return_shipped(actor=Actor.customer(shop), case=case, carrier="sf",
                               tracking_number="SF1234567890123")
    assert refused.value.code == "invalid_transition"
    assert refused.value.details["allowed"] == ["refund"]
