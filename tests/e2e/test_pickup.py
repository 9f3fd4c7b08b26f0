"""Self-pickup in a real browser against `dingdan serve --demo`: an order packed for pickup
shows its code and QR code on the customer's phone; staff at the counter, on a 375 px
phone, type the code and see whose order went and what, and the order is 已送达."""

import json
import urllib.request

import pytest

from .browser import browser_session
from .test_shell import log_in

pytestmark = pytest.mark.e2e

PHONE = {"width": 375, "height": 740}


def api(served, secret: str, path: str, body: dict) -> dict:
    request = urllib.request.Request(
        served.url + "/api/v1" + path, data=json.dumps(body).encode(), method="POST",
        headers={"Authorization": f"Bearer {secret}", "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


def test_staff_on_a_phone_redeem_a_code_and_the_order_is_delivered(served, chromium_path):
    made = served.dingdan("token", "create", "--shop", "demo", "--role", "owner",
                          "--name", "pickup")
    assert made.returncode == 0, made.stderr
    secret = made.stdout.strip().splitlines()[-1]
    order = api(served, secret, "/orders", {
        "customer": {"name": "赵六", "phone": "13712345678"}, "delivery_method": "pickup",
        "lines": [{"sku": "CM-500", "quantity": 1}]})
    api(served, secret, f"/orders/{order['id']}/transition", {"to": "accepted"})
    shipment = api(served, secret, f"/orders/{order['id']}/shipments", {})
    code = shipment["pickup_code"]
    assert code and code.isdigit() and len(code) >= 8

    with browser_session(chromium_path) as open_page:
        staff = open_page(**PHONE)
        log_in(staff, served.url)
        staff.goto(f"{served.url}/orders/{order['id']}/")
        link = staff.get_by_test_id("link").input_value()

        customer = open_page(**PHONE)
        customer.goto(link)
        card = customer.get_by_test_id("pickup-code-card")
        assert card.get_by_test_id("pickup-code").inner_text() == code
        assert card.locator("svg").count() == 1

        staff.goto(f"{served.url}/pickups/redeem/")
        field = staff.locator("#pickup-code")
        assert field.get_attribute("inputmode") == "numeric"
        button = staff.get_by_test_id("redeem")
        assert button.bounding_box()["height"] >= 44  # a thumb's worth
        assert staff.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

        field.fill("12345678" if code != "12345678" else "12345679")
        button.click()
        assert "没有待自提的订单" in staff.get_by_test_id("error-code").inner_text()

        staff.locator("#pickup-code").fill(code)
        staff.get_by_test_id("redeem").click()
        done = staff.get_by_test_id("pickup-done")
        assert "已交付" in done.inner_text()
        assert staff.get_by_test_id("pickup-customer").inner_text() == "赵六"
        assert "× 1" in staff.get_by_test_id("pickup-items").inner_text()
        assert staff.get_by_test_id("pickup-order").inner_text() == order["number"]
        assert staff.get_by_test_id("pickup-order-status").inner_text() == "已送达"

        customer.reload()
        assert customer.get_by_test_id("order-status").inner_text() == "已送达"
        assert customer.get_by_test_id("pickup-code-card").count() == 0
