"""The endpoint table's money operations: payments, refunds and payments the customer
reported, with the objects they need."""

from dingdan.shops.models import Shop
from tests import factories

from .endpoint_objects import _order
from .endpoint_table import NOTHING, Endpoint


def _paid_order(shop: Shop) -> int:
    """An order the customer has paid ¥5.00 towards."""
    from dingdan.orders.models import Order
    from dingdan.payments.services.payments import record_payment

    order = Order.objects.get(pk=_order(shop))
    record_payment(actor=factories.Actor.system(shop), order=order, amount_cents=500,
                   method="wechat_pay")
    return order.pk


def _order_with_reported_payment(shop: Shop) -> int:
    from dingdan.orders.models import Order
    from dingdan.payments.services.reported import report_payment

    order = Order.objects.get(pk=_order(shop))
    report_payment(order=order, method="alipay", reference="支付宝 2026120122")
    return order.pk


def _reported_payment(shop: Shop) -> int:
    """The report on the order `_order_with_reported_payment` made just before."""
    from dingdan.payments.models import ReportedPayment

    return ReportedPayment.objects.filter(shop=shop).latest("id").pk


MONEY_ENDPOINTS = [
    # Public: WeChat Pay's signature is its authentication (test_wechatpay_notify.py).
    Endpoint("post", "/api/v1/payments/wechatpay/notify/{shop_slug}", None,
             objects={"shop_slug": lambda shop: shop.slug}),  # answers no data
    Endpoint(
        "post", "/api/v1/orders/{order_id}/payments", "payments.record",
        {"amount_cents": 100, "method": "wechat_pay", "reference": "4200001234"},
        objects={"order_id": _order}, personal=NOTHING,
    ),
    Endpoint("get", "/api/v1/orders/{order_id}/payments", "orders.view",
             objects={"order_id": _paid_order}, personal=NOTHING),
    Endpoint(
        "post", "/api/v1/orders/{order_id}/refunds", "payments.refund",
        {"amount_cents": 100, "reason": "少发一件"},
        objects={"order_id": _paid_order}, personal=NOTHING,
    ),
    Endpoint("get", "/api/v1/orders/{order_id}/refunds", "orders.view",
             objects={"order_id": _paid_order}, personal=NOTHING),
    Endpoint("get", "/api/v1/orders/{order_id}/reported-payments", "orders.view",
             objects={"order_id": _order_with_reported_payment}, personal=NOTHING),
    Endpoint(
        "post", "/api/v1/orders/{order_id}/reported-payments/{report_id}/confirm",
        "payments.record",
        objects={"order_id": _order_with_reported_payment, "report_id": _reported_payment},
        personal=NOTHING,
    ),
    Endpoint(
        "post", "/api/v1/orders/{order_id}/reported-payments/{report_id}/reject",
        "payments.record", {"reason": "没有收到这笔钱"},
        objects={"order_id": _order_with_reported_payment, "report_id": _reported_payment},
        personal=NOTHING,
    ),
]
