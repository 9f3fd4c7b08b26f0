"""The demo shop's business: customers (repeat buyers, VIPs), a few dozen orders from every
channel in every status the shop can reach, orders that need attention and follow-ups, an
order template, a running group buy with pickup points and entries imported from its chain,
and a product below its low-stock threshold. So `make run` opens on a shop with something
to try in every screen.

Everything goes through the services a merchant's clicks go through (placement, lifecycle,
editing, review, chain import, stock), as the shop's owner or as the customer; nothing is
written into a table directly, so stock, the ledger and every timeline add up.

Times are honest: every order is placed when the demo shop is created, and its timeline
says so. Backdating `created_at` would leave each order's events and stock movements
later than the order itself, so the demo does not pretend the orders came in over weeks.

Money goes through the payments services too (demo_money): most orders that have reached
the customer are paid, by WeChat, Alipay, cash, bank transfer or cash on delivery; one
accepted order has a deposit, one paid order was a box short (refunded for it and
changed), one paid order was cancelled with its refund, and a new order has a payment the
customer reported.

No order here is 待付款 (awaiting payment): an order awaits payment only in a shop that
takes payment first, and this one takes payment on delivery, as most chat-app merchants
do. The merchant's second demo shop (demo_money.open_cake_counter) takes payment first."""

import datetime as dt
import zoneinfo
from dataclasses import dataclass

from django.utils import timezone

from dingdan import demo_money
from dingdan.chains.selectors.chain_text import chain_text
from dingdan.chains.services import campaigns as chains
from dingdan.chains.services import confirming, previews
from dingdan.customers.services import customers
from dingdan.orders.models import Channel, DeliveryMethod, Order
from dingdan.orders.services import editing, lifecycle, placement, presets, review
from dingdan.orders.services.customer_changes import change_by_customer
from dingdan.orders.states import CancelReason, Status
from dingdan.payments.models import Method
from dingdan.shops.actors import Actor
from dingdan.shops.models import Shop

# name, phone, address, tags, note
CUSTOMERS = [
    ("王芳", "13812345601", "广东省深圳市南山区科技园路1号汇景豪苑3栋1201", ["VIP"],
     "老客户，只要上午送"),
    ("李娜", "13912345602", "浙江省杭州市西湖区文三路108号5幢301室", ["VIP", "团长"],
     "阳光小区团长"),
    ("张伟", "13712345603", "北京市朝阳区建国路88号SOHO现代城2号楼1506", [], ""),
    ("刘洋", "13612345604", "上海市浦东新区世纪大道100号环球金融中心25楼", [], ""),
    ("陈静", "15012345605", "四川省成都市武侯区人民南路四段12号华西小区6栋", [], "不吃辣"),
    ("杨敏", "15812345606", "江苏省南京市鼓楼区中山路321号", [], ""),
    ("赵磊", "18612345607", "湖北省武汉市洪山区珞喻路1037号东湖花园9栋", [], ""),
    ("黄丽", "18912345608", "福建省厦门市思明区湖滨南路90号立信广场", [], ""),
    ("周杰", "13512345609", "山东省青岛市市南区香港中路8号", [], ""),
    ("吴婷", "13312345610", "陕西省西安市雁塔区科技路33号枫叶新都市", [], ""),
    ("孙强", "17712345611", "湖南省长沙市岳麓区麓山南路2号", [], ""),
    ("郑秀英", "13800245612", "广东省广州市天河区天河路208号粤海天河城大厦", ["VIP"], ""),
]


@dataclass(frozen=True)
class DemoOrder:
    customer: int  # index in CUSTOMERS
    lines: list[tuple[str, int]]
    channel: str
    status: str  # how far it has come
    delivery: str = DeliveryMethod.EXPRESS
    note: str = ""
    cancel_reason: str = ""
    paid_by: str = ""  # paid in full this way (a payment method) before its status
    money: str = ""  # then what demo_money.AFTERWARDS names: a deposit, a refund, a report


C, M, W, A, IMP = Channel.CHAT, Channel.MINI_SHOP, Channel.WEB, Channel.API, Channel.IMPORT
S = Status
WX, ALI, BANK, CASH, COD = (Method.WECHAT_PAY, Method.ALIPAY, Method.BANK_TRANSFER, Method.CASH,
                            Method.CASH_ON_DELIVERY)
ORDERS = [
    # closed long ago, most of them: the shop's history
    DemoOrder(0, [("CM-500", 2)], C, S.COMPLETED, note="要红颜", paid_by=WX),
    DemoOrder(1, [("LM-125", 3), ("CM-500", 1)], M, S.COMPLETED, paid_by=ALI),
    DemoOrder(2, [("CAKE-6", 1)], W, S.COMPLETED, DeliveryMethod.LOCAL, "蛋糕写“生日快乐”",
              paid_by=CASH),
    DemoOrder(3, [("CM-1000", 1)], A, S.COMPLETED, paid_by=BANK),
    DemoOrder(4, [("MG-1", 2), ("LM-125", 1)], Channel.MANUAL, S.COMPLETED, paid_by=COD),
    DemoOrder(0, [("LM-125", 2)], M, S.COMPLETED, paid_by=WX),
    DemoOrder(5, [("CM-500", 1), ("MG-1", 1)], IMP, S.COMPLETED, paid_by=ALI),
    DemoOrder(6, [("CM-1000", 2)], C, S.COMPLETED, paid_by=WX),
    DemoOrder(11, [("CAKE-6", 1), ("CM-500", 1)], W, S.COMPLETED, DeliveryMethod.LOCAL,
              paid_by=BANK),
    DemoOrder(7, [("LM-125", 2)], M, S.CANCELLED, cancel_reason=CancelReason.CUSTOMER_REQUEST),
    DemoOrder(8, [("CM-1000", 1)], A, S.CANCELLED, cancel_reason=CancelReason.DUPLICATE),
    DemoOrder(10, [("MG-1", 2)], M, S.CANCELLED, cancel_reason=CancelReason.OUT_OF_STOCK,
              paid_by=WX),
    # on their way
    DemoOrder(1, [("CM-500", 2), ("MG-1", 2)], C, S.DELIVERED, paid_by=WX),
    DemoOrder(9, [("LM-125", 4)], W, S.DELIVERED, paid_by=ALI),
    DemoOrder(10, [("CM-1000", 1), ("MG-1", 1)], M, S.IN_TRANSIT),
    DemoOrder(3, [("CM-500", 1)], A, S.IN_TRANSIT, paid_by=ALI),
    DemoOrder(5, [("MG-1", 2)], IMP, S.SHIPPED),
    DemoOrder(11, [("LM-125", 2), ("CM-500", 1)], C, S.SHIPPED, paid_by=WX),
    # in the shop's hands
    DemoOrder(6, [("CM-500", 3)], M, S.PREPARING, paid_by=WX, money="one_short"),
    DemoOrder(4, [("CAKE-6", 1)], W, S.PREPARING, DeliveryMethod.PICKUP, "周六下午来取"),
    DemoOrder(0, [("CM-1000", 1), ("LM-125", 1)], C, S.ACCEPTED, note="放门卫",
              money="deposit"),
    DemoOrder(7, [("MG-1", 1), ("CM-500", 1)], A, S.ACCEPTED),
    # new, waiting for the merchant
    DemoOrder(2, [("LM-125", 2)], M, S.PENDING_CONFIRMATION, money="reported"),
    DemoOrder(9, [("CM-500", 1), ("CAKE-6", 1)], W, S.PENDING_CONFIRMATION,
              DeliveryMethod.LOCAL),
    DemoOrder(10, [("MG-1", 1)], Channel.MANUAL, S.PENDING_CONFIRMATION),
    DemoOrder(8, [("CM-1000", 1)], IMP, S.PENDING_CONFIRMATION),
]

# Each status's way there from 待确认, one named service per step.
STEPS = [
    (S.ACCEPTED, lambda actor, order: lifecycle.accept_order(actor=actor, order=order)),
    (S.PREPARING, lambda actor, order: lifecycle.start_preparing(actor=actor, order=order)),
    (S.SHIPPED, lambda actor, order: lifecycle.ship_order(
        actor=actor, order=order, note=f"顺丰 SF{1400000000 + order.pk}")),
    (S.IN_TRANSIT, lambda actor, order: lifecycle.mark_in_transit(actor=actor, order=order)),
    (S.DELIVERED, lambda actor, order: lifecycle.mark_delivered(actor=actor, order=order)),
    (S.COMPLETED, lambda actor, order: lifecycle.complete_order(actor=actor, order=order)),
]
ROUTE = [status for status, _ in STEPS]
CANCEL_NOTES = {CancelReason.CUSTOMER_REQUEST: "客户微信说不要了",
                CancelReason.OUT_OF_STOCK: "芒果断货，和客户说好全额退款"}

# The group buy: its chain entries as customers post them (序号. 姓名 商品×数量 电话 自提点).
CHAIN_ENTRIES = [
    "1. 李娜 草莓x2 13912345602 北门",
    "2. 何小燕 蓝莓2 奶油草莓1 13612300001 南门",
    "3. 马超 草莓1 13712300002 北门 晚上七点后取",
    "4. 林佳 蓝莓x3 15912300003 文鼎苑",
    "5. 郭敬 草莓x2 蓝莓1 18812300004 翠苑",
    "6. 罗琳 草莓1 13312300005 南门",
]


def _customer_input(index: int) -> placement.CustomerInput:
    name, phone, address, _tags, _note = CUSTOMERS[index]
    return placement.CustomerInput(name=name, phone=phone, address=address)


def _move_to(actor: Actor, order: Order, status: str, *, reason: str = "",
             refund: bool = False) -> Order:
    if status == S.CANCELLED:
        note = CANCEL_NOTES.get(reason, "")
        if refund:
            return demo_money.cancel_and_refund(actor, order, reason=reason, note=note)
        return lifecycle.cancel_order(actor=actor, order=order, reason=reason, note=note)
    if status == S.PENDING_CONFIRMATION:
        return order
    for step_status, step in STEPS[: ROUTE.index(status) + 1]:
        order = step(actor, order)
        assert order.status == step_status
    return order


def open_for_business(shop: Shop, owner: Actor) -> None:
    """The demo shop's customers, orders and their money, template, group buy and
    follow-ups."""
    demo_money.set_payment_instructions(shop, owner)
    for name, phone, address, tags, note in CUSTOMERS:
        customers.create_customer(actor=owner, shop=shop, name=name, phone=phone,
                                  address=address, tags=tags, note=note)
    for wanted in ORDERS:
        order = placement.place_order(
            actor=owner, shop=shop, customer=_customer_input(wanted.customer),
            lines=wanted.lines, channel=wanted.channel, delivery_method=wanted.delivery,
            note=wanted.note,
        )
        if wanted.paid_by:
            demo_money.pay_in_full(owner, order, wanted.paid_by)
        order = _move_to(owner, order, wanted.status, reason=wanted.cancel_reason,
                         refund=bool(wanted.paid_by))
        if wanted.money:
            demo_money.AFTERWARDS[wanted.money](owner, order)
    _orders_needing_attention(shop, owner)
    _changes(shop, owner)
    _template(shop, owner)
    _group_buy(shop, owner)


def _tomorrow_at(shop: Shop, hour: int) -> dt.datetime:
    local = timezone.now().astimezone(zoneinfo.ZoneInfo(shop.timezone))
    return (local + dt.timedelta(days=1)).replace(hour=hour, minute=0, second=0, microsecond=0)


def _orders_needing_attention(shop: Shop, owner: Actor) -> None:
    """A chat order without a phone, a web order without an address, one sent twice; and
    follow-ups to come back to them."""
    no_phone = placement.place_order(
        actor=owner, shop=shop, lines=[("CM-500", 1)], channel=Channel.CHAT,
        customer=placement.CustomerInput(name="小鱼儿（微信）",
                                         address="江苏省苏州市工业园区星湖街328号"),
    )
    review.add_follow_up(actor=owner, order=no_phone, due_at=_tomorrow_at(shop, 10),
                         note="微信上问一下手机号")
    no_address = placement.place_order(
        actor=owner, shop=shop, lines=[("LM-125", 2)], channel=Channel.WEB,
        customer=placement.CustomerInput(name="钱多多", phone="13912300006"),
    )
    review.add_follow_up(actor=owner, order=no_address, due_at=_tomorrow_at(shop, 14),
                         note="打电话确认收货地址")
    for _twice in range(2):  # the same basket twice within minutes: a possible duplicate
        twice = placement.place_order(
            actor=owner, shop=shop, customer=_customer_input(6), lines=[("MG-1", 2)],
            channel=Channel.MINI_SHOP,
        )
    review.add_follow_up(actor=owner, order=twice, due_at=_tomorrow_at(shop, 9),
                         note="问赵先生是不是下重了")


def _changes(shop: Shop, owner: Actor) -> None:
    """An address changed by staff, and a change the customer asks for after acceptance."""
    moved = placement.place_order(
        actor=owner, shop=shop, customer=_customer_input(3), lines=[("CM-500", 1)],
        channel=Channel.CHAT,
    )
    moved = editing.edit_order(actor=owner, order=moved, version=moved.version,
                               address="上海市徐汇区漕溪北路18号", reason="客户微信说寄到公司")
    asked = lifecycle.accept_order(actor=owner, order=placement.place_order(
        actor=owner, shop=shop, customer=_customer_input(1), lines=[("LM-125", 1)],
        channel=Channel.MINI_SHOP,
    ))
    change_by_customer(order=asked, version=asked.version, lines=[("LM-125", 3)],
                       message="多要两盒，送同事")


def _template(shop: Shop, owner: Actor) -> None:
    template = presets.save_template(
        actor=owner, shop=shop, name="水果周卡", lines=[("CM-500", 1), ("LM-125", 2)],
        note="每周六上午送",
    )
    presets.place_from_template(actor=owner, template=template, customer=_customer_input(0))


def _group_buy(shop: Shop, owner: Actor) -> None:
    """A group buy still taking entries, with two pickup points and the chain's entries
    imported (they wait for the merchant: confirm them in a batch after the cut-off)."""
    north = chains.create_pickup_point(actor=owner, shop=shop, name="翠苑一区北门",
                                       address="文三路与学院路口", aliases=["北门", "翠苑"])
    south = chains.create_pickup_point(actor=owner, shop=shop, name="文鼎苑南门",
                                       address="文鼎苑3号楼下", aliases=["南门", "文鼎苑"])
    local = timezone.now().astimezone(zoneinfo.ZoneInfo(shop.timezone))
    cut_off = (local + dt.timedelta(days=2)).replace(hour=20, minute=0, second=0, microsecond=0)
    campaign = chains.create_campaign(
        actor=owner, shop=shop, title="周六丹东草莓团", cut_off_at=cut_off,
        delivery_date=cut_off.date() + dt.timedelta(days=1),
        items=[chains.ItemInput("CM-500", 3590, per_person_limit=3, total_cap=30),
               chains.ItemInput("LM-125", 2290)],
        pickup_point_ids=[north.pk, south.pk], rules="坏果包赔\n周日下午两点后提货",
    )
    draft = previews.preview_chain(
        actor=owner, campaign=campaign,
        text=chain_text(campaign) + "\n" + "\n".join(CHAIN_ENTRIES),
    )
    confirming.confirm_import(actor=owner, chain_import=draft)
