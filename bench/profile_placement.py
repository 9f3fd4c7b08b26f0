"""Where the time of one order placement goes, layer by layer, in-process.

    .venv/bin/python bench/profile_placement.py [--db sqlite|postgres|both] [--orders 2000]

A shop is set up as for bench/place_orders.py (bench/placement_setup.py), on a temporary
SQLite file or a fresh PostgreSQL database that is dropped afterwards. Then 3-line orders
for known customers go through Django's WSGI handler (the test client: everything
`dingdan serve` runs for a request except gunicorn and the socket), with light timers
around each layer:

- framework: the rest of the request: middleware, URL routing, django-ninja's dispatch and
  JSON rendering, the test client itself;
- authentication: the Bearer token's lookup;
- input: django-ninja parsing and validating the JSON body;
- the placing service (`orders.services.place_order`), split into the time its SQL
  statements and its COMMIT spend in the database driver and the Python around them
  (building the statements in the ORM, making model objects, pricing, numbering, review);
- answer: turning the order into the response (order_out, the schema, storing it for an
  Idempotency-Key).

In the same run, the floor of the stack: an authenticated `GET /api/v1/shop` (one
token lookup, a tiny answer) through the same handler, and the raw-SQL order of
bench/placement_baseline.py on its own connection. Each figure is the mean of the last
--orders orders after a warm-up. The sum of the layers is the in-process cost of an order;
bench/place_orders.py adds gunicorn, sockets and concurrency on top of it."""

import argparse
import contextlib
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LAYERS = ["framework", "authentication", "input", "service: Python", "service: database",
          "answer"]


class Layers:
    """Exclusive time per layer: entering a layer pauses the one around it. Database time
    (from Django's execute wrapper) goes to "service: database" inside the service and to
    the enclosing layer elsewhere."""

    def __init__(self) -> None:
        self.spent: dict[str, float] = defaultdict(float)
        self.statements: dict[str, int] = defaultdict(int)
        self.stack: list[list] = []

    def enter(self, name: str) -> None:
        now = time.perf_counter()
        if self.stack:
            outer = self.stack[-1]
            self.spent[outer[0]] += now - outer[1]
        self.stack.append([name, now])

    def leave(self) -> None:
        now = time.perf_counter()
        name, since = self.stack.pop()
        self.spent[name] += now - since
        if self.stack:
            self.stack[-1][1] = now

    def wrap(self, name: str, function):
        def timed(*args, **kwargs):
            self.enter(name)
            try:
                return function(*args, **kwargs)
            finally:
                self.leave()

        return timed

    def database(self, execute, sql, params, many, context):
        return self._in_database(lambda: execute(sql, params, many, context), count=True)

    def commits(self, commit):
        """A COMMIT is the database's time too (on PostgreSQL it waits for the disk), but
        it does not pass Django's execute wrapper."""
        return lambda: self._in_database(commit, count=False)

    def _in_database(self, call, *, count: bool):
        inside = self.stack[-1][0] if self.stack else "framework"
        layer = "service: database" if inside.startswith("service") else inside
        self.enter(layer)
        try:
            return call()
        finally:
            self.leave()
            self.statements[layer] += count

    def reset(self) -> None:
        self.spent.clear()
        self.statements.clear()


def instrument(layers: Layers) -> None:
    from ninja.operation import Operation

    from dingdan.orders.api import orders as api
    from dingdan.orders.services import placement
    from dingdan.shops import api_auth as auth
    from dingdan.shops import idempotency

    auth.TokenAuth.authenticate = layers.wrap("authentication", auth.TokenAuth.authenticate)
    Operation._get_values = layers.wrap("input", Operation._get_values)
    Operation._result_to_response = layers.wrap("answer", Operation._result_to_response)
    placement.place_order = layers.wrap("service: Python", placement.place_order)
    api.order_out = layers.wrap("answer", api.order_out)
    idempotency.once = layers.wrap("answer", idempotency.once)


def profile(orders: int) -> dict:
    """In the child process, with the environment naming the database."""
    sys.path[:0] = [str(ROOT), str(ROOT / "bench")]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dingdan.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from placement_setup import order_body, set_up

    call_command("migrate", verbosity=0)
    setup = set_up(200, 60, 10_000_000)
    layers = Layers()
    instrument(layers)
    client = Client(headers={"Authorization": f"Bearer {setup['token']}"},
                    HTTP_HOST="localhost")
    rng = random.Random(7)

    def place() -> None:
        n = rng.randrange(len(setup["phones"]))
        body = order_body(setup["phones"][n], n, rng.sample(setup["skus"], 3),
                          [rng.randint(1, 3) for _ in range(3)])
        response = client.post("/api/v1/orders", body, content_type="application/json")
        assert response.status_code == 201, response.content

    def floor() -> None:
        assert client.get("/api/v1/shop").status_code == 200

    figures = {}
    connection.ensure_connection()
    connection._commit = layers.commits(connection._commit)
    with connection.execute_wrapper(layers.database):
        for label, request in (("order", place), ("floor", floor)):
            for _warm_up in range(200):
                request()
            layers.reset()
            started = time.perf_counter()
            for _n in range(orders):
                layers.enter("framework")
                request()
                layers.leave()
            total = time.perf_counter() - started
            figures[label] = {
                "total_ms": total / orders * 1000,
                "layers_ms": {k: v / orders * 1000 for k, v in layers.spent.items()},
                "statements": {k: v / orders for k, v in layers.statements.items()},
            }
    figures["baseline_ms"] = raw_sql_order_ms(orders)
    return figures


def raw_sql_order_ms(orders: int) -> float:
    """The raw-SQL order of bench/placement_baseline.py on this database, one connection."""
    from placement_baseline import postgres_baseline, sqlite_baseline

    url = os.environ.get("DATABASE_URL")
    with contextlib.ExitStack() as stack:
        if url:
            base, _name = url.rsplit("/", 1)
            name = f"dingdan_profile_raw_{os.getpid()}"
            import psycopg

            with psycopg.connect(base + "/postgres", autocommit=True) as conn:
                conn.execute(f'CREATE DATABASE "{name}"')
            stack.callback(_drop, base, name)
            one = stack.enter_context(postgres_baseline(f"{base}/{name}", 60, 200, 10_000_000))
        else:
            folder = stack.enter_context(tempfile.TemporaryDirectory())
            one = stack.enter_context(
                sqlite_baseline(Path(folder) / "raw.sqlite3", 60, 200, 10_000_000))
        state, rng = {}, random.Random(7)
        for _warm_up in range(200):
            one(state, rng)
        started = time.perf_counter()
        for _n in range(orders):
            assert one(state, rng) is None
        return (time.perf_counter() - started) / orders * 1000


def _drop(base: str, name: str) -> None:
    import psycopg

    with psycopg.connect(base + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def run_in_child(db: str, orders: int) -> dict:
    sys.path.insert(0, str(ROOT / "bench"))
    from place_orders import postgres_database

    with contextlib.ExitStack() as stack:
        folder = stack.enter_context(tempfile.TemporaryDirectory(prefix="dingdan-profile-"))
        env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "SECRET_KEY"}}
        env["DINGDAN_VAR_DIR"] = str(Path(folder) / "var")
        if db == "postgres":
            from place_orders import POSTGRES_URL

            name = stack.enter_context(postgres_database("dingdan_profile"))
            env["DATABASE_URL"] = f"{POSTGRES_URL}/{name}"
        child = subprocess.run(
            [sys.executable, __file__, "--child", "--orders", str(orders)],
            env=env, capture_output=True, text=True, cwd=ROOT, timeout=1800,
        )
        if child.returncode:
            raise RuntimeError(child.stderr[-3000:])
        return json.loads(child.stdout.strip().splitlines()[-1])


def report(db: str, figures: dict) -> None:
    order, floor = figures["order"], figures["floor"]
    print(f"\n## {db}: one order placement, in-process, ms (load average "
          f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)\n")
    print("| layer | order ms | statements | GET /shop ms |")
    print("|---|---:|---:|---:|")
    for layer in LAYERS:
        print(f"| {layer} | {order['layers_ms'].get(layer, 0):.2f} | "
              f"{order['statements'].get(layer, 0):.1f} | "
              f"{floor['layers_ms'].get(layer, 0):.2f} |")
    print(f"| **total** | **{order['total_ms']:.2f}** | "
          f"{sum(order['statements'].values()):.1f} | **{floor['total_ms']:.2f}** |")
    print(f"\nraw-SQL order (bench/placement_baseline.py): {figures['baseline_ms']:.2f} ms; "
          f"dingdan in-process / raw: {order['total_ms'] / figures['baseline_ms']:.1f}×; "
          f"the floor (GET /shop) alone is {floor['total_ms'] / figures['baseline_ms']:.1f}× "
          "the raw order.")
    print("(statements include transaction control: BEGIN, savepoints; the COMMIT's time is "
          "in the database's figure)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--orders", type=int, default=2000)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(profile(args.orders)))
        return
    for db in ["sqlite", "postgres"] if args.db == "both" else [args.db]:
        report(db, run_in_child(db, args.orders))


if __name__ == "__main__":
    main()
