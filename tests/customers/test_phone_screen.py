"""A merchant runs the customer book from a phone (375 px wide): add a customer by pasting
their address, tag them, find them again — and nothing needs sideways scrolling."""

import pytest

from tests.e2e.browser import browser_page
from tests.e2e.conftest import start_server, stop_server

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    server = start_server(tmp_path_factory.mktemp("customers"), "--demo")
    yield server
    stop_server(server)


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= 375


def test_a_customer_is_added_tagged_and_found_on_a_phone(served, chromium_path):
    with browser_page(chromium_path, width=375, height=740, locale="en-US") as page:
        page.goto(served.url + "/")
        page.fill("#id_username", "demo")
        page.fill("#id_password", "demo")
        page.click("button[type=submit].primary")
        page.wait_for_selector("nav.sidenav")
        page.goto(served.url + "/customers/")
        assert fits(page)

        page.get_by_test_id("new-customer").click()
        page.fill("#customer-name", "王芳")
        page.fill("#customer-phone", "+86 138 0013 8000")
        page.fill("#customer-address", "内蒙古自治区呼和浩特市赛罕区大学东街235号 3单元501")
        page.fill("#customer-tags", "VIP")
        assert fits(page)
        page.click("button[type=submit].primary")

        page.wait_for_selector("[data-testid=customer-name]")
        assert page.get_by_test_id("customer-phone").inner_text().endswith("13800138000")
        addresses = page.get_by_test_id("customer-addresses").inner_text()
        assert "内蒙古自治区呼和浩特市赛罕区" in addresses
        assert page.get_by_test_id("orders-count").inner_text() == "0"
        page.fill("#new-tag", "团长一号店的老顾客")
        page.get_by_role("button", name="Add tag").click()
        page.wait_for_selector("text=团长一号店的老顾客")
        assert fits(page)
        page.screenshot(path=str(served.log.parent / "customer-phone.png"), full_page=True)

        page.goto(served.url + "/customers/?q=8000")
        assert page.get_by_test_id("customer-list").get_by_text("王芳").is_visible()
        assert fits(page)
