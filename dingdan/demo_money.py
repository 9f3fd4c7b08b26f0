"""The demo's money, as a merchant meets it: the shop's bank details for customers, orders
paid by WeChat, Alipay, cash and bank transfer, a deposit, a box short refunded, a
cancellation with its refund and a payment a customer reported with a screenshot, waiting
for staff.

Everything goes through the payments services (`record_payment`, `record_refund`,
`cancel_with_refund`, `report_payment`), so the ledger, the orders' sums and their
timelines add up exactly as they would after the merchant's clicks.

The demo shop takes payment on delivery (most chat-app merchants do), so its orders never
wait for payment. 待付款 belongs to shops that take payment first, so a second, small demo
shop does: a cake pre-order counter of the same merchant (`PREPAY_SLUG`), with an order
awaiting payment, one with a deposit paid, and one paid in full that moved on to 待确认 by
itself. Switching the demo shop's own terms for a moment would have left orders awaiting
payment in a shop whose settings say customers pay on delivery."""

import struct
import zlib

from dingdan.catalog.services import products as catalog
from dingdan.inventory.services import stock as inventory
from dingdan.orders.models import Channel, DeliveryMethod, Order
from dingdan.orders.services import editing, placement
from dingdan.payments.models import Method
from dingdan.payments.services import cancellation, payments, refunds, reported
from dingdan.shops.actors import Actor
from dingdan.shops.models import Shop
from dingdan.shops.selectors import membership_in_shop
from dingdan.shops.services import shops as shop_services

PAYMENT_INSTRUCTIONS = (
    "银行转账：招商银行深圳科技园支行\n"
    "户名：王小芳\n"
    "账号：6214 8312 3456 7890\n"
    "微信转账：店主微信号 xiaofang_fruit；支付宝：xiaofang@example.com\n"
    "转账时请备注订单号，付款后点“我已付款”并上传截图。"
)

PREPAY_SLUG = "demo-cakes"
PREPAY_NAME = "演示小店·蛋糕预订"  # sorts after 演示小店: the demo login still opens there
PREPAY_INSTRUCTIONS = (
    "蛋糕需提前付款，付清后我们开始制作。\n"
    "银行转账：招商银行深圳科技园支行 户名：王小芳 账号：6214 8312 3456 7890\n"
    "也可以微信转账给店主（微信号 xiaofang_cake），备注订单号。"
)
# sku, name, spec, price (分), stock
CAKES = [
    ("YD-6", "草莓奶油蛋糕", "6寸", 16800, 6),
    ("YD-8", "草莓奶油蛋糕", "8寸", 22800, 4),
]

# The reference a merchant types for each way of paying.
REFERENCES = {
    Method.WECHAT_PAY: "微信转账",
    Method.ALIPAY: "支付宝转账",
    Method.BANK_TRANSFER: "招行转账 尾号6621",
    Method.CASH: "到店付现金",
    Method.CASH_ON_DELIVERY: "快递员代收",
}


def pay_in_full(owner: Actor, order: Order, method: str) -> None:
    """What is due on the order, paid the way the merchant saw it arrive."""
    payments.record_payment(actor=owner, order=order, amount_cents=order.balance_due_cents,
                            method=method, reference=REFERENCES.get(method, ""))


def set_payment_instructions(shop: Shop, owner: Actor, text: str = PAYMENT_INSTRUCTIONS) -> None:
    shop_services.update_shop_settings(actor=owner, shop=shop,
                                       changes={"payment_instructions": text})


def _customer(name: str, phone: str, address: str = "") -> placement.CustomerInput:
    return placement.CustomerInput(name=name, phone=phone, address=address)


def _place(shop: Shop, owner: Actor, customer: placement.CustomerInput, lines,
           channel=Channel.CHAT, delivery=DeliveryMethod.EXPRESS) -> Order:
    return placement.place_order(actor=owner, shop=shop, customer=customer, lines=lines,
                                 channel=channel, delivery_method=delivery)


def take_deposit(owner: Actor, order: Order) -> None:
    """A deposit (定金) on an accepted order: partially paid."""
    payments.record_payment(actor=owner, order=order, amount_cents=5000,
                            method=Method.WECHAT_PAY, reference="微信转账 定金")


def refund_short(owner: Actor, order: Order) -> None:
    """Paid in full, then one box is short while packing: its price goes back and the order
    is changed to what will be sent, so it is partially refunded with nothing due. (The
    refund comes first: an order's total may not fall below what the customer kept paid.)"""
    line = order.lines.order_by("id").first()
    refunds.record_refund(actor=owner, order=order, amount_cents=line.unit_price_cents,
                          reason=f"{line.name}缺货一盒，退一盒的钱", reference="微信退回")
    editing.edit_order(actor=owner, order=order, version=order.version,
                       lines=[(line.sku, line.quantity - 1)], reason="缺货一盒，少发一盒")


def report_paid(owner: Actor, order: Order) -> None:
    """The customer says they paid, with a screenshot: waiting for staff to confirm."""
    reported.report_payment(order=order, method=Method.WECHAT_PAY,
                            reference="微信转账 尾号0386", screenshot=screenshot_png())


def cancel_and_refund(owner: Actor, order: Order, *, reason: str, note: str) -> Order:
    """A paid order cancelled: everything paid goes back in the same step."""
    return cancellation.cancel_with_refund(actor=owner, order=order, reason=reason, note=note)


# What happens to an order's money after it reached its status (`DemoOrder.money`).
AFTERWARDS = {"deposit": take_deposit, "one_short": refund_short, "reported": report_paid}


def open_cake_counter(owner_user) -> tuple[Shop, bool]:
    """The merchant's second demo shop, which takes payment first; made once."""
    shop = Shop.objects.filter(slug=PREPAY_SLUG).first()
    if shop is not None:
        return shop, False
    # The demo login is its owner (found by its email: the demo made it with one).
    shop, _password = shop_services.create_shop(slug=PREPAY_SLUG, name=PREPAY_NAME,
                                                owner_email=owner_user.email)
    owner = Actor.staff(membership_in_shop(owner_user, slug=PREPAY_SLUG))
    shop_services.update_shop_settings(actor=owner, shop=shop, changes={
        "payment_terms": "prepayment", "payment_instructions": PREPAY_INSTRUCTIONS})
    system = Actor.system(shop)
    for sku, name, spec, price, stock in CAKES:
        variant = catalog.create_sku(actor=system, shop=shop, sku=sku, name=name, spec=spec,
                                     price_cents=price, category="蛋糕")
        inventory.receive_stock(actor=system, shop=shop, variant=variant, quantity=stock,
                                note="demo")
    pickup = DeliveryMethod.PICKUP
    # Waiting for the money: nothing paid yet.
    _place(shop, owner, _customer("陈静", "15012345605"), [("YD-6", 1)], Channel.CHAT, pickup)
    # A deposit (定金): still awaiting the rest.
    deposit = _place(shop, owner, _customer("李娜", "13912345602"), [("YD-8", 1)],
                     Channel.MINI_SHOP, pickup)
    payments.record_payment(actor=owner, order=deposit, amount_cents=10000,
                            method=Method.WECHAT_PAY, reference="微信转账 定金")
    # Paid in full by bank transfer: it moved on to 待确认 by itself.
    paid = _place(shop, owner, _customer("黄丽", "18912345608"), [("YD-6", 2)],
                  Channel.CHAT, pickup)
    pay_in_full(owner, paid, Method.BANK_TRANSFER)
    return shop, True


def screenshot_png(width: int = 180, height: int = 320) -> bytes:
    """A small phone-shaped PNG that looks like a transfer receipt from afar: a green bar,
    a white card with a green disc and grey lines. Drawn here, so the demo needs no file."""
    green, white, grey, paper = (7, 193, 96), (255, 255, 255), (200, 200, 200), (237, 237, 237)
    unit = height / 160  # the layout below is drawn on a 90 × 160 grid
    rows = []
    for py in range(height):
        y = py / unit
        row = bytearray(b"\x00")  # filter type: none
        for px in range(width):
            x = px / unit
            if y < 24:
                colour = green
            elif 34 <= y < 150 and 8 <= x < width / unit - 8:
                dx, dy = x - width / unit / 2, y - 62
                if dx * dx + dy * dy <= 14 * 14:
                    colour = green
                elif any(top <= y < top + 4 for top in (90, 104, 118)):
                    colour = grey if 14 <= x < width / unit - 20 else white
                else:
                    colour = white
            else:
                colour = paper
            row += bytes(colour)
        rows.append(bytes(row))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit RGB
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(b"".join(rows), 9)) + chunk(b"IEND", b""))
