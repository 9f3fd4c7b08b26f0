"""Approving, refunding and closing a case: the amount is what was asked or less, never
more than the lines' share of what was paid (with shipping when chosen); the refund goes
through the payments ledger once, however many people press the button."""

import threading

import pytest
from django.db import connection

from dingdan.aftersales.models import Case, CaseStatus
from dingdan.aftersales.services import cases, settling
from dingdan.errors import Conflict, InvalidInput, PermissionDenied
from dingdan.fulfillment.services import shipping
from dingdan.orders.services import lifecycle
from dingdan.payments.models import Refund
from dingdan.payments.services.payments import record_payment
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop():
    shop = factories.make_shop()
    factories.make_sku(shop, "APPLE", name="红富士苹果", price_cents=1000, stock=20)
    return shop


def paid_and_shipped(shop, quantity=3):
    order = lifecycle.accept_order(actor=factories.staff_actor(shop, "clerk"),
                                   order=factories.place(shop, [("APPLE", quantity)]))
    record_payment(actor=factories.staff_actor(shop, "finance"), order=order,
                   amount_cents=order.total_cents, method="wechat_pay")
    shipping.create_shipment(actor=factories.staff_actor(shop, "warehouse"), order=order)
    order.refresh_from_db()
    return order


def opened(shop, order, type="refund_only", units=2, **extra):
    return cases.open_case(actor=factories.staff_actor(shop, "clerk"), order=order, type=type,
                           reason="damaged",
                           lines=[{"line_id": order.lines.get().pk, "quantity": units}],
                           **extra)


def test_a_refund_only_case_is_approved_refunded_and_closed(shop):
    order = paid_and_shipped(shop)
    case = opened(shop, order)
    manager = factories.staff_actor(shop, "manager")
    case = settling.approve_case(actor=manager, case=case, refund_cents=1500)  # less
    assert case.status == CaseStatus.APPROVED and case.approved_cents == 1500
    case = settling.refund_case(actor=factories.staff_actor(shop, "finance"), case=case)
    assert case.status == CaseStatus.REFUNDED
    (refund,) = Refund.objects.filter(order=order)
    assert refund.amount_cents == 1500 and refund.method == "wechat_pay"
    assert case.number in refund.reason
    order.refresh_from_db()
    assert order.refunded_cents == 1500 and order.payment_status == "partially_refunded"
    case = settling.close_case(actor=manager, case=case)
    assert case.status == CaseStatus.CLOSED and case.closed_at is not None
    steps = [(e.before, e.after) for e in Case.objects.get(pk=case.pk).events.all()]
    assert steps == [("", "requested"), ("requested", "approved"), ("approved", "refunded"),
                     ("refunded", "closed")]
    assert [e.kind for e in order.events.all()].count("aftersale_moved") == 3


def test_the_approved_amount_cannot_pass_the_lines_share_unless_shipping_is_given_back(shop):
    shop.settings = {"shipping": {"flat_cents": 800}}
    shop.save(update_fields=["settings"])
    order = paid_and_shipped(shop)
    assert order.shipping_cents == 800
    case = opened(shop, order)
    manager = factories.staff_actor(shop, "manager")
    with pytest.raises(InvalidInput) as refused:
        settling.approve_case(actor=manager, case=case, refund_cents=2001)
    assert "refund_cents" in refused.value.fields and "¥20.00" in refused.value.fields[
        "refund_cents"]
    case = settling.approve_case(actor=manager, case=case, refund_shipping=True)
    assert case.approved_cents == 2800  # the two apples and the ¥8 shipping
    assert case.refund_shipping


def test_a_return_waits_for_the_goods_before_it_can_be_refunded(shop):
    order = paid_and_shipped(shop)
    case = opened(shop, order, type="return_refund")
    case = settling.approve_case(actor=factories.staff_actor(shop, "manager"), case=case)
    assert case.status == CaseStatus.AWAITING_RETURN and case.return_due_at is not None
    with pytest.raises(Conflict) as refused:
        settling.refund_case(actor=factories.staff_actor(shop, "owner"), case=case)
    assert refused.value.code == "invalid_transition"
    assert not Refund.objects.exists()


def test_who_may_approve_and_who_may_refund(shop):
    order = paid_and_shipped(shop)
    case = opened(shop, order)
    for role in ("warehouse", "finance", "viewer"):
        with pytest.raises(PermissionDenied):
            settling.approve_case(actor=factories.staff_actor(shop, role), case=case)
    case = settling.approve_case(actor=factories.staff_actor(shop, "clerk"), case=case)
    with pytest.raises(PermissionDenied):  # a clerk handles cases but does not move money
        settling.refund_case(actor=factories.staff_actor(shop, "clerk"), case=case)
    assert not Refund.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_parallel_refunds_of_one_case_give_the_money_back_once(shop):
    if connection.vendor == "sqlite":
        pytest.skip("SQLite runs one writer at a time: the race needs PostgreSQL")
    order = paid_and_shipped(shop)
    case = settling.approve_case(actor=factories.staff_actor(shop, "manager"),
                                 case=opened(shop, order))
    outcomes = []

    def refund_it():
        try:
            settling.refund_case(actor=factories.staff_actor(shop, "owner"), case=case)
            outcomes.append("refunded")
        except Conflict as exc:
            outcomes.append(exc.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=refund_it) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["invalid_transition"] * 5 + ["refunded"]
    assert sum(r.amount_cents for r in Refund.objects.filter(order=order)) == 2000
