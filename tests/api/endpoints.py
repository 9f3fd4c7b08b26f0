"""Every API operation, the permission it needs, how to name one of a shop's objects and
what personal data its answer can carry.

The permission, isolation and personal-data tests are generated from this table, and a test
fails when the API has an operation that is missing here (or answers with data and does not
say what personal data it carries), so no new endpoint escapes them."""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from dingdan.shops.models import Shop
from tests import factories

# The customer every order and customer the table makes belongs to: what a role without
# customers.view_pii must never read in full (tests/api/test_pii_masking.py).
PHONE = "13812345678"
ADDRESS = "浙江省杭州市西湖区文三路108号5幢301室"
STREET = "文三路108号5幢301室"  # the part of ADDRESS that is masked
# The address the customer asks to move the order to, in a change request.
NEW_ADDRESS = "浙江省杭州市拱墅区湖墅南路66号2单元"
NEW_STREET = "湖墅南路66号2单元"

# What personal data an answer can carry (Endpoint.personal).
PHONE_AND_ADDRESS = frozenset({"phone", "address"})  # an order or a customer
ADDRESS_ONLY = frozenset({"address"})  # e.g. an address a customer asked for
NOTHING: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Endpoint:
    method: str
    path: str  # as in the OpenAPI document, e.g. /api/v1/shop/members/{member_id}
    action: str | None  # None: public
    body: dict[str, Any] | None = None
    # path parameter -> function making such an object in a shop and returning its id
    objects: dict[str, Callable[[Shop], int | str]] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)
    # The customer's phone and address its answer can carry (PHONE_AND_ADDRESS, ADDRESS_ONLY
    # or NOTHING); None: not yet said, which fails the personal-data tests.
    personal: frozenset[str] | None = None
    # A form-encoded body made from the objects (a provider's signed push), sent instead of
    # `body`; and a query string, formatted like the path.
    form: Callable[[dict[str, int | str]], bytes] | None = None
    form_type: str = "application/x-www-form-urlencoded"  # or a file's type (text/csv)
    query: str = ""

    def url(self, ids: dict[str, int | str]) -> str:
        url = self.path.format(**ids)
        return f"{url}?{self.query.format(**ids)}" if self.query else url


def _member(shop: Shop) -> int:
    return factories.make_member(shop, "viewer").pk


def _token(shop: Shop) -> int:
    factories.token_for(shop, "viewer", name="target")
    return shop.api_tokens.get(name="target").pk


def _sku(shop: Shop) -> str:
    return factories.make_sku(shop, stock=5).sku


def _watched_shipment(shop: Shop) -> str:
    """A shipment 快递100 watches for the shop: the token its callback URL carries."""
    from dingdan.fulfillment.models import TrackingSubscription
    from dingdan.fulfillment.services import shipping
    from dingdan.fulfillment.services.tracking_accounts import save_tracking_account
    from dingdan.orders.services import lifecycle

    owner = factories.staff_actor(shop, "owner")
    save_tracking_account(actor=owner, shop=shop, key="xXKbNtLA3691")
    order = factories.place(shop, [(factories.make_sku(shop, stock=5).sku, 1)])
    order = lifecycle.accept_order(actor=owner, order=order)
    shipment = shipping.create_shipment(actor=owner, order=order, carrier="sf",
                                        tracking_number="SF1234567890123")
    return TrackingSubscription.objects.get(shipment=shipment).token


def _kuaidi100_push(ids: dict[str, int | str]) -> bytes:
    """快递100's push for the watched shipment, signed with its shop's salt."""
    from dingdan.fulfillment.models import TrackingAccount, TrackingSubscription
    from dingdan.secret_box import decrypt_secret
    from tests.fulfillment.providers.kuaidi100_server import push_body, push_param, step

    subscription = TrackingSubscription.objects.select_related("shipment").get(
        token=ids["shipment"])
    salt = decrypt_secret(TrackingAccount.objects.get(shop_id=subscription.shop_id)
                          .salt_encrypted)
    param = push_param("shunfeng", subscription.shipment.tracking_number,
                       [step("2020-01-01 10:00:00", "【深圳市】顺丰速运 已收取快件", code="1")])
    return push_body(param, salt=salt)


def _alert(shop: Shop) -> int:
    from dingdan.notify.services import raise_alert

    raise_alert(shop_id=shop.pk, kind="low_stock", subject="variant:0",
                data={"sku": "X", "name": "X", "available": 0})
    return shop.alerts.get().pk


def _customer(shop: Shop) -> int:
    """The customer with PHONE and ADDRESS; a second one (to merge) has neither."""
    from dingdan.customers.models import Customer

    if Customer.objects.filter(shop=shop, phone=PHONE).exists():
        return factories.make_customer(shop).pk
    return factories.make_customer(shop, phone=PHONE, address=ADDRESS).pk


@dataclass(frozen=True)
class Ref:
    """A body value that is the id of one of the objects made for the call (see `objects`)."""

    name: str


def _flagged_order(shop: Shop) -> int:
    """An order flagged as a possible duplicate: the same customer sent it twice."""
    sku = factories.make_sku(shop, stock=5).sku
    factories.place(shop, [(sku, 1)], phone=PHONE, address=ADDRESS)
    return factories.place(shop, [(sku, 1)], phone=PHONE, address=ADDRESS).pk


def _template(shop: Shop) -> int:
    from dingdan.orders.services.presets import save_template

    sku = factories.make_sku(shop, stock=5).sku
    return save_template(actor=factories.Actor.system(shop), shop=shop, name=f"模板{sku}",
                         lines=[(sku, 1)]).pk


def _order(shop: Shop) -> int:
    sku = factories.make_sku(shop, stock=5).sku
    return factories.place(shop, [(sku, 1)], phone=PHONE, address=ADDRESS).pk


def _paid_order(shop: Shop) -> int:
    """An order the customer has paid ¥5.00 towards."""
    from dingdan.orders.models import Order
    from dingdan.payments.services.payments import record_payment

    order = Order.objects.get(pk=_order(shop))
    record_payment(actor=factories.Actor.system(shop), order=order, amount_cents=500,
                   method="wechat_pay")
    return order.pk


def _accepted_order(shop: Shop) -> int:
    from dingdan.orders.services.lifecycle import accept_order

    sku = factories.make_sku(shop, stock=5).sku
    placed = factories.place(shop, [(sku, 1)], phone=PHONE, address=ADDRESS)
    return accept_order(actor=factories.Actor.system(shop), order=placed).pk


def _shipment(shop: Shop) -> int:
    from dingdan.fulfillment.services.shipping import create_shipment
    from dingdan.orders.models import Order

    order = Order.objects.get(pk=_accepted_order(shop))
    return create_shipment(actor=factories.staff_actor(shop, "warehouse"), order=order).pk


def _two_line_order(shop: Shop) -> int:
    """An accepted order of two lines."""
    from dingdan.orders.services.lifecycle import accept_order

    first, second = factories.make_sku(shop, stock=5).sku, factories.make_sku(shop, stock=5).sku
    placed = factories.place(shop, [(first, 2), (second, 1)], phone=PHONE, address=ADDRESS)
    return accept_order(actor=factories.Actor.system(shop), order=placed).pk


def _first_line(shop: Shop) -> int:
    """The first line of the order `_two_line_order` made just before."""
    from dingdan.orders.models import OrderLine

    return OrderLine.objects.filter(shop=shop).latest("order_id", "-id").pk
def _accepted_order_number(shop: Shop) -> str:
    from dingdan.orders.models import Order

    return Order.objects.get(pk=_accepted_order(shop)).number


def _shipment_file(ids: dict[str, int | str]) -> bytes:
    """A CSV shipping the order made for the call, as Excel on Chinese Windows saves it."""
    return f"订单号,快递公司,快递单号\r\n{ids['order_number']},顺丰,SF1234567890123\r\n".encode(
        "gbk")
def _pickup_code(shop: Shop) -> str:
    """The code of an order packed for self-pickup."""
    from dingdan.fulfillment.models import PickupCode
    from dingdan.fulfillment.services.shipping import create_shipment
    from dingdan.orders.services.lifecycle import accept_order

    sku = factories.make_sku(shop, stock=5).sku
    placed = factories.place(shop, [(sku, 1)], phone=PHONE, address=ADDRESS,
                             delivery_method="pickup")
    order = accept_order(actor=factories.Actor.system(shop), order=placed)
    shipment = create_shipment(actor=factories.staff_actor(shop, "warehouse"), order=order)
    return PickupCode.objects.get(shipment=shipment).code


def _shop_carrier(shop: Shop) -> str:
    from dingdan.fulfillment.services.carriers import add_shop_carrier

    return add_shop_carrier(actor=factories.staff_actor(shop, "owner"), shop=shop,
                            code="neighbour", name="邻居代送").code


def _interception(shop: Shop) -> int:
    from dingdan.fulfillment.models import Shipment
    from dingdan.fulfillment.services.interceptions import request_interception

    shipment = Shipment.objects.get(pk=_shipment(shop))
    return request_interception(actor=factories.staff_actor(shop, "owner"), shipment=shipment,
                                address=NEW_ADDRESS).pk


def _order_with_reported_payment(shop: Shop) -> int:
    from dingdan.orders.models import Order
    from dingdan.payments.services.reported import report_payment

    order = Order.objects.get(pk=_order(shop))
    report_payment(order=order, method="alipay", reference="支付宝 2026120122")
    return order.pk


def _reported_payment(shop: Shop) -> int:
    """The report on the order `_order_with_reported_payment` made just before."""
    from dingdan.payments.models import ReportedPayment

    return ReportedPayment.objects.filter(shop=shop).latest("id").pk


def _order_with_change_request(shop: Shop) -> int:
    from dingdan.orders.services.customer_changes import change_by_customer
    from dingdan.orders.services.lifecycle import transition_order

    sku = factories.make_sku(shop, stock=5).sku
    placed = factories.place(shop, [(sku, 1)], phone=PHONE, address=ADDRESS)
    order = transition_order(actor=factories.Actor.system(shop), order=placed, to="accepted")
    change_by_customer(order=order, version=order.version, lines=[(sku, 2)],
                       address=NEW_ADDRESS)
    return order.pk


def _change_request(shop: Shop) -> int:
    """The open request of the order `_order_with_change_request` made just before."""
    from dingdan.orders.models import OrderChangeRequest

    return OrderChangeRequest.objects.filter(shop=shop, status="pending").latest("id").pk


CHAIN_ITEM = "TUAN-STRAW"
# A chain entry of the customer with PHONE and ADDRESS, and one of a new customer.
WANG_FANG = f"王芳 草莓x1 {PHONE} {ADDRESS}"
LI_LEI = "李雷 草莓x2 13700001111 北京市朝阳区建国路88号"


def _chain_of(shop: Shop, *entries: str) -> str:
    from dingdan.chains.models import Campaign
    from dingdan.chains.selectors.chain_text import chain_text

    campaign = Campaign.objects.filter(shop=shop).latest("id")
    return chain_text(campaign) + "".join(f"{n}. {e}\n" for n, e in enumerate(entries, 1))


def _campaign(shop: Shop) -> int:
    """A delivery campaign with one order imported from its chain: WANG_FANG's."""
    import datetime as dt

    from django.utils import timezone

    from dingdan.catalog.models import Variant
    from dingdan.chains.services import campaigns, confirming, previews

    if not Variant.objects.filter(shop=shop, sku=CHAIN_ITEM).exists():
        factories.make_sku(shop, CHAIN_ITEM, name="草莓", spec="500g", stock=20)
    system = factories.Actor.system(shop)
    campaign = campaigns.create_campaign(
        actor=system, shop=shop, title="周六草莓团", fulfilment="delivery",
        cut_off_at=timezone.now() + dt.timedelta(days=1),
        items=[campaigns.ItemInput(CHAIN_ITEM, 2990)])
    draft = previews.preview_chain(actor=system, campaign=campaign,
                                   text=_chain_of(shop, WANG_FANG))
    confirming.confirm_import(actor=system, chain_import=draft)
    return campaign.pk


def _chain_import(shop: Shop) -> int:
    """A paste of the latest campaign's chain, not confirmed: WANG_FANG again and LI_LEI."""
    from dingdan.chains.models import Campaign
    from dingdan.chains.services import previews

    campaign = Campaign.objects.filter(shop=shop).latest("id")
    return previews.preview_chain(actor=factories.Actor.system(shop), campaign=campaign,
                                  text=_chain_of(shop, WANG_FANG, LI_LEI)).pk


ENDPOINTS = [
    Endpoint("get", "/api/v1/health", None, personal=NOTHING),
    # Public: WeChat Pay's signature is its authentication (test_wechatpay_notify.py).
    Endpoint("post", "/api/v1/payments/wechatpay/notify/{shop_slug}", None,
             objects={"shop_slug": lambda shop: shop.slug}),  # answers no data
    # Public: 快递100's signature with the shop's salt is its authentication
    # (tests/fulfillment/test_tracking_push.py).
    Endpoint("post", "/api/v1/tracking/kuaidi100/{shop_slug}", None, personal=NOTHING,
             objects={"shop_slug": lambda shop: shop.slug, "shipment": _watched_shipment},
             query="shipment={shipment}", form=_kuaidi100_push),  # 快递100's reply only
    Endpoint("get", "/api/v1/me", "shop.view", personal=NOTHING),
    Endpoint("get", "/api/v1/shop", "shop.view", personal=NOTHING),
    Endpoint("patch", "/api/v1/shop", "shop.manage", {"name": "新店名"}, personal=NOTHING),
    Endpoint("get", "/api/v1/shop/settings", "shop.view", personal=NOTHING),
    Endpoint(
        "patch", "/api/v1/shop/settings", "shop.manage",
        {"payment_terms": "credit", "credit_days": 30, "shipping": {"flat_cents": 800}},
        personal=NOTHING,
    ),
    Endpoint("get", "/api/v1/shop/members", "members.view", personal=NOTHING),
    Endpoint(
        "post",
        "/api/v1/shop/members",
        "members.manage",
        {"email": "new.clerk@example.com", "role": "viewer"},
        personal=NOTHING,
    ),
    Endpoint(
        "patch",
        "/api/v1/shop/members/{member_id}",
        "members.manage",
        {"role": "clerk"},
        objects={"member_id": _member},
        personal=NOTHING,
    ),
    Endpoint(
        "delete",
        "/api/v1/shop/members/{member_id}",
        "members.manage",
        objects={"member_id": _member},
        personal=NOTHING,
    ),
    Endpoint("get", "/api/v1/tokens", "tokens.manage", personal=NOTHING),
    Endpoint("post", "/api/v1/tokens", "tokens.manage", {"name": "erp", "role": "viewer"},
             personal=NOTHING),
    Endpoint("delete", "/api/v1/tokens/{token_id}", "tokens.manage", objects={"token_id": _token},
             personal=NOTHING),
    # Customer records carry what changed: a phone, an address.
    Endpoint("get", "/api/v1/audit", "audit.view", personal=PHONE_AND_ADDRESS),
    Endpoint(
        "post", "/api/v1/products", "catalog.manage",
        {"sku": "NEW-1", "name": "新品", "price_cents": 990}, personal=NOTHING,
    ),
    Endpoint("get", "/api/v1/products", "catalog.view", personal=NOTHING),
    Endpoint("get", "/api/v1/products/{sku}", "catalog.view", objects={"sku": _sku},
             personal=NOTHING),
    Endpoint(
        "patch", "/api/v1/products/{sku}", "catalog.manage", {"price_cents": 1290},
        objects={"sku": _sku}, personal=NOTHING,
    ),
    Endpoint("get", "/api/v1/inventory", "inventory.view", personal=NOTHING),
    Endpoint("get", "/api/v1/inventory/{sku}", "inventory.view", objects={"sku": _sku},
             personal=NOTHING),
    Endpoint(
        "patch", "/api/v1/inventory/{sku}", "inventory.adjust", {"low_stock_threshold": 2},
        objects={"sku": _sku}, personal=NOTHING,
    ),
    Endpoint(
        "post", "/api/v1/inventory/{sku}/receive", "inventory.receive", {"quantity": 3},
        objects={"sku": _sku}, personal=NOTHING,
    ),
    Endpoint(
        "post", "/api/v1/inventory/{sku}/adjust", "inventory.adjust",
        {"delta": -1, "reason": "破损"}, objects={"sku": _sku}, personal=NOTHING,
    ),
    Endpoint(
        "post", "/api/v1/inventory/{sku}/count", "inventory.adjust", {"counted": 4},
        objects={"sku": _sku}, personal=NOTHING,
    ),
    Endpoint(
        "get", "/api/v1/inventory/{sku}/movements", "inventory.view", objects={"sku": _sku},
        personal=NOTHING,
    ),
    Endpoint("get", "/api/v1/alerts", "shop.view", personal=NOTHING),
    Endpoint(
        "post", "/api/v1/orders", "orders.create",
        {"customer": {"name": "王芳", "phone": PHONE, "address": ADDRESS},
         "lines": [{"sku": Ref("sku"), "quantity": 1}]},
        objects={"sku": _sku}, personal=PHONE_AND_ADDRESS,
    ),
    Endpoint("get", "/api/v1/orders", "orders.view", personal=PHONE_AND_ADDRESS),
    Endpoint("get", "/api/v1/order-templates", "orders.view", personal=NOTHING),
    Endpoint(
        "post", "/api/v1/order-templates", "orders.create",
        {"name": "水果周卡", "lines": [{"sku": Ref("sku"), "quantity": 2}]},
        objects={"sku": _sku}, personal=NOTHING,
    ),
    Endpoint(
        "delete", "/api/v1/order-templates/{template_id}", "orders.create",
        objects={"template_id": _template}, personal=NOTHING,
    ),
    Endpoint(
        "post", "/api/v1/order-templates/{template_id}/orders", "orders.create",
        {"customer": {"name": "王芳", "phone": PHONE, "address": ADDRESS}},
        objects={"template_id": _template}, personal=PHONE_AND_ADDRESS,
    ),
    Endpoint("get", "/api/v1/orders/{order_id}", "orders.view", objects={"order_id": _order},
             personal=PHONE_AND_ADDRESS),
    Endpoint(
        "patch", "/api/v1/orders/{order_id}", "orders.edit", {"note": "放门口"},
        objects={"order_id": _order}, headers={"If-Match": "1"}, personal=PHONE_AND_ADDRESS,
    ),
    Endpoint(
        "post", "/api/v1/orders/bulk", "orders.view",
        {"ids": [Ref("order_id")], "action": "tag", "tags": ["团购"]},
        objects={"order_id": _order}, personal=NOTHING,
    ),
    Endpoint(
        "post", "/api/v1/orders/{order_id}/flags/{code}/resolve", "orders.edit",
        {"note": "已电话确认"},
        objects={"order_id": _flagged_order, "code": lambda shop: "possible_duplicate"},
        personal=PHONE_AND_ADDRESS,
    ),
    Endpoint(
        "post", "/api/v1/orders/{order_id}/reprice", "orders.reprice",
        {"order_discount_cents": 100, "reason": "老客户优惠"},
        objects={"order_id": _order}, headers={"If-Match": "1"}, personal=PHONE_AND_ADDRESS,
    ),
    Endpoint(
        "post", "/api/v1/orders/{order_id}/follow-ups", "orders.edit",
        {"due_at": "2026-12-01T10:00:00+08:00", "note": "提醒付款"},
        objects={"order_id": _order}, personal=NOTHING,
    ),
    Endpoint(
        "post", "/api/v1/orders/{order_id}/transition", "orders.transition", {"to": "accepted"},
        objects={"order_id": _order}, personal=PHONE_AND_ADDRESS,
    ),
    Endpoint(
        "post", "/api/v1/orders/{order_id}/cancel", "orders.cancel",
        {"reason": "customer_request", "note": "不要了"},
        objects={"order_id": _order}, personal=PHONE_AND_ADDRESS,
    ),
    Endpoint(
        "post", "/api/v1/orders/{order_id}/payments", "payments.record",
        {"amount_cents": 100, "method": "wechat_pay", "reference": "4200001234"},
        objects={"order_id": _order}, personal=NOTHING,
    ),
    Endpoint("get", "/api/v1/orders/{order_id}/payments", "orders.view",
             objects={"order_id": _paid_order}, personal=NOTHING),
    Endpoint(
        "post", "/api/v1/orders/{order_id}/refunds", "payments.refund",
        {"amount_cents": 100, "reason": "少发一件"},
        objects={"order_id": _paid_order}, personal=NOTHING,
    ),
    Endpoint("get", "/api/v1/orders/{order_id}/refunds", "orders.view",
             objects={"order_id": _paid_order}, personal=NOTHING),
    Endpoint("post", "/api/v1/orders/{order_id}/shipments", "fulfillment.ship", {},
             objects={"order_id": _accepted_order}, personal=NOTHING),
    Endpoint("get", "/api/v1/orders/{order_id}/shipments", "orders.view",
             objects={"order_id": _accepted_order}, personal=NOTHING),
    Endpoint("get", "/api/v1/shipments/{shipment_id}", "orders.view",
             objects={"shipment_id": _shipment}, personal=NOTHING),
    Endpoint("post", "/api/v1/shipments/{shipment_id}/events", "fulfillment.ship",
             {"status": "in_transit", "detail": "【杭州】已发出"},
             objects={"shipment_id": _shipment}, personal=NOTHING),
    Endpoint("get", "/api/v1/carriers", "orders.view", personal=NOTHING),
    Endpoint("post", "/api/v1/carriers", "shop.manage",
             {"code": "city-run", "name": "同城跑腿", "url_template": "https://run.example/{number}"},
             personal=NOTHING),
    Endpoint("delete", "/api/v1/carriers/{code}", "shop.manage",
             objects={"code": _shop_carrier}, personal=NOTHING),
    Endpoint("post", "/api/v1/shipments/{shipment_id}/tracking-number", "fulfillment.ship",
             {"carrier": "zto", "tracking_number": "731234567890"},
             objects={"shipment_id": _shipment}, personal=NOTHING),
    Endpoint("post", "/api/v1/shipments/{shipment_id}/cancel", "fulfillment.ship",
             objects={"shipment_id": _shipment}, personal=NOTHING),
    Endpoint("post", "/api/v1/orders/{order_id}/drop-units", "orders.edit",
             {"lines": [{"line_id": Ref("line_id"), "quantity": 1}], "reason": "缺货"},
             objects={"order_id": _two_line_order, "line_id": _first_line},
             personal=PHONE_AND_ADDRESS),
    Endpoint("post", "/api/v1/shipments/import", "fulfillment.ship",
             form=_shipment_file, form_type="text/csv",
             objects={"order_number": _accepted_order_number},
             personal=NOTHING),
    Endpoint("post", "/api/v1/pickups/redeem", "fulfillment.ship", {"code": Ref("code")},
             objects={"code": _pickup_code}, personal=NOTHING),
    Endpoint("post", "/api/v1/shipments/{shipment_id}/interceptions", "orders.edit",
             {"address": NEW_ADDRESS}, objects={"shipment_id": _shipment},
             personal=ADDRESS_ONLY),
    Endpoint("post", "/api/v1/interceptions/{interception_id}/outcome", "fulfillment.ship",
             {"intercepted": True}, objects={"interception_id": _interception},
             personal=ADDRESS_ONLY),
    Endpoint("get", "/api/v1/orders/{order_id}/reported-payments", "orders.view",
             objects={"order_id": _order_with_reported_payment}, personal=NOTHING),
    Endpoint(
        "post", "/api/v1/orders/{order_id}/reported-payments/{report_id}/confirm",
        "payments.record",
        objects={"order_id": _order_with_reported_payment, "report_id": _reported_payment},
        personal=NOTHING,
    ),
    Endpoint(
        "post", "/api/v1/orders/{order_id}/reported-payments/{report_id}/reject",
        "payments.record", {"reason": "没有收到这笔钱"},
        objects={"order_id": _order_with_reported_payment, "report_id": _reported_payment},
        personal=NOTHING,
    ),
    Endpoint(
        "get", "/api/v1/orders/{order_id}/change-requests", "orders.view",
        objects={"order_id": _order_with_change_request}, personal=ADDRESS_ONLY,
    ),
    Endpoint(
        "post", "/api/v1/orders/{order_id}/change-requests/{request_id}/approve", "orders.edit",
        {"note": "可以"},
        objects={"order_id": _order_with_change_request, "request_id": _change_request},
        personal=PHONE_AND_ADDRESS,
    ),
    Endpoint(
        "post", "/api/v1/orders/{order_id}/change-requests/{request_id}/decline", "orders.edit",
        {"note": "已在配货"},
        objects={"order_id": _order_with_change_request, "request_id": _change_request},
        personal=PHONE_AND_ADDRESS,
    ),
    Endpoint("post", "/api/v1/alerts/{alert_id}/read", "shop.view", objects={"alert_id": _alert},
             personal=NOTHING),
    Endpoint("get", "/api/v1/pickup-points", "orders.view", personal=NOTHING),
    Endpoint("post", "/api/v1/pickup-points", "catalog.manage", {"name": "阳光小区东门"},
             personal=NOTHING),
    Endpoint("get", "/api/v1/campaigns", "orders.view", personal=NOTHING),
    Endpoint(
        "post", "/api/v1/campaigns", "catalog.manage",
        {"title": "周末蓝莓团", "cut_off_at": "2030-06-01T20:00:00+08:00",
         "fulfilment": "delivery", "items": [{"sku": Ref("sku"), "price_cents": 1500}]},
        objects={"sku": _sku}, personal=NOTHING,
    ),
    Endpoint("get", "/api/v1/campaigns/{campaign_id}", "orders.view",
             objects={"campaign_id": _campaign}, personal=NOTHING),
    Endpoint("patch", "/api/v1/campaigns/{campaign_id}", "catalog.manage", {"title": "新团名"},
             objects={"campaign_id": _campaign}, personal=NOTHING),
    Endpoint("post", "/api/v1/campaigns/{campaign_id}/close", "catalog.manage", {},
             objects={"campaign_id": _campaign}, personal=NOTHING),
    # A preview shows each entry as read: the customer's phone and address.
    Endpoint(
        "post", "/api/v1/campaigns/{campaign_id}/imports", "orders.create",
        {"text": Ref("chain")},
        objects={"campaign_id": _campaign,
                 "chain": lambda shop: _chain_of(shop, WANG_FANG, LI_LEI)},
        personal=PHONE_AND_ADDRESS,
    ),
    Endpoint(
        "get", "/api/v1/campaigns/{campaign_id}/imports/{import_id}", "orders.create",
        objects={"campaign_id": _campaign, "import_id": _chain_import},
        personal=PHONE_AND_ADDRESS,
    ),
    Endpoint(
        "post", "/api/v1/campaigns/{campaign_id}/imports/{import_id}/confirm", "orders.create",
        {}, objects={"campaign_id": _campaign, "import_id": _chain_import}, personal=NOTHING,
    ),
    # Its pick lists name each customer with phone and delivery address.
    Endpoint("get", "/api/v1/campaigns/{campaign_id}/summary", "orders.view",
             objects={"campaign_id": _campaign}, personal=PHONE_AND_ADDRESS),
    Endpoint("get", "/api/v1/customers", "customers.view", personal=PHONE_AND_ADDRESS),
    Endpoint(
        "post",
        "/api/v1/customers",
        "customers.manage",
        {
            "name": "王芳",
            "phone": PHONE,
            "address": ADDRESS,
            "tags": ["VIP"],
            "note": "只要上午送",
            "identities": [{"channel": "wechat", "external_id": "wx_wangfang"}],
        },
        personal=PHONE_AND_ADDRESS,
    ),
    Endpoint(
        "get", "/api/v1/customers/{customer_id}", "customers.view",
        objects={"customer_id": _customer}, personal=PHONE_AND_ADDRESS,
    ),
    Endpoint(
        "patch",
        "/api/v1/customers/{customer_id}",
        "customers.manage",
        {"name": "王芳芳", "phone": PHONE, "note": "改地址前先电话", "tags": ["团长"]},
        objects={"customer_id": _customer},
        personal=PHONE_AND_ADDRESS,
    ),
    Endpoint(
        "post",
        "/api/v1/customers/{customer_id}/merge",
        "customers.manage",
        {"merge_id": Ref("duplicate_id")},
        objects={"customer_id": _customer, "duplicate_id": _customer},
        personal=PHONE_AND_ADDRESS,
    ),
]


def call(client, endpoint: Endpoint, ids: dict[str, int], **headers):
    method = getattr(client, endpoint.method)
    headers = {**endpoint.headers, **headers}
    if endpoint.form is not None:
        return method(endpoint.url(ids), data=endpoint.form(ids),
                      content_type=endpoint.form_type, headers=headers)
    if endpoint.body is None:
        return method(endpoint.url(ids), headers=headers)
    return method(
        endpoint.url(ids), data=_resolve(endpoint.body, ids), content_type="application/json",
        headers=headers,
    )


def _resolve(value, ids):
    """The body with every Ref replaced by the id of the object made for it."""
    if isinstance(value, Ref):
        return ids[value.name]
    if isinstance(value, dict):
        return {key: _resolve(item, ids) for key, item in value.items()}
    if isinstance(value, list):
        return [_resolve(item, ids) for item in value]
    return value
