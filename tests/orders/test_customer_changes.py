"""Customer changes through the order link: free while the order waits for confirmation,
a request for the merchant once it is accepted, and stock that follows whatever is applied."""

import pytest
from django.utils import translation

from dingdan.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from dingdan.inventory.errors import InsufficientStock
from dingdan.inventory.models import StockLevel
from dingdan.orders.models import Order, OrderChangeRequest, OrderEvent
from dingdan.orders.selectors.presentation import timeline
from dingdan.orders.services import customer_changes, review
from dingdan.orders.services.editing import StaleVersion
from dingdan.orders.services.lifecycle import transition_order
from dingdan.shops.actors import Actor
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop():
    shop = factories.make_shop()
    factories.make_sku(shop, "CM-500", name="草莓", price_cents=3990, stock=10)
    factories.make_sku(shop, "LM-125", name="蓝莓", price_cents=1990, stock=5)
    return shop


def reserved(sku: str) -> int:
    return StockLevel.objects.get(variant__sku=sku).reserved


def accepted(shop, lines):
    order = factories.place(shop, lines)
    return transition_order(actor=Actor.system(shop), order=order, to="accepted")


def test_before_confirmation_the_customer_changes_the_order_directly(shop):
    order = factories.place(shop, [("CM-500", 2)])

    changed = customer_changes.change_by_customer(
        order=order, version=order.version, lines=[("CM-500", 3), ("LM-125", 1)],
        address="上海市浦东新区世纪大道100号", note="下午送", message="多要一盒",
    )

    order.refresh_from_db()
    assert changed.pk == order.pk
    assert [(line.sku, line.quantity) for line in order.lines.all()] == [
        ("CM-500", 3), ("LM-125", 1)]
    assert order.total_cents == 3 * 3990 + 1990
    assert (order.city, order.district, order.address_detail) == ("上海市", "浦东新区",
                                                                  "世纪大道100号")
    assert order.note == "下午送"
    assert (reserved("CM-500"), reserved("LM-125")) == (3, 1)
    edit = OrderEvent.objects.get(order=order, kind="edited")
    assert edit.actor_kind == "customer"
    assert edit.note == "多要一盒"
    assert set(edit.data["changes"]) == {"lines", "address", "note"}
    with translation.override("en"):
        sentence = timeline(order)[-1].sentence
    assert sentence.startswith("The customer changed the products")
    assert sentence.endswith("the address, the customer's note")


def test_after_acceptance_a_change_waits_for_the_merchant(shop):
    order = accepted(shop, [("CM-500", 2)])

    request = customer_changes.change_by_customer(
        order=order, version=order.version, lines=[("CM-500", 4)], message="要4盒")

    order.refresh_from_db()
    assert isinstance(request, OrderChangeRequest)
    assert request.lines == [{"sku": "CM-500", "quantity": 4}]
    assert [(line.sku, line.quantity) for line in order.lines.all()] == [("CM-500", 2)]
    assert reserved("CM-500") == 2
    assert order.needs_attention
    assert [f.code for f in order.flags.filter(resolved_at__isnull=True)] == [
        "change_requested"]
    assert OrderEvent.objects.filter(order=order, kind="change_requested").count() == 1


def test_approving_applies_the_request_and_reserves_the_difference(shop):
    order = accepted(shop, [("CM-500", 2)])
    request = customer_changes.change_by_customer(
        order=order, version=order.version, lines=[("CM-500", 4)])
    clerk = factories.staff_actor(shop, "clerk")

    customer_changes.approve_change(actor=clerk, order=order, request_id=request.pk,
                                    note="好的")

    order.refresh_from_db()
    request.refresh_from_db()
    assert [(line.sku, line.quantity) for line in order.lines.all()] == [("CM-500", 4)]
    assert order.total_cents == 4 * 3990
    assert reserved("CM-500") == 4
    assert request.status == "approved"
    assert request.decision_note == "好的"
    assert not order.needs_attention
    kinds = list(OrderEvent.objects.filter(order=order).values_list("kind", flat=True))
    assert kinds[-2:] == ["edited", "change_decided"]


def test_declining_leaves_the_order_and_says_why(shop):
    order = accepted(shop, [("CM-500", 2)])
    request = customer_changes.change_by_customer(
        order=order, version=order.version, address="北京市海淀区中关村大街1号")

    customer_changes.decline_change(actor=factories.staff_actor(shop), order=order,
                                    request_id=request.pk, note="已发往原地址")

    order.refresh_from_db()
    request.refresh_from_db()
    assert order.address_detail == "建国路88号"
    assert (request.status, request.decision_note) == ("rejected", "已发往原地址")
    assert not order.needs_attention
    with pytest.raises(Conflict) as closed:
        customer_changes.approve_change(actor=factories.staff_actor(shop), order=order,
                                        request_id=request.pk)
    assert closed.value.code == "request_closed"


def test_a_new_request_replaces_the_open_one(shop):
    order = accepted(shop, [("CM-500", 2)])
    first = customer_changes.change_by_customer(
        order=order, version=order.version, lines=[("CM-500", 3)])
    order.refresh_from_db()

    second = customer_changes.change_by_customer(
        order=order, version=order.version, lines=[("CM-500", 5)])

    first.refresh_from_db()
    assert first.status == "withdrawn"
    assert second.status == "pending"
    assert order.flags.filter(code="change_requested", resolved_at__isnull=True).count() == 1


def test_the_customer_can_withdraw_their_request(shop):
    order = accepted(shop, [("CM-500", 2)])
    request = customer_changes.change_by_customer(
        order=order, version=order.version, note="放门口")

    customer_changes.withdraw_by_customer(order=order)

    request.refresh_from_db()
    order.refresh_from_db()
    assert request.status == "withdrawn"
    assert not order.needs_attention
    with pytest.raises(Conflict):
        customer_changes.withdraw_by_customer(order=order)


def test_an_approval_that_stock_cannot_cover_changes_nothing(shop):
    order = accepted(shop, [("LM-125", 1)])
    request = customer_changes.change_by_customer(
        order=order, version=order.version, lines=[("LM-125", 9)])
    version = Order.objects.get(pk=order.pk).version

    with pytest.raises(InsufficientStock):
        customer_changes.approve_change(actor=factories.staff_actor(shop), order=order,
                                        request_id=request.pk)

    order.refresh_from_db()
    request.refresh_from_db()
    assert (order.version, request.status, reserved("LM-125")) == (version, "pending", 1)


def test_a_request_that_changes_nothing_or_names_unknown_products_is_refused(shop):
    order = accepted(shop, [("CM-500", 2)])

    with pytest.raises(InvalidInput) as same:
        customer_changes.change_by_customer(order=order, version=order.version,
                                            lines=[("CM-500", 2)])
    with pytest.raises(InvalidInput) as unknown:
        customer_changes.change_by_customer(order=order, version=order.version,
                                            lines=[("NOPE", 1)])

    assert same.value.code == "no_change"
    assert unknown.value.code == "unknown_sku"
    assert not OrderChangeRequest.objects.exists()


def test_shipped_orders_and_stale_pages_are_refused(shop):
    order = accepted(shop, [("CM-500", 1)])
    with pytest.raises(StaleVersion):
        customer_changes.change_by_customer(order=order, version=1, note="改")
    shipped = transition_order(actor=factories.staff_actor(shop), order=order, to="shipped")

    with pytest.raises(Conflict) as refused:
        customer_changes.change_by_customer(order=shipped, version=shipped.version, note="改")

    assert refused.value.code == "not_editable"


def test_deciding_needs_the_edit_permission_and_the_right_shop(shop):
    order = accepted(shop, [("CM-500", 1)])
    request = customer_changes.change_by_customer(order=order, version=order.version,
                                                  note="改")
    with pytest.raises(PermissionDenied):
        customer_changes.approve_change(actor=factories.staff_actor(shop, "viewer"),
                                        order=order, request_id=request.pk)
    other = factories.make_shop()
    with pytest.raises(NotFound):
        customer_changes.decline_change(actor=factories.staff_actor(other), order=order,
                                        request_id=request.pk)
    with pytest.raises(Conflict):
        review.resolve_flag(actor=factories.staff_actor(shop), order=order,
                            code="change_requested")
    request.refresh_from_db()
    assert request.status == "pending"


def test_links_find_their_order_and_nothing_else(shop):
    order = factories.place(shop, [("CM-500", 1)])
    other = factories.place(shop, [("CM-500", 1)])

    assert customer_changes.order_for_link(order.link_token) == order
    assert order.link_token != other.link_token and len(order.link_token) >= 20
    for bad in ("", "x", order.link_token[:-1] + "?", "a" * 200):
        with pytest.raises(NotFound):
            customer_changes.order_for_link(bad)
