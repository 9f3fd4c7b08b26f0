"""The shop bench/place_orders.py places orders in, set up with dingdan's own services
against the database the environment names (DATABASE_URL / DINGDAN_VAR_DIR), and the SQL
statements one order costs, counted in-process as tests/orders/test_statement_budget.py
counts them.

    python bench/placement_setup.py CUSTOMERS SKUS STOCK

Prints one JSON line: the API token, the SKUs, the known customers' phones, the counts."""

import json
import os
import sys
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TRANSACTION_CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE")


def order_body(phone: str, n: int, skus: list[str], quantities) -> dict:
    """A 3-line order for known customer number `n` (their name and address as stored)."""
    return {
        "customer": {"name": f"顾客{n}", "phone": phone, "address": f"北京市朝阳区建国路{n + 1}号"},
        "lines": [{"sku": sku, "quantity": q} for sku, q in zip(skus, quantities, strict=True)],
        "channel": "api",
    }


def set_up(customers: int, skus: int, stock: int) -> dict:
    from dingdan.catalog.services.products import create_sku
    from dingdan.customers.services.customers import create_customer
    from dingdan.inventory.services.stock import receive_stock_in_bulk
    from dingdan.shops.actors import Actor
    from dingdan.shops.services.shops import create_shop, create_token

    shop, _password = create_shop(slug="bench", name="压测小店")
    system = Actor.system(shop)
    _token, secret = create_token(actor=system, shop=shop, name="bench", role="clerk")
    variants = [
        create_sku(actor=system, shop=shop, sku=f"B-{n:03d}", name=f"商品{n}",
                   price_cents=500 + 10 * n)
        for n in range(skus)
    ]
    receive_stock_in_bulk(actor=system, shop=shop, quantities=[(v, stock) for v in variants])
    phones = [f"139{n:08d}" for n in range(customers)]
    for n, phone in enumerate(phones):
        create_customer(actor=system, shop=shop, name=f"顾客{n}", phone=phone,
                        address=f"北京市朝阳区建国路{n + 1}号")
    return {"token": secret, "skus": [v.sku for v in variants], "phones": phones}


def statements_per_order(setup: dict) -> dict[str, int]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(headers={"Authorization": f"Bearer {setup['token']}"},
                    HTTP_HOST="localhost")
    skus = setup["skus"][:3]

    def count(phone: str, quantities: tuple, **headers) -> int:
        body = order_body(phone, 0, skus, quantities)
        with CaptureQueriesContext(connection) as captured:
            response = client.post("/api/v1/orders", body, content_type="application/json",
                                   headers=headers)
        assert response.status_code == 201, response.content
        return sum(not q["sql"].lstrip().upper().startswith(TRANSACTION_CONTROL)
                   for q in captured.captured_queries)

    known = setup["phones"][0]
    count(known, (5, 5, 5))  # warm up: imports, the token's last-use note
    return {
        "known customer": count(known, (1, 2, 3)),
        "known customer, repeated (flagged)": count(known, (1, 2, 3)),
        "known customer, Idempotency-Key": count(
            known, (2, 2, 2), **{"Idempotency-Key": uuid.uuid4().hex}),
        "new customer": count("13700000000", (1, 1, 1)),
    }


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dingdan.settings")
    import django

    django.setup()
    customers, skus, stock = (int(arg) for arg in sys.argv[1:4])
    made = set_up(customers, skus, stock)
    print(json.dumps({**made, "statements": statements_per_order(made)}))
