"""An order's ledger entries, oldest first, for its page and the API."""

from django.db.models import QuerySet

from dingdan.orders.models import Order
from dingdan.payments.models import Payment, Refund


def payments_of(order: Order) -> QuerySet[Payment]:
    return Payment.objects.filter(shop=order.shop_id, order=order).order_by("id")


def refunds_of(order: Order) -> QuerySet[Refund]:
    return Refund.objects.filter(shop=order.shop_id, order=order).order_by("id")
