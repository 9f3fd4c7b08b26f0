"""The endpoint table's after-sales operations, with the cases they need."""

from dingdan.shops.models import Shop
from tests import factories

from .endpoint_table import ADDRESS, NOTHING, PHONE, Endpoint, Ref


def _shipped_order(shop: Shop) -> int:
    """An accepted order of one line, shipped."""
    from dingdan.fulfillment.services.shipping import create_shipment
    from dingdan.orders.services.lifecycle import accept_order

    sku = factories.make_sku(shop, stock=5).sku
    placed = factories.place(shop, [(sku, 2)], phone=PHONE, address=ADDRESS)
    order = accept_order(actor=factories.Actor.system(shop), order=placed)
    create_shipment(actor=factories.staff_actor(shop, "warehouse"), order=order)
    return order.pk


def _its_line(shop: Shop) -> int:
    """The line of the order `_shipped_order` made just before."""
    from dingdan.orders.models import OrderLine

    return OrderLine.objects.filter(shop=shop).latest("order_id", "-id").pk


def _case(shop: Shop) -> int:
    """A requested case on a shipped order."""
    from dingdan.aftersales.services.cases import open_case
    from dingdan.orders.models import Order

    order = Order.objects.get(pk=_shipped_order(shop))
    return open_case(actor=factories.staff_actor(shop, "owner"), order=order,
                     type="refund_only", reason="damaged",
                     lines=[{"line_id": _its_line(shop), "quantity": 1}]).pk


def _approved_case(shop: Shop) -> int:
    """An approved refund-only case on a paid, shipped order."""
    from dingdan.aftersales.services.cases import open_case
    from dingdan.aftersales.services.settling import approve_case
    from dingdan.orders.models import Order
    from dingdan.payments.services.payments import record_payment

    order = Order.objects.get(pk=_shipped_order(shop))
    record_payment(actor=factories.staff_actor(shop, "owner"), order=order,
                   amount_cents=order.total_cents, method="cash")
    case = open_case(actor=factories.staff_actor(shop, "owner"), order=order,
                     type="refund_only", reason="damaged",
                     lines=[{"line_id": _its_line(shop), "quantity": 1}])
    return approve_case(actor=factories.staff_actor(shop, "owner"), case=case).pk


def _awaiting_return(shop: Shop) -> int:
    """An approved return-and-refund case: the goods are awaited."""
    from dingdan.aftersales.services.cases import open_case
    from dingdan.aftersales.services.settling import approve_case
    from dingdan.orders.models import Order

    order = Order.objects.get(pk=_shipped_order(shop))
    case = open_case(actor=factories.staff_actor(shop, "owner"), order=order,
                     type="return_refund", reason="quality",
                     lines=[{"line_id": _its_line(shop), "quantity": 2}])
    return approve_case(actor=factories.staff_actor(shop, "owner"), case=case).pk


def _refunded_case(shop: Shop) -> int:
    from dingdan.aftersales.models import Case
    from dingdan.aftersales.services.settling import refund_case

    case = Case.objects.get(pk=_approved_case(shop))
    return refund_case(actor=factories.staff_actor(shop, "owner"), case=case).pk


AFTERSALES_ENDPOINTS = [
    Endpoint("post", "/api/v1/orders/{order_id}/aftersales", "aftersales.handle",
             {"type": "refund_only", "reason": "damaged",
              "lines": [{"line_id": Ref("line_id"), "quantity": 1}]},
             objects={"order_id": _shipped_order, "line_id": _its_line}, personal=NOTHING),
    Endpoint("get", "/api/v1/aftersales", "orders.view", personal=NOTHING),
    Endpoint("get", "/api/v1/aftersales/{case_id}", "orders.view",
             objects={"case_id": _case}, personal=NOTHING),
    Endpoint("post", "/api/v1/aftersales/{case_id}/reject", "aftersales.handle",
             {"reason": "照片看不出问题"}, objects={"case_id": _case}, personal=NOTHING),
    Endpoint("post", "/api/v1/aftersales/{case_id}/approve", "aftersales.handle", {},
             objects={"case_id": _case}, personal=NOTHING),
    Endpoint("post", "/api/v1/aftersales/{case_id}/return-shipped", "aftersales.handle",
             {"carrier": "sf", "tracking_number": "SF1234567890123"},
             objects={"case_id": _awaiting_return}, personal=NOTHING),
    Endpoint("post", "/api/v1/aftersales/{case_id}/receive", "inventory.receive",
             {"lines": [{"line_id": Ref("line_id"), "resellable": 2}]},
             objects={"case_id": _awaiting_return, "line_id": _its_line}, personal=NOTHING),
    Endpoint("post", "/api/v1/aftersales/{case_id}/refund", "payments.refund",
             objects={"case_id": _approved_case}, personal=NOTHING),
    Endpoint("post", "/api/v1/aftersales/{case_id}/close", "aftersales.handle", {},
             objects={"case_id": _refunded_case}, personal=NOTHING),
    Endpoint("post", "/api/v1/aftersales/{case_id}/cancel", "aftersales.handle", {},
             objects={"case_id": _case}, personal=NOTHING),
]
