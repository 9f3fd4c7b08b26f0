"""The endpoint table's shape: what an entry says about one API operation, the customer data
every entry's objects are made with, and how a test calls an entry."""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from dingdan.shops.models import Shop

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


@dataclass(frozen=True)
class Ref:
    """A body value that is the id of one of the objects made for the call (see `objects`)."""

    name: str


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
