"""Shipping many orders from one file against shipping them one call at a time, in one run.

    .venv/bin/python bench/shipment_import.py [--db sqlite|postgres|both] [--rows 1000]

A shop with 60 SKUs and 200 known customers (bench/placement_setup.py) gets 2 × ROWS
accepted orders of 2 lines each, placed and accepted through dingdan's services, on a
temporary SQLite file or a fresh PostgreSQL database dropped afterwards. Then, through
Django's WSGI handler (the test client: middleware, token, ninja, JSON; no server process):

- single: ROWS calls of `POST /api/v1/orders/{id}/shipments` with a carrier and a tracking
  number, one per order (a few warm-up calls first, not counted);
- import: one `POST /api/v1/shipments/import` of a CSV (UTF-8 with BOM) of ROWS rows
  (order number, 快递公司 as 顺丰, tracking number) for the other ROWS orders.

Both ship every unit of their orders; afterwards every order is 已发货 and the stock ledger
still sums to the levels (`ledger_mismatches`). Printed: rows per second and SQL statements
per row of each way (transaction control not counted), and import time / single time."""

import argparse
import contextlib
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TRANSACTION_CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE")
WARM_UP = 5


def measure(rows: int) -> dict:
    """In the child process, with the environment naming the database."""
    sys.path[:0] = [str(ROOT), str(ROOT / "bench")]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dingdan.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from placement_setup import set_up

    from dingdan.inventory.selectors import ledger_mismatches
    from dingdan.orders.models import Order
    from dingdan.orders.services import lifecycle, placement
    from dingdan.shops.actors import Actor
    from dingdan.shops.models import Shop
    from dingdan.shops.services.shops import create_token

    call_command("migrate", verbosity=0)
    setup = set_up(200, 60, 10_000_000)
    shop = Shop.objects.get(slug="bench")
    system = Actor.system(shop)
    _token, secret = create_token(actor=system, shop=shop, name="ship", role="warehouse")
    rng = random.Random(11)
    started = time.perf_counter()
    orders = []
    for _n in range(2 * rows + WARM_UP):
        customer = rng.randrange(len(setup["phones"]))
        order = placement.place_order(
            actor=system, shop=shop,
            customer=placement.CustomerInput(name=f"顾客{customer}",
                                             phone=setup["phones"][customer],
                                             address=f"北京市朝阳区建国路{customer + 1}号"),
            lines=[(sku, rng.randint(1, 3)) for sku in rng.sample(setup["skus"], 2)])
        orders.append(lifecycle.accept_order(actor=system, order=order))
    setup_seconds = time.perf_counter() - started
    client = Client(headers={"Authorization": f"Bearer {secret}"}, HTTP_HOST="localhost")

    class Counted:
        """SQL statements run inside the block (CaptureQueriesContext keeps only 9,000)."""

        def __init__(self) -> None:
            self.statements = 0

        def __call__(self, execute, sql, params, many, context):
            if not sql.lstrip().upper().startswith(TRANSACTION_CONTROL):
                self.statements += 1
            return execute(sql, params, many, context)

    def ship_one(order, n: int) -> None:
        answer = client.post(f"/api/v1/orders/{order.pk}/shipments",
                             {"carrier": "sf", "tracking_number": f"SF{1000000000000 + n}"},
                             content_type="application/json")
        assert answer.status_code == 201, answer.content

    warm, singles, imported = (orders[:WARM_UP], orders[WARM_UP:WARM_UP + rows],
                               orders[WARM_UP + rows:])
    for n, order in enumerate(warm):
        ship_one(order, n)
    counted = Counted()
    with connection.execute_wrapper(counted):
        started = time.perf_counter()
        for n, order in enumerate(singles, start=WARM_UP):
            ship_one(order, n)
        single_seconds = time.perf_counter() - started
    single_statements = counted.statements

    lines = ["订单号,快递公司,快递单号"] + [
        f"{order.number},顺丰,SF{2000000000000 + n}" for n, order in enumerate(imported)]
    data = ("\ufeff" + "\r\n".join(lines) + "\r\n").encode("utf-8")
    counted = Counted()
    with connection.execute_wrapper(counted):
        started = time.perf_counter()
        answer = client.post("/api/v1/shipments/import", data, content_type="text/csv")
        import_seconds = time.perf_counter() - started
    assert answer.status_code == 201, answer.content[:2000]
    assert len(answer.json()["shipments"]) == rows
    import_statements = counted.statements

    not_shipped = Order.objects.filter(shop=shop).exclude(status="shipped").count()
    assert not_shipped == 0, f"{not_shipped} orders not shipped"
    assert ledger_mismatches(shop) == [], "the stock ledger does not sum to the levels"
    return {"rows": rows, "setup_seconds": setup_seconds,
            "single_seconds": single_seconds, "single_statements": single_statements,
            "import_seconds": import_seconds, "import_statements": import_statements}


def run_in_child(db: str, rows: int) -> dict:
    sys.path.insert(0, str(ROOT / "bench"))
    from place_orders import postgres_database

    with contextlib.ExitStack() as stack:
        folder = stack.enter_context(tempfile.TemporaryDirectory(prefix="dingdan-ship-"))
        env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "SECRET_KEY"}}
        env["DINGDAN_VAR_DIR"] = str(Path(folder) / "var")
        if db == "postgres":
            from place_orders import POSTGRES_URL

            name = stack.enter_context(postgres_database("dingdan_ship"))
            env["DATABASE_URL"] = f"{POSTGRES_URL}/{name}"
        child = subprocess.run(
            [sys.executable, __file__, "--child", "--rows", str(rows)],
            env=env, capture_output=True, text=True, cwd=ROOT, timeout=3600,
        )
        if child.returncode:
            raise RuntimeError(child.stderr[-3000:])
        return json.loads(child.stdout.strip().splitlines()[-1])


def report(db: str, figures: dict) -> None:
    rows = figures["rows"]
    print(f"\n## {db}: shipping {rows} orders (2 lines each), in-process through the test "
          f"client (load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; "
          f"{2 * rows} orders set up in {figures['setup_seconds']:.1f} s)\n")
    print("| way | seconds | rows/s | statements per row |")
    print("|---|---:|---:|---:|")
    for way, key in (("single POST /orders/{id}/shipments", "single"),
                     ("one POST /shipments/import", "import")):
        seconds = figures[f"{key}_seconds"]
        print(f"| {way} | {seconds:.2f} | {rows / seconds:,.0f} | "
              f"{figures[f'{key}_statements'] / rows:.1f} |")
    print(f"\nimport / single: {figures['import_seconds'] / figures['single_seconds']:.3f} "
          f"of the time ({figures['single_seconds'] / figures['import_seconds']:.1f}× faster)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--rows", type=int, default=1000)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(args.rows)))
        return
    for db in ["sqlite", "postgres"] if args.db == "both" else [args.db]:
        report(db, run_in_child(db, args.rows))


if __name__ == "__main__":
    main()
