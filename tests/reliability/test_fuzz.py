"""Every operation of /api/v1/openapi.json, fuzzed by schemathesis (its `run` command:
examples, boundary coverage and random fuzzing) against `dingdan serve` with an owner's
token: no answer is a server error, and every answer is one the document promises (a
listed status code, a body of the listed shape).

Path ids and SKUs point at real rows part of the time, so the fuzz reaches the services
and not only the input validation. Deterministic on CI (like Hypothesis' CI profile),
exploring anew on every local run; the output's seed replays a local failure."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from .client import ShopApi, open_shop, order_body, stock_sku

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES_PER_OPERATION = 10
REAL_ROW_PROBABILITY = 0.5


def _made(answer, status: int = 201):
    assert answer.status == status, answer
    return answer.body


def _real_rows(api: ShopApi) -> dict[str, list]:
    """A few of everything a path can name, made through the API itself."""
    skus = ["FZ-APPLE", "FZ-PEAR", "FZ-PLUM"]
    for n, sku in enumerate(skus):
        stock_sku(api, sku, 50 + n)
    # Selling one FZ-PLUM takes it to the threshold: a low-stock alert to mark read.
    _made(api.call("PATCH", "/inventory/FZ-PLUM", {"low_stock_threshold": 51}), 200)
    orders = [
        _made(api.post("/orders", order_body(n, [(sku, 1)]))) for n, sku in enumerate(skus)
    ]
    no_phone = {"customer": {"name": "没留电话"}, "lines": [{"sku": "FZ-PEAR", "quantity": 1}]}
    orders.append(_made(api.post("/orders", no_phone)))
    customers = [
        _made(api.post("/customers", {"name": f"客户{n}", "phone": f"1370000000{n}"}))
        for n in range(3)
    ]
    templates = [
        _made(api.post("/order-templates",
                       {"name": f"模板{n}", "lines": [{"sku": sku, "quantity": 1}]}))
        for n, sku in enumerate(skus[:2])
    ]
    members = [
        _made(api.post("/shop/members", {"email": f"staff{n}@example.com", "role": "clerk"}))
        for n in range(2)
    ]
    tokens = [_made(api.post("/tokens", {"name": f"erp{n}", "role": "viewer"})) for n in range(2)]
    alerts = _made(api.get("/alerts"), 200)
    points = [_made(api.post("/pickup-points", {"name": f"自提点{n}"})) for n in range(2)]
    campaigns = [
        _made(api.post("/campaigns", {
            "title": f"团购{n}", "cut_off_at": "2030-06-01T20:00:00+08:00",
            "pickup_point_ids": [points[0]["id"]],
            "items": [{"sku": sku, "price_cents": 990, "per_person_limit": 5}]}))
        for n, sku in enumerate(skus[:2])
    ]
    imports = [
        _made(api.post(f"/campaigns/{c['id']}/imports", {"text": c["chain_text"] + (
            f"1. 张三 {c['items'][0]['name']}x1 13900000001\n"
            "2. 李四 x2 13900000002 自提点0\n")}))
        for c in campaigns
    ]
    return {
        "orders": [o["id"] for o in orders],
        "skus": skus,
        "customers": [c["id"] for c in customers],
        "templates": [t["id"] for t in templates],
        "members": [m["id"] for m in members],
        "tokens": [t["id"] for t in tokens],
        "alerts": [a["id"] for a in alerts],
        "points": [p["id"] for p in points],
        "campaigns": [c["id"] for c in campaigns],
        "imports": [i["id"] for i in imports],
        "flags": ["missing_phone", "missing_address", "change_requested"],
    }


# Where schemathesis may put a real row (the name of one of `_real_rows`' lists).
BINDINGS = {
    "path.order_id": "orders",
    "path.sku": "skus",
    "path.customer_id": "customers",
    "path.template_id": "templates",
    "path.member_id": "members",
    "path.token_id": "tokens",
    "path.alert_id": "alerts",
    "path.campaign_id": "campaigns",
    "path.import_id": "imports",
    "body.items[*].sku": "skus",
    "body.pickup_point_ids[*]": "points",
    "path.code": "flags",
    "body.lines[*].sku": "skus",
    "body.ids[*]": "orders",
    "body.merge_id": "customers",
}
CHECKS = [
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_schema_conformance",
]


def _config(rows: dict[str, list]) -> str:
    """schemathesis.toml: the real rows as dictionaries, bound to the parameters above.
    (JSON scalars and arrays are valid TOML values.)"""
    lines = ['hooks = "tests.reliability.fuzz_hooks"', "", "[parameters]"]
    lines += [
        f"{json.dumps(where)} = {{ dictionary = {json.dumps(name)}, "
        f"probability = {REAL_ROW_PROBABILITY} }}"
        for where, name in BINDINGS.items()
    ]
    for name, values in rows.items():
        lines += ["", f"[dictionaries.{name}]", f"values = {json.dumps(values)}"]
    return "\n".join(lines) + "\n"


def _server_errors(served) -> str:
    """The server's tracebacks of its last few 500s, to read beside schemathesis' report."""
    blocks = served.log.read_text(errors="replace").split("API error on ")[1:]
    return "".join(f"server: API error on {block[:4000]}\n" for block in blocks[-3:])


def test_every_operation_answers_as_documented_and_never_with_a_server_error(
    served, tmp_path
):
    api = open_shop(served)
    rows = _real_rows(api)
    own_token = next(t["id"] for t in api.get("/tokens").body if t["name"] == "load")
    config = tmp_path / "schemathesis.toml"
    config.write_text(_config(rows), encoding="utf-8")

    run = subprocess.run(
        [
            sys.executable, "-m", "schemathesis.cli", "--config-file", str(config), "run",
            f"{served.url}/api/v1/openapi.json",
            "--header", f"Authorization: Bearer {api.token}",
            "--phases", "examples,coverage,fuzzing",
            "--checks", ",".join(CHECKS),
            "--max-examples", str(EXAMPLES_PER_OPERATION),
            "--workers", "2",
            # A loaded CI machine can be slow; a slow answer is not what this test is about.
            "--request-timeout", "60",
            # CI: the same cases every run; locally: new ones, and no example database.
            *(["--generation-deterministic"] if os.environ.get("CI") == "true"
              else ["--generation-database", "none"]),
            "--report-dir", str(tmp_path / "report"),
            "--no-color",
        ],
        capture_output=True, text=True, timeout=600, cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(ROOT), "FUZZ_OWN_TOKEN_ID": str(own_token),
             "FUZZ_SPARE_TOKEN_ID": str(rows["tokens"][0])},
    )

    assert run.returncode == 0, _server_errors(served) + run.stdout[-20_000:] + run.stderr
