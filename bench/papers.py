"""Printing papers for many orders: the PDF download beside the same paper as a page to
print from the browser, in one run.

    .venv/bin/python bench/papers.py [--orders 200]

A shop with 60 SKUs and 200 known customers (bench/placement_setup.py) gets ORDERS
accepted orders of 2 lines each, on a temporary SQLite file (the papers read a handful of
queries; their cost is drawing). Then, through Django's WSGI handler with an owner logged
in, for packing slips and for labels: the page (HTML, the baseline: the same template and
the same reads) and the PDF (WeasyPrint, the CJK font subset by HarfBuzz). Printed: seconds,
pages of the PDF (pdfinfo), milliseconds per order, and PDF time / page time."""

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PAPERS = (("packing slips", "/papers/packing-slips/"), ("labels", "/papers/labels/"))


def pdf_pages(data: bytes) -> int:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as file:
        file.write(data)
        file.flush()
        info = subprocess.run(["pdfinfo", file.name], capture_output=True, text=True,
                              check=True).stdout
    return int(next(line.split()[-1] for line in info.splitlines()
                    if line.startswith("Pages:")))


def measure(count: int) -> dict:
    """In the child process, with the environment naming the database."""
    sys.path[:0] = [str(ROOT), str(ROOT / "bench")]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dingdan.settings")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.test import Client
    from placement_setup import set_up

    from dingdan.orders.services import lifecycle, placement
    from dingdan.shops.actors import Actor
    from dingdan.shops.models import Membership, Shop

    call_command("migrate", verbosity=0)
    setup = set_up(200, 60, 10_000_000)
    shop = Shop.objects.get(slug="bench")
    system = Actor.system(shop)
    rng = random.Random(7)
    ids = []
    for _n in range(count):
        customer = rng.randrange(len(setup["phones"]))
        order = placement.place_order(
            actor=system, shop=shop,
            customer=placement.CustomerInput(name=f"顾客{customer}",
                                             phone=setup["phones"][customer],
                                             address=f"北京市朝阳区建国路{customer + 1}号"),
            lines=[(sku, rng.randint(1, 3)) for sku in rng.sample(setup["skus"], 2)])
        ids.append(lifecycle.accept_order(actor=system, order=order).pk)
    user = get_user_model().objects.create_user("printer", password="x")
    Membership.objects.create(shop=shop, user=user, role="owner")
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    client.post(PAPERS[0][1], {"ids": ids[:1], "format": "pdf"})  # warm up WeasyPrint
    figures = {"orders": count}
    for name, url in PAPERS:
        started = time.perf_counter()
        page = client.post(url, {"ids": ids})
        page_seconds = time.perf_counter() - started
        assert page.status_code == 200, page.content[:500]
        started = time.perf_counter()
        pdf = client.post(url, {"ids": ids, "format": "pdf"})
        pdf_seconds = time.perf_counter() - started
        assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
        figures[name] = {"page_seconds": page_seconds, "pdf_seconds": pdf_seconds,
                         "pages": pdf_pages(pdf.content), "pdf_bytes": len(pdf.content)}
    return figures


def run_in_child(count: int) -> dict:
    with tempfile.TemporaryDirectory(prefix="dingdan-papers-") as folder:
        env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "SECRET_KEY"}}
        env["DINGDAN_VAR_DIR"] = str(Path(folder) / "var")
        child = subprocess.run([sys.executable, __file__, "--child", "--orders", str(count)],
                               env=env, capture_output=True, text=True, cwd=ROOT, timeout=3600)
        if child.returncode:
            raise RuntimeError(child.stderr[-3000:])
        return json.loads(child.stdout.strip().splitlines()[-1])


def report(figures: dict) -> None:
    count = figures["orders"]
    print(f"\n## papers for {count} orders (2 lines each), in-process through the test client "
          f"(load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)\n")
    print("| paper | page s | PDF s | PDF pages | PDF MB | ms per order (PDF) | PDF / page |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for name, _url in PAPERS:
        f = figures[name]
        print(f"| {name} | {f['page_seconds']:.2f} | {f['pdf_seconds']:.2f} | {f['pages']} | "
              f"{f['pdf_bytes'] / 1e6:.1f} | {1000 * f['pdf_seconds'] / count:.0f} | "
              f"{f['pdf_seconds'] / f['page_seconds']:.0f}× |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--orders", type=int, default=200)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(args.orders)))
        return
    report(run_in_child(args.orders))


if __name__ == "__main__":
    main()
