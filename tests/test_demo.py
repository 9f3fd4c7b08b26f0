"""`dingdan serve --demo` opens a shop with something to try on every screen: orders from
every channel in every status it can reach, customers who come back, a running group buy,
orders needing attention, a template, a low-stock alert, money paid, refunded and reported,
and a second shop that takes payment first; and only once."""

import io
import re
import struct
import zlib

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client

from dingdan import demo, demo_money
from dingdan.chains.models import Campaign, ChainEntry
from dingdan.customers.models import Customer
from dingdan.fulfillment.models import PickupPoint
from dingdan.inventory.models import StockLevel
from dingdan.notify.models import Alert
from dingdan.orders.models import Channel, FollowUp, Order, OrderChangeRequest, OrderTemplate
from dingdan.orders.states import PaymentStatus, Status
from dingdan.payments.models import Payment, Refund, ReportedPayment
from dingdan.shops.models import Shop

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path  # the reported payment's screenshot lands here
    shop, created = demo.ensure_demo_shop()
    assert created
    return shop


def _everything(shop) -> dict:
    return {
        "orders": Order.objects.filter(shop=shop).count(),
        "customers": Customer.objects.filter(shop=shop).count(),
        "campaigns": Campaign.objects.filter(shop=shop).count(),
        "entries": ChainEntry.objects.filter(shop=shop).count(),
        "templates": OrderTemplate.objects.filter(shop=shop).count(),
        "follow_ups": FollowUp.objects.filter(shop=shop).count(),
        "alerts": Alert.objects.filter(shop=shop).count(),
        "stock": sorted(StockLevel.objects.filter(shop=shop).values_list("on_hand", "reserved")),
        "payments": Payment.objects.count(),
        "refunds": Refund.objects.count(),
        "reports": ReportedPayment.objects.count(),
        "shops": Shop.objects.count(),
    }


def test_the_demo_shop_has_orders_in_every_status_it_can_reach_and_from_every_channel(shop):
    orders = Order.objects.filter(shop=shop)

    assert 25 <= orders.count() <= 60
    # The demo shop takes orders without prepayment, so none waits for payment.
    reachable = set(Status.values) - {Status.PENDING_PAYMENT}
    assert set(orders.values_list("status", flat=True)) == reachable
    assert set(orders.values_list("channel", flat=True)) == set(Channel.values)
    cancelled = orders.filter(status=Status.CANCELLED)
    assert all(order.cancel_reason for order in cancelled)


def test_customers_come_back_and_some_are_vip(shop):
    repeat = [c for c in Customer.objects.filter(shop=shop) if c.orders.count() >= 3]
    vip = Customer.objects.filter(shop=shop, tags__name="VIP")

    assert len(repeat) >= 2
    assert vip.count() >= 2
    phones = Order.objects.filter(shop=shop).exclude(customer_phone="")
    assert all(p.startswith("1") and len(p) == 11
               for p in phones.values_list("customer_phone", flat=True))
    provinces = set(Order.objects.filter(shop=shop).exclude(province="")
                    .values_list("province", flat=True))
    assert len(provinces) >= 6


def test_a_group_buy_is_running_with_pickup_points_and_imported_entries(shop):
    from dingdan.chains.services.campaigns import accepts_new_entries

    campaign = Campaign.objects.get(shop=shop)

    assert accepts_new_entries(campaign)
    assert campaign.pickup_points.count() == 2
    entries = ChainEntry.objects.filter(campaign=campaign)
    assert entries.count() >= 5
    assert {e.order.channel for e in entries} == {Channel.CHAIN}
    assert PickupPoint.objects.filter(shop=shop).count() == 2


def test_there_is_work_waiting_flags_follow_ups_a_change_request_and_a_template(shop):
    flagged = Order.objects.filter(shop=shop, needs_attention=True)
    codes = set(flagged.values_list("flags__code", flat=True))

    assert {"missing_phone", "missing_address", "possible_duplicate"} <= codes
    assert FollowUp.objects.filter(shop=shop, done_at__isnull=True).count() >= 3
    assert OrderChangeRequest.objects.filter(shop=shop, status="pending").count() == 1
    assert OrderTemplate.objects.filter(shop=shop).count() == 1


def test_a_product_is_below_its_low_stock_threshold_and_the_ledger_adds_up(shop):
    low = [level for level in StockLevel.objects.filter(shop=shop)
           if level.low_stock_threshold is not None
           and level.on_hand - level.reserved <= level.low_stock_threshold]
    out = io.StringIO()

    call_command("inventory", "verify", stdout=out)

    assert low
    assert Alert.objects.filter(shop=shop, kind="low_stock").exists()
    assert "OK" in out.getvalue()


def test_running_the_demo_again_adds_nothing(shop):
    before = _everything(shop)

    again, created = demo.ensure_demo_shop()

    assert (again, created) == (shop, False)
    assert _everything(shop) == before
    assert shop.variants.filter(product__kind="service").count() == 1


# -- money ------------------------------------------------------------------------------


def merchant() -> Client:
    client = Client(headers={"Accept-Language": "zh-hans"})
    client.force_login(get_user_model().objects.get(username=demo.DEMO_USERNAME))
    return client


def section(html: str, testid: str) -> str:
    start = html.index(f'data-testid="{testid}"')
    return html[start:html.index("</table>", start)]


def cell(html: str, testid: str) -> str:
    return re.search(rf'data-testid="{testid}"[^>]*>([^<]*)<', html).group(1).strip()


def test_the_payments_page_lists_money_in_by_every_way_and_a_refund(shop):
    html = merchant().get("/payments/").content.decode()

    by_method = section(html, "totals-by-method")
    for label in ("微信支付", "支付宝", "现金", "银行转账", "货到付款"):
        assert label in by_method
    entries = section(html, "entries")
    assert "微信转账" in entries and "招行转账 尾号6621" in entries
    assert "R000001" in entries  # the refunds are numbered
    assert cell(html, "total-refunded") != "0.00"
    assert float(cell(html, "total-net")) > 0


def test_orders_stand_in_every_payment_status_and_the_panel_shows_it(shop):
    orders = Order.objects.filter(shop=shop)
    client = merchant()

    assert set(orders.values_list("payment_status", flat=True)) == set(PaymentStatus.values)
    refunded_part = orders.get(payment_status=PaymentStatus.PARTIALLY_REFUNDED)
    html = client.get(f"/orders/{refunded_part.pk}/").content.decode()
    assert cell(html, "money-refunded") == "39.90"  # a box short: its price went back
    assert cell(html, "money-due") == "0.00"  # and the order now holds what is sent
    assert cell(html, "money-status") == "部分退款"
    assert "草莓 500g缺货一盒" in html
    deposit = orders.get(payment_status=PaymentStatus.PARTIALLY_PAID)
    html = client.get(f"/orders/{deposit.pk}/").content.decode()
    assert cell(html, "money-paid") == "50.00"
    assert cell(html, "money-due") == f"{(deposit.total_cents - 5000) / 100:.2f}"
    cancelled = orders.get(payment_status=PaymentStatus.REFUNDED)
    assert cancelled.status == Status.CANCELLED
    html = client.get(f"/orders/{cancelled.pk}/").content.decode()
    assert cell(html, "money-refunded") == cell(html, "money-paid") != "0.00"


def test_a_customer_reported_a_payment_with_a_screenshot_for_staff_to_confirm(shop):
    report = ReportedPayment.objects.get(order__shop=shop)
    client = merchant()

    html = client.get(f"/orders/{report.order_id}/").content.decode()
    assert 'data-testid="confirm-reported"' in html
    assert "微信转账 尾号0386" in html
    flagged = Order.objects.filter(shop=shop, needs_attention=True)
    assert report.order in flagged
    shot = client.get(f"/payments/orders/{report.order_id}/reported/{report.pk}/screenshot/")
    assert shot.status_code == 200 and shot["Content-Type"] == "image/png"
    width, height = _png_size(shot.content)
    assert (width, height) == (180, 320)


def _png_size(data: bytes) -> tuple[int, int]:
    """The size a PNG declares, after checking every chunk's CRC and that the pixels
    decompress to exactly that size (a broken file would show as a broken image)."""
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    at, pixels, size = 8, b"", None
    while at < len(data):
        (length,) = struct.unpack(">I", data[at:at + 4])
        kind, body = data[at + 4:at + 8], data[at + 8:at + 8 + length]
        (crc,) = struct.unpack(">I", data[at + 8 + length:at + 12 + length])
        assert crc == zlib.crc32(kind + body) & 0xFFFFFFFF
        if kind == b"IHDR":
            size = struct.unpack(">II", body[:8])
        if kind == b"IDAT":
            pixels += body
        at += 12 + length
    width, height = size
    assert len(zlib.decompress(pixels)) == height * (1 + width * 3)
    return width, height


def test_the_customer_link_shows_what_is_due_and_the_shops_bank_details(shop):
    unpaid = Order.objects.filter(shop=shop, status=Status.ACCEPTED,
                                  payment_status=PaymentStatus.UNPAID).first()

    html = Client().get(f"/o/{unpaid.link_token}/").content.decode()

    assert cell(html, "amount-due") == f"{unpaid.total_cents / 100:.2f}"
    assert "招商银行深圳科技园支行" in html
    assert 'data-testid="report-payment-form"' in html


def test_the_second_demo_shop_takes_payment_first(shop):
    cakes = Shop.objects.get(slug=demo_money.PREPAY_SLUG)
    orders = Order.objects.filter(shop=cakes)

    awaiting = orders.filter(status=Status.PENDING_PAYMENT)
    assert set(awaiting.values_list("payment_status", flat=True)) == {
        PaymentStatus.UNPAID, PaymentStatus.PARTIALLY_PAID}
    paid = orders.get(payment_status=PaymentStatus.PAID)
    assert paid.status == Status.PENDING_CONFIRMATION
    client = merchant()
    # The demo login opens in the demo shop; the cake counter is one switch away.
    assert "<h1>演示小店</h1>" in client.get("/").content.decode()
    client.post("/shops/switch/", {"shop": cakes.slug})
    assert f"<h1>{demo_money.PREPAY_NAME}</h1>" in client.get("/").content.decode()
    assert "已付清" in client.get(f"/orders/{paid.pk}/").content.decode()
    listing = client.get("/orders/?status=pending_payment").content.decode()
    assert all(order.number in listing for order in awaiting)
