"""The raw-SQL baseline for bench/place_orders.py: the least any order system has to do per
order, from Python without an ORM, on a minimal schema equivalent to dingdan's. In one
transaction: reserve 3 SKUs with conditional UPDATEs (`on_hand - reserved >= n`), insert
the order, its 3 lines and one timeline event."""

import contextlib
import json
import random
import sqlite3
import time
import uuid
from pathlib import Path

SCHEMA = """
CREATE TABLE stock (variant_id INTEGER PRIMARY KEY, on_hand INTEGER NOT NULL,
    reserved INTEGER NOT NULL, updated_at {ts}, CHECK (on_hand >= 0), CHECK (reserved >= 0));
CREATE TABLE orders (id {pk}, shop_id INTEGER NOT NULL, number VARCHAR(40) NOT NULL,
    customer_id INTEGER NOT NULL, status VARCHAR(24) NOT NULL, total_cents BIGINT NOT NULL,
    created_at {ts} NOT NULL, UNIQUE (shop_id, number));
CREATE INDEX orders_customer ON orders (customer_id, created_at);
CREATE TABLE order_lines (id {pk}, order_id BIGINT NOT NULL REFERENCES orders (id),
    variant_id INTEGER NOT NULL REFERENCES stock (variant_id), quantity INTEGER NOT NULL,
    unit_price_cents BIGINT NOT NULL, total_cents BIGINT NOT NULL);
CREATE INDEX order_lines_order ON order_lines (order_id);
CREATE TABLE order_events (id {pk}, order_id BIGINT NOT NULL REFERENCES orders (id),
    kind VARCHAR(32) NOT NULL, data {json} NOT NULL, created_at {ts} NOT NULL);
CREATE INDEX order_events_order ON order_events (order_id);
"""


def order_placer(connect, placeholder: str, skus: int, customers: int):
    """`one_order(state, rng)` for the load runner: one order in one transaction on the
    thread's own connection; an error text when it failed, else None."""
    q = placeholder
    reserve = (f"UPDATE stock SET reserved = reserved + {q}, updated_at = {q} "
               f"WHERE variant_id = {q} AND on_hand - reserved >= {q} RETURNING reserved")
    insert_order = (f"INSERT INTO orders (shop_id, number, customer_id, status, total_cents, "
                    f"created_at) VALUES (1, {q}, {q}, 'pending_confirmation', {q}, {q}) "
                    "RETURNING id")
    insert_lines = ("INSERT INTO order_lines (order_id, variant_id, quantity, unit_price_cents, "
                    f"total_cents) VALUES {', '.join([f'({q}, {q}, {q}, {q}, {q})'] * 3)}")
    insert_event = (f"INSERT INTO order_events (order_id, kind, data, created_at) "
                    f"VALUES ({q}, 'placed', {q}, {q})")
    begin = "BEGIN IMMEDIATE" if placeholder == "?" else "BEGIN"  # as dingdan's settings do

    def one_order(state: dict, rng: random.Random) -> str | None:
        if "conn" not in state:
            state["conn"] = connect()
            state["close"] = state["conn"].close
        # Rows locked in id order, as dingdan does, so concurrent orders cannot deadlock.
        wanted = sorted((v, rng.randint(1, 3)) for v in rng.sample(range(1, skus + 1), 3))
        now = time.strftime("%Y-%m-%d %H:%M:%S+00:00", time.gmtime())
        cur = state["conn"].cursor()
        cur.execute(begin)
        try:
            for variant, n in wanted:
                cur.execute(reserve, (n, now, variant, n))
                if cur.fetchone() is None:
                    raise LookupError("out of stock")
            total = sum(n * 1000 for _v, n in wanted)
            cur.execute(insert_order, (uuid.uuid4().hex[:16], rng.randrange(customers),
                                       total, now))
            order_id = cur.fetchone()[0]
            cur.execute(insert_lines, [x for v, n in wanted
                                       for x in (order_id, v, n, 1000, n * 1000)])
            cur.execute(insert_event, (order_id, json.dumps({"total_cents": total}), now))
            cur.execute("COMMIT")
        except Exception as error:
            with contextlib.suppress(Exception):
                cur.execute("ROLLBACK")
            return repr(error)
        return None

    return one_order


@contextlib.contextmanager
def sqlite_baseline(path: Path, skus: int, customers: int, stock: int):
    def connect():
        # The pragmas dingdan's settings give SQLite.
        conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False, timeout=30)
        conn.executescript("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                           "PRAGMA busy_timeout=30000; PRAGMA foreign_keys=ON;")
        return conn

    with contextlib.closing(connect()) as conn:
        conn.executescript(SCHEMA.format(pk="INTEGER PRIMARY KEY AUTOINCREMENT", ts="TEXT",
                                         json="TEXT"))
        conn.executemany("INSERT INTO stock VALUES (?, ?, 0, NULL)",
                         [(v, stock) for v in range(1, skus + 1)])
    yield order_placer(connect, "?", skus, customers)


@contextlib.contextmanager
def postgres_baseline(url: str, skus: int, customers: int, stock: int):
    import psycopg

    def connect():
        return psycopg.connect(url, autocommit=True)

    with connect() as conn:
        conn.execute(SCHEMA.format(pk="BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY",
                                   ts="TIMESTAMPTZ", json="JSONB"))
        with conn.cursor() as cur:
            cur.executemany("INSERT INTO stock VALUES (%s, %s, 0, NULL)",
                            [(v, stock) for v in range(1, skus + 1)])
    yield order_placer(connect, "%s", skus, customers)
