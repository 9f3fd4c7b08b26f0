"""On a 375 px phone screen a merchant opens an order, changes a quantity, reprices a line
with a reason, and reads both on the timeline."""

import pytest

from .browser import browser_page
from .test_shell import log_in

pytestmark = pytest.mark.e2e

PHONE = {"width": 375, "height": 740}


def fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_editing_and_repricing_an_order_on_a_phone(served, chromium_path):
    with browser_page(chromium_path, **PHONE) as page:
        log_in(page, served.url)
        page.goto(served.url + "/orders/new/")
        page.fill("#f-name", "张三")
        page.fill("#f-phone", "13800138000")
        page.fill("#f-address", "北京市朝阳区建国路88号")
        page.fill("#sku-1", "CM-500")
        page.fill("#qty-1", "1")
        page.get_by_test_id("place-order").click()
        page.wait_for_selector("[data-testid=order-number]")
        assert page.get_by_test_id("order-total").inner_text() == "39.90"
        assert fits_the_screen(page)

        page.get_by_test_id("edit-order").click()
        page.wait_for_selector("[data-testid=edit-form]")
        assert fits_the_screen(page)
        page.get_by_test_id("qty-CM-500").fill("3")
        page.get_by_test_id("save-edit").click()
        page.wait_for_selector("[data-testid=order-number]")
        assert page.get_by_test_id("order-total").inner_text() == "119.70"

        page.get_by_test_id("reprice-order").click()
        page.wait_for_selector("[data-testid=reprice-form]")
        assert fits_the_screen(page)
        page.get_by_test_id("price-CM-500").fill("35.00")
        page.get_by_test_id("reprice-reason").fill("老顾客优惠")
        page.get_by_test_id("save-prices").click()
        page.wait_for_selector("[data-testid=order-number]")

        assert page.get_by_test_id("order-total").inner_text() == "105.00"
        timeline = page.get_by_test_id("timeline").inner_text()
        assert "CM-500 ×1→×3" in timeline
        assert "CM-500 ¥39.90→¥35.00" in timeline and "老顾客优惠" in timeline
        assert fits_the_screen(page)
        page.screenshot(path=str(served.log.parent / "order-phone.png"), full_page=True)


def test_a_refused_line_is_shown_under_its_row_on_a_phone(served, chromium_path):
    with browser_page(chromium_path, **PHONE) as page:
        log_in(page, served.url)
        page.goto(served.url + "/orders/new/")
        page.fill("#f-name", "李四")
        page.fill("#sku-1", "CM-500")
        page.fill("#qty-1", "2")
        page.fill("#sku-2", "NOPE-1")
        page.fill("#qty-2", "1")
        page.get_by_test_id("place-order").click()
        page.wait_for_selector("#error-sku-2")

        unknown = page.locator("#sku-2")
        assert unknown.get_attribute("aria-invalid") == "true"
        assert unknown.get_attribute("aria-describedby") == "error-sku-2"
        assert "NOPE-1" in page.locator("#error-sku-2").inner_text()
        # The message is under the row, and the row's two inputs stay side by side.
        row, quantity = unknown.bounding_box(), page.locator("#qty-2").bounding_box()
        message = page.locator("#error-sku-2").bounding_box()
        assert abs(quantity["y"] - row["y"]) < 2 and quantity["x"] > row["x"]
        assert message["y"] >= row["y"] + row["height"]
        assert page.locator("#sku-1").input_value() == "CM-500"
        assert page.locator("#qty-1").input_value() == "2"
        assert page.locator("#f-name").input_value() == "李四"
        assert fits_the_screen(page)
        page.screenshot(path=str(served.log.parent / "order-refused-row.png"), full_page=True)
