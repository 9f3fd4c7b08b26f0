"""`kill -9` of every dingdan process while orders pour in: after a restart on the same
database, each order a client was told about is there and whole, no order is half-written,
the stock ledger still sums to the levels, and new orders are taken."""

import http.client
import threading
import time
from collections import Counter, defaultdict

import pytest

from tests.e2e.conftest import start_server, stop_server

from .client import ShopApi, kill_all, open_shop, order_body, stock_sku, verify_ledger

pytestmark = pytest.mark.e2e

BUYERS = 12
ACKNOWLEDGED_BEFORE_KILL = 30
PRICES = {"CRASH-A": 1990, "CRASH-B": 350}


def _lines(n: int) -> list[tuple[str, int]]:
    # CRASH-A twice: an order naming a SKU on two lines reserves the sum.
    return [("CRASH-A", 1 + n % 3), ("CRASH-B", 2), ("CRASH-A", 1)]


def _buy_until_stopped(api: ShopApi, buyer: int, stop: threading.Event, told: list, lock):
    for n in range(buyer * 10_000, (buyer + 1) * 10_000):
        if stop.is_set():
            return
        try:
            answer = api.post("/orders", order_body(n, _lines(n)), timeout=15)
        except (OSError, http.client.HTTPException, ValueError):
            return  # the server died under this request: its answer never came
        if 200 <= answer.status < 300:
            with lock:
                told.append(answer.body)


def _place_orders_then_kill(server, api: ShopApi) -> list[dict]:
    told: list[dict] = []
    lock, stop = threading.Lock(), threading.Event()
    buyers = [
        threading.Thread(target=_buy_until_stopped, args=(api, b, stop, told, lock))
        for b in range(BUYERS)
    ]
    for buyer in buyers:
        buyer.start()
    deadline = time.monotonic() + 60
    while (
        len(told) < ACKNOWLEDGED_BEFORE_KILL
        and any(buyer.is_alive() for buyer in buyers)
        and time.monotonic() < deadline
    ):
        time.sleep(0.02)
    kill_all(server)
    stop.set()
    for buyer in buyers:
        buyer.join(timeout=30)
    assert len(told) >= ACKNOWLEDGED_BEFORE_KILL, server.log.read_text()
    return told


def _assert_whole(order: dict) -> None:
    """Lines priced from the catalog, totals that add up, and the timeline's first entry."""
    assert order["lines"], order
    for line in order["lines"]:
        assert line["unit_price_cents"] == PRICES[line["sku"]]
        assert line["total_cents"] == line["unit_price_cents"] * line["quantity"]
    assert order["subtotal_cents"] == sum(line["total_cents"] for line in order["lines"])
    assert order["total_cents"] == (
        order["subtotal_cents"] - order["discount_cents"] + order["shipping_cents"]
        + order["tax_cents"]
    )
    assert [e["kind"] for e in order["events"]].count("placed") == 1, order["events"]


def _reserved_by_order(api: ShopApi) -> dict[tuple[str, str], int]:
    """(order id, sku) → units the ledger holds for that order."""
    held: dict[tuple[str, str], int] = defaultdict(int)
    for sku in PRICES:
        for movement in api.all_pages(f"/inventory/{sku}/movements"):
            if movement["reference_type"] == "order":
                held[(movement["reference_id"], sku)] += movement["reserved_delta"]
    return held


def test_every_answered_order_survives_a_kill_9_whole_and_none_is_half_written(tmp_path):
    (tmp_path / "first").mkdir()
    (tmp_path / "restarted").mkdir()
    first = start_server(tmp_path / "first", own_process_group=True)
    restarted = None
    try:
        api = open_shop(first)
        for sku, price in PRICES.items():
            stock_sku(api, sku, 1_000_000, price_cents=price)

        told = _place_orders_then_kill(first, api)

        restarted = start_server(tmp_path / "restarted", env=first.env)
        api = ShopApi(restarted.url, api.token, api.slug)
        stored = {
            order["id"]: api.get(f"/orders/{order['id']}?include=events").body
            for order in api.all_pages("/orders")
        }
        for answer in told:
            order = stored.get(answer["id"])
            assert order is not None, f"order {answer['number']} was answered but is lost"
            assert order["lines"] == answer["lines"]
            assert order["total_cents"] == answer["total_cents"]
        for order in stored.values():
            _assert_whole(order)
        wanted = Counter()
        for order in stored.values():
            for line in order["lines"]:
                wanted[(str(order["id"]), line["sku"])] += line["quantity"]
        held = _reserved_by_order(api)
        assert {k: v for k, v in held.items() if v} == dict(wanted)
        for sku in PRICES:
            level = api.get(f"/inventory/{sku}").body
            assert level["reserved"] == sum(v for (_id, s), v in wanted.items() if s == sku)
        verify_ledger(restarted)

        after = api.post("/orders", order_body(99_999_999, [("CRASH-B", 1)]))
        assert after.status == 201, after
    finally:
        if restarted is not None:
            stop_server(restarted)
        stop_server(first)
