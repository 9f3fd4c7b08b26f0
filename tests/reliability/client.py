"""Driving a real `dingdan serve` (started by tests/e2e's helpers) like its clients do: a
shop with an owner's API token, a small JSON client that many threads use at once (each
request on a socket of its own), and the checks every reliability test ends with."""

import json
import os
import signal
import threading
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from tests.e2e.conftest import Served


@dataclass(frozen=True)
class Answer:
    status: int
    body: Any


@dataclass(frozen=True)
class ShopApi:
    """One shop's API, as its owner's token sees it."""

    url: str
    token: str
    slug: str

    def call(
        self, method: str, path: str, body: Any = None, headers: dict | None = None,
        timeout: float = 60,
    ) -> Answer:
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(
            self.url + "/api/v1" + path, data=data, method=method,
            headers={"Authorization": f"Bearer {self.token}", "Accept-Language": "en",
                     **({"Content-Type": "application/json"} if data else {}), **(headers or {})},
        )
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                raw = response.read()
                return Answer(response.status, json.loads(raw) if raw else None)
        except urllib.error.HTTPError as error:
            raw = error.read()
            return Answer(error.code, json.loads(raw) if raw else None)

    def get(self, path: str) -> Answer:
        return self.call("GET", path)

    def post(
        self, path: str, body: Any, headers: dict | None = None, timeout: float = 60
    ) -> Answer:
        return self.call("POST", path, body, headers, timeout)

    def all_pages(self, path: str) -> list:
        items, page = [], 1
        while True:
            sep = "&" if "?" in path else "?"
            answer = self.get(f"{path}{sep}page={page}")
            assert answer.status == 200, answer
            items += answer.body["items"]
            if not answer.body["items"] or len(items) >= answer.body["count"]:
                return items
            page += 1


def open_shop(served: Served, slug: str | None = None) -> ShopApi:
    """A new shop in the served database, through the CLI, with an owner's API token."""
    slug = slug or f"shop-{uuid.uuid4().hex[:8]}"
    created = served.dingdan("shop", "create", "--slug", slug, "--name", f"店铺{slug}")
    assert created.returncode == 0, created.stderr
    token = served.dingdan("token", "create", "--shop", slug, "--role", "owner", "--name", "load")
    assert token.returncode == 0, token.stderr
    return ShopApi(served.url, token.stdout.rstrip("\n").splitlines()[-1], slug)


def stock_sku(api: ShopApi, sku: str, on_hand: int, price_cents: int = 1990) -> None:
    created = api.post("/products", {"sku": sku, "name": f"商品{sku}", "price_cents": price_cents})
    assert created.status == 201, created
    received = api.post(f"/inventory/{sku}/receive", {"quantity": on_hand})
    assert received.status == 200, received


def order_body(n: int, lines: list[tuple[str, int]]) -> dict:
    """An order of customer number `n` (each n its own buyer with their own phone)."""
    return {
        "customer": {"name": f"顾客{n}", "phone": f"139{n:08d}",
                     "address": "广东省深圳市南山区科技园路1号"},
        "lines": [{"sku": sku, "quantity": quantity} for sku, quantity in lines],
    }


def all_at_once(count: int, call: Callable[[int], Any]) -> list:
    """`call(0)` … `call(count - 1)`, each in its own thread, released together."""
    start = threading.Barrier(count)

    def run(n: int):
        start.wait(timeout=30)
        return call(n)

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(run, range(count)))


def kill_all(served: Served) -> None:
    """`kill -9` the server's whole process group: serve, gunicorn's master and workers, and
    the task worker, with no chance to finish anything."""
    os.killpg(served.process.pid, signal.SIGKILL)
    served.process.wait(timeout=30)


def verify_ledger(served: Served) -> None:
    verified = served.dingdan("inventory", "verify")
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert "OK" in verified.stdout
