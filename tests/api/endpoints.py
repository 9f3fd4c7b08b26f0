"""Every API operation, the permission it needs and how to name one of a shop's objects.

The permission and isolation tests are generated from this table, and a test fails when the
API has an operation that is missing here, so no new endpoint escapes them."""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from dingdan.shops.models import Shop
from tests import factories


@dataclass(frozen=True)
class Endpoint:
    method: str
    path: str  # as in the OpenAPI document, e.g. /api/v1/shop/members/{member_id}
    action: str | None  # None: public
    body: dict[str, Any] | None = None
    # path parameter -> function making such an object in a shop and returning its id
    objects: dict[str, Callable[[Shop], int | str]] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)

    def url(self, ids: dict[str, int | str]) -> str:
        return self.path.format(**ids)


def _member(shop: Shop) -> int:
    return factories.make_member(shop, "viewer").pk


def _token(shop: Shop) -> int:
    factories.token_for(shop, "viewer", name="target")
    return shop.api_tokens.get(name="target").pk


def _sku(shop: Shop) -> str:
    return factories.make_sku(shop, stock=5).sku


def _alert(shop: Shop) -> int:
    from dingdan.notify.services import raise_alert

    raise_alert(shop_id=shop.pk, kind="low_stock", subject="variant:0",
                data={"sku": "X", "name": "X", "available": 0})
    return shop.alerts.get().pk


def _customer(shop: Shop) -> int:
    return factories.make_customer(shop).pk


@dataclass(frozen=True)
class Ref:
    """A body value that is the id of one of the objects made for the call (see `objects`)."""

    name: str


def _flagged_order(shop: Shop) -> int:
    sku = factories.make_sku(shop, stock=5).sku
    return factories.place(shop, [(sku, 1)], phone=None).pk


def _template(shop: Shop) -> int:
    from dingdan.orders.services.presets import save_template

    sku = factories.make_sku(shop, stock=5).sku
    return save_template(actor=factories.Actor.system(shop), shop=shop, name=f"模板{sku}",
                         lines=[(sku, 1)]).pk


def _order(shop: Shop) -> int:
    sku = factories.make_sku(shop, stock=5).sku
    return factories.place(shop, [(sku, 1)]).pk


def _order_with_change_request(shop: Shop) -> int:
    from dingdan.orders.services.customer_changes import change_by_customer
    from dingdan.orders.services.lifecycle import transition_order

    sku = factories.make_sku(shop, stock=5).sku
    order = transition_order(actor=factories.Actor.system(shop),
                             order=factories.place(shop, [(sku, 1)]), to="accepted")
    change_by_customer(order=order, version=order.version, lines=[(sku, 2)])
    return order.pk


def _change_request(shop: Shop) -> int:
    """The open request of the order `_order_with_change_request` made just before."""
    from dingdan.orders.models import OrderChangeRequest

    return OrderChangeRequest.objects.filter(shop=shop, status="pending").latest("id").pk


ENDPOINTS = [
    Endpoint("get", "/api/v1/health", None),
    Endpoint("get", "/api/v1/me", "shop.view"),
    Endpoint("get", "/api/v1/shop", "shop.view"),
    Endpoint("patch", "/api/v1/shop", "shop.manage", {"name": "新店名"}),
    Endpoint("get", "/api/v1/shop/settings", "shop.view"),
    Endpoint(
        "patch", "/api/v1/shop/settings", "shop.manage",
        {"payment_terms": "credit", "credit_days": 30, "shipping": {"flat_cents": 800}},
    ),
    Endpoint("get", "/api/v1/shop/members", "members.view"),
    Endpoint(
        "post",
        "/api/v1/shop/members",
        "members.manage",
        {"email": "new.clerk@example.com", "role": "viewer"},
    ),
    Endpoint(
        "patch",
        "/api/v1/shop/members/{member_id}",
        "members.manage",
        {"role": "clerk"},
        objects={"member_id": _member},
    ),
    Endpoint(
        "delete",
        "/api/v1/shop/members/{member_id}",
        "members.manage",
        objects={"member_id": _member},
    ),
    Endpoint("get", "/api/v1/tokens", "tokens.manage"),
    Endpoint("post", "/api/v1/tokens", "tokens.manage", {"name": "erp", "role": "viewer"}),
    Endpoint("delete", "/api/v1/tokens/{token_id}", "tokens.manage", objects={"token_id": _token}),
    Endpoint("get", "/api/v1/audit", "audit.view"),
    Endpoint(
        "post", "/api/v1/products", "catalog.manage",
        {"sku": "NEW-1", "name": "新品", "price_cents": 990},
    ),
    Endpoint("get", "/api/v1/products", "catalog.view"),
    Endpoint("get", "/api/v1/products/{sku}", "catalog.view", objects={"sku": _sku}),
    Endpoint(
        "patch", "/api/v1/products/{sku}", "catalog.manage", {"price_cents": 1290},
        objects={"sku": _sku},
    ),
    Endpoint("get", "/api/v1/inventory", "inventory.view"),
    Endpoint("get", "/api/v1/inventory/{sku}", "inventory.view", objects={"sku": _sku}),
    Endpoint(
        "patch", "/api/v1/inventory/{sku}", "inventory.adjust", {"low_stock_threshold": 2},
        objects={"sku": _sku},
    ),
    Endpoint(
        "post", "/api/v1/inventory/{sku}/receive", "inventory.receive", {"quantity": 3},
        objects={"sku": _sku},
    ),
    Endpoint(
        "post", "/api/v1/inventory/{sku}/adjust", "inventory.adjust",
        {"delta": -1, "reason": "破损"}, objects={"sku": _sku},
    ),
    Endpoint(
        "post", "/api/v1/inventory/{sku}/count", "inventory.adjust", {"counted": 4},
        objects={"sku": _sku},
    ),
    Endpoint(
        "get", "/api/v1/inventory/{sku}/movements", "inventory.view", objects={"sku": _sku}
    ),
    Endpoint("get", "/api/v1/alerts", "shop.view"),
    Endpoint(
        "post", "/api/v1/orders", "orders.create",
        {"customer": {"name": "王芳", "phone": "13900139000"},
         "lines": [{"sku": Ref("sku"), "quantity": 1}]},
        objects={"sku": _sku},
    ),
    Endpoint("get", "/api/v1/orders", "orders.view"),
    Endpoint("get", "/api/v1/order-templates", "orders.view"),
    Endpoint(
        "post", "/api/v1/order-templates", "orders.create",
        {"name": "水果周卡", "lines": [{"sku": Ref("sku"), "quantity": 2}]},
        objects={"sku": _sku},
    ),
    Endpoint(
        "delete", "/api/v1/order-templates/{template_id}", "orders.create",
        objects={"template_id": _template},
    ),
    Endpoint(
        "post", "/api/v1/order-templates/{template_id}/orders", "orders.create",
        {"customer": {"name": "王芳", "phone": "13900139000"}},
        objects={"template_id": _template},
    ),
    Endpoint("get", "/api/v1/orders/{order_id}", "orders.view", objects={"order_id": _order}),
    Endpoint(
        "patch", "/api/v1/orders/{order_id}", "orders.edit", {"note": "放门口"},
        objects={"order_id": _order}, headers={"If-Match": "1"},
    ),
    Endpoint(
        "post", "/api/v1/orders/bulk", "orders.view",
        {"ids": [Ref("order_id")], "action": "tag", "tags": ["团购"]},
        objects={"order_id": _order},
    ),
    Endpoint(
        "post", "/api/v1/orders/{order_id}/flags/{code}/resolve", "orders.edit",
        {"note": "已电话确认"},
        objects={"order_id": _flagged_order, "code": lambda shop: "missing_phone"},
    ),
    Endpoint(
        "post", "/api/v1/orders/{order_id}/reprice", "orders.reprice",
        {"order_discount_cents": 100, "reason": "老客户优惠"},
        objects={"order_id": _order}, headers={"If-Match": "1"},
    ),
    Endpoint(
        "post", "/api/v1/orders/{order_id}/follow-ups", "orders.edit",
        {"due_at": "2026-12-01T10:00:00+08:00", "note": "提醒付款"},
        objects={"order_id": _order},
    ),
    Endpoint(
        "post", "/api/v1/orders/{order_id}/transition", "orders.transition", {"to": "accepted"},
        objects={"order_id": _order},
    ),
    Endpoint(
        "get", "/api/v1/orders/{order_id}/change-requests", "orders.view",
        objects={"order_id": _order_with_change_request},
    ),
    Endpoint(
        "post", "/api/v1/orders/{order_id}/change-requests/{request_id}/approve", "orders.edit",
        {"note": "可以"},
        objects={"order_id": _order_with_change_request, "request_id": _change_request},
    ),
    Endpoint(
        "post", "/api/v1/orders/{order_id}/change-requests/{request_id}/decline", "orders.edit",
        {"note": "已在配货"},
        objects={"order_id": _order_with_change_request, "request_id": _change_request},
    ),
    Endpoint("post", "/api/v1/alerts/{alert_id}/read", "shop.view", objects={"alert_id": _alert}),
    Endpoint("get", "/api/v1/customers", "customers.view"),
    Endpoint(
        "post",
        "/api/v1/customers",
        "customers.manage",
        {
            "name": "王芳",
            "phone": "138 0013 8000",
            "address": "广东省深圳市南山区科技园路1号",
            "tags": ["VIP"],
            "note": "只要上午送",
            "identities": [{"channel": "wechat", "external_id": "wx_wangfang"}],
        },
    ),
    Endpoint(
        "get", "/api/v1/customers/{customer_id}", "customers.view",
        objects={"customer_id": _customer},
    ),
    Endpoint(
        "patch",
        "/api/v1/customers/{customer_id}",
        "customers.manage",
        {"name": "王芳芳", "phone": "13900139000", "note": "改地址前先电话", "tags": ["团长"]},
        objects={"customer_id": _customer},
    ),
    Endpoint(
        "post",
        "/api/v1/customers/{customer_id}/merge",
        "customers.manage",
        {"merge_id": Ref("duplicate_id")},
        objects={"customer_id": _customer, "duplicate_id": _customer},
    ),
]


def call(client, endpoint: Endpoint, ids: dict[str, int], **headers):
    method = getattr(client, endpoint.method)
    headers = {**endpoint.headers, **headers}
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
