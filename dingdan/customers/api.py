"""REST endpoints for a shop's customers: parse, call one service or selector, shape the answer.

Every customer leaves through `privacy.customer_as_seen_by`, so roles without
"customers.view_pii" get masked phones and street addresses here exactly as in the UI."""

from dataclasses import asdict
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router
from ninja.pagination import paginate

from dingdan.api.errors import with_errors
from dingdan.api.pagination import Pages
from dingdan.customers import selectors
from dingdan.customers.models import Customer
from dingdan.customers.privacy import customer_as_seen_by, may_see_pii
from dingdan.customers.schemas import (
    CustomerDetailOut,
    CustomerIn,
    CustomerOut,
    CustomerPatch,
    MergeIn,
)
from dingdan.customers.services import customers as services
from dingdan.shops import idempotency
from dingdan.shops.permissions import require

router = Router(tags=["customers"])

PAGE_SIZE = 50
MAX_PAGE_SIZE = 200


class CustomerPages(Pages):
    """ninja's `?page=&page_size=` pages, each customer drawn as the caller may see them."""

    def paginate_queryset(self, queryset, pagination, request: HttpRequest, **params: Any):
        page = super().paginate_queryset(queryset, pagination, request, **params)
        page["items"] = [customer_as_seen_by(request.auth, c) for c in page["items"]]
        return page


def _detail(request: HttpRequest, customer: Customer) -> dict[str, Any]:
    summary = selectors.customer_summary(customer)
    return {**customer_as_seen_by(request.auth, customer), "summary": asdict(summary)}


@router.get("/customers", response=with_errors(list[CustomerOut]))
@paginate(CustomerPages, page_size=PAGE_SIZE, max_page_size=MAX_PAGE_SIZE)
def list_customers(
    request: HttpRequest,
    q: str | None = Query(None, max_length=100, description="Part of a name or phone number."),
):
    """The shop's customers, newest first, as `{"items": [...], "count": N}`."""
    actor = request.auth
    require(actor, "customers.view", actor.shop)
    return selectors.customers_for_shop(actor.shop, q, search_phone=may_see_pii(actor))


@router.post("/customers", response=with_errors({201: CustomerOut}, 409))
def create_customer(request: HttpRequest, payload: CustomerIn):
    """`address` is one pasted line ("广东省深圳市南山区科技园路1号") or its four parts.
    With an `Idempotency-Key` header a retry returns the first answer."""
    actor = request.auth
    address = payload.address

    def create() -> dict:
        return customer_as_seen_by(actor, _create(actor, payload, address))

    return idempotency.created(request, actor.shop, CustomerOut, create)


def _create(actor, payload: CustomerIn, address):
    return services.create_customer(
        actor=actor,
        shop=actor.shop,
        name=payload.name,
        phone=payload.phone,
        address=address if isinstance(address, str | None) else address.model_dump(),
        tags=payload.tags,
        note=payload.note or "",
        identities=[(i.channel, i.external_id) for i in payload.identities],
    )


@router.get("/customers/{customer_id}", response=with_errors(CustomerDetailOut))
def get_customer(request: HttpRequest, customer_id: int):
    """One customer with what they have bought: orders_count, spend_cents, last_order_at."""
    actor = request.auth
    require(actor, "customers.view", actor.shop)
    return _detail(request, selectors.customer_in_shop(actor.shop, customer_id))


@router.patch("/customers/{customer_id}", response=with_errors(CustomerOut, 409))
def update_customer(request: HttpRequest, customer_id: int, payload: CustomerPatch):
    actor = request.auth
    require(actor, "customers.manage", actor.shop)
    customer = selectors.customer_in_shop(actor.shop, customer_id)
    sent = payload.model_fields_set
    customer = services.update_customer(
        actor=actor,
        shop=actor.shop,
        customer=customer,
        name=(payload.name or "") if "name" in sent else None,
        phone=(payload.phone or "") if "phone" in sent else None,
        note=(payload.note or "") if "note" in sent else None,
        tags=(payload.tags or []) if "tags" in sent else None,
    )
    return customer_as_seen_by(actor, customer)


@router.post("/customers/{customer_id}/merge", response=with_errors(CustomerOut, 409))
def merge_customer(request: HttpRequest, customer_id: int, payload: MergeIn):
    """Fold customer `merge_id` into this one; the duplicate's addresses, tags and channel
    identities move here and the duplicate is deleted. Answers with the customer kept."""
    actor = request.auth
    require(actor, "customers.manage", actor.shop)
    keep = selectors.customer_in_shop(actor.shop, customer_id)
    merge = selectors.customer_in_shop(actor.shop, payload.merge_id)
    customer = services.merge_customers(actor=actor, shop=actor.shop, keep=keep, merge=merge)
    return customer_as_seen_by(actor, customer)
