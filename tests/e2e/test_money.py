"""Money on an order in a real browser against `dingdan serve --demo`: staff record a
partial payment and a refund on the order page; a customer on a phone reads what is due
and how to pay, reports a payment with a screenshot, and staff confirm it."""

import json
import urllib.request

import pytest

from dingdan.demo_money import screenshot_png

from .browser import browser_page, browser_session
from .test_shell import log_in

pytestmark = pytest.mark.e2e

PHONE = {"width": 375, "height": 740}


@pytest.fixture(scope="module")
def place_order(served):
    """Places a new order in the demo shop over the API (2 × 草莓 500g: ¥79.80) and
    answers its id; one token for the module, since making one takes seconds."""
    made = served.dingdan("token", "create", "--shop", "demo", "--role", "owner",
                          "--name", "money")
    assert made.returncode == 0, made.stderr
    secret = made.stdout.strip().splitlines()[-1]

    def place() -> int:
        body = {"customer": {"name": "李四", "phone": "13912345678",
                             "address": "上海市浦东新区世纪大道100号"},
                "lines": [{"sku": "CM-500", "quantity": 2}]}
        request = urllib.request.Request(
            served.url + "/api/v1/orders", data=json.dumps(body).encode(), method="POST",
            headers={"Authorization": f"Bearer {secret}", "Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.loads(response.read())["id"]

    return place


def money(page) -> dict:
    """The order page's money panel as staff read it."""
    return {name: page.get_by_test_id(f"money-{name}").inner_text().strip()
            for name in ("total", "paid", "refunded", "due", "status")}


def record_payment(page, yuan: str, method: str, reference: str) -> None:
    form = page.get_by_test_id("record-payment-form")
    page.locator("summary", has_text="记录收款").click()
    form.locator("#pay-amount").fill(yuan)
    form.locator("#pay-method").select_option(method)
    form.locator("#pay-reference").fill(reference)
    form.locator("button[type=submit]").click()
    page.wait_for_selector("text=已记录收款。")


def test_staff_record_a_partial_payment_then_a_refund(served, chromium_path, place_order):
    order_id = place_order()  # 2 × 草莓 500g: ¥79.80
    with browser_page(chromium_path) as page:
        log_in(page, served.url)
        page.goto(f"{served.url}/orders/{order_id}/")
        assert money(page) == {"total": "79.80", "paid": "0.00", "refunded": "0.00",
                               "due": "79.80", "status": "未付款"}
        assert page.locator("[data-testid=refund-form]").count() == 0  # nothing to refund

        record_payment(page, "30", "alipay", "支付宝 2026120288")

        assert money(page) == {"total": "79.80", "paid": "30.00", "refunded": "0.00",
                               "due": "49.80", "status": "部分付款"}
        timeline = page.get_by_test_id("timeline").inner_text()
        assert "登记了 支付宝 收款 ¥30.00" in timeline
        assert "支付宝 2026120288" in page.get_by_test_id("money-ledger").inner_text()

        page.locator("summary", has_text="退款").click()
        assert page.get_by_test_id("money-refundable").inner_text() == "最多可退 ¥30.00。"
        refund = page.get_by_test_id("refund-form")
        refund.locator("#refund-amount").fill("5.5")
        refund.locator("#refund-reason").fill("少了两颗草莓")
        refund.locator("button[type=submit]").click()
        page.wait_for_selector("text=已记录退款。")

        # What went back is not owed again: the due amount stays.
        assert money(page) == {"total": "79.80", "paid": "30.00", "refunded": "5.50",
                               "due": "49.80", "status": "部分退款"}
        assert "退款 ¥5.50" in page.get_by_test_id("timeline").inner_text()
        page.locator("summary", has_text="退款").click()
        assert page.get_by_test_id("money-refundable").inner_text() == "最多可退 ¥24.50。"


def test_a_customer_reports_a_payment_on_a_phone_and_staff_confirm_it(
        served, chromium_path, place_order, tmp_path):
    order_id = place_order()
    screenshot = tmp_path / "转账截图.png"
    screenshot.write_bytes(screenshot_png())
    with browser_session(chromium_path) as open_page:
        merchant = open_page()
        log_in(merchant, served.url)
        merchant.goto(f"{served.url}/orders/{order_id}/")
        link = merchant.get_by_test_id("link").input_value()

        phone = open_page(**PHONE)
        phone.goto(link)
        assert phone.get_by_test_id("amount-due").inner_text() == "79.80"
        assert "招商银行深圳科技园支行" in phone.get_by_test_id("how-to-pay").inner_text()
        phone.select_option("#pay-method", "wechat_pay")
        phone.fill("#pay-reference", "微信转账 尾号5521")
        phone.set_input_files("#screenshot", str(screenshot))
        phone.get_by_test_id("report-payment").click()
        phone.wait_for_selector("[data-testid=done]")
        assert phone.get_by_test_id("done").inner_text() == "谢谢！商家会核对您的付款并确认。"
        assert "您已报告付款 ¥79.80" in phone.get_by_test_id("report-open").inner_text()
        assert phone.evaluate("document.documentElement.scrollWidth") <= 375

        merchant.reload()
        reported = merchant.get_by_test_id("reported-payments")
        assert "79.80" in reported.inner_text()
        assert "微信转账 尾号5521" in reported.inner_text()
        href = reported.get_by_role("link", name="截图").get_attribute("href")
        shot = merchant.request.get(served.url + href)  # with the staff's login
        assert shot.status == 200 and shot.body() == screenshot.read_bytes()
        merchant.get_by_test_id("confirm-reported").click()
        merchant.wait_for_selector("[data-testid=money-status]:has-text('已付款')")
        assert money(merchant)["due"] == "0.00"
        assert money(merchant)["paid"] == "79.80"

        phone.reload()
        assert phone.locator("[data-testid=payment-due]").count() == 0
        assert phone.locator("[data-testid=report-payment-form]").count() == 0
        assert "商家已确认您的付款 ¥79.80" in phone.get_by_test_id("history").inner_text()


def test_the_money_panel_works_on_a_375px_phone(served, chromium_path, place_order):
    order_id = place_order()
    with browser_page(chromium_path, **PHONE) as page:
        log_in(page, served.url)
        page.goto(f"{served.url}/orders/{order_id}/")
        panel = page.get_by_test_id("money-panel")
        panel.scroll_into_view_if_needed()
        assert page.evaluate("document.documentElement.scrollWidth") <= 375

        record_payment(page, "20", "cash", "到店付现金")
        page.locator("summary", has_text="退款").click()
        page.locator("summary", has_text="记录收款").click()

        assert money(page)["due"] == "59.80"
        assert page.get_by_test_id("money-ledger").is_visible()
        assert page.get_by_test_id("refund-form").is_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
        box = panel.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 375


def test_the_payments_page_totals_fit_their_cards_on_a_desktop(served, chromium_path):
    with browser_page(chromium_path, width=1280, height=800) as page:
        log_in(page, served.url)
        page.goto(served.url + "/payments/")
        assert "微信支付" in page.get_by_test_id("totals-by-method").inner_text()  # the demo's
        for testid in ("totals-by-day", "totals-by-method"):
            table = page.get_by_test_id(testid)
            card = table.locator("xpath=ancestor::section[contains(@class, 'card')]")
            right = table.bounding_box()["x"] + table.bounding_box()["width"]
            assert right <= card.bounding_box()["x"] + card.bounding_box()["width"], testid
