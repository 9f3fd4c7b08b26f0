"""How fast a merchant's order reads are in a shop with many orders.

    .venv/bin/python bench/order_queries.py --db sqlite --generate 1000000 [--var-dir DIR]
    .venv/bin/python bench/order_queries.py --db postgres --generate 1000000 \\
        [--database-url postgres://postgres@127.0.0.1:5432/dingdan_bench]
    .venv/bin/python bench/order_queries.py --db postgres --database-url URL   # reuse
    options: [--shop SLUG] [--repeat 100] [--explain] [--json FILE] [--keep]
             [--python-gc-defaults]

With --generate the database is made first (`dingdan demo --orders N` into a fresh SQLite
file or PostgreSQL database, removed afterwards unless --keep); without it, an existing
database is read (--var-dir for SQLite, --database-url for PostgreSQL) and the shop with
the most orders is measured.

Each read runs --repeat times with varied parameters (statuses, channels, tags, staff,
7-day windows, phones, order numbers, names and products drawn from the data), three ways:

- selector: what the API's handler does, in-process: `orders_for_shop()` / `order_in_shop()`,
  the paginator's count and page, every row shaped by `order_out()`;
- HTTP: GET /api/v1/orders… with a Bearer token through Django's test client (the full
  middleware, auth, ninja validation and JSON rendering; no network, no server process);
- baseline: one hand-written SELECT of the same page (same WHERE, ORDER BY created_at DESC,
  id DESC, LIMIT 50), no count, no related rows, no JSON: the least any app has to do.

Prints p50 and p99 in milliseconds per read. --explain prints each statement's plan
(EXPLAIN ANALYZE on PostgreSQL, EXPLAIN QUERY PLAN on SQLite) for one sample per read."""

import argparse
import contextlib
import datetime as dt
import json
import math
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/dingdan_bench_queries"
PAGE_SIZE = 50
DEEP_PAGE = 200


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--generate", type=int, metavar="N", help="first build N orders")
    parser.add_argument("--database-url", help="PostgreSQL database to read (or create)")
    parser.add_argument("--var-dir", help="SQLite: folder holding dingdan.sqlite3")
    parser.add_argument("--shop", help="short name of the shop (default: most orders)")
    parser.add_argument("--repeat", type=int, default=100, help="runs per read and way")
    parser.add_argument("--explain", action="store_true", help="print query plans")
    parser.add_argument("--json", help="also write the figures to this file")
    parser.add_argument("--keep", action="store_true", help="keep a generated database")
    parser.add_argument("--python-gc-defaults", action="store_true",
                        help="leave the garbage collector as Python sets it, not as the "
                             "server does (dingdan/runtime.py)")
    return parser.parse_args()


# --- the database -----------------------------------------------------------------------


def point_at_database(args) -> contextlib.AbstractContextManager:
    """Set DATABASE_URL / DINGDAN_VAR_DIR before Django starts; yields a cleanup."""
    stack = contextlib.ExitStack()
    if args.db == "sqlite":
        os.environ.pop("DATABASE_URL", None)
        if args.var_dir:
            var = Path(args.var_dir)
        elif args.generate:
            var = Path(tempfile.mkdtemp(prefix="dingdan-bench-"))
            if not args.keep:
                stack.callback(shutil.rmtree, var, True)
        else:
            sys.exit("reading an existing SQLite database needs --var-dir")
        os.environ["DINGDAN_VAR_DIR"] = str(var)
    else:
        url = args.database_url or DEFAULT_PG
        os.environ["DATABASE_URL"] = url
        os.environ.setdefault("DINGDAN_VAR_DIR", tempfile.mkdtemp(prefix="dingdan-bench-var-"))
        if args.generate:
            created = create_pg_database(url)
            if created and not args.keep:
                stack.callback(drop_pg_database, url)
    return stack


def _pg_admin(url: str):
    import psycopg

    base, name = url.rsplit("/", 1)
    return psycopg.connect(f"{base}/postgres", autocommit=True), name


def create_pg_database(url: str) -> bool:
    conn, name = _pg_admin(url)
    with conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')
    return not exists


def drop_pg_database(url: str) -> None:
    from django.db import connections

    connections.close_all()
    conn, name = _pg_admin(url)
    with conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    print(f"dropped database {name}")


# --- the reads --------------------------------------------------------------------------


@dataclass
class Read:
    """One sample of a read: selector arguments, HTTP query, and the baseline SELECT."""

    filters: dict
    query: dict
    where: str
    params: list
    page: int = 1
    order_id: int | None = None
    with_events: bool = False


def percentile(samples: list[float], p: float) -> float:
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(p * len(ordered)) - 1)]


class Bench:
    def __init__(self, shop, rng: random.Random, repeat: int, explain: bool):
        from django.db import connection
        from django.test import Client

        from dingdan.orders.models import Order, OrderEvent, OrderFlag, OrderLine, OrderTag
        from dingdan.shops.actors import Actor
        from dingdan.shops.services import shops as services

        self.shop, self.rng, self.repeat, self.explain = shop, rng, repeat, explain
        self.connection = connection
        quote = connection.ops.quote_name
        self.t_order = quote(Order._meta.db_table)
        self.t_tag = quote(OrderTag._meta.db_table)
        self.t_flag = quote(OrderFlag._meta.db_table)
        self.t_line = quote(OrderLine._meta.db_table)
        self.t_event = quote(OrderEvent._meta.db_table)
        self.columns = ", ".join(quote(f.column) for f in Order._meta.concrete_fields)
        self.token, secret = services.create_token(
            actor=Actor.system(shop), shop=shop, name="order_queries bench", role="owner"
        )
        self.client = Client(headers={"Authorization": f"Bearer {secret}"})
        self._pools()

    def close(self) -> None:
        from dingdan.shops.actors import Actor
        from dingdan.shops.services import shops as services

        services.revoke_token(actor=Actor.system(self.shop), shop=self.shop, token=self.token)

    def _pools(self) -> None:
        """Parameter values drawn from the shop's own data."""
        from django.db.models import Max, Min

        from dingdan.catalog.models import Product
        from dingdan.orders.models import Order, OrderFlag, OrderTag
        from dingdan.shops.models import Membership

        orders = Order.objects.filter(shop=self.shop)
        span = orders.aggregate(lo=Min("id"), hi=Max("id"), first=Min("created_at"),
                                last=Max("created_at"))
        self.span = span
        sample_ids = [self.rng.randint(span["lo"], span["hi"]) for _ in range(400)]
        sample = list(orders.filter(pk__in=sample_ids).values(
            "id", "number", "customer_phone", "customer_name"))
        self.ids = [row["id"] for row in sample]
        self.numbers = [row["number"] for row in sample]
        self.phones = [row["customer_phone"] for row in sample if row["customer_phone"]]
        self.names = [row["customer_name"] for row in sample]
        self.products = sorted({name[-2:] for name in Product.objects.filter(
            shop=self.shop, kind="goods").values_list("name", flat=True)})
        self.tags = sorted(set(OrderTag.objects.filter(shop=self.shop)
                               .values_list("tag", flat=True)[:5000]))
        self.flags = sorted(set(OrderFlag.objects.filter(shop=self.shop)
                                .values_list("code", flat=True)[:5000]))
        self.staff = list(Membership.objects.filter(shop=self.shop)
                          .values_list("user_id", flat=True))
        self.total = orders.count()

    # each maker returns a fresh Read with varied parameters

    def reads(self) -> dict:
        from dingdan.orders.models import Channel
        from dingdan.orders.states import Status

        rng = self.rng
        adapt = self.connection.ops.adapt_datetimefield_value

        def week():
            first, last = self.span["first"], self.span["last"]
            start = first + (last - first - dt.timedelta(days=7)) * rng.random()
            end = start + dt.timedelta(days=7)
            return Read({"created_after": start, "created_before": end},
                        {"created_after": start.isoformat(), "created_before": end.isoformat()},
                        "created_at >= %s AND created_at < %s", [adapt(start), adapt(end)])

        def simple(field, values, api_value=None):
            def make():
                value = rng.choice(values)
                shown = api_value(value) if api_value else value
                return Read({field: value}, {field: shown}, f"{field} = %s", [value])
            return make

        priority_names = {1: "high", 2: "urgent"}

        def search(value, where, params):
            return Read({"q": value}, {"q": value}, where, params)

        reads = {
            "list, first page": lambda: Read({}, {}, "TRUE", []),
            f"list, page {DEEP_PAGE}": lambda: Read({}, {"page": DEEP_PAGE}, "TRUE", [],
                                                    page=DEEP_PAGE),
            "status": simple("status", list(Status.values)),
            "channel": simple("channel", list(Channel.values)),
            "created in a 7-day range": week,
            "tag": lambda: (lambda t: Read(
                {"tag": t}, {"tag": t},
                f"id IN (SELECT order_id FROM {self.t_tag} WHERE shop_id = %s AND tag = %s)",
                [self.shop.pk, t]))(rng.choice(self.tags)),
            "assignee": simple("assignee_id", self.staff),
            "priority (high, urgent)": simple("priority", [1, 2], priority_names.get),
            "needs attention": lambda: Read({"needs_attention": True},
                                            {"needs_attention": "true"},
                                            "needs_attention = %s", [True]),
            "open flag": lambda: (lambda c: Read(
                {"flag": c}, {"flag": c},
                f"id IN (SELECT order_id FROM {self.t_flag} WHERE shop_id = %s AND code = %s "
                "AND resolved_at IS NULL)", [self.shop.pk, c]))(rng.choice(self.flags)),
            "search: phone (11 digits)": lambda: (lambda p: search(
                p, "customer_phone = %s", [p]))(rng.choice(self.phones)),
            "search: phone (last 4)": lambda: (lambda p: search(
                p[-4:], "customer_phone LIKE %s", [f"%{p[-4:]}%"]))(rng.choice(self.phones)),
            "search: order number": lambda: (lambda n: search(
                n, "number = %s", [n]))(rng.choice(self.numbers)),
            "search: customer name": lambda: (lambda n: search(
                n, "customer_name LIKE %s", [f"%{n}%"]))(rng.choice(self.names)),
            "search: product name": lambda: (lambda p: search(
                p, f"id IN (SELECT order_id FROM {self.t_line} WHERE shop_id = %s AND name "
                   "LIKE %s)", [self.shop.pk, f"%{p}%"]))(rng.choice(self.products)),
            "detail": lambda: Read({}, {}, "id = %s", [], order_id=rng.choice(self.ids)),
            "detail with events": lambda: Read({}, {"include": "events"}, "id = %s", [],
                                               order_id=rng.choice(self.ids),
                                               with_events=True),
        }
        if not self.flags:
            del reads["open flag"]
        return reads

    # the three ways

    def selector(self, read: Read) -> int:
        from dingdan.api import pagination
        from dingdan.orders.api import orders as api
        from dingdan.orders.selectors import orders as selectors

        if read.order_id is not None:
            order = selectors.order_in_shop(self.shop, read.order_id, with_events=read.with_events)
            json.dumps(api.order_out(order, pii=True, with_events=read.with_events),
                       default=str)
            return 1
        # The page the API's list uses, as the owner (who may see phone numbers) reads it.
        page = pagination.LargePage(
            selectors.orders_for_shop(self.shop, **read.filters, partial_phone=True),
            lambda order: api.order_out(order, pii=True),
            rows=lambda ids: selectors.orders_by_ids(self.shop, ids),
        )
        count = len(page)
        offset = (read.page - 1) * PAGE_SIZE
        json.dumps(page[offset:offset + PAGE_SIZE], default=str)
        return count

    def http(self, read: Read) -> int:
        path = "/api/v1/orders" + (f"/{read.order_id}" if read.order_id else "")
        response = self.client.get(path, read.query)
        if response.status_code != 200:
            raise SystemExit(f"GET {path} {read.query}: {response.status_code} "
                             f"{response.content[:300]!r}")
        body = response.json()
        return body.get("count", 1)

    def baseline(self, read: Read) -> int:
        where = read.where.replace("TRUE", "1 = 1")
        sql = (f"SELECT {self.columns} FROM {self.t_order} WHERE shop_id = %s AND {where}")
        params = [self.shop.pk, *read.params]
        if read.order_id is not None:
            params.append(read.order_id)
        else:
            sql += f" ORDER BY created_at DESC, id DESC LIMIT {PAGE_SIZE} OFFSET %s"
            params.append((read.page - 1) * PAGE_SIZE)
        with self.connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
            if read.with_events:
                cursor.execute(f"SELECT * FROM {self.t_event} WHERE order_id = %s ORDER BY id",
                               [read.order_id])
                cursor.fetchall()
        return len(rows)

    def measure(self, name: str, make) -> dict:
        samples = [make() for _ in range(self.repeat)]
        result = {"read": name}
        counts = []
        for way in ("selector", "http", "baseline"):
            run = getattr(self, way)
            # Warm: every sample once, so each way finds the same pages in the cache (the
            # first way to touch a sample's rows would otherwise read them from disk alone).
            for read in samples:
                run(read)
            times = []
            for read in samples:
                began = time.perf_counter()
                found = run(read)
                times.append((time.perf_counter() - began) * 1000)
                if way == "selector":
                    counts.append(found)
            result[way] = {"p50": statistics.median(times), "p99": percentile(times, 0.99)}
        result["matched"] = int(statistics.median(counts))
        if self.explain:
            self.print_plans(name, samples[0])
        return result

    def print_plans(self, name: str, read: Read) -> None:
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(self.connection) as captured:
            self.selector(read)
        print(f"\n## {name}")
        for query in captured.captured_queries:
            sql = query["sql"]
            if not sql.lstrip().upper().startswith("SELECT"):
                continue
            prefix = ("EXPLAIN (ANALYZE, BUFFERS)" if self.connection.vendor == "postgresql"
                      else "EXPLAIN QUERY PLAN")
            with self.connection.cursor() as cursor:
                cursor.execute(f"{prefix} {sql}")
                plan = "\n".join("  " + " ".join(str(c) for c in row) for row in cursor.fetchall())
            print(f"\n{sql[:400]}\n{plan}")


def main() -> None:
    args = parse_args()
    with point_at_database(args):
        sys.path.insert(0, str(ROOT))
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dingdan.settings")
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection
        from django.db.models import Count
        from django.test.utils import setup_test_environment

        from dingdan import demo_bulk
        from dingdan.shops.models import Shop

        setup_test_environment()  # lets the test client's host through ALLOWED_HOSTS
        if args.generate:
            call_command("migrate", interactive=False, verbosity=0)
            began = time.monotonic()
            summary = demo_bulk.generate(slug=args.shop or "bench", orders=args.generate,
                                         progress=lambda line: print(line, flush=True))
            print(f"generated {summary.orders:,} orders in {time.monotonic() - began:.0f} s")
        if args.shop:
            shop = Shop.objects.get(slug=args.shop)
        else:
            shop = Shop.objects.annotate(n=Count("orders")).order_by("-n").first()
        bench = Bench(shop, random.Random(7), args.repeat, args.explain)
        if not args.python_gc_defaults:
            from dingdan import runtime

            runtime.settle()  # as the server's processes do (dingdan/wsgi.py)
        try:
            print(f"\n{connection.vendor}, shop {shop.slug}: {bench.total:,} orders; "
                  f"{args.repeat} runs per read and way; milliseconds\n")
            print("| read | matched | selector p50 | p99 | HTTP p50 | p99 | baseline p50 | p99 |")
            print("|---|---:|---:|---:|---:|---:|---:|---:|")
            results = []
            for name, make in bench.reads().items():
                r = bench.measure(name, make)
                results.append(r)
                s, h, b = r["selector"], r["http"], r["baseline"]
                print(f"| {name} | {r['matched']:,} | {s['p50']:.1f} | {s['p99']:.1f} | "
                      f"{h['p50']:.1f} | {h['p99']:.1f} | {b['p50']:.1f} | {b['p99']:.1f} |",
                      flush=True)
        finally:
            bench.close()
        if args.json:
            Path(args.json).write_text(json.dumps({
                "database": connection.vendor, "orders": bench.total, "repeat": args.repeat,
                "results": results}, indent=2))


if __name__ == "__main__":
    main()
