"""The customer says "I have paid" on their order link, with a screenshot or without; the
shop sees the report on the order's money panel and confirms it (the payment is recorded)
or rejects it with a reason the customer reads on their link."""

import pytest
from django.core.cache import cache
from django.test import Client

from dingdan.orders.models import Order, OrderEvent
from dingdan.payments.models import Payment, ReportedPayment, ReportStatus
from dingdan.payments.services import reported
from tests import factories
from tests.orders.test_order_pages import client_for, page

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    cache.clear()  # the rate limit counts in the cache


@pytest.fixture
def shop():
    shop = factories.make_shop(name="阿芳水果")
    factories.make_sku(shop, "STRAW-500", name="草莓", price_cents=5000, stock=50)
    return shop


@pytest.fixture
def order(shop):
    return factories.place(shop, [("STRAW-500", 2)])  # ¥100.00


@pytest.fixture
def customer():
    return Client(headers={"Accept-Language": "en"})


def link(order) -> str:
    return f"/o/{order.link_token}/"


def report(customer, order, **extra):
    data = {"op": "paid", "pay-method": "wechat_pay", "pay-reference": "转账 4200001"}
    data.update(extra)
    return customer.post(link(order), data)


def upload(name, data):
    from django.core.files.uploadedfile import SimpleUploadedFile
    return SimpleUploadedFile(name, data)


def test_the_customer_sees_the_amount_due_and_reports_paying_it(customer, order):
    html = page(customer.get(link(order)))
    assert 'data-testid="amount-due">100.00<' in html
    assert 'data-testid="report-payment-form"' in html

    response = report(customer, order)
    assert response.status_code == 302
    html = page(customer.get(response["Location"]))
    assert "the shop will check your payment" in html
    assert 'data-testid="report-open"' in html
    assert "You reported paying ¥100.00" in html

    kept = ReportedPayment.objects.get(order=order)
    assert (kept.method, kept.amount_cents, kept.reference, kept.status) == (
        "wechat_pay", 10000, "转账 4200001", ReportStatus.REPORTED)
    assert not kept.screenshot
    order.refresh_from_db()
    assert order.needs_attention and order.paid_cents == 0
    event = order.events.get(kind="payment_reported")
    assert event.actor_kind == "customer"


def test_a_screenshot_is_kept_and_a_file_that_is_not_an_image_is_refused(customer, order):
    refused = report(customer, order, screenshot=upload("pay.png", b"MZ not an image"))
    assert refused.status_code in (400, 409)
    assert "must be a PNG, JPEG, GIF or WebP image" in page(refused)
    assert not ReportedPayment.objects.exists()

    too_big = report(customer, order, screenshot=upload(
        "big.png", PNG + b"\0" * reported.MAX_SCREENSHOT_BYTES))
    assert "too large" in page(too_big)
    assert not ReportedPayment.objects.exists()

    assert report(customer, order, screenshot=upload("pay.png", PNG)).status_code == 302
    kept = ReportedPayment.objects.get(order=order)
    assert kept.screenshot.name.endswith(".png")
    assert "pay" not in kept.screenshot.name.rsplit("/", 1)[-1]  # a random name


def test_a_second_report_while_one_is_open_is_refused(customer, order):
    report(customer, order)
    again = report(customer, order, **{"pay-reference": "another"})
    assert "You already reported a payment" in page(again)
    assert ReportedPayment.objects.filter(order=order).count() == 1


def test_staff_confirm_a_report_and_the_payment_is_recorded(shop, customer, order):
    report(customer, order, **{"pay-method": "alipay"})
    kept = ReportedPayment.objects.get(order=order)
    staff = client_for(shop, "finance")
    html = page(staff.get(f"/orders/{order.pk}/"))
    assert f'data-testid="reported-{kept.pk}"' in html and 'data-testid="confirm-reported"' in html

    response = staff.post(f"/payments/orders/{order.pk}/reported/{kept.pk}/confirm/")
    assert response.status_code == 302
    payment = Payment.objects.get(order=order)
    assert (payment.method, payment.amount_cents, payment.reference) == (
        "alipay", 10000, "转账 4200001")
    kept.refresh_from_db()
    assert kept.status == ReportStatus.CONFIRMED and kept.payment == payment
    order = Order.objects.get(pk=order.pk)
    assert order.paid_cents == 10000 and order.balance_due_cents == 0
    assert not order.needs_attention
    html = page(staff.get(f"/orders/{order.pk}/"))
    assert 'data-testid="money-paid">100.00<' in html
    assert 'data-testid="money-due">0.00<' in html
    assert OrderEvent.objects.filter(order=order, kind="reported_payment_confirmed").exists()
    # Confirming twice does not pay twice.
    staff.post(f"/payments/orders/{order.pk}/reported/{kept.pk}/confirm/")
    assert Payment.objects.filter(order=order).count() == 1
    assert "The shop confirmed your payment of ¥100.00" in page(customer.get(link(order)))


def test_staff_reject_with_a_reason_and_the_customer_reads_it(shop, customer, order):
    report(customer, order)
    kept = ReportedPayment.objects.get(order=order)
    staff = client_for(shop, "owner")
    no_reason = staff.post(f"/payments/orders/{order.pk}/reported/{kept.pk}/reject/",
                           {"reject-reason": " "})
    assert no_reason.status_code == 200 and "This field is required." in page(no_reason)

    staff.post(f"/payments/orders/{order.pk}/reported/{kept.pk}/reject/",
               {"reject-reason": "没有收到这笔转账"})
    kept.refresh_from_db()
    assert kept.status == ReportStatus.REJECTED and kept.reason == "没有收到这笔转账"
    assert not Payment.objects.exists()
    html = page(customer.get(link(order)))
    assert 'data-testid="report-rejected"' in html and "没有收到这笔转账" in html
    # They may report again.
    assert 'data-testid="report-payment-form"' in html
    assert report(customer, order).status_code == 302


@pytest.mark.parametrize("role", ["clerk", "viewer", "warehouse"])
def test_roles_without_payments_record_may_not_decide(shop, customer, order, role):
    report(customer, order)
    kept = ReportedPayment.objects.get(order=order)
    staff = client_for(shop, role)
    assert 'data-testid="confirm-reported"' not in page(staff.get(f"/orders/{order.pk}/"))
    for action, data in (("confirm", {}), ("reject", {"reject-reason": "no"})):
        response = staff.post(f"/payments/orders/{order.pk}/reported/{kept.pk}/{action}/", data)
        assert response.status_code == 403
    kept.refresh_from_db()
    assert kept.status == ReportStatus.REPORTED and not Payment.objects.exists()


def test_the_screenshot_is_shown_to_staff_of_the_shop_only(shop, customer, order):
    report(customer, order, screenshot=upload("pay.png", PNG))
    kept = ReportedPayment.objects.get(order=order)
    url = f"/payments/orders/{order.pk}/reported/{kept.pk}/screenshot/"

    anonymous = Client().get(url)
    assert anonymous.status_code == 302 and "login" in anonymous["Location"]
    assert kept.screenshot.name not in page(customer.get(link(order)))

    other_shop = factories.make_shop(name="别家")
    assert client_for(other_shop, "owner").get(url).status_code == 404

    staff = client_for(shop, "finance")
    shown = staff.get(url)
    assert shown.status_code == 200 and shown.content == PNG
    assert shown["Content-Type"] == "image/png"
    assert "private" in shown["Cache-Control"]


def test_nothing_to_report_once_the_order_is_paid(shop, customer, order):
    from dingdan.payments.services import payments
    payments.record_payment(actor=factories.staff_actor(shop), order=order,
                            amount_cents=10000, method="cash")
    html = page(customer.get(link(order)))
    assert 'data-testid="report-payment-form"' not in html
    refused = report(customer, order)
    assert "Nothing is due on this order." in page(refused)


def test_reporting_is_rate_limited(customer, order, settings):
    from dingdan.storefront.views import REPORT_RATE
    for _ in range(REPORT_RATE.requests):
        report(customer, order)
    refused = report(customer, order)
    assert refused.status_code == 429 and refused["Retry-After"]


def test_the_customer_reads_how_to_pay_from_the_shop_settings(shop, customer, order):
    owner = client_for(shop, "owner")
    response = owner.post("/settings/shop/", {
        "name": shop.name, "payment_instructions": "中国银行 6222 0000 1234\n户名：王芳"})
    assert response.status_code in (200, 302)
    html = page(customer.get(link(order)))
    assert 'data-testid="how-to-pay"' in html
    assert "中国银行 6222 0000 1234<br>户名：王芳" in html


def test_the_customer_page_speaks_chinese_by_default(customer, order):
    chinese = Client()
    html = page(chinese.get(link(order)))
    assert "我已付款" in html and "应付金额" in html
    refused = chinese.post(link(order), {"op": "paid", "pay-method": "cash",
                                         "screenshot": upload("x.png", b"not an image")})
    assert "图片必须是 PNG、JPEG、GIF 或 WebP 格式。" in page(refused)


def test_the_order_page_says_why_the_order_needs_attention(shop, customer, order):
    report(customer, order)
    html = page(client_for(shop, "owner").get(f"/orders/{order.pk}/"))
    assert "The customer reported a payment; confirm or reject it in the money panel." in html


def test_the_owner_uploads_payment_qr_codes_and_customers_see_them(shop, customer, order):
    owner = client_for(shop, "owner")
    refused = owner.post("/settings/payment-qr/", {"label": "微信",
                                                   "image": upload("qr.png", b"text")})
    assert refused.status_code == 400 and "must be a PNG" in page(refused)
    assert owner.post("/settings/payment-qr/", {
        "label": "微信", "image": upload("qr.png", PNG)}).status_code == 302
    from dingdan.payments.models import PaymentQrCode
    qr = PaymentQrCode.objects.get(shop=shop)

    html = page(customer.get(link(order)))
    image_url = f"/o/{order.link_token}/qr/{qr.pk}/"
    assert image_url in html
    shown = customer.get(image_url)
    assert shown.status_code == 200 and shown.content == PNG
    # Another shop's order link does not open this shop's code.
    other = factories.make_shop(name="别家")
    factories.make_sku(other, "X-1", name="苹果", price_cents=100, stock=5)
    other_order = factories.place(other, [("X-1", 1)])
    assert customer.get(f"/o/{other_order.link_token}/qr/{qr.pk}/").status_code == 404
    # A clerk may not manage them.
    assert client_for(shop, "clerk").get("/settings/payment-qr/").status_code == 403

    owner.post(f"/settings/payment-qr/{qr.pk}/remove/")
    assert not PaymentQrCode.objects.exists()
    assert image_url not in page(customer.get(link(order)))


def test_a_confirmed_screenshot_stays_with_the_payment_as_its_proof(shop, customer, order):
    report(customer, order, screenshot=upload("pay.png", PNG))
    kept = ReportedPayment.objects.get(order=order)
    staff = client_for(shop, "finance")
    staff.post(f"/payments/orders/{order.pk}/reported/{kept.pk}/confirm/")

    payment = Payment.objects.get(order=order)
    assert payment.proof.name == kept.screenshot.name
    assert payment.recorded_by is not None and payment.recorded_via == "staff"
    html = page(staff.get(f"/orders/{order.pk}/"))
    proof_url = f"/payments/orders/{order.pk}/payments/{payment.pk}/proof/"
    assert proof_url in html
    shown = staff.get(proof_url)
    assert shown.status_code == 200 and shown.content == PNG
    assert client_for(factories.make_shop(name="别家"), "owner").get(proof_url).status_code == 404
