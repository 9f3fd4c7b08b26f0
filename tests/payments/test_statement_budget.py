"""Recording a payment stays within its budget of SQL statements, the one that moves a
待付款 order on included. Transaction control (BEGIN, COMMIT, savepoints) is not counted,
as in tests/orders/test_statement_budget.py."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dingdan.orders.states import Status
from dingdan.payments.services import payments
from tests import factories
from tests.orders.test_statement_budget import TRANSACTION_CONTROL

pytestmark = pytest.mark.django_db

# Lock the order, insert the payment, sum the ledger, store the sums, the timeline entry
# (5); paying a 待付款 order in full adds confirm_paid's lock, move and entry (8).
PAYMENT_BUDGET = 10


def counted(order, amount: int) -> list[str]:
    actor = factories.staff_actor(order.shop, "finance")
    with CaptureQueriesContext(connection) as captured:
        payments.record_payment(actor=actor, order=order, amount_cents=amount, method="cash")
    return [q["sql"] for q in captured.captured_queries
            if not q["sql"].lstrip().upper().startswith(TRANSACTION_CONTROL)]


@pytest.mark.parametrize("prepaid", [False, True], ids=["part-payment", "pays-in-full"])
def test_a_payment_stays_within_its_statement_budget(prepaid):
    shop = factories.make_shop()
    if prepaid:
        shop.settings = {"payment_terms": "prepayment"}
        shop.save()
    sku = factories.make_sku(shop, stock=5)
    order = factories.place(shop, [(sku.sku, 2)])

    statements = counted(order, order.total_cents if prepaid else 100)

    assert len(statements) <= PAYMENT_BUDGET, "\n".join(statements)
    order.refresh_from_db()
    if prepaid:
        assert order.status == Status.PENDING_CONFIRMATION
