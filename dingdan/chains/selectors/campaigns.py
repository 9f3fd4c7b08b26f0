"""Reads for campaigns, scoped to one shop."""

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from dingdan.catalog.models import Variant
from dingdan.chains.models import (
    Campaign,
    CampaignItem,
    CampaignPickupPoint,
    ChainEntry,
    ChainImport,
)
from dingdan.errors import NotFound
from dingdan.fulfillment.models import PickupPoint
from dingdan.orders.states import Status
from dingdan.shops.models import Membership, Role, Shop


def campaigns_for_shop(shop: Shop, *, status: str | None = None) -> QuerySet[Campaign]:
    """Latest cut-off first, with how many orders each has (cancelled ones left out)."""
    campaigns = Campaign.objects.filter(shop=shop)
    if status is not None:
        campaigns = campaigns.filter(status=status)
    return campaigns.annotate(
        order_count=Count("entries", filter=~Q(entries__order__status=Status.CANCELLED)),
    ).order_by("-cut_off_at", "-id")


def live_order_count(campaign: Campaign) -> int:
    """How many orders the campaign has, cancelled ones left out (as in the list)."""
    return ChainEntry.objects.filter(shop=campaign.shop_id, campaign=campaign).exclude(
        order__status=Status.CANCELLED).count()


def campaign_in_shop(shop: Shop, campaign_id: int) -> Campaign:
    campaign = Campaign.objects.filter(shop=shop, pk=campaign_id).select_related("shop").first()
    if campaign is None:
        raise NotFound(_("Campaign not found."), code="campaign_not_found")
    return campaign


def campaign_items(campaign: Campaign) -> list[CampaignItem]:
    return list(
        CampaignItem.objects.filter(shop=campaign.shop_id, campaign=campaign)
        .select_related("variant__product").order_by("position", "id")
    )


def campaign_points(campaign: Campaign) -> list[PickupPoint]:
    links = (
        CampaignPickupPoint.objects.filter(shop=campaign.shop_id, campaign=campaign)
        .select_related("pickup_point").order_by("position", "id")
    )
    return [link.pickup_point for link in links]


def pickup_points_for_shop(shop: Shop, *, active: bool | None = None) -> QuerySet[PickupPoint]:
    points = PickupPoint.objects.filter(shop=shop)
    if active is not None:
        points = points.filter(is_active=active)
    return points.order_by("name", "id")


def pickup_point_in_shop(shop: Shop, point_id: int) -> PickupPoint:
    point = PickupPoint.objects.filter(shop=shop, pk=point_id).select_related("shop").first()
    if point is None:
        raise NotFound(_("Pickup point not found."))
    return point


def import_in_campaign(campaign: Campaign, import_id: int) -> ChainImport:
    found = ChainImport.objects.filter(
        shop=campaign.shop_id, campaign=campaign, pk=import_id
    ).select_related("campaign__shop").first()
    if found is None:
        raise NotFound(_("Import not found."))
    return found


def keys_seen_on_time(campaign: Campaign) -> set[str]:
    """The identity keys of the entries dingdan saw in a paste made while the campaign took
    entries (before its cut-off, and before it was closed): they stay on time even when
    confirmed later, after the campaign has closed."""
    seen = set()
    for entries in ChainImport.objects.filter(
        shop=campaign.shop_id, campaign=campaign, created_at__lte=campaign.took_entries_until
    ).values_list("entries", flat=True):
        seen.update(entry["key"] for entry in entries)
    return seen


def campaign_organisers(campaign: Campaign) -> list[int]:
    """Who is told about the campaign (user ids): the person who set it up while they still
    work in the shop, else the shop's owners."""
    members = Membership.objects.filter(shop=campaign.shop_id)
    if campaign.created_by_id and members.filter(user=campaign.created_by_id).exists():
        return [campaign.created_by_id]
    return list(members.filter(role=Role.OWNER).order_by("id").values_list("user_id", flat=True))


def sku_names(shop_id: int, skus) -> dict[str, str]:
    """SKU -> the name a merchant reads ("草莓 500g"), for the SKUs of a draft's entries."""
    return {
        v.sku: v.display_name
        for v in Variant.objects.filter(shop=shop_id, sku__in=set(skus)).select_related("product")
    }


def entries_of_campaign(campaign: Campaign) -> QuerySet[ChainEntry]:
    """The imported entries with their orders, in chain order."""
    return (
        ChainEntry.objects.filter(shop=campaign.shop_id, campaign=campaign)
        .select_related("order", "pickup_point").order_by("seq", "id")
    )


def entry_of_order(shop: Shop, order_id: int) -> ChainEntry | None:
    """The chain entry an order was imported from, with its campaign and pickup point, or
    None for an order that did not come from a group buy."""
    return (
        ChainEntry.objects.filter(shop=shop, order_id=order_id)
        .select_related("campaign", "pickup_point").first()
    )
