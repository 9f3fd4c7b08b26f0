"""Placing an order through the API stays within its budget of SQL statements: every
statement is a round trip to the database on the busiest write path the shop has.
Transaction control (BEGIN, COMMIT, savepoints) is not counted."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dingdan.inventory.models import StockLevel
from dingdan.orders.models import Order, OrderEvent
from tests import factories

pytestmark = pytest.mark.django_db

# A known customer's 3-line order: token, SKUs, customer and addresses, order, lines,
# 3 stock reservations, ledger, timeline event, duplicate check (12), plus a flag, its
# order update and its timeline entry when the order is flagged (15).
KNOWN_CUSTOMER_BUDGET = 15
# A new customer: no duplicate check, but the customer and the address are written and
# the address read back for the order (13).
NEW_CUSTOMER_BUDGET = 13
# An Idempotency-Key adds its row and the stored answer.
IDEMPOTENCY_KEY_STATEMENTS = 2

TRANSACTION_CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE")
ADDRESS = "北京市朝阳区建国路88号"


@pytest.fixture
def shop():
    shop = factories.make_shop()
    for n in range(3):
        factories.make_sku(shop, f"SKU-{n}", price_cents=1000 + n, stock=1_000)
    return shop


@pytest.fixture
def client(shop):
    return factories.api_client(factories.token_for(shop, "clerk"))


def order_body(phone: str, quantities=(1, 2, 3)) -> dict:
    return {
        "customer": {"name": "张三", "phone": phone, "address": ADDRESS},
        "lines": [{"sku": f"SKU-{n}", "quantity": q} for n, q in enumerate(quantities)],
    }


def place_counting(client, body: dict, **headers) -> tuple[dict, list[str]]:
    with CaptureQueriesContext(connection) as captured:
        response = client.post(
            "/api/v1/orders", body, content_type="application/json", headers=headers
        )
    assert response.status_code == 201, response.content
    statements = [
        query["sql"] for query in captured.captured_queries
        if not query["sql"].lstrip().upper().startswith(TRANSACTION_CONTROL)
    ]
    return response.json(), statements


def within(statements: list[str], budget: int) -> bool:
    if len(statements) > budget:
        print(f"{len(statements)} statements, budget {budget}:")
        for n, sql in enumerate(statements, 1):
            print(f"{n:3}. {sql}")
    return len(statements) <= budget


def test_a_known_customer_s_three_line_order_stays_within_the_budget(shop, client):
    place_counting(client, order_body("13800138000", (5, 5, 5)))

    answer, statements = place_counting(client, order_body("13800138000"))

    assert within(statements, KNOWN_CUSTOMER_BUDGET)
    # The work was all done: stock held, timeline started, same customer.
    assert [level.reserved for level in StockLevel.objects.order_by("variant__sku")] == [
        6, 7, 8]
    assert OrderEvent.objects.get(order_id=answer["id"]).kind == "placed"
    assert Order.objects.filter(customer_id=answer["customer"]["id"]).count() == 2
    assert not answer["needs_attention"]


def test_a_repeated_order_that_gets_flagged_stays_within_the_budget(shop, client):
    place_counting(client, order_body("13800138000"))

    answer, statements = place_counting(client, order_body("13800138000"))

    assert within(statements, KNOWN_CUSTOMER_BUDGET)
    assert [flag["code"] for flag in answer["flags"]] == ["possible_duplicate"]


def test_a_new_customer_s_order_stays_within_its_budget(shop, client):
    # The token's first use of the minute notes the time (one more write, once a minute).
    assert client.get("/api/v1/orders").status_code == 200

    answer, statements = place_counting(client, order_body("13900139000"))

    assert within(statements, NEW_CUSTOMER_BUDGET)
    assert (answer["customer"]["phone"], answer["customer"]["district"]) == (
        "13900139000", "朝阳区")


def test_an_idempotency_key_costs_two_statements_and_a_retry_only_a_lookup(shop, client):
    place_counting(client, order_body("13800138000", (5, 5, 5)))

    first, statements = place_counting(
        client, order_body("13800138000"), **{"Idempotency-Key": "order-1"})
    again, retry = place_counting(
        client, order_body("13800138000"), **{"Idempotency-Key": "order-1"})

    assert within(statements, KNOWN_CUSTOMER_BUDGET + IDEMPOTENCY_KEY_STATEMENTS)
    assert again == first
    assert within(retry, 3)  # token, the refused key row, the stored answer


@pytest.mark.parametrize("repeat", [False, True], ids=["plain", "flagged"])
def test_the_answer_built_in_memory_is_the_order_as_read_back(shop, client, repeat):
    place_counting(client, order_body("13800138000", (1, 2, 3) if repeat else (4, 4, 4)))

    answer, _statements = place_counting(client, order_body("13800138000"))

    read_back = client.get(f"/api/v1/orders/{answer['id']}")
    assert read_back.status_code == 200
    assert answer == read_back.json()
