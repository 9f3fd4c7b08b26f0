"""The merchant records what was paid and what went back from the order's page, sees the
money panel follow, and reads every entry of the shop on the payments page and in the
accountant's exports."""

import csv
import datetime as dt
import io
import zoneinfo

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from dingdan.orders.models import OrderEvent
from dingdan.orders.services import lifecycle
from dingdan.payments.models import Payment, Refund
from dingdan.payments.selectors.money import payment_refundable_cents, refundable_by_payment
from dingdan.payments.services import payments, refunds
from dingdan.shops.actors import Actor
from tests import factories
from tests.orders.test_order_pages import client_for, page, texts

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop():
    shop = factories.make_shop(name="阿芳水果")
    factories.make_sku(shop, "STRAW-500", name="草莓", price_cents=5000, stock=50)
    return shop


@pytest.fixture
def order(shop):
    return factories.place(shop, [("STRAW-500", 2)])  # ¥100.00


def panel(client, order) -> str:
    html = page(client.get(f"/orders/{order.pk}/"))
    start = html.index('data-testid="money-panel"')
    return html[start:html.index("</section>", start)]


def pay_url(order):
    return f"/payments/orders/{order.pk}/payment/"


def refund_url(order):
    return f"/payments/orders/{order.pk}/refund/"


def test_finance_records_a_payment_and_a_refund_and_the_panel_follows(shop, order):
    client = client_for(shop, "finance", name="会计小王")
    shown = panel(client, order)
    assert 'data-testid="money-due">100.00' in shown
    assert 'data-testid="record-payment-form"' in shown
    assert 'data-testid="refund-form"' not in shown  # nothing to refund yet

    response = client.post(pay_url(order), {
        "pay-amount": "６０.5", "pay-method": "alipay", "pay-reference": "转账 8812",
        "pay-paid-at": "2026-11-30T09:15"})
    assert response.status_code == 302
    payment = Payment.objects.get(order=order)
    assert (payment.amount_cents, payment.method, payment.reference) == (6050, "alipay",
                                                                         "转账 8812")
    shop_clock = payment.paid_at.astimezone(zoneinfo.ZoneInfo(shop.timezone))
    assert shop_clock.strftime("%Y-%m-%d %H:%M") == "2026-11-30 09:15"

    shown = panel(client, order)
    assert 'data-testid="money-paid">60.50' in shown
    assert 'data-testid="money-due">39.50' in shown
    assert "转账 8812" in shown and "会计小王" in shown
    assert 'data-testid="money-refundable">Up to ¥60.50' in shown

    response = client.post(refund_url(order), {
        "refund-amount": "20", "refund-reason": "少发一盒", "refund-method": "",
        "refund-payment": str(payment.pk)})
    assert response.status_code == 302
    refund = Refund.objects.get(order=order)
    assert (refund.amount_cents, refund.method, refund.payment_id) == (2000, "alipay",
                                                                       payment.pk)
    shown = panel(client, order)
    assert 'data-testid="money-refunded">20.00' in shown
    assert 'data-testid="money-due">39.50' in shown  # ¥100 less ¥60.50 paid
    assert refund.number in shown and "少发一盒" in shown
    kinds = list(OrderEvent.objects.filter(order=order).values_list("kind", flat=True))
    assert "payment_recorded" in kinds and "refund_recorded" in kinds
    timeline = page(client.get(f"/orders/{order.pk}/")).split('data-testid="timeline"')[1]
    assert "recorded a payment of ¥60.50 by Alipay" in timeline
    assert f"refunded ¥20.00 by Alipay ({refund.number})" in timeline


def test_a_cancelled_order_offers_no_payment_form_and_refuses_one(shop, order):
    lifecycle.cancel_order(actor=Actor.system(shop), order=order, reason="duplicate",
                           note="")
    client = client_for(shop, "finance")
    assert "record-payment-form" not in panel(client, order)
    response = client.post(pay_url(order), {"pay-amount": "10", "pay-method": "cash"})
    assert response.status_code == 200
    assert any("cancelled" in text for text in texts(response))
    assert not Payment.objects.exists()


def test_an_overpayment_is_refused_at_the_amount_with_the_form_as_typed(shop, order):
    client = client_for(shop, "finance")
    response = client.post(pay_url(order), {"pay-amount": "150", "pay-method": "cash",
                                            "pay-reference": "现金"})
    assert response.status_code == 200
    html = page(response)
    assert 'id="error-pay-amount"' in html
    assert 'name="pay-amount" inputmode="decimal" required value="150"' in html
    assert 'value="现金"' in html
    assert '<option value="cash" selected>' in html
    assert not Payment.objects.exists()

    # Ticked as an overpayment, the same amount is recorded.
    response = client.post(pay_url(order), {"pay-amount": "150", "pay-method": "cash",
                                            "pay-overpay": "on"})
    assert response.status_code == 302
    assert Payment.objects.get().is_overpayment


@pytest.mark.parametrize("typed", ["abc", "0", "1.234", ""])
def test_a_bad_amount_is_refused_next_to_its_field(shop, order, typed):
    client = client_for(shop, "finance")
    html = page(client.post(pay_url(order), {"pay-amount": typed, "pay-method": "cash"}))
    assert 'data-testid="error-pay-amount"' in html
    assert not Payment.objects.exists()


def test_a_refund_of_more_than_was_paid_is_refused_at_its_amount(shop, order):
    finance = factories.staff_actor(shop, "finance")
    payments.record_payment(actor=finance, order=order, amount_cents=3000, method="cash")
    client = client_for(shop, "owner")
    response = client.post(refund_url(order), {"refund-amount": "30.01",
                                               "refund-reason": "退货"})
    assert response.status_code == 200
    html = page(response)
    assert 'data-testid="error-refund-amount"' in html and 'value="30.01"' in html
    assert 'value="退货"' in html
    html = page(client.post(refund_url(order), {"refund-amount": "5", "refund-reason": ""}))
    assert 'data-testid="error-refund-reason"' in html
    assert not Refund.objects.exists()


@pytest.mark.parametrize("role", ["clerk", "warehouse", "viewer"])
def test_roles_without_the_permission_see_no_forms_and_are_refused(shop, order, role):
    finance = factories.staff_actor(shop, "finance")
    payments.record_payment(actor=finance, order=order, amount_cents=3000, method="cash")
    client = client_for(shop, role)
    shown = panel(client, order)
    assert 'data-testid="money-paid">30.00' in shown
    assert "record-payment-form" not in shown and "refund-form" not in shown
    assert client.post(pay_url(order), {"pay-amount": "1", "pay-method": "cash"}
                       ).status_code == 403
    assert client.post(refund_url(order), {"refund-amount": "1", "refund-reason": "x"}
                       ).status_code == 403
    assert Payment.objects.count() == 1 and not Refund.objects.exists()


def test_the_panel_speaks_chinese(shop, order):
    client = client_for(shop, "finance", language="zh-hans")
    html = panel(client, order)
    assert "记录收款" in html and "待付金额" in html and "<th>合计</th>" in html
    html = page(client.post(pay_url(order), {"pay-amount": "500", "pay-method": "cash"}))
    assert "超过了应付的" in html and 'id="error-pay-amount"' in html


# -- the payments page ------------------------------------------------------------------

def _at(shop, day, hour):
    return dt.datetime.combine(day, dt.time(hour), tzinfo=zoneinfo.ZoneInfo(shop.timezone))


@pytest.fixture
def ledger(shop):
    """Two days of entries: yesterday ¥100 by WeChat; today ¥30 cash and ¥20 back."""
    finance = factories.staff_actor(shop, "finance")
    today = timezone.now().astimezone(zoneinfo.ZoneInfo(shop.timezone)).date()
    first = factories.place(shop, [("STRAW-500", 2)])
    second = factories.place(shop, [("STRAW-500", 1)])
    payments.record_payment(actor=finance, order=first, amount_cents=10000,
                            method="wechat_pay", reference="=HYPERLINK(\"x\")",
                            paid_at=_at(shop, today - dt.timedelta(days=1), 20))
    payments.record_payment(actor=finance, order=second, amount_cents=3000, method="cash",
                            paid_at=min(_at(shop, today, 0) + dt.timedelta(minutes=5),
                                        timezone.now()))
    refunds.record_refund(actor=finance, order=second, amount_cents=2000, reason="坏果")
    return today


def test_the_payments_page_totals_by_day_and_method_and_filters(shop, ledger):
    today = ledger
    client = client_for(shop, "finance")
    html = page(client.get("/payments/"))
    assert 'data-testid="total-paid">130.00' in html
    assert 'data-testid="total-refunded">20.00' in html
    assert 'data-testid="total-net">110.00' in html
    yesterday = (today - dt.timedelta(days=1)).isoformat()
    assert f'data-testid="day-{yesterday}"><td>{yesterday}</td><td class="num">100.00' in html
    assert f'data-testid="day-{today.isoformat()}"><td>{today.isoformat()}</td>' \
           '<td class="num">30.00</td><td class="num">20.00' in html
    assert ('<td class="nowrap">Cash</td><td class="num">30.00</td>'
            '<td class="num">20.00') in html

    html = page(client.get("/payments/", {"since": today.isoformat(),
                                          "until": today.isoformat()}))
    assert 'data-testid="total-paid">30.00' in html
    html = page(client.get("/payments/", {"method": "wechat_pay"}))
    assert 'data-testid="total-paid">100.00' in html and 'total-refunded">0.00' in html
    html = page(client.get("/payments/", {"kind": "refund"}))
    assert 'data-testid="total-paid">0.00' in html and 'total-refunded">20.00' in html
    assert 'href="/payments/"' in page(client.get("/orders/"))  # in the navigation


def test_both_exports_hold_the_entries_with_amounts_as_numbers(shop, ledger):
    client = client_for(shop, "finance")
    response = client.get("/payments/export.csv")
    assert response.status_code == 200
    data = response.content
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert len(rows) == 4
    amounts = [row[5] for row in rows[1:]]
    assert amounts == ["100.00", "30.00", "-20.00"]
    assert rows[1][7] == "'=HYPERLINK(\"x\")"  # a formula is text, never run
    assert "坏果" in rows[3]

    response = client.get("/payments/export.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert [row[5] for row in values[1:]] == [100, 30, -20]
    assert all(isinstance(row[5], int | float) for row in values[1:])
    assert sheet.cell(row=2, column=8).data_type == "s"
    assert values[1][7] == "=HYPERLINK(\"x\")"


def test_exports_need_the_export_permission(shop, ledger):
    client = client_for(shop, "clerk")
    html = page(client.get("/payments/"))
    assert "export-csv" not in html
    assert client.get("/payments/export.csv").status_code == 403
    assert client.get("/payments/export.xlsx").status_code == 403


def test_the_payments_page_speaks_chinese(shop, ledger):
    client = client_for(shop, "finance", language="zh-hans")
    html = page(client.get("/payments/"))
    assert "按日" in html and "按方式" in html and "导出" in html and "<th>合计</th>" in html


def test_the_refund_form_offers_the_payments_with_something_left_to_return(shop, order):
    finance = factories.staff_actor(shop, "finance")
    cash = payments.record_payment(actor=finance, order=order, amount_cents=3000,
                                   method="cash")
    wechat = payments.record_payment(actor=finance, order=order, amount_cents=7000,
                                     method="wechat_pay")
    refunds.record_refund(actor=finance, order=order, amount_cents=3000, reason="退",
                          payment_id=cash.pk)
    refunds.record_refund(actor=finance, order=order, amount_cents=1000, reason="退",
                          payment_id=wechat.pk, status="pending")
    assert refundable_by_payment(order) == {wechat.pk: payment_refundable_cents(wechat)} \
        == {wechat.pk: 6000}
    shown = panel(client_for(shop, "finance"), order)
    assert f'<option value="{wechat.pk}">' in shown
    assert f'<option value="{cash.pk}">' not in shown
    assert 'data-testid="money-refundable">Up to ¥60.00' in shown


PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64


def test_a_payment_is_recorded_with_a_screenshot_of_the_transfer(shop, order, settings,
                                                                 tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    staff = client_for(shop, "finance")
    response = staff.post(pay_url(order), {
        "pay-amount": "100", "pay-method": "bank_transfer",
        "pay-proof": SimpleUploadedFile("转账.png", PNG)})
    assert response.status_code == 302
    payment = Payment.objects.get(order=order)
    assert (tmp_path / payment.proof.name).read_bytes() == PNG
    assert 'data-testid="payment-proof"' in panel(staff, order)


def test_a_proof_that_is_not_an_image_is_refused_next_to_its_field(shop, order):
    from django.core.files.uploadedfile import SimpleUploadedFile

    staff = client_for(shop, "finance")
    response = staff.post(pay_url(order), {
        "pay-amount": "100", "pay-method": "bank_transfer",
        "pay-proof": SimpleUploadedFile("invoice.pdf", b"%PDF-1.4")})
    html = page(response)
    assert 'id="error-pay-proof"' in html and "PNG, JPEG, GIF or WebP" in html
    assert 'required value="100"' in html  # the form as typed
    assert not Payment.objects.filter(order=order).exists()
