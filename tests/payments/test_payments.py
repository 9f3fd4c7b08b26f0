"""The merchant records what the customer paid: the order's money follows the ledger, a
待付款 order paid in full moves on, and what is more than due or too late is refused."""

import datetime as dt

import pytest
from django.utils import timezone, translation

from dingdan.errors import InvalidInput, PermissionDenied
from dingdan.orders.models import Order, OrderEvent
from dingdan.orders.selectors.presentation import event_sentence
from dingdan.orders.services import lifecycle
from dingdan.orders.states import PaymentStatus, Status
from dingdan.payments.models import Payment
from dingdan.payments.selectors.money import order_money
from dingdan.payments.services import payments
from dingdan.shops.actors import Actor
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop():
    shop = factories.make_shop()
    shop.settings = {"payment_terms": "prepayment"}
    shop.save()
    return shop


@pytest.fixture
def order(shop):
    sku = factories.make_sku(shop, price_cents=5000, stock=10)
    return factories.place(shop, [(sku.sku, 2)])


@pytest.fixture
def finance(shop):
    return factories.staff_actor(shop, "finance")


def pay(actor, order, amount, **extra):
    return payments.record_payment(actor=actor, order=order, amount_cents=amount,
                                   method=extra.pop("method", "wechat_pay"), **extra)


def test_paying_part_then_the_rest_moves_a_pending_payment_order_on_and_says_why(
        shop, order, finance):
    assert order.status == Status.PENDING_PAYMENT
    total = order.total_cents

    pay(finance, order, 3000, reference="转账截图")
    order.refresh_from_db()
    assert (order.paid_cents, order.payment_status, order.status) == (
        3000, PaymentStatus.PARTIALLY_PAID, Status.PENDING_PAYMENT)
    assert order.balance_due_cents == total - 3000

    pay(finance, order, total - 3000, method="alipay")
    order.refresh_from_db()
    assert (order.paid_cents, order.payment_status, order.status) == (
        total, PaymentStatus.PAID, Status.PENDING_CONFIRMATION)
    assert order.balance_due_cents == 0
    kinds = [e.kind for e in OrderEvent.objects.filter(order=order)]
    assert kinds == ["placed", "payment_recorded", "payment_recorded", "status_changed"]
    moved = OrderEvent.objects.filter(order=order).last()
    assert moved.data["cause"] == "paid_in_full"
    assert "付清" in event_sentence(moved) or "Paid in full" in event_sentence(moved)


def test_a_payment_on_the_timeline_reads_as_a_sentence(shop, order, finance):
    pay(finance, order, 1234, method="cash")
    event = OrderEvent.objects.filter(order=order, kind="payment_recorded").get()
    assert event.data["amount_cents"] == 1234
    sentence = event_sentence(event)
    assert "12.34" in sentence and "现金" in sentence


def test_more_than_is_due_is_refused_unless_recorded_as_an_overpayment(shop, order, finance):
    total = order.total_cents
    with pytest.raises(payments.Overpayment) as refused:
        pay(finance, order, total + 1)
    assert refused.value.details == {"balance_due_cents": total}
    assert not Payment.objects.filter(order=order).exists()

    payment = pay(finance, order, total + 1, allow_overpayment=True)
    order.refresh_from_db()
    assert payment.is_overpayment
    assert (order.paid_cents, order.payment_status, order.balance_due_cents) == (
        total + 1, PaymentStatus.PAID, 0)
    assert order_money(order).has_overpayment


def test_a_cancelled_order_takes_no_payment(shop, order, finance):
    lifecycle.cancel_order(actor=Actor.system(shop), order=order, reason="unpaid_timeout")
    with pytest.raises(payments.OrderCancelled):
        pay(finance, order, 100)
    order.refresh_from_db()
    assert order.balance_due_cents == 0


def test_a_failed_attempt_is_kept_with_its_reason_and_counts_for_nothing(shop, order, finance):
    failed = pay(finance, order, 2000, status="failed", failure_reason="余额不足")
    order.refresh_from_db()
    assert (failed.status, failed.failure_reason) == ("failed", "余额不足")
    assert (order.paid_cents, order.payment_status) == (0, PaymentStatus.UNPAID)
    event = OrderEvent.objects.filter(order=order).last()
    assert (event.kind, event.note) == ("payment_failed", "余额不足")


@pytest.mark.parametrize(("field", "value"), [
    ("amount_cents", 0), ("amount_cents", -5), ("amount_cents", True), ("amount_cents", 10**13),
    ("method", "bitcoin"), ("status", "maybe"),
    ("paid_at", timezone.now() + dt.timedelta(days=3)),
])
def test_bad_input_is_refused_naming_the_field(shop, order, finance, field, value):
    values = {"amount_cents": 100, "method": "cash", field: value}
    with pytest.raises(InvalidInput) as refused:
        payments.record_payment(actor=finance, order=order, **values)
    assert field in refused.value.fields


@pytest.mark.parametrize("role", ["clerk", "warehouse", "viewer"])
def test_only_finance_owner_and_manager_record_payments(shop, order, role):
    with pytest.raises(PermissionDenied):
        pay(factories.staff_actor(shop, role), order, 100)
    for allowed in ("finance", "owner", "manager"):
        pay(factories.staff_actor(shop, allowed), order, 100)
    assert Order.objects.get(pk=order.pk).paid_cents == 300


def test_a_payment_records_who_took_it(shop, order, finance):
    payment = pay(finance, order, 100)
    assert payment.recorded_via == "staff"
    assert payment.recorded_by == finance.user
    assert payment.recorded_label == finance.label


def test_a_provider_payment_is_recorded_once_per_transaction(shop, order):
    system = Actor.system(shop)
    first = payments.record_provider_payment(
        actor=system, order=order, amount_cents=order.total_cents, method="wechat_pay",
        provider_transaction_id="4200000001")
    again = payments.record_provider_payment(
        actor=system, order=order, amount_cents=order.total_cents, method="wechat_pay",
        provider_transaction_id="4200000001")
    assert not first.already_recorded and again.already_recorded
    assert again.payment.pk == first.payment.pk
    assert first.payment.recorded_via == "provider"
    order.refresh_from_db()
    assert (order.paid_cents, order.status) == (order.total_cents, Status.PENDING_CONFIRMATION)


def test_a_provider_payment_for_a_cancelled_order_is_kept_and_goes_back(shop, order):
    system = Actor.system(shop)
    lifecycle.cancel_order(actor=system, order=order, reason="unpaid_timeout")
    outcome = payments.record_provider_payment(
        actor=system, order=order, amount_cents=order.total_cents, method="wechat_pay",
        provider_transaction_id="4200000002")
    order.refresh_from_db()
    assert order.status == Status.CANCELLED
    assert outcome.payment.is_overpayment
    assert (outcome.refund.status, outcome.refund.amount_cents) == ("pending",
                                                                    order.total_cents)
    assert order_money(order).refundable_cents == 0
    assert (order.paid_cents, order.refunded_cents) == (order.total_cents, 0)


def test_an_edit_may_not_bring_the_total_below_what_was_paid(shop, finance):
    from dingdan.errors import Conflict
    from dingdan.orders.services import editing

    sku = factories.make_sku(shop, price_cents=5000, stock=10)
    order = factories.place(shop, [(sku.sku, 2)])
    pay(finance, order, order.total_cents)
    order.refresh_from_db()
    owner = factories.staff_actor(shop, "owner")
    with pytest.raises(Conflict) as refused:
        editing.edit_order(actor=owner, order=order, version=order.version,
                           lines=[(sku.sku, 1)])
    assert refused.value.code == "total_below_paid"
    assert refused.value.details["excess_cents"] == 5000

    editing.edit_order(actor=owner, order=order, version=order.version, lines=[(sku.sku, 3)])
    order.refresh_from_db()
    assert (order.payment_status, order.balance_due_cents) == (
        PaymentStatus.PARTIALLY_PAID, 5000)


def test_an_edit_down_to_what_was_paid_moves_a_pending_payment_order_on(shop, finance):
    from dingdan.orders.services import editing

    sku = factories.make_sku(shop, price_cents=5000, stock=10)
    order = factories.place(shop, [(sku.sku, 2)])
    pay(finance, order, order.total_cents - 5000)
    order.refresh_from_db()
    clerk = factories.staff_actor(shop, "clerk")

    editing.edit_order(actor=clerk, order=order, version=order.version, lines=[(sku.sku, 1)])

    order.refresh_from_db()
    assert (order.payment_status, order.status) == (PaymentStatus.PAID,
                                                    Status.PENDING_CONFIRMATION)
    moved = OrderEvent.objects.filter(order=order).last()
    assert (moved.kind, moved.actor_kind, moved.data["cause"]) == (
        "status_changed", "system", "paid_in_full")


def test_a_screenshot_of_the_transfer_is_kept_with_the_payment(shop, order, finance,
                                                               settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    screenshot = b"\x89PNG\r\n\x1a\n" + b"\0" * 64
    payment = pay(finance, order, 100, proof=screenshot)
    assert payment.proof.name.startswith("payments/proofs/")
    assert payment.proof.name.endswith(".png")
    assert (tmp_path / payment.proof.name).read_bytes() == screenshot


def test_a_proof_that_is_not_an_image_is_refused_and_nothing_recorded(shop, order, finance):
    with pytest.raises(InvalidInput) as refused:
        pay(finance, order, 100, proof=b"%PDF-1.4 not an image")
    assert "proof" in refused.value.fields
    assert not order.payments.exists()


def test_a_shop_that_accepts_paid_orders_has_them_accepted_once_paid(shop, order, finance):
    shop.settings = {**shop.settings, "accept_paid_orders": True}
    shop.save()

    pay(finance, order, order.total_cents)

    order.refresh_from_db()
    assert order.status == Status.ACCEPTED
    moves = [e for e in OrderEvent.objects.filter(order=order).order_by("id")
             if e.kind == "status_changed"]
    assert [(m.data["to"], m.data["cause"], m.actor_kind) for m in moves] == [
        ("pending_confirmation", "paid_in_full", "staff"),
        ("accepted", "accepted_when_paid", "system")]
    with translation.override("en"):
        assert "accepts paid orders" in event_sentence(moves[-1])


def test_a_paid_order_that_cannot_be_accepted_waits_and_the_payment_stands(shop, finance):
    shop.settings = {**shop.settings, "accept_paid_orders": True,
                     "reserve_stock_on": "acceptance"}
    shop.save()
    sku = factories.make_sku(shop, price_cents=5000, stock=1)
    order = factories.place(shop, [(sku.sku, 2)])  # only one in stock: acceptance is refused

    pay(finance, order, order.total_cents)

    order.refresh_from_db()
    assert (order.status, order.payment_status) == (Status.PENDING_CONFIRMATION,
                                                    PaymentStatus.PAID)
    assert Payment.objects.filter(order=order).count() == 1
