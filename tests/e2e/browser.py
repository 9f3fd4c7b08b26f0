"""Debian's chromium driven by Playwright, with the flags this closed network needs."""

from contextlib import contextmanager

from playwright.sync_api import sync_playwright

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@contextmanager
def browser_page(executable: str, *, width: int = 1280, height: int = 800, locale="zh-CN"):
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable, headless=True, args=CHROMIUM_ARGS
        )
        try:
            context = browser.new_context(
                viewport={"width": width, "height": height}, locale=locale
            )
            yield context.new_page()
        finally:
            browser.close()


@contextmanager
def browser_session(executable: str):
    """One browser for several people at once: `open_page(width=…, height=…, locale=…)`
    gives each their own context (cookies, screen size)."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable, headless=True, args=CHROMIUM_ARGS
        )

        def open_page(*, width: int = 1280, height: int = 800, locale: str = "zh-CN"):
            context = browser.new_context(
                viewport={"width": width, "height": height}, locale=locale
            )
            return context.new_page()

        try:
            yield open_page
        finally:
            browser.close()
