"""On a 375 px phone a customer opens a group buy's join link, picks quantities, joins and
lands on their order's page; the merchant's summary counts the new units and the chain
text lists the customer's line to post in the group."""

import re

import pytest

from .browser import browser_session
from .test_shell import log_in

pytestmark = pytest.mark.e2e

PHONE = {"width": 375, "height": 740}


def fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def quantity_of(page, product: str) -> int:
    row = page.get_by_test_id("by-product").locator("tr", has_text=product)
    return int(row.locator("td.num").first.inner_text())


def test_a_customer_joins_on_a_phone_and_the_merchant_sees_the_units(served, chromium_path):
    shots = served.log.parent
    with browser_session(chromium_path) as open_page:
        merchant = open_page(**PHONE)
        log_in(merchant, served.url)
        merchant.goto(served.url + "/campaigns/")
        merchant.get_by_role("link", name="周六丹东草莓团").click()
        merchant.wait_for_selector("[data-testid=join-link]")
        link = merchant.get_by_test_id("join-link").input_value()
        assert re.fullmatch(rf"{re.escape(served.url)}/join/[\w-]{{20,32}}/", link)
        assert fits_the_screen(merchant)
        campaign_page = merchant.url
        merchant.get_by_test_id("summary-link").click()
        merchant.wait_for_selector("[data-testid=by-product]")
        strawberries, blueberries = quantity_of(merchant, "草莓"), quantity_of(merchant, "蓝莓")

        customer = open_page(**PHONE)
        customer.goto(link)
        customer.wait_for_selector("[data-testid=join-form]")
        assert customer.get_by_test_id("join-title").inner_text() == "周六丹东草莓团"
        clock = customer.get_by_test_id("countdown")
        first = clock.inner_text()
        assert re.fullmatch(r"\d+天 \d\d:\d\d:\d\d", first)
        customer.wait_for_function(
            "t => document.querySelector('[data-testid=countdown]').textContent !== t", arg=first)
        offer = customer.get_by_test_id("item-CM-500").inner_text()
        assert "¥35.90" in offer and "每人限购 3" in offer
        assert re.search(r"剩余 \d+ 份", offer)
        assert fits_the_screen(customer)

        customer.get_by_test_id("qty-CM-500").fill("2")
        customer.get_by_test_id("qty-LM-125").fill("1")
        customer.get_by_test_id("customer").fill("周小萌")
        customer.get_by_test_id("phone").fill("139 1234 5699")
        customer.get_by_test_id("join").click()
        # No pickup point chosen yet: the message is next to the choice, the rest is kept.
        customer.wait_for_selector("[data-testid=error-point]")
        assert customer.get_by_test_id("qty-CM-500").input_value() == "2"
        assert customer.get_by_test_id("customer").input_value() == "周小萌"
        assert fits_the_screen(customer)
        customer.get_by_test_id("point-2").check()
        customer.screenshot(path=str(shots / "join-phone.png"), full_page=True)
        customer.get_by_test_id("join").click()

        customer.wait_for_selector("[data-testid=order-status]")
        assert "/o/" in customer.url
        assert "您已成功参团" in customer.get_by_test_id("done").inner_text()
        lines = customer.get_by_test_id("order-lines").inner_text()
        assert "草莓" in lines and "35.90" in lines and "蓝莓" in lines and "22.90" in lines
        assert fits_the_screen(customer)
        customer.screenshot(path=str(shots / "joined-order-phone.png"), full_page=True)

        merchant.reload()
        merchant.wait_for_selector("[data-testid=by-product]")
        assert quantity_of(merchant, "草莓") == strawberries + 2
        assert quantity_of(merchant, "蓝莓") == blueberries + 1
        assert "周小萌" in merchant.locator("[data-testid=pick-list]", has_text="文鼎苑南门") \
            .inner_text()
        assert fits_the_screen(merchant)

        merchant.goto(campaign_page)
        chain = merchant.get_by_test_id("chain-text").input_value()
        assert chain.rstrip().endswith("7. 周小萌 草莓500g×2 蓝莓125g×1 13912345699 文鼎苑南门")
        assert merchant.get_by_test_id("joined-badge").count() == 1
