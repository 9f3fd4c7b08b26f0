"""A merchant opens dingdan in a real browser: logs in, switches language and shop, on a
desktop and on a 375 px phone screen."""

import pytest

from .browser import browser_page

pytestmark = pytest.mark.e2e


def log_in(page, url: str) -> None:
    page.goto(url + "/")
    page.fill("#id_username", "demo")
    page.fill("#id_password", "demo")
    page.click("button[type=submit].primary")
    page.wait_for_selector("h1:has-text('演示小店')")


def test_demo_user_logs_in_switches_language_and_sees_the_shell(served, chromium_path):
    with browser_page(chromium_path) as page:
        page.goto(served.url + "/")
        assert page.locator("h1").inner_text() == "登录订单系统"

        log_in(page, served.url)
        nav = page.locator("nav.sidenav")
        assert nav.get_by_role("link", name="员工").is_visible()
        assert page.get_by_test_id("role").inner_text() == "店主"

        page.get_by_test_id("language-en").click()
        page.wait_for_selector("text=Log out")
        assert nav.get_by_role("link", name="Staff").is_visible()
        assert page.get_by_test_id("role").inner_text() == "Owner"

        page.get_by_test_id("language-zh-hans").click()
        page.wait_for_selector("text=退出登录")

        page.get_by_test_id("logout").click()
        page.wait_for_selector("#id_username")


def test_staff_of_two_shops_switches_between_them(served, chromium_path):
    result = served.dingdan(
        "shop", "create", "--slug", "second", "--name", "第二家店", "--owner", "demo@example.com"
    )
    assert result.returncode == 0, result.stderr
    with browser_page(chromium_path) as page:
        log_in(page, served.url)
        page.get_by_test_id("shop-switcher").select_option("second")
        page.wait_for_selector("h1:has-text('第二家店')")
        assert "已切换到 第二家店" in page.content()
        page.reload()
        assert page.locator("h1").inner_text() == "第二家店"


def test_the_shell_fits_a_375px_phone_screen(served, chromium_path):
    with browser_page(chromium_path, width=375, height=740) as page:
        log_in(page, served.url)
        overflow = page.evaluate("document.documentElement.scrollWidth")
        assert overflow <= 375
        assert page.locator("nav.sidenav").get_by_role("link", name="概览").is_visible()
        assert page.get_by_test_id("shop-switcher").is_visible()
        page.goto(served.url + "/settings/tokens/")
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
        page.screenshot(path=str(served.log.parent / "phone.png"), full_page=True)
