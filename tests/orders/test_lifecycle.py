"""The lifecycle table is the law: every allowed move works for the actors it names, every
other move is refused with the allowed ones named. Generated from the table itself."""

import itertools

import pytest

from dingdan.inventory.models import StockLevel
from dingdan.orders import states
from dingdan.orders.models import OrderEvent, PaymentStatus
from dingdan.orders.services import lifecycle
from dingdan.orders.states import Status
from dingdan.shops.actors import Actor, ActorKind
from tests import factories

ACTOR_KINDS = [ActorKind.STAFF, ActorKind.API, ActorKind.SYSTEM, ActorKind.RULE,
               ActorKind.CUSTOMER]
ALLOWED = {(t.source, t.to, kind) for t in states.TRANSITIONS for kind in t.actors}
ALL_MOVES = [
    (source, to, kind)
    for source, to in itertools.permutations(Status.values, 2)
    for kind in ACTOR_KINDS
]


@pytest.mark.parametrize("source, to, kind", ALL_MOVES)
def test_the_table_decides_every_move(source, to, kind):
    if (source, to, kind) in ALLOWED:
        assert states.check(source, to, kind).to == to
    else:
        with pytest.raises(states.InvalidTransition) as refused:
            states.check(source, to, kind)
        assert refused.value.details["allowed"] == [
            str(s) for s in states.allowed_targets(source, kind)
        ]


def test_closed_orders_go_nowhere():
    for final in states.FINAL:
        assert states.allowed_targets(final) == []


def test_shipped_orders_cannot_be_cancelled():
    for source in (Status.SHIPPED, Status.IN_TRANSIT, Status.DELIVERED):
        assert Status.CANCELLED not in states.allowed_targets(source)


def _order_in(shop, status: str):
    sku = factories.make_sku(shop, stock=10)
    order = factories.place(shop, [(sku.sku, 2)])
    order.status = status
    if status == Status.PENDING_PAYMENT:
        order.payment_status, order.paid_cents = PaymentStatus.PAID, order.total_cents
    order.save()
    return order, sku


STAFF_MOVES = [t for t in states.TRANSITIONS if ActorKind.STAFF in t.actors]


@pytest.mark.django_db
@pytest.mark.parametrize("transition", STAFF_MOVES, ids=lambda t: f"{t.source}->{t.to}")
def test_an_owner_makes_every_staff_move_and_the_timeline_records_it(transition):
    shop = factories.make_shop()
    owner = factories.staff_actor(shop, "owner")
    order, sku = _order_in(shop, transition.source)

    moved = lifecycle.transition_order(actor=owner, order=order, to=transition.to, note="备注",
                                       reason="customer_request")

    assert moved.status == transition.to
    event = OrderEvent.objects.filter(order=order).last()
    reason = {"reason": "customer_request"} if transition.to == Status.CANCELLED else {}
    if transition.source == Status.PENDING_PAYMENT and transition.to != Status.CANCELLED:
        reason = {"cause": "paid_in_full"}
    assert (event.kind, event.data, event.note) == (
        "status_changed",
        {"from": transition.source, "to": transition.to, "version": 2, **reason}, "备注"
    )
    assert event.actor_kind == "staff"
    level = StockLevel.objects.get(variant=sku)
    if transition.to == Status.CANCELLED:
        assert (level.on_hand, level.reserved) == (10, 0)
    if transition.to == Status.SHIPPED:
        assert (level.on_hand, level.reserved) == (8, 0)


@pytest.mark.django_db
def test_a_refused_move_changes_nothing_and_names_the_allowed_moves():
    shop = factories.make_shop()
    order, _sku = _order_in(shop, Status.PENDING_CONFIRMATION)
    with pytest.raises(states.InvalidTransition) as refused:
        lifecycle.transition_order(
            actor=factories.staff_actor(shop), order=order, to=Status.DELIVERED
        )
    assert refused.value.details["allowed"] == ["accepted", "cancelled"]
    assert "已接受" in str(refused.value) or "Accepted" in str(refused.value)
    order.refresh_from_db()
    assert order.status == Status.PENDING_CONFIRMATION
    assert OrderEvent.objects.filter(order=order).count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("role, allowed", [("warehouse", True), ("clerk", False),
                                           ("viewer", False)])
def test_shipping_needs_the_ship_permission(role, allowed):
    shop = factories.make_shop()
    order, _sku = _order_in(shop, Status.PREPARING)
    actor = factories.staff_actor(shop, role)
    if allowed:
        moved = lifecycle.transition_order(actor=actor, order=order, to="shipped")
        assert moved.status == "shipped"
    else:
        with pytest.raises(Exception) as refused:
            lifecycle.transition_order(actor=actor, order=order, to="shipped")
        assert refused.value.status == 403


@pytest.mark.django_db
def test_a_prepayment_shop_cannot_ship_unpaid_orders():
    shop = factories.make_shop()
    shop.settings = {"requires_prepayment": True}
    shop.save()
    order, _sku = _order_in(shop, Status.ACCEPTED)
    with pytest.raises(states.InvalidTransition) as refused:
        lifecycle.transition_order(actor=factories.staff_actor(shop), order=order, to="shipped")
    assert refused.value.code == "not_paid"


@pytest.mark.django_db
def test_another_shops_system_cannot_move_an_order():
    shop, other = factories.make_shop(), factories.make_shop()
    order, _sku = _order_in(shop, Status.PENDING_CONFIRMATION)
    with pytest.raises(Exception) as refused:
        lifecycle.transition_order(actor=Actor.system(other), order=order, to="accepted")
    assert refused.value.status == 404
