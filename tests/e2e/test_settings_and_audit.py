"""The owner of the demo shop, in a real browser: sets the order numbering and watches the
example follow, is told next to the field when a value is wrong, finds the change in the
audit log, and cancels an order with a reason on a phone screen."""

import re

import pytest

from .browser import browser_page
from .test_shell import log_in

pytestmark = pytest.mark.e2e


def test_numbering_example_follows_the_form_and_a_bad_value_is_told_at_its_field(
    served, chromium_path
):
    with browser_page(chromium_path) as page:
        log_in(page, served.url)
        page.goto(served.url + "/settings/shop/")
        page.select_option("#setting-order_number_scheme", "pattern")
        page.fill("#setting-order_number_pattern", "DD-{date}-{seq:03d}")
        example = page.get_by_test_id("number-example")
        example.locator("code").filter(has_text=re.compile(r"^DD-\d{8}-\d{3}$")).wait_for()

        page.fill("#setting-order_number_pattern", "没有序号")
        page.get_by_test_id("number-example").locator(".error").wait_for()

        page.fill("#setting-order_number_pattern", "DD-{date}-{seq:03d}")
        page.fill("#setting-tax_rate", "abc")
        page.click("button[type=submit].primary")
        error = page.locator("#error-tax_rate")
        error.wait_for()
        assert page.locator("#setting-tax_rate").get_attribute("aria-invalid") == "true"
        # What the merchant typed is still there, and nothing was saved.
        assert page.locator("#setting-order_number_pattern").input_value() == (
            "DD-{date}-{seq:03d}")

        page.fill("#setting-tax_rate", "6")
        page.click("button[type=submit].primary")
        page.wait_for_selector(".messages, [role=status]")
        page.goto(served.url + "/audit/")
        newest = page.get_by_test_id("audit-entries").locator("li").first.inner_text()
        assert "店铺设置" in newest and "DD-{date}-{seq:03d}" in newest


def test_an_order_is_cancelled_with_a_reason_on_a_phone(served, chromium_path):
    with browser_page(chromium_path, width=375, height=740) as page:
        log_in(page, served.url)
        page.goto(served.url + "/orders/?status=pending_confirmation")
        page.get_by_test_id("order-row").first.locator("a").first.click()
        page.get_by_test_id("moves").wait_for()

        page.get_by_test_id("move-cancelled").click()
        page.wait_for_selector(".messages")
        assert "请说明取消订单的原因" in page.content()

        page.get_by_test_id("cancel-reason").select_option("out_of_stock")
        page.get_by_test_id("move-cancelled").click()
        page.get_by_test_id("cancel-reason-shown").wait_for()
        assert "缺货" in page.get_by_test_id("cancel-reason-shown").inner_text()
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
