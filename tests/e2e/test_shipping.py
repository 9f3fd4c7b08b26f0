"""Shipping in a real browser against `dingdan serve --demo`: staff ship part of an order from
its page with a carrier and tracking number, then the rest; the customer on a phone sees the
parcels with their tracking numbers and confirms receipt."""

import json
import urllib.request

import pytest

from .browser import browser_page
from .test_shell import log_in

pytestmark = pytest.mark.e2e

PHONE = {"width": 375, "height": 740}


@pytest.fixture(scope="module")
def api(served):
    made = served.dingdan("token", "create", "--shop", "demo", "--role", "owner",
                          "--name", "shipping")
    assert made.returncode == 0, made.stderr
    secret = made.stdout.strip().splitlines()[-1]

    def call(method: str, path: str, body: dict | None = None) -> dict:
        request = urllib.request.Request(
            served.url + "/api/v1" + path, method=method,
            data=None if body is None else json.dumps(body).encode(),
            headers={"Authorization": f"Bearer {secret}", "Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.loads(response.read())

    return call


def accepted_order(api) -> dict:
    placed = api("POST", "/orders", {
        "customer": {"name": "王五", "phone": "13712345678",
                     "address": "杭州市西湖区文三路100号"},
        "lines": [{"sku": "CM-500", "quantity": 3}]})
    api("POST", f"/orders/{placed['id']}/transition", {"to": "accepted"})
    return api("GET", f"/orders/{placed['id']}")


def test_staff_ship_part_then_the_rest_and_the_customer_confirms(served, chromium_path, api):
    order = accepted_order(api)
    line_id = order["lines"][0]["id"]
    with browser_page(chromium_path) as page:
        log_in(page, served.url)
        page.goto(f"{served.url}/orders/{order['id']}/")
        form = page.get_by_test_id("ship-form")
        form.locator(f"#ship-qty-{line_id}").fill("1")
        form.locator("#ship-carrier").select_option("sf")
        form.locator("#ship-tracking").fill("SF 1234 5678 9012 3")
        form.get_by_test_id("ship-submit").click()
        page.wait_for_selector("text=已发货。")
        assert page.get_by_test_id("order-status").inner_text() == "已发货"
        panel = page.get_by_test_id("shipments-panel")
        assert "SF1234567890123" in panel.inner_text()
        assert "草莓" in panel.get_by_test_id("shipment-lines").first.inner_text()

        # A wrong number is refused next to its field, the form kept as typed.
        page.get_by_test_id("ship-summary").click()
        form = page.get_by_test_id("ship-form")
        form.locator(f"#ship-qty-{line_id}").fill("2")
        form.locator("#ship-carrier").select_option("zto")
        form.locator("#ship-tracking").fill("12")
        form.get_by_test_id("ship-submit").click()
        error = page.locator("#error-ship-tracking")
        error.wait_for()
        assert page.locator("#ship-tracking").input_value() == "12"
        page.locator("#ship-tracking").fill("731234567890")
        page.get_by_test_id("ship-submit").click()
        page.wait_for_selector("text=已发货。")
        assert "731234567890" in page.get_by_test_id("shipments-panel").inner_text()
        link = page.get_by_test_id("link").input_value()

    with browser_page(chromium_path, **PHONE) as phone:
        phone.goto(link)
        shipments = phone.get_by_test_id("customer-shipments")
        assert "SF1234567890123" in shipments.inner_text()
        assert "731234567890" in shipments.inner_text()
        assert phone.evaluate("document.documentElement.scrollWidth") <= 375
        phone.get_by_test_id("confirm-receipt").click()
        phone.wait_for_selector("[data-testid=done]")
        assert phone.get_by_test_id("order-status").inner_text() == "已送达"
