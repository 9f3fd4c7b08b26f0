"""Money goes back: never more than was paid and not yet returned, each refund numbered,
on the timeline, and the order's status saying how much went back."""

import pytest

from dingdan.errors import InvalidInput, PermissionDenied
from dingdan.orders.models import OrderEvent
from dingdan.orders.selectors.presentation import event_sentence
from dingdan.orders.states import PaymentStatus
from dingdan.payments.selectors.money import order_money, refundable_cents
from dingdan.payments.services import payments, refunds
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop():
    return factories.make_shop()


@pytest.fixture
def finance(shop):
    return factories.staff_actor(shop, "finance")


@pytest.fixture
def paid_order(shop, finance):
    sku = factories.make_sku(shop, price_cents=5000, stock=10)
    order = factories.place(shop, [(sku.sku, 2)])
    payments.record_payment(actor=finance, order=order, amount_cents=6000, method="alipay")
    payments.record_payment(actor=finance, order=order, amount_cents=order.total_cents - 6000,
                            method="cash")
    order.refresh_from_db()
    return order


def refund(actor, order, amount, **extra):
    return refunds.record_refund(actor=actor, order=order, amount_cents=amount,
                                 reason=extra.pop("reason", "少发一件"), **extra)


def test_a_partial_then_the_whole_refund(shop, paid_order, finance):
    total = paid_order.total_cents
    first = refund(finance, paid_order, 1000)
    paid_order.refresh_from_db()
    assert first.number == "R000001" and first.status == "succeeded"
    assert first.method == "cash"  # back the way the latest payment came
    assert (paid_order.refunded_cents, paid_order.payment_status) == (
        1000, PaymentStatus.PARTIALLY_REFUNDED)
    assert paid_order.balance_due_cents == 0  # given back for good, not owed again

    second = refund(finance, paid_order, total - 1000)
    paid_order.refresh_from_db()
    assert second.number == "R000002"
    assert (paid_order.refunded_cents, paid_order.payment_status) == (
        total, PaymentStatus.REFUNDED)
    assert refundable_cents(paid_order) == 0
    sentences = [event_sentence(e) for e in
                 OrderEvent.objects.filter(order=paid_order, kind="refund_recorded")]
    assert len(sentences) == 2 and "R000001" in sentences[0]


def test_more_than_is_refundable_is_refused_with_the_refundable_amount(shop, paid_order,
                                                                       finance):
    refund(finance, paid_order, 2000)
    with pytest.raises(refunds.RefundExceedsPaid) as refused:
        refund(finance, paid_order, paid_order.total_cents)
    assert refused.value.details == {"refundable_cents": paid_order.total_cents - 2000}


def test_a_refund_of_one_payment_is_limited_to_that_payment(shop, paid_order, finance):
    alipay = paid_order.payments.get(method="alipay")
    with pytest.raises(refunds.RefundExceedsPaid) as refused:
        refund(finance, paid_order, 6001, payment_id=alipay.pk)
    assert refused.value.details == {"refundable_cents": 6000}
    made = refund(finance, paid_order, 6000, payment_id=alipay.pk)
    assert (made.payment_id, made.method) == (alipay.pk, "alipay")


def test_a_payment_of_another_order_cannot_be_named(shop, paid_order, finance):
    sku = factories.make_sku(shop, stock=5)
    other = factories.place(shop, [(sku.sku, 1)])
    elsewhere = payments.record_payment(actor=finance, order=other, amount_cents=100,
                                        method="cash")
    with pytest.raises(InvalidInput) as refused:
        refund(finance, paid_order, 100, payment_id=elsewhere.pk)
    assert "payment_id" in refused.value.fields


def test_a_refund_needs_a_reason_and_a_known_method(shop, paid_order, finance):
    with pytest.raises(InvalidInput) as no_reason:
        refund(finance, paid_order, 100, reason="  ")
    with pytest.raises(InvalidInput) as bad_method:
        refund(finance, paid_order, 100, method="paypal")
    assert "reason" in no_reason.value.fields and "method" in bad_method.value.fields


@pytest.mark.parametrize("role", ["clerk", "warehouse", "viewer"])
def test_only_finance_owner_and_manager_refund(shop, paid_order, role):
    with pytest.raises(PermissionDenied):
        refund(factories.staff_actor(shop, role), paid_order, 100)


def test_a_pending_refund_counts_against_the_refundable_until_it_settles(shop, paid_order,
                                                                         finance):
    total = paid_order.total_cents
    pending = refund(finance, paid_order, total, status="pending")
    paid_order.refresh_from_db()
    assert (paid_order.refunded_cents, paid_order.payment_status) == (0, PaymentStatus.PAID)
    assert refundable_cents(paid_order) == 0

    failed = refunds.fail_refund(actor=finance, refund=pending, reason="账户已注销")
    assert failed.status == "failed"
    assert refundable_cents(paid_order) == total
    with pytest.raises(refunds.RefundNotPending):
        refunds.complete_refund(actor=finance, refund=pending)

    again = refund(finance, paid_order, total, status="pending")
    done = refunds.complete_refund(actor=finance, refund=again)
    paid_order.refresh_from_db()
    assert done.status == "succeeded" and done.settled_at is not None
    assert (paid_order.refunded_cents, paid_order.payment_status) == (
        total, PaymentStatus.REFUNDED)
    money = order_money(paid_order)
    assert (money.paid_cents, money.refunded_cents, money.pending_refund_cents) == (
        total, total, 0)
    kinds = [e.kind for e in OrderEvent.objects.filter(order=paid_order)][-4:]
    assert kinds == ["refund_recorded", "refund_settled", "refund_recorded", "refund_settled"]


def test_nothing_paid_nothing_to_refund(shop, finance):
    sku = factories.make_sku(shop, stock=5)
    order = factories.place(shop, [(sku.sku, 1)])
    with pytest.raises(refunds.RefundExceedsPaid) as refused:
        refund(finance, order, 1)
    assert refused.value.details == {"refundable_cents": 0}


def test_ledger_rows_are_never_changed_or_deleted(shop, paid_order):
    payment = paid_order.payments.first()
    payment.reference = "改一下"
    with pytest.raises(RuntimeError):
        payment.save()
    with pytest.raises(RuntimeError):
        payment.delete()
