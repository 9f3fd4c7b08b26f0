"""Many buyers at once, over real sockets against `dingdan serve`: the last units of a SKU
are sold exactly once, and a retried order with one Idempotency-Key is placed once."""

import pytest

from .client import all_at_once, open_shop, order_body, stock_sku, verify_ledger

pytestmark = pytest.mark.e2e

BUYERS = 64
LAST_UNITS = 10


def test_64_buyers_for_the_last_10_units_get_10_orders_and_54_refusals(served):
    api = open_shop(served)
    stock_sku(api, "LAST-10", LAST_UNITS)

    answers = all_at_once(
        BUYERS, lambda n: api.post("/orders", order_body(n, [("LAST-10", 1)]))
    )

    placed = [a for a in answers if a.status == 201]
    refused = [a for a in answers if a.status != 201]
    assert len(placed) == LAST_UNITS, [a.status for a in answers]
    assert len(refused) == BUYERS - LAST_UNITS
    assert {(a.status, a.body["error"]["code"]) for a in refused} == {(409, "insufficient_stock")}
    assert len({a.body["id"] for a in placed}) == LAST_UNITS
    level = api.get("/inventory/LAST-10").body
    assert (level["on_hand"], level["reserved"], level["available"]) == (LAST_UNITS, LAST_UNITS, 0)
    orders = api.all_pages("/orders")
    assert sorted(o["id"] for o in orders) == sorted(a.body["id"] for a in placed)
    verify_ledger(served)


def test_50_retries_of_one_order_at_once_place_it_once_and_all_get_its_answer(served):
    api = open_shop(served)
    stock_sku(api, "RETRY-1", 100)
    body = order_body(7, [("RETRY-1", 2)])
    key = {"Idempotency-Key": "mini-shop-checkout-7"}

    answers = all_at_once(50, lambda n: api.post("/orders", body, headers=key))

    assert {a.status for a in answers} == {201}, [(a.status, a.body) for a in answers]
    assert all(a.body == answers[0].body for a in answers)
    assert len(api.all_pages("/orders")) == 1
    level = api.get("/inventory/RETRY-1").body
    assert (level["reserved"], level["available"]) == (2, 98)
    verify_ledger(served)
