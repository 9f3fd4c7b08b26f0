"""The benchmark scripts in bench/ keep working: each runs briefly, on the database the
suite runs on, and prints its figures (not judged here: figures are for
docs/performance.md, and these machines are too noisy for timed tests)."""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[1]
POSTGRES = os.environ.get("DATABASE_URL", "").startswith("postgres")
DB = "postgres" if POSTGRES else "sqlite"


def run_bench(script: str, *args: str, env: dict | None = None) -> str:
    environment = {**os.environ, **(env or {})}
    if POSTGRES:
        environment["BENCH_POSTGRES_URL"] = os.environ["DATABASE_URL"].rsplit("/", 1)[0]
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / script), *args],
        capture_output=True, text=True, timeout=300, cwd=ROOT, env=environment,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return done.stdout


def test_placement_benchmark_places_orders_and_compares_with_the_baseline():
    out = run_bench("place_orders.py", "--db", DB, "--seconds", "1", "--clients", "1,2",
                    "--warmup", "0.5")

    assert "known customer: 12" in out
    rows = [line.split("|")[1:-1] for line in out.splitlines() if line.startswith("| 1 |")
            or line.startswith("| 2 |")]
    assert len(rows) == 2
    for row in rows:
        orders_per_second, ratio, errors = float(row[1]), float(row[9]), row[10].strip()
        assert orders_per_second > 0 and 0 < ratio < 1
        assert errors == "0/0"  # no order failed, in dingdan or the baseline


def test_placement_profile_splits_an_order_into_its_layers():
    out = run_bench("profile_placement.py", "--db", DB, "--orders", "30")

    layers = {line.split("|")[1].strip(): line for line in out.splitlines()
              if line.startswith("| ")}
    for layer in ("framework", "authentication", "input", "service: Python",
                  "service: database", "answer", "**total**"):
        assert layer in layers, out
    assert "raw-SQL order" in out


def test_order_read_benchmark_generates_a_shop_and_times_every_read():
    args = ["--db", DB, "--generate", "400", "--repeat", "2"]
    if POSTGRES:
        base = os.environ["DATABASE_URL"].rsplit("/", 1)[0]
        args += ["--database-url", f"{base}/dingdan_bench_{uuid.uuid4().hex[:8]}"]
    out = run_bench("order_queries.py", *args)

    assert "generated 400 orders" in out
    for read in ("list, first page", "status", "tag", "search: phone (last 4)",
                 "search: product name", "detail with events"):
        assert f"| {read} |" in out, out


def test_shipment_import_benchmark_ships_by_file_and_one_by_one():
    out = run_bench("shipment_import.py", "--db", DB, "--rows", "20")

    ways = {line.split("|")[1].strip(): line.split("|")[2:-1] for line in out.splitlines()
            if line.startswith("| single") or line.startswith("| one")}
    assert set(ways) == {"single POST /orders/{id}/shipments", "one POST /shipments/import"}
    for seconds, rows_per_second, _statements in ways.values():
        assert float(seconds) > 0 and float(rows_per_second.replace(",", "")) > 0
    single = float(ways["single POST /orders/{id}/shipments"][2])
    imported = float(ways["one POST /shipments/import"][2])
    assert imported < single  # fewer statements per row than one call per order
    assert "import / single:" in out


def test_papers_benchmark_prints_both_papers_as_page_and_pdf():
    out = run_bench("papers.py", "--orders", "3")

    rows = {line.split("|")[1].strip(): line.split("|")[2:-1] for line in out.splitlines()
            if line.startswith("| packing") or line.startswith("| labels")}
    assert set(rows) == {"packing slips", "labels"}
    for page_seconds, pdf_seconds, pages, *_rest in rows.values():
        assert float(page_seconds) > 0 and float(pdf_seconds) > 0
        assert int(pages) == 3  # one page per order
