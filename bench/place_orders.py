"""How fast orders go in: 3-line orders for known customers through the real HTTP API.

    .venv/bin/python bench/place_orders.py [--db sqlite|postgres|both] [--seconds 10]
        [--clients 1,4,16] [--workers N] [--threads N]

For each database a production server is started the way `dingdan serve` starts it
(gunicorn and the task worker; on SQLite in a temporary var/ folder, on PostgreSQL in a
fresh database that is dropped afterwards). bench/placement_setup.py sets up a shop, an API
token, SKUs with plenty of stock and a pool of known customers with dingdan's own services
against the same database, and counts the SQL statements one order costs. Then N client
threads, each with one persistent HTTP connection, place orders for a fixed time: orders/s,
p50/p99 latency, and the CPU one order costs (the server's processes, plus the PostgreSQL
backends serving them), which the machine's other load does not change much.

Baseline, in the same run with the same client counts: bench/placement_baseline.py, the
same order in raw SQL without an ORM. The ratio dingdan/baseline is the figure to watch.

Servers and databases are removed afterwards, also on Ctrl-C or failure. PostgreSQL is
reached at BENCH_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432).
"""

import argparse
import contextlib
import http.client
import json
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from placement_baseline import postgres_baseline, sqlite_baseline
from placement_setup import order_body

ROOT = Path(__file__).resolve().parents[1]
POSTGRES_URL = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432")
STOCK = 10_000_000
MAX_ORDERS_PER_CLIENT = 1_000_000  # a bound besides time, should a run be left alone


# --- databases, the server, and what their processes spend ------------------------------


@contextlib.contextmanager
def postgres_database(prefix: str):
    import psycopg

    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(POSTGRES_URL + "/postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield name
    finally:
        with psycopg.connect(POSTGRES_URL + "/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def served(env: dict, log: Path, workers: int | None, threads: int | None):
    port = free_port()
    command = [sys.executable, "-m", "dingdan.cli", "serve", "--port", str(port)]
    if workers:
        command += ["--workers", str(workers)]
    if threads:
        command += ["--threads", str(threads)]
    # Its own process group: whatever happens here, the whole server goes with it.
    process = subprocess.Popen(command, env=env, stdout=log.open("w"),
                               stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + 90
        while "Press Ctrl-C to stop." not in log.read_text():
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("dingdan serve did not start:\n" + log.read_text())
            time.sleep(0.2)
        yield port, process
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=30)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)  # stragglers of the group, if any
        process.wait()


def _proc_stats():
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError):
            text = stat.read_text()
            fields = text[text.rindex(")") + 2:].split()
            yield int(stat.parent.name), int(fields[2]), int(fields[11]) + int(fields[12])


def cpu_by_process(pgid: int | None = None, *, database: str | None = None) -> dict[int, float]:
    """CPU seconds used so far by each process of a process group, or by each PostgreSQL
    server process serving a database."""
    pids = set()
    if database is not None:
        import psycopg

        with psycopg.connect(POSTGRES_URL + "/postgres", autocommit=True) as conn:
            rows = conn.execute("SELECT pid FROM pg_stat_activity WHERE datname = %s",
                                [database])
            pids = {pid for (pid,) in rows}
    tick = os.sysconf("SC_CLK_TCK")
    return {pid: cpu / tick for pid, group, cpu in _proc_stats()
            if (pgid is not None and group == pgid) or pid in pids}


def cpu_spent(before: dict[int, float], after: dict[int, float]) -> float:
    """CPU between two snapshots; a process started in between counts from its start."""
    return sum(cpu - before.get(pid, 0.0) for pid, cpu in after.items())


# --- load: client threads, each with one persistent connection -------------------------


@dataclass
class Result:
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    first_error: str = ""
    elapsed: float = 0.0
    cpu: float = 0.0  # seconds: the server's or the client threads' (see measure())
    db_cpu: float = 0.0  # seconds: the PostgreSQL backends'

    @property
    def rate(self) -> float:
        return len(self.latencies) / self.elapsed if self.elapsed else 0.0

    def cpu_per_order(self) -> str:
        """Milliseconds of CPU one order took: "app+database" on PostgreSQL."""
        if not self.latencies:
            return "-"
        app, db = (seconds / len(self.latencies) * 1000 for seconds in (self.cpu, self.db_cpu))
        return f"{app:.2f}+{db:.2f}" if db else f"{app:.2f}"

    def percentile(self, p: float) -> float:
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(p * len(ordered)))] * 1000


def run_clients(
    clients: int, seconds: float, one_order, *, when_done=None
) -> tuple[Result, float]:
    """`one_order(state, rng)` places one order and returns an error text or None; `state`
    is the thread's own (its connection). Returns the result and the client threads' CPU;
    `when_done()` runs after the last order, before the connections close."""
    result, lock, thread_cpu, states = Result(), threading.Lock(), [0.0], []
    start_line = threading.Barrier(clients + 1)
    window = {}

    def worker(n: int) -> None:
        rng, state, mine, errors, first = random.Random(n), {}, [], 0, ""
        start_line.wait()
        began_cpu = time.thread_time()
        try:
            while time.perf_counter() < window["end"] and len(mine) < MAX_ORDERS_PER_CLIENT:
                began = time.perf_counter()
                try:
                    error = one_order(state, rng)
                except Exception as failure:  # e.g. the database going away on Ctrl-C
                    error = repr(failure)
                    state.pop("conn", None)
                if error is None:
                    mine.append(time.perf_counter() - began)
                else:
                    errors += 1
                    first = first or error
        finally:
            states.append(state)
            with lock:
                result.latencies += mine
                result.errors += errors
                result.first_error = result.first_error or first
                thread_cpu[0] += time.thread_time() - began_cpu

    threads = [threading.Thread(target=worker, args=(n,), daemon=True) for n in range(clients)]
    for thread in threads:
        thread.start()
    began = time.perf_counter()
    window["end"] = began + seconds
    start_line.wait()
    try:
        for thread in threads:
            thread.join()
        result.elapsed = time.perf_counter() - began
        if when_done is not None:
            when_done()
    finally:
        window["end"] = 0  # interrupted: every client stops after its current order
        for state in states:
            with contextlib.suppress(Exception):
                state["close"]()
    return result, thread_cpu[0]


def http_placer(port: int, setup: dict):
    headers = {"Authorization": f"Bearer {setup['token']}", "Content-Type": "application/json"}
    skus, phones = setup["skus"], setup["phones"]

    def one_order(state: dict, rng: random.Random) -> str | None:
        if "conn" not in state:
            state["conn"] = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            state["close"] = state["conn"].close
        n = rng.randrange(len(phones))
        body = order_body(phones[n], n, rng.sample(skus, 3), [rng.randint(1, 3)
                                                                for _ in range(3)])
        try:
            state["conn"].request("POST", "/api/v1/orders", json.dumps(body).encode(), headers)
            response = state["conn"].getresponse()
            content = response.read()
        except (OSError, http.client.HTTPException) as error:
            state.pop("conn").close()
            return repr(error)
        if response.will_close:
            state.pop("conn").close()
        return None if response.status == 201 else f"{response.status} {content[:300]!r}"

    return one_order


def measure(clients: int, seconds: float, one_order, *, server_group: int | None,
            database: str | None) -> Result:
    """Load for `seconds`; the CPU counted is the server's process group and the database's
    backends when there is a server, else the client threads' own (the baseline does its
    work in them) and the database's backends."""
    before, after = [cpu_by_process(server_group), cpu_by_process(database=database)], []

    def snapshot() -> None:
        after.extend([cpu_by_process(server_group), cpu_by_process(database=database)])

    result, client_cpu = run_clients(clients, seconds, one_order, when_done=snapshot)
    result.db_cpu = cpu_spent(before[1], after[1])
    result.cpu = client_cpu if server_group is None else cpu_spent(before[0], after[0])
    return result


# --- one database, start to end ------------------------------------------------------------


def bench_database(db: str, args) -> dict:
    with contextlib.ExitStack() as stack:
        workdir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="dingdan-bench-")))
        env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "SECRET_KEY"}}
        env.update(DINGDAN_VAR_DIR=str(workdir / "var"), DJANGO_SETTINGS_MODULE="dingdan.settings")
        ours_db = theirs_db = None
        if db == "postgres":
            ours_db = stack.enter_context(postgres_database("dingdan_bench"))
            env["DATABASE_URL"] = f"{POSTGRES_URL}/{ours_db}"
        port, server = stack.enter_context(
            served(env, workdir / "serve.log", args.workers, args.threads))
        prepared = subprocess.run(
            [sys.executable, str(ROOT / "bench" / "placement_setup.py"), str(args.customers),
             str(args.skus), str(STOCK)],
            env=env, capture_output=True, text=True, timeout=600, cwd=ROOT,
        )
        if prepared.returncode:
            raise RuntimeError("setting up the shop failed:\n" + prepared.stderr[-3000:])
        setup = json.loads(prepared.stdout.strip().splitlines()[-1])
        if db == "postgres":
            theirs_db = stack.enter_context(postgres_database("dingdan_bench_baseline"))
            raw = stack.enter_context(postgres_baseline(
                f"{POSTGRES_URL}/{theirs_db}", args.skus, args.customers, STOCK))
        else:
            raw = stack.enter_context(sqlite_baseline(
                workdir / "baseline.sqlite3", args.skus, args.customers, STOCK))
        place = http_placer(port, setup)
        run_clients(max(args.clients), args.warmup, place)  # every worker imports, connects
        run_clients(max(args.clients), args.warmup, raw)
        rows, load = [], os.getloadavg()[0]
        for clients in args.clients:
            ours = measure(clients, args.seconds, place, server_group=server.pid,
                           database=ours_db)
            if server.poll() is not None:
                raise RuntimeError("the server stopped:\n" + (workdir / "serve.log").read_text())
            theirs = measure(clients, args.seconds, raw, server_group=None, database=theirs_db)
            rows.append((clients, ours, theirs))
            print(f"  {db} {clients:>2} clients: {ours.rate:7.1f} orders/s vs baseline "
                  f"{theirs.rate:7.1f}", file=sys.stderr, flush=True)
            for label, result in (("dingdan", ours), ("baseline", theirs)):
                if result.errors:
                    print(f"  {label}: {result.errors} errors, first: {result.first_error}",
                          file=sys.stderr)
        load = (load + os.getloadavg()[0]) / 2
        return {"statements": setup["statements"], "rows": rows, "load": load}


def report(db: str, outcome: dict, args) -> None:
    print(f"\n## {db}  ({args.seconds:g} s per measurement, load average "
          f"{outcome['load']:.1f} on {os.cpu_count()} cores)\n")
    print("statements per order (in-process, transaction control not counted):")
    for case, count in outcome["statements"].items():
        print(f"  {case}: {count}")
    print()
    print("CPU ms/order: the server's processes (app) + the PostgreSQL backends (database)\n")
    print("| clients | dingdan orders/s | p50 ms | p99 ms | CPU ms/order | baseline orders/s "
          "| p50 ms | p99 ms | CPU ms/order | ratio | errors |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for clients, ours, theirs in outcome["rows"]:
        ratio = ours.rate / theirs.rate if theirs.rate else float("nan")
        print(f"| {clients} | {ours.rate:.0f} | {ours.percentile(0.5):.1f} | "
              f"{ours.percentile(0.99):.1f} | {ours.cpu_per_order()} | {theirs.rate:.0f} | "
              f"{theirs.percentile(0.5):.2f} | {theirs.percentile(0.99):.2f} | "
              f"{theirs.cpu_per_order()} | {ratio:.3f} | {ours.errors}/{theirs.errors} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--clients", type=lambda s: [int(n) for n in s.split(",")],
                        default=[1, 4, 16])
    parser.add_argument("--warmup", type=float, default=3, help="seconds before measuring")
    parser.add_argument("--customers", type=int, default=200)
    parser.add_argument("--skus", type=int, default=60)
    parser.add_argument("--workers", type=int, help="web processes (default: serve's)")
    parser.add_argument("--threads", type=int, help="threads per process (default: serve's)")
    args = parser.parse_args()

    def interrupted(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupted)
    outcomes = {}
    try:
        for db in ["sqlite", "postgres"] if args.db == "both" else [args.db]:
            print(f"{db}: starting the server and setting up the shop …", file=sys.stderr,
                  flush=True)
            outcomes[db] = bench_database(db, args)
    except KeyboardInterrupt:
        print("interrupted; the servers and databases are gone", file=sys.stderr)
        sys.exit(130)
    for db, outcome in outcomes.items():
        report(db, outcome, args)


if __name__ == "__main__":
    main()
