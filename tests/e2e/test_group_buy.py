"""On a 375 px phone a merchant sets up a group-buy, pastes the group's chain back, corrects
an entry the parser could not read, confirms, and finds the orders and the summary."""

import pytest

from dingdan import demo_orders

from .browser import browser_session
from .test_shell import log_in

pytestmark = pytest.mark.e2e

PHONE = {"width": 375, "height": 740}
ENTRIES = "1. 李四 草莓x2 13912345678 东门\n2. 王五 榴莲x1 13700001111 阳光小区东门\n"


def fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_a_group_buy_from_chain_to_summary_on_a_phone(served, chromium_path):
    shots = served.log.parent
    with browser_session(chromium_path) as open_page:
        page = open_page(**PHONE)
        log_in(page, served.url)
        page.goto(served.url + "/campaigns/new/")
        page.fill("#f-title", "周六草莓团")
        page.fill("#sku-1", "CM-500")
        page.fill("#price-1", "29.90")
        page.fill("#limit-1", "3")
        page.fill("#sku-2", "LM-125")
        page.fill("#price-2", "19.90")
        page.fill("#f-new-point", "阳光小区东门")
        page.fill("#f-new-point-address", "幸福路8号")
        assert fits_the_screen(page)
        page.get_by_test_id("save-campaign").click()
        page.wait_for_selector("[data-testid=campaign-title]")

        chain = page.get_by_test_id("chain-text").input_value()
        assert "· 草莓 500g ¥29.90" in chain and "阳光小区东门(幸福路8号)" in chain
        assert fits_the_screen(page)
        copy = page.get_by_test_id("copy-chain")
        copied = copy.get_attribute("data-copied")
        copy.click()
        page.wait_for_selector(f"[data-testid=copy-chain]:has-text('{copied}')")
        page.screenshot(path=str(shots / "campaign-phone.png"), full_page=True)

        page.fill("#paste-text", chain + ENTRIES)
        page.get_by_test_id("preview-chain").click()
        page.wait_for_selector("[data-testid=preview]")
        assert page.get_by_test_id("state-0").inner_text() == page.get_by_test_id(
            "state-1").inner_text()  # both new
        assert page.get_by_test_id("keep-0").is_checked()
        assert not page.get_by_test_id("keep-1").is_checked()  # 榴莲 is not sold here
        assert fits_the_screen(page)

        page.get_by_test_id("fix-1").click()
        page.fill("#fix-items-1", "蓝莓x1")
        page.get_by_test_id("save-fix-1").click()
        page.wait_for_selector("[data-testid=entry-1] .badge.changed")
        assert "蓝莓 125g ×1" in page.get_by_test_id("entry-1").inner_text()
        assert page.get_by_test_id("keep-1").is_checked()
        assert page.get_by_test_id("keep-0").is_checked()
        page.screenshot(path=str(shots / "preview-phone.png"), full_page=True)

        page.get_by_test_id("confirm-import").click()
        page.wait_for_selector("[data-testid=import-result]")
        assert page.locator("[data-testid=outcome-created]").count() == 2
        assert fits_the_screen(page)

        page.goto(served.url + "/orders/?channel=chain")
        rows = page.locator("[data-testid=order-row]")
        assert rows.count() == 2 + len(demo_orders.CHAIN_ENTRIES)  # the demo's group buy too
        assert "59.80" in page.get_by_test_id("order-list").inner_text()

        page.go_back()
        page.get_by_test_id("summary-link").click()
        page.wait_for_selector("[data-testid=by-product]")
        by_product = page.get_by_test_id("by-product").inner_text()
        assert "草莓 500g" in by_product and "蓝莓 125g" in by_product
        assert page.locator("[data-testid=pick-row]").count() == 2
        assert fits_the_screen(page)
        page.screenshot(path=str(shots / "summary-phone.png"), full_page=True)
