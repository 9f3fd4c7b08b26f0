"""Every API operation, the permission it needs, how to name one of a shop's objects and
what personal data its answer can carry.

The permission, isolation and personal-data tests are generated from this table, and a test
fails when the API has an operation that is missing here (or answers with data and does not
say what personal data it carries), so no new endpoint escapes them."""

from .endpoint_objects import (
    LI_LEI,
    WANG_FANG,
    _alert,
    _campaign,
    _chain_import,
    _chain_of,
    _change_request,
    _customer,
    _flagged_order,
    _member,
    _order,
    _order_with_change_request,
    _sku,
    _template,
    _token,
)
from .endpoint_table import (
    ADDRESS,
    ADDRESS_ONLY,
    NEW_ADDRESS,
    NEW_STREET,
    NOTHING,
    PHONE,
    PHONE_AND_ADDRESS,
    STREET,
    Endpoint,
    Ref,
    call,
)
from .endpoints_aftersales import AFTERSALES_ENDPOINTS
from .endpoints_fulfillment import FULFILLMENT_ENDPOINTS
from .endpoints_money import MONEY_ENDPOINTS

__all__ = ["ADDRESS", "ENDPOINTS", "NEW_ADDRESS", "NEW_STREET", "PHONE", "STREET", "Endpoint",
           "call"]

ENDPOINTS = [
    Endpoint("get", "/api/v1/health", None, personal=NOTHING),
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
    *MONEY_ENDPOINTS,
    *AFTERSALES_ENDPOINTS,
    *FULFILLMENT_ENDPOINTS,
]
