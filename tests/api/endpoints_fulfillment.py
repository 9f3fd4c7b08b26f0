"""The endpoint table's fulfilment operations: shipments, tracking, interceptions, dropped
units, the shipment import, pickups and carriers, with the objects they need."""

from dingdan.shops.models import Shop
from tests import factories

from .endpoint_table import (
    ADDRESS,
    ADDRESS_ONLY,
    NEW_ADDRESS,
    NOTHING,
    PHONE,
    PHONE_AND_ADDRESS,
    Endpoint,
    Ref,
)


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


def _substitute_sku(shop: Shop) -> int:
    """Another SKU in stock, to offer instead of a line's."""
    return factories.make_sku(shop, stock=5).pk


def _substitute_offer(shop: Shop) -> int:
    """An open offer of a substitute for the first line of an accepted order."""
    from dingdan.fulfillment.services.substitutes import offer_substitute
    from dingdan.orders.models import Order

    order = Order.objects.get(pk=_two_line_order(shop))
    return offer_substitute(actor=factories.staff_actor(shop, "owner"), order=order,
                            line_id=_first_line(shop), variant_id=_substitute_sku(shop)).pk


def _pickup_point(shop: Shop) -> int:
    from dingdan.fulfillment.models import PickupPoint

    return PickupPoint.objects.create(shop=shop, name=f"自提点{shop.pk}").pk


def _staff_member(shop: Shop) -> int:
    return factories.make_member(shop, "warehouse").user_id


FULFILLMENT_ENDPOINTS = [
    Endpoint("get", "/api/v1/pickup-points/{point_id}/staff", "members.view",
             objects={"point_id": _pickup_point}, personal=NOTHING),
    Endpoint("put", "/api/v1/pickup-points/{point_id}/staff", "members.manage",
             {"user_ids": [Ref("user_id")]},
             objects={"point_id": _pickup_point, "user_id": _staff_member}, personal=NOTHING),
    # Public: 快递100's signature with the shop's salt is its authentication
    # (tests/fulfillment/test_tracking_push.py).
    Endpoint("post", "/api/v1/tracking/kuaidi100/{shop_slug}", None, personal=NOTHING,
             objects={"shop_slug": lambda shop: shop.slug, "shipment": _watched_shipment},
             query="shipment={shipment}", form=_kuaidi100_push),  # 快递100's reply only
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
    Endpoint("post", "/api/v1/orders/{order_id}/substitutes", "orders.edit",
             {"line_id": Ref("line_id"), "variant_id": Ref("variant_id"), "quantity": 1},
             objects={"order_id": _two_line_order, "line_id": _first_line,
                      "variant_id": _substitute_sku}, personal=NOTHING),
    Endpoint("get", "/api/v1/orders/{order_id}/substitutes", "orders.view",
             objects={"order_id": _accepted_order}, personal=NOTHING),
    Endpoint("post", "/api/v1/substitutes/{offer_id}/withdraw", "orders.edit",
             objects={"offer_id": _substitute_offer}, personal=NOTHING),
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
]
