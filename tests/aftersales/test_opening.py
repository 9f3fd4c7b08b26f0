"""Opening an after-sales case: only on units that were shipped or handed over, never on a
unit another standing case already holds, with the default amount the lines' share of what
was paid; the customer may cancel it while it is only requested, the shop may reject it
with a reason. Each step is on the case and on the order's timeline."""

import threading

import pytest
from django.db import connection

from dingdan.aftersales.models import Case, CaseStatus
from dingdan.aftersales.services import cases
from dingdan.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from dingdan.fulfillment.services import shipping
from dingdan.orders.services import lifecycle
from dingdan.payments.services.payments import record_payment
from dingdan.shops.actors import Actor
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop():
    shop = factories.make_shop()
    factories.make_sku(shop, "APPLE", name="红富士苹果", price_cents=1000, stock=20)
    factories.make_sku(shop, "PEAR", name="砀山梨", price_cents=500, stock=20)
    return shop


def shipped_order(shop, lines=(("APPLE", 3), ("PEAR", 2)), *, ship=None, pay=True):
    """An accepted order, paid in full, with `ship` ({sku: units}) shipped (all if None)."""
    clerk = factories.staff_actor(shop, "clerk")
    order = lifecycle.accept_order(actor=clerk, order=factories.place(shop, list(lines)))
    if pay:
        record_payment(actor=factories.staff_actor(shop, "finance"), order=order,
                       amount_cents=order.total_cents, method="cash")
    warehouse = factories.staff_actor(shop, "warehouse")
    if ship is None:
        shipping.create_shipment(actor=warehouse, order=order)
    elif ship:
        by_sku = {line.sku: line for line in order.lines.all()}
        shipping.create_shipment(actor=warehouse, order=order, lines=[
            {"line_id": by_sku[sku].pk, "quantity": n} for sku, n in ship.items()])
    order.refresh_from_db()
    return order


def line_of(order, sku):
    return next(line for line in order.lines.all() if line.sku == sku)


def test_a_refund_only_case_asks_the_lines_share_of_what_was_paid(shop):
    order = shipped_order(shop)
    clerk = factories.staff_actor(shop, "clerk")
    case = cases.open_case(actor=clerk, order=order, type="refund_only", reason="damaged",
                           lines=[{"line_id": line_of(order, "APPLE").pk, "quantity": 2}],
                           description="两个烂了")
    assert case.status == CaseStatus.REQUESTED
    assert case.number == f"{order.number}-S1"
    assert case.requested_cents == 2000  # 2 of 3 apples at ¥10, nothing of the shipping
    assert case.answer_due_at is not None
    (event,) = case.events.all()
    assert event.kind == "aftersale_opened" and event.actor_kind == "staff"
    timeline = [e.kind for e in order.events.all()]
    assert timeline[-1] == "aftersale_opened"


def test_the_default_amount_carries_the_order_discount_and_never_exceeds_what_was_paid(shop):
    from dingdan.orders.services import editing

    clerk = factories.staff_actor(shop, "clerk")
    order = lifecycle.accept_order(actor=clerk,
                                   order=factories.place(shop, [("APPLE", 2), ("PEAR", 2)]))
    order = editing.change_prices(actor=factories.staff_actor(shop, "finance"), order=order,
                                  version=order.version, order_discount_cents=600,
                                  reason="老顾客")
    paid = order.total_cents
    record_payment(actor=factories.staff_actor(shop, "finance"), order=order,
                   amount_cents=paid, method="cash")
    shipping.create_shipment(actor=factories.staff_actor(shop, "warehouse"), order=order)
    order.refresh_from_db()
    apples = [{"line_id": line_of(order, "APPLE").pk, "quantity": 2}]
    case = cases.open_case(actor=clerk, order=order, type="return_refund", reason="quality",
                           lines=apples)
    # ¥20 of apples out of ¥30 of goods, less their part of the ¥6 discount: ¥16.
    assert case.requested_cents == 1600
    with pytest.raises(InvalidInput) as refused:
        cases.open_case(actor=clerk, order=order, type="refund_only", reason="quality",
                        lines=[{"line_id": line_of(order, "PEAR").pk, "quantity": 1}],
                        amount_cents=5000)
    assert "amount_cents" in refused.value.fields
    assert "¥4.00" in refused.value.fields["amount_cents"]


def test_the_default_amount_is_capped_at_what_was_paid(shop):
    order = shipped_order(shop, pay=False)
    record_payment(actor=factories.staff_actor(shop, "finance"), order=order,
                   amount_cents=1000, method="cash")
    order.refresh_from_db()
    case = cases.open_case(actor=factories.staff_actor(shop, "clerk"), order=order,
                           type="refund_only", reason="quality",
                           lines=[{"line_id": line_of(order, "APPLE").pk, "quantity": 3}])
    assert case.requested_cents == 1000


def test_units_never_shipped_or_already_claimed_cannot_be_claimed(shop):
    order = shipped_order(shop, ship={"APPLE": 2})
    clerk = factories.staff_actor(shop, "clerk")
    apple, pear = line_of(order, "APPLE"), line_of(order, "PEAR")
    with pytest.raises(Conflict) as refused:
        cases.open_case(actor=clerk, order=order, type="return_refund", reason="damaged",
                        lines=[{"line_id": apple.pk, "quantity": 3}])
    assert refused.value.code == "over_claim"
    assert refused.value.details["lines"] == [
        {"line_id": apple.pk, "name": "红富士苹果", "asked": 3, "claimable": 2}]
    with pytest.raises(Conflict) as refused:
        cases.open_case(actor=clerk, order=order, type="refund_only", reason="damaged",
                        lines=[{"line_id": pear.pk, "quantity": 1}])
    assert refused.value.code == "over_claim"

    first = cases.open_case(actor=clerk, order=order, type="refund_only", reason="damaged",
                            lines=[{"line_id": apple.pk, "quantity": 2}])
    with pytest.raises(Conflict) as refused:
        cases.open_case(actor=clerk, order=order, type="refund_only", reason="damaged",
                        lines=[{"line_id": apple.pk, "quantity": 1}])
    assert refused.value.details["lines"][0]["claimable"] == 0
    # A rejected case gives its units back to be claimed again.
    cases.reject_case(actor=clerk, case=first, reason="照片看不出问题")
    again = cases.open_case(actor=clerk, order=order, type="refund_only", reason="damaged",
                            lines=[{"line_id": apple.pk, "quantity": 2}])
    assert again.number.endswith("-S2")


def test_an_order_nothing_of_which_was_handed_over_is_not_a_case(shop):
    order = shipped_order(shop, ship={})
    with pytest.raises(Conflict) as refused:
        cases.open_case(actor=factories.staff_actor(shop, "clerk"), order=order,
                        type="refund_only", reason="late",
                        lines=[{"line_id": line_of(order, "APPLE").pk, "quantity": 1}])
    assert refused.value.code == "not_fulfilled"
    assert not Case.objects.exists()


@pytest.mark.parametrize("fields, field", [
    ({"type": "refund"}, "type"), ({"reason": "bored"}, "reason"),
    ({"lines": []}, "lines"), ({"lines": [{"line_id": 10**9, "quantity": 1}]}, "lines"),
    ({"lines": [{"line_id": None, "quantity": 1}]}, "lines.0.line_id"),
    ({"lines": "APPLE"}, "lines"),
])
def test_bad_input_is_refused_by_field_and_nothing_is_stored(shop, fields, field):
    order = shipped_order(shop)
    asked = {"type": "refund_only", "reason": "damaged",
             "lines": [{"line_id": line_of(order, "APPLE").pk, "quantity": 1}], **fields}
    with pytest.raises(InvalidInput) as refused:
        cases.open_case(actor=factories.staff_actor(shop, "clerk"), order=order, **asked)
    assert field in refused.value.fields
    assert not Case.objects.exists()


def test_roles_without_after_sales_cannot_open_and_another_shop_s_order_is_out_of_reach(shop):
    order = shipped_order(shop)
    claim = [{"line_id": line_of(order, "APPLE").pk, "quantity": 1}]
    for role in ("warehouse", "finance", "viewer"):
        with pytest.raises(PermissionDenied):
            cases.open_case(actor=factories.staff_actor(shop, role), order=order,
                            type="refund_only", reason="damaged", lines=claim)
    other = factories.make_shop()
    with pytest.raises(NotFound):
        cases.open_case(actor=factories.staff_actor(other, "owner"), order=order,
                        type="refund_only", reason="damaged", lines=claim)
    assert not Case.objects.exists()


def test_the_customer_cancels_a_requested_case_but_not_a_rejected_one(shop):
    order = shipped_order(shop)
    customer = Actor.customer(shop)
    claim = [{"line_id": line_of(order, "APPLE").pk, "quantity": 1}]
    case = cases.open_case(actor=customer, order=order, type="return_refund",
                           reason="changed_mind", lines=claim)
    assert case.opened_by_kind == "customer"
    case = cases.cancel_case(actor=customer, case=case, note="不退了")
    assert case.status == CaseStatus.CANCELLED and case.closed_at is not None
    with pytest.raises(Conflict) as refused:
        cases.cancel_case(actor=customer, case=case)
    assert refused.value.code == "invalid_transition"
    assert refused.value.details == {"allowed": []}

    other = cases.open_case(actor=customer, order=order, type="return_refund",
                            reason="changed_mind", lines=claim)
    with pytest.raises(InvalidInput):
        cases.reject_case(actor=factories.staff_actor(shop, "clerk"), case=other, reason=" ")
    cases.reject_case(actor=factories.staff_actor(shop, "clerk"), case=other,
                      reason="超过七天无理由期限")
    with pytest.raises(Conflict):
        cases.cancel_case(actor=customer, case=other)
    kinds = [(e.before, e.after) for e in Case.objects.get(pk=other.pk).events.all()]
    assert kinds == [("", "requested"), ("requested", "rejected")]


@pytest.mark.django_db(transaction=True)
def test_two_claims_at_once_on_the_last_units_make_one_case(shop):
    if connection.vendor == "sqlite":
        pytest.skip("SQLite runs one writer at a time: the race needs PostgreSQL")
    order = shipped_order(shop)
    claim = [{"line_id": line_of(order, "APPLE").pk, "quantity": 3}]
    outcomes = []

    def claim_it():
        try:
            cases.open_case(actor=factories.staff_actor(shop, "clerk"), order=order,
                            type="refund_only", reason="damaged", lines=claim)
            outcomes.append("opened")
        except Conflict as exc:
            outcomes.append(exc.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=claim_it) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["opened"] + ["over_claim"] * 5
    assert Case.objects.filter(order=order).count() == 1
