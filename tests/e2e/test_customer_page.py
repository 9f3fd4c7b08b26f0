"""A customer opens the link to their order on a phone, changes it, and later asks for a
change the merchant approves — all in a real browser against `dingdan serve`."""

import json
import urllib.request

import pytest

from .browser import browser_session
from .test_shell import log_in

pytestmark = pytest.mark.e2e


def place_order(served) -> int:
    made = served.dingdan("token", "create", "--shop", "demo", "--role", "owner", "--name", "t")
    assert made.returncode == 0, made.stderr
    secret = made.stdout.strip().splitlines()[-1]
    body = {"customer": {"name": "李四", "phone": "13912345678",
                         "address": "上海市浦东新区世纪大道100号"},
            "lines": [{"sku": "CM-500", "quantity": 2}]}
    request = urllib.request.Request(
        served.url + "/api/v1/orders", data=json.dumps(body).encode(), method="POST",
        headers={"Authorization": f"Bearer {secret}", "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())["id"]


def test_the_customer_changes_the_order_then_asks_for_a_change(served, chromium_path):
    order_id = place_order(served)
    with browser_session(chromium_path) as open_page:
        merchant = open_page()
        log_in(merchant, served.url)
        merchant.goto(f"{served.url}/orders/{order_id}/")
        link = merchant.get_by_test_id("link").input_value()
        assert "/o/" in link

        phone = open_page(width=375, height=740)
        phone.goto(link)
        assert phone.get_by_test_id("order-total").inner_text() == "79.80"
        phone.get_by_test_id("qty-CM-500").fill("3")
        phone.get_by_test_id("save-change").click()
        phone.wait_for_selector("[data-testid=done]")
        assert phone.get_by_test_id("order-total").inner_text() == "119.70"
        assert phone.evaluate("document.documentElement.scrollWidth") <= 375

        merchant.reload()
        merchant.get_by_test_id("move-accepted").click()
        merchant.wait_for_selector("[data-testid=order-status]:has-text('已接受')")

        phone.reload()
        phone.get_by_test_id("qty-CM-500").fill("4")
        phone.get_by_test_id("save-change").click()
        phone.wait_for_selector("[data-testid=open-request]")
        assert phone.get_by_test_id("order-total").inner_text() == "119.70"

        merchant.reload()
        assert "× 4" in merchant.get_by_test_id("change-request").inner_text()
        merchant.get_by_test_id("approve-change").click()
        merchant.wait_for_selector("[data-testid=order-total]:has-text('159.60')")

        phone.reload()
        assert phone.get_by_test_id("order-total").inner_text() == "159.60"
        assert phone.locator("[data-testid=open-request]").count() == 0
