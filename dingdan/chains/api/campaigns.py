"""Campaigns and pickup points over the API: list, create, read, change and close a
campaign. The same permissions as the pages: reading needs orders.view, setting up and
closing catalog.manage."""

from datetime import date, datetime

from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.pagination import paginate
from pydantic import Field

from dingdan.api.errors import with_errors
from dingdan.api.fields import Moment, RowId
from dingdan.api.pagination import MappedPage, Pages
from dingdan.chains.api.fields import api_field_names, on_shop_clock, row_id
from dingdan.chains.models import Campaign, CampaignStatus, Fulfilment
from dingdan.chains.selectors import campaigns as selectors
from dingdan.chains.selectors.chain_text import chain_text
from dingdan.chains.services import campaigns as services
from dingdan.chains.services import closing
from dingdan.chains.services.campaigns import ItemInput, accepts_new_entries
from dingdan.shops import idempotency
from dingdan.shops.permissions import require

router = Router(tags=["campaigns"])

MAX_AMOUNT = 10**9  # the services' bound for prices, limits and caps


class ItemIn(Schema):
    sku: str = Field(..., min_length=1, max_length=64)
    price_cents: int = Field(..., ge=0, le=MAX_AMOUNT, description="The campaign price, in 分.")
    per_person_limit: int | None = Field(None, ge=1, le=MAX_AMOUNT)
    total_cap: int | None = Field(None, ge=1, le=MAX_AMOUNT, description="Units for everyone.")


CUT_OFF = "When entries stop (截单); without an offset, on the shop's clock."


class CampaignIn(Schema):
    title: str = Field(..., min_length=1, max_length=100)
    cut_off_at: Moment = Field(..., description=CUT_OFF)
    delivery_date: date | None = None
    fulfilment: Fulfilment = Fulfilment.PICKUP
    pickup_point_ids: list[RowId] = Field(
        default_factory=list,
        max_length=services.MAX_POINTS,
        description="Required for a pickup campaign.",
    )
    rules: str = Field("", max_length=services.MAX_RULES)
    items: list[ItemIn] = Field(..., min_length=1, max_length=services.MAX_ITEMS)


class CampaignPatch(Schema):
    """Only the fields sent change; `items` and `pickup_point_ids` replace the lists."""

    title: str | None = Field(None, min_length=1, max_length=100)
    cut_off_at: Moment | None = Field(None, description=CUT_OFF)
    delivery_date: date | None = None
    fulfilment: Fulfilment | None = None
    pickup_point_ids: list[RowId] | None = Field(None, max_length=services.MAX_POINTS)
    rules: str | None = Field(None, max_length=services.MAX_RULES)
    items: list[ItemIn] | None = Field(None, min_length=1, max_length=services.MAX_ITEMS)
    status: CampaignStatus | None = None


class CampaignItemOut(Schema):
    sku: str
    name: str
    price_cents: int
    per_person_limit: int | None
    total_cap: int | None


class PickupPointOut(Schema):
    id: int
    name: str
    address: str
    aliases: list[str]
    is_active: bool


class CampaignListOut(Schema):
    id: int
    title: str
    status: CampaignStatus
    cut_off_at: datetime
    delivery_date: date | None
    fulfilment: Fulfilment
    order_count: int = Field(description="Orders made from the chain, cancelled ones left out.")
    is_taking_entries: bool = Field(description="Open and before its cut-off.")
    closed_at: datetime | None
    created_at: datetime
    updated_at: datetime


class CampaignOut(CampaignListOut):
    rules: str
    items: list[CampaignItemOut]
    pickup_points: list[PickupPointOut]
    chain_text: str = Field(description="The chain to post in the group, in the shop's language.")


class CampaignFilter(Schema):
    status: CampaignStatus | None = None


class PickupPointIn(Schema):
    name: str = Field(..., min_length=1, max_length=60)
    address: str = Field("", max_length=200)
    aliases: list[str] = Field(default_factory=list, max_length=services.MAX_ALIASES)


def _listed(campaign: Campaign, order_count: int) -> dict:
    return {
        **{
            f: getattr(campaign, f)
            for f in (
                "id",
                "title",
                "status",
                "cut_off_at",
                "delivery_date",
                "fulfilment",
                "closed_at",
                "created_at",
                "updated_at",
            )
        },
        "order_count": order_count,
        "is_taking_entries": accepts_new_entries(campaign),
    }


def _point(point) -> dict:
    return {
        "id": point.pk,
        "name": point.name,
        "address": point.address,
        "aliases": point.aliases,
        "is_active": point.is_active,
    }


def campaign_out(campaign: Campaign) -> dict:
    return {
        **_listed(campaign, selectors.live_order_count(campaign)),
        "rules": campaign.rules,
        "items": [
            {
                "sku": item.variant.sku,
                "name": item.variant.display_name,
                "price_cents": item.price_cents,
                "per_person_limit": item.per_person_limit,
                "total_cap": item.total_cap,
            }
            for item in selectors.campaign_items(campaign)
        ],
        "pickup_points": [_point(point) for point in selectors.campaign_points(campaign)],
        "chain_text": chain_text(campaign),
    }


def _points_for(fulfilment: str, point_ids: list[int]) -> list[int]:
    """As the campaign form does: a delivery campaign has no pickup points."""
    return point_ids if fulfilment == Fulfilment.PICKUP else []


def _items(items: list[ItemIn]) -> list[ItemInput]:
    return [ItemInput(**item.model_dump()) for item in items]


@router.get("/campaigns", response=with_errors(list[CampaignListOut]))
@paginate(Pages, page_size=50)
def list_campaigns(request: HttpRequest, filters: Query[CampaignFilter]):
    """Latest cut-off first; `?status=open|closed|archived`."""
    actor = request.auth
    require(actor, "orders.view", actor.shop)
    return MappedPage(
        selectors.campaigns_for_shop(actor.shop, status=filters.status),
        lambda campaign: _listed(campaign, campaign.order_count),
    )


@router.post("/campaigns", response=with_errors({201: CampaignOut}, 409))
def create_campaign(request: HttpRequest, payload: CampaignIn):
    """A group buy: campaign items at campaign prices, the cut-off and pickup points (or
    delivery). It closes itself at the cut-off. With an `Idempotency-Key` header a retry
    returns the first answer."""
    actor = request.auth
    require(actor, "catalog.manage", actor.shop)

    def create() -> dict:
        with api_field_names():
            campaign = services.create_campaign(
                actor=actor,
                shop=actor.shop,
                title=payload.title,
                cut_off_at=on_shop_clock(payload.cut_off_at, actor.shop, "cut_off_at"),
                items=_items(payload.items),
                delivery_date=payload.delivery_date,
                fulfilment=payload.fulfilment,
                pickup_point_ids=_points_for(payload.fulfilment, payload.pickup_point_ids),
                rules=payload.rules,
            )
        return campaign_out(campaign)

    return idempotency.created(request, actor.shop, CampaignOut, create)


@router.get("/campaigns/{campaign_id}", response=with_errors(CampaignOut))
def get_campaign(request: HttpRequest, campaign_id: int):
    actor = request.auth
    require(actor, "orders.view", actor.shop)
    return campaign_out(selectors.campaign_in_shop(actor.shop, row_id(campaign_id)))


@router.patch("/campaigns/{campaign_id}", response=with_errors(CampaignOut, 409))
def update_campaign(request: HttpRequest, campaign_id: int, payload: CampaignPatch):
    """Change what is sent. Moving the cut-off later lets new entries in again and moves
    the moment the campaign closes itself."""
    actor = request.auth
    require(actor, "catalog.manage", actor.shop)
    campaign = selectors.campaign_in_shop(actor.shop, row_id(campaign_id))
    sent = payload.model_dump(exclude_unset=True)
    current = {
        "title": campaign.title,
        "cut_off_at": campaign.cut_off_at,
        "delivery_date": campaign.delivery_date,
        "fulfilment": campaign.fulfilment,
        "pickup_point_ids": [point.pk for point in selectors.campaign_points(campaign)],
        "rules": campaign.rules,
        "items": [
            ItemInput(item.variant.sku, item.price_cents, item.per_person_limit, item.total_cap)
            for item in selectors.campaign_items(campaign)
        ],
    }
    if sent.get("cut_off_at") is not None:
        current["cut_off_at"] = on_shop_clock(payload.cut_off_at, actor.shop, "cut_off_at")
    if payload.items is not None:
        current["items"] = _items(payload.items)
    for name in ("title", "fulfilment", "pickup_point_ids", "rules"):
        if sent.get(name) is not None:
            current[name] = sent[name]
    if "delivery_date" in sent:  # null clears it
        current["delivery_date"] = payload.delivery_date
    current["pickup_point_ids"] = _points_for(current["fulfilment"], current["pickup_point_ids"])
    with api_field_names():
        campaign = services.update_campaign(
            actor=actor, campaign=campaign, status=payload.status, **current
        )
    return campaign_out(selectors.campaign_in_shop(actor.shop, campaign.pk))


@router.post("/campaigns/{campaign_id}/close", response=with_errors(CampaignOut, 409))
def close_campaign(request: HttpRequest, campaign_id: int):
    """Stop taking new entries now, before the cut-off. Entries already seen in a paste can
    still be confirmed. Closing a closed campaign changes nothing."""
    actor = request.auth
    require(actor, "catalog.manage", actor.shop)
    campaign = selectors.campaign_in_shop(actor.shop, row_id(campaign_id))
    closing.close_campaign(actor=actor, campaign=campaign)
    return campaign_out(selectors.campaign_in_shop(actor.shop, campaign.pk))


@router.get("/pickup-points", response=with_errors(list[PickupPointOut]))
def list_pickup_points(request: HttpRequest, active: bool | None = None):
    """The shop's pickup points, for a campaign's `pickup_point_ids`."""
    actor = request.auth
    require(actor, "orders.view", actor.shop)
    return [_point(p) for p in selectors.pickup_points_for_shop(actor.shop, active=active)[:500]]


@router.post("/pickup-points", response=with_errors({201: PickupPointOut}, 409))
def create_pickup_point(request: HttpRequest, payload: PickupPointIn):
    """A place customers collect their orders. With an `Idempotency-Key` header a retry
    returns the first answer."""
    actor = request.auth
    require(actor, "catalog.manage", actor.shop)

    def create() -> dict:
        return _point(
            services.create_pickup_point(
                actor=actor,
                shop=actor.shop,
                name=payload.name,
                address=payload.address,
                aliases=payload.aliases,
            )
        )

    return idempotency.created(request, actor.shop, PickupPointOut, create)
