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
    objects: dict[str, Callable[[Shop], int]] = field(default_factory=dict)

    def url(self, ids: dict[str, int]) -> str:
        return self.path.format(**ids)


def _member(shop: Shop) -> int:
    return factories.make_member(shop, "viewer").pk


def _token(shop: Shop) -> int:
    factories.token_for(shop, "viewer", name="target")
    return shop.api_tokens.get(name="target").pk


ENDPOINTS = [
    Endpoint("get", "/api/v1/health", None),
    Endpoint("get", "/api/v1/me", "shop.view"),
    Endpoint("get", "/api/v1/shop", "shop.view"),
    Endpoint("patch", "/api/v1/shop", "shop.manage", {"name": "新店名"}),
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
]


def call(client, endpoint: Endpoint, ids: dict[str, int], **headers):
    method = getattr(client, endpoint.method)
    if endpoint.body is None:
        return method(endpoint.url(ids), headers=headers)
    return method(
        endpoint.url(ids), data=endpoint.body, content_type="application/json", headers=headers
    )
