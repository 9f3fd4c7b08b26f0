"""A merchant selects two orders on the list, prints their packing slips in a new tab, and
downloads the same slips as a PDF from the production server."""

import shutil
import subprocess

import pytest

from tests.conftest import skip_or_fail

from .browser import browser_page
from .test_shell import log_in

pytestmark = pytest.mark.e2e


def test_printing_the_selected_orders_packing_slips(served, chromium_path, tmp_path):
    if not shutil.which("pdftotext"):
        skip_or_fail("poppler-utils (pdftotext) is not installed")
    with browser_page(chromium_path) as page:
        log_in(page, served.url)
        page.goto(served.url + "/orders/")
        rows = page.get_by_test_id("order-row")
        numbers = [rows.nth(n).locator("td").nth(1).locator("a").inner_text() for n in (0, 1)]
        for n in (0, 1):
            rows.nth(n).locator("input[name=ids]").check()

        with page.expect_popup() as popup:
            page.get_by_test_id("bulk-print-packing-slips").click()
        slips = popup.value
        slips.wait_for_selector("[data-testid=packing-slip]")

        assert slips.get_by_test_id("packing-slip").count() == 2
        text = slips.inner_text("body")
        assert all(number in text for number in numbers)
        assert "发货单" in text

        with slips.expect_download() as download:
            slips.get_by_test_id("download-pdf").click()
        path = tmp_path / "slips.pdf"
        download.value.save_as(path)
        assert download.value.suggested_filename.endswith(".pdf")
        pdf = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                             check=True).stdout
        assert all(number in pdf for number in numbers)
        assert "发货单" in pdf


def test_the_print_buttons_fit_a_phone_screen(served, chromium_path):
    with browser_page(chromium_path, width=375, height=740) as page:
        log_in(page, served.url)
        page.goto(served.url + "/orders/")
        assert page.get_by_test_id("bulk-print").is_visible()
        bar = page.get_by_test_id("bulk-print").bounding_box()
        assert bar["x"] + bar["width"] <= 375
        page.get_by_test_id("order-row").first.locator("td").nth(1).locator("a").click()
        page.wait_for_selector("[data-testid=print-menu]")
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
